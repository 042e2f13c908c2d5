package bench

import (
	"math/rand/v2"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/dtmfkit/dtmfkit/dtmf"
	"github.com/dtmfkit/dtmfkit/dtmf/encoder"
	"github.com/dtmfkit/dtmfkit/internal/talkoff"
)

// rates are the rates every throughput benchmark runs at: telephony, wideband
// and full-band media, and the studio rates of field recorders and DAWs.
var rates = []dtmf.SampleRate{8000, 16000, 48000, 96000, 192000}

// signals are built once per rate and shared by the benchmarks that read
// them; building them is not what is measured.
var signals sync.Map // signalKey → []int16

// speechClips holds the speech corpus at each rate: dtmf.SampleRate →
// []talkoff.Clip.
var speechClips sync.Map

type signalKey struct {
	name string
	rate dtmf.SampleRate
}

// signal returns the named signal at rate, building it on first use.
func signal(b *testing.B, name string, rate dtmf.SampleRate) []int16 {
	b.Helper()
	k := signalKey{name, rate}
	if v, ok := signals.Load(k); ok {
		return v.([]int16)
	}
	var pcm []int16
	switch name {
	case "dtmf":
		pcm = denseDTMF(b, rate)
	case "speech":
		pcm = speech(b, rate, 0)
	case "call":
		pcm = speech(b, rate, time.Second)
	case "silence":
		pcm = make([]int16, 60*int(rate))
	default:
		b.Fatalf("no signal %q", name)
	}
	signals.Store(k, pcm)
	return pcm
}

// denseDTMF is a minute of random keys at 50 ms on, 55 ms off, −10 dBm0
// per tone: the signal spandsp's throughput figure is measured on.
func denseDTMF(b *testing.B, rate dtmf.SampleRate) []int16 {
	e, err := encoder.New(encoder.Config{SampleRate: rate, Tone: 50 * time.Millisecond, Gap: 55 * time.Millisecond})
	if err != nil {
		b.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(1, 1))
	keys := make([]byte, 571) // 571 × 105 ms ≈ 60 s
	for i := range keys {
		keys[i] = byte(dtmf.Digits[rng.IntN(len(dtmf.Digits))])
	}
	pcm, err := e.Append(nil, string(keys))
	if err != nil {
		b.Fatal(err)
	}
	return pcm
}

// speech is the talk-off corpus's speech (28 clips in several languages
// and voices) back to back for a minute, with pause of silence after each
// clip: none for "speech", a second for "call", where talk and silence
// alternate as they do on a call leg.
func speech(b *testing.B, rate dtmf.SampleRate, pause time.Duration) []int16 {
	v, ok := speechClips.Load(rate)
	if !ok {
		// Seconds to make at 192 kHz: made once for "speech" and "call".
		clips, err := talkoff.Speech(filepath.Join("..", "testdata", "talkoff"), int(rate))
		if err != nil {
			b.Fatal(err)
		}
		v, _ = speechClips.LoadOrStore(rate, clips)
	}
	clips := v.([]talkoff.Clip)
	n := 60 * int(rate)
	gap := make([]int16, rate.N(pause))
	pcm := make([]int16, 0, n+len(gap))
	for len(pcm) < n {
		for _, c := range clips {
			pcm = append(pcm, c.PCM...)
			pcm = append(pcm, gap...)
		}
	}
	return pcm[:n]
}
