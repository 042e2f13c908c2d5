// Command democall writes the call make demo plots: 2.6 s of 16 kHz audio
// holding a key, then a stretch of speech whose voice passes for keys
// that the receiver refuses, then a key under noise.
//
//	go run ./internal/cmd/democall -o out/call.wav
//
// The parts:
//
//	0.30 s  key 5, 80 ms, -10 dBm0 per tone, 3 ms ramps
//	0.60 s  the last 0.85 s of testdata/talkoff/speech-cmn-f2-phrases.wav:
//	        espeak-ng Mandarin, whose voice puts two harmonics on a key's
//	        pair twice; the talk-off rules refuse both ("harmonic series")
//	1.80 s  key 8, 80 ms, -20 dBm0 per tone, in white noise at -33 dBm0
//	        from 1.6 to 2.3 s (seeded)
package main

import (
	"errors"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"

	"github.com/dtmfkit/dtmfkit/audio/wavio"
	"github.com/dtmfkit/dtmfkit/internal/dtmftest"
	"github.com/dtmfkit/dtmfkit/internal/talkoff"
)

const rate = 16000

func main() {
	out := flag.String("o", "out/call.wav", "output WAV `file`")
	flag.Parse()
	if err := run(*out); err != nil {
		fmt.Fprintln(os.Stderr, "democall:", err)
		os.Exit(1)
	}
}

// The speech, from the talk-off corpus.
const (
	speechDir  = "testdata/talkoff"
	speechFile = "speech-cmn-f2-phrases.wav"
)

func run(out string) error {
	ms := func(v float64) int64 { return int64(v * rate / 1000) }
	sig := dtmftest.NewSignal(rate, ms(2600))
	sig.AddPress(dtmftest.Press{Key: '5', LowLevel: -10, HighLevel: -10, Start: ms(300), Len: ms(80), Ramp: ms(3)})

	speech, err := speechClip(speechDir, speechFile)
	if err != nil {
		return err
	}
	// The last 0.85 s of the file.
	from, n := int64(len(speech))-ms(850), ms(850)
	if from < 0 {
		return fmt.Errorf("%s: shorter than %d samples", speechFile, n)
	}
	for i, v := range speech[from : from+n] {
		sig.X[ms(600)+int64(i)] += float64(v)
	}

	sig.AddPress(dtmftest.Press{Key: '8', LowLevel: -20, HighLevel: -20, Start: ms(1800), Len: ms(80), Ramp: ms(3)})
	noise := dtmftest.NewSignal(rate, ms(700))
	noise.AddNoise(rand.New(rand.NewPCG(1, 1)), dtmftest.RMS(-33))
	for i, v := range noise.X {
		sig.X[ms(1600)+int64(i)] += v
	}

	f, err := os.Create(out)
	if err != nil {
		return err
	}
	w, err := wavio.NewWriter(f, wavio.WriterConfig{SampleRate: rate})
	if err == nil {
		err = w.Write(sig.Int16())
	}
	if err == nil {
		err = w.Close()
	}
	return errors.Join(err, f.Close())
}

// speechClip returns the named file of the talk-off speech corpus in dir,
// at 16 kHz.
func speechClip(dir, name string) ([]int16, error) {
	clips, err := talkoff.Speech(dir, rate)
	if err != nil {
		return nil, err
	}
	for _, c := range clips {
		if c.Name == name {
			return c.PCM, nil
		}
	}
	return nil, fmt.Errorf("%s is not in %s", name, dir)
}
