package talkoff

import (
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"

	"github.com/dtmfkit/dtmfkit/audio/wavio"
)

// SpeechEntry is one file of the speech corpus, as its manifest.json lists
// it (testdata/talkoff, made by make-speech.sh).
type SpeechEntry struct {
	File       string  `json:"file"`
	Kind       string  `json:"kind"`
	Language   string  `json:"language"`
	Voice      string  `json:"voice"`
	Seconds    float64 `json:"seconds"`
	SampleRate int     `json:"sampleRate"`
	PeakDBFS   float64 `json:"peakDBFS"`
}

// Speech returns the committed speech corpus in dir (testdata/talkoff) at
// rate: 16000 Hz as committed, 8000 Hz after a 2:1 low-pass decimation, as a
// narrowband call leg carries it, or a multiple of 16000 Hz up to 192000 Hz
// (48000 for a full-band media stream, 96000 or 192000 for a studio
// recording) after a 1:L interpolation. Each Clip is named after its file.
func Speech(dir string, rate int) ([]Clip, error) {
	if rate != 8000 && (rate%16000 != 0 || rate < 16000 || rate > 192000) {
		return nil, fmt.Errorf("talkoff: speech is available at 8000 Hz or a multiple of 16000 Hz up to 192000 Hz, not %d", rate)
	}
	b, err := os.ReadFile(filepath.Join(dir, "manifest.json"))
	if err != nil {
		return nil, err
	}
	var entries []SpeechEntry
	if err := json.Unmarshal(b, &entries); err != nil {
		return nil, fmt.Errorf("talkoff: manifest: %w", err)
	}
	clips := make([]Clip, 0, len(entries))
	for _, e := range entries {
		pcm, fileRate, err := readWAV(filepath.Join(dir, e.File))
		if err != nil {
			return nil, err
		}
		if fileRate != 16000 {
			return nil, fmt.Errorf("talkoff: %s is at %d Hz, not 16000", e.File, fileRate)
		}
		switch {
		case rate == 8000:
			pcm = decimate2(pcm)
		case rate > 16000:
			pcm = interpolate(pcm, rate/16000)
		}
		clips = append(clips, Clip{Name: e.File, PCM: pcm})
	}
	return clips, nil
}

// readWAV returns the samples and rate of a WAV file.
func readWAV(name string) ([]int16, int, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, 0, err
	}
	defer f.Close()
	r, err := wavio.NewReader(f, wavio.ReaderConfig{})
	if err != nil {
		return nil, 0, fmt.Errorf("%s: %w", name, err)
	}
	pcm, err := wavio.ReadAll(r, 0)
	if err != nil {
		return nil, 0, fmt.Errorf("%s: %w", name, err)
	}
	return pcm, r.SampleRate(), nil
}

// lowPass returns a windowed-sinc low-pass filter of taps taps (odd),
// Blackman window, cutoff (−6 dB) fc cycles per sample, and its DC gain.
func lowPass(taps int, fc float64) ([]float64, float64) {
	h := make([]float64, taps)
	var sum float64
	for i := range h {
		n := float64(i - taps/2)
		w := 0.42 - 0.5*math.Cos(2*math.Pi*float64(i)/float64(taps-1)) + 0.08*math.Cos(4*math.Pi*float64(i)/float64(taps-1))
		h[i] = w * 2 * fc
		if n != 0 {
			h[i] = w * math.Sin(2*math.Pi*fc*n) / (math.Pi * n)
		}
		sum += h[i]
	}
	return h, sum
}

// interpolate multiplies the sample rate of 16 kHz audio by l: l−1 zeros
// after each sample, then a low-pass (63·l taps, one more if that is even;
// cutoff 7.7 kHz) with a gain of l. For l = 3 it is the 1:3 interpolation
// to 48 kHz the corpus has always used.
func interpolate(x []int16, l int) []int16 {
	h, sum := lowPass(63*l|1, 7700.0/float64(16000*l))
	y := make([]int16, l*len(x))
	for j := range y {
		var acc float64
		// Only every l-th input of the zero-stuffed signal is non-zero.
		for i := ((len(h)/2-j)%l + l) % l; i < len(h); i += l {
			if k := j + i - len(h)/2; k >= 0 && k < len(y) {
				acc += h[i] * float64(x[k/l])
			}
		}
		y[j] = int16(min(max(math.Round(float64(l)*acc/sum), -32768), 32767))
	}
	return y
}

// decimate2 halves the sample rate through a windowed-sinc low-pass: 63
// taps, Blackman window, cutoff (−6 dB) 3.7 kHz at 16 kHz.
func decimate2(x []int16) []int16 {
	h, sum := lowPass(63, 3700.0/16000)
	const taps = 63
	y := make([]int16, len(x)/2)
	for j := range y {
		var acc float64
		for i, c := range h {
			if k := 2*j + i - taps/2; k >= 0 && k < len(x) {
				acc += c * float64(x[k])
			}
		}
		y[j] = int16(min(max(math.Round(acc/sum), -32768), 32767))
	}
	return y
}
