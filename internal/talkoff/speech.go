package talkoff

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
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
// narrowband call leg carries it, or 48000 Hz after a 1:3 interpolation, as
// a full-band media stream carries it. Each Clip is named after its file.
func Speech(dir string, rate int) ([]Clip, error) {
	if rate != 16000 && rate != 8000 && rate != 48000 {
		return nil, fmt.Errorf("talkoff: speech is available at 8000, 16000 or 48000 Hz, not %d", rate)
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
		switch rate {
		case 8000:
			pcm = decimate2(pcm)
		case 48000:
			pcm = interpolate3(pcm)
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
	var pcm []int16
	buf := make([]int16, 4096)
	for {
		n, err := r.Read(buf)
		pcm = append(pcm, buf[:n]...)
		if errors.Is(err, io.EOF) {
			return pcm, r.SampleRate(), nil
		}
		if err != nil {
			return nil, 0, fmt.Errorf("%s: %w", name, err)
		}
	}
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

// interpolate3 triples the sample rate: zeros between the samples, then a
// low-pass (189 taps, cutoff 7.7 kHz at 48 kHz) with a gain of 3.
func interpolate3(x []int16) []int16 {
	h, sum := lowPass(189, 7700.0/48000)
	y := make([]int16, 3*len(x))
	for j := range y {
		var acc float64
		// Only every third input of the zero-stuffed signal is non-zero.
		for i := ((len(h)/2-j)%3 + 3) % 3; i < len(h); i += 3 {
			if k := j + i - len(h)/2; k >= 0 && k < len(y) {
				acc += h[i] * float64(x[k/3])
			}
		}
		y[j] = int16(min(max(math.Round(3*acc/sum), -32768), 32767))
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
