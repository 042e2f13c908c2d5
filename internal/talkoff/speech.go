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
// rate: 16000 Hz as committed, or 8000 Hz after a 2:1 low-pass decimation,
// as a narrowband call leg carries it. Each Clip is named after its file.
func Speech(dir string, rate int) ([]Clip, error) {
	if rate != 16000 && rate != 8000 {
		return nil, fmt.Errorf("talkoff: speech is available at 16000 or 8000 Hz, not %d", rate)
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
		if rate == 8000 {
			pcm = decimate2(pcm)
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

// decimate2 halves the sample rate through a windowed-sinc low-pass: 63
// taps, Blackman window, cutoff (−6 dB) 3.7 kHz at 16 kHz.
func decimate2(x []int16) []int16 {
	const taps = 63
	const fc = 3700.0 / 16000
	var h [taps]float64
	var sum float64
	for i := range h {
		n := float64(i - taps/2)
		w := 0.42 - 0.5*math.Cos(2*math.Pi*float64(i)/(taps-1)) + 0.08*math.Cos(4*math.Pi*float64(i)/(taps-1))
		h[i] = w * 2 * fc
		if n != 0 {
			h[i] = w * math.Sin(2*math.Pi*fc*n) / (math.Pi * n)
		}
		sum += h[i]
	}
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
