package decoder_test

import (
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"testing"
	"time"

	"github.com/dtmfkit/dtmfkit/dtmf"
	"github.com/dtmfkit/dtmfkit/dtmf/decoder"
	"github.com/dtmfkit/dtmfkit/internal/dtmftest"
	"github.com/dtmfkit/dtmfkit/internal/talkoff"
)

// TestEventDump writes every event the decoder finds in a fixed set of
// signals to the file named by $EVENT_DUMP, and is skipped without it. It
// is for changes that must not change what the decoder finds (most
// optimisations): dump before and after, and diff.
//
//	EVENT_DUMP=/tmp/before.txt go test ./dtmf/decoder -run EventDump
//
// The signals: 30 s of random keys (30-130 ms on, 30-110 ms off, −4 to
// −30 dBm0, twist and frequency offsets within the accepted ranges, ramps
// up to 5 ms) clean and at 20 and 12 dB SNR, at five rates, under the
// default profile and a strict one with long MinOn and MinOff; and the
// talk-off corpus at 8 and 16 kHz.
func TestEventDump(t *testing.T) {
	path := os.Getenv("EVENT_DUMP")
	if path == "" {
		t.Skip("set EVENT_DUMP to a file name to write the dump")
	}
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	for _, rate := range []dtmf.SampleRate{8000, 11025, 16000, 44100, 48000} {
		for _, snr := range []float64{99, 20, 12} {
			pcm := randomPresses(rate, snr)
			name := fmt.Sprintf("keys at %v dB SNR", snr)
			dumpEvents(t, f, name, decoder.Config{SampleRate: rate}, pcm)
			dumpEvents(t, f, name, decoder.Config{SampleRate: rate, Profile: decoder.Strict,
				MinOn: 60 * time.Millisecond, MinOff: 35 * time.Millisecond}, pcm)
		}
	}
	for _, rate := range []int{8000, 16000} {
		clips, err := talkoff.Speech("../../testdata/talkoff", rate)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range append(clips, talkoff.Clips(rate)...) {
			dumpEvents(t, f, c.Name, decoder.Config{SampleRate: dtmf.SampleRate(rate)}, c.PCM)
		}
	}
}

// randomPresses renders 30 s of random presses (seeded by rate and snr).
func randomPresses(rate dtmf.SampleRate, snr float64) []int16 {
	rng := rand.New(rand.NewPCG(uint64(rate), uint64(snr)))
	n := int64(rate) * 30
	sig := dtmftest.NewSignal(rate, n)
	for pos := int64(rate) / 10; pos < n-int64(rate)/4; {
		lvl := -4 - rng.Float64()*26
		l := int64(float64(rate) * (0.03 + rng.Float64()*0.1))
		sig.AddPress(dtmftest.Press{Key: dtmf.Digits[rng.IntN(16)], LowLevel: lvl, HighLevel: lvl + rng.Float64()*12 - 6,
			LowDev: (rng.Float64() - 0.5) * 0.03, HighDev: (rng.Float64() - 0.5) * 0.03,
			Start: pos, Len: l, Ramp: int64(rng.IntN(int(rate) / 200)), Phase: rng.Float64() * 6})
		pos += l + int64(float64(rate)*(0.03+rng.Float64()*0.08))
	}
	if snr < 99 {
		sig.AddNoise(rng, dtmftest.RMS(-20-snr))
	}
	return sig.Int16()
}

func dumpEvents(t *testing.T, w io.Writer, name string, cfg decoder.Config, pcm []int16) {
	d, err := decoder.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	var events []dtmf.Event
	for i := 0; i < len(pcm); i += 160 {
		events = d.Decode(events, pcm[i:min(i+160, len(pcm))])
	}
	events = d.Flush(events)
	fmt.Fprintf(w, "== %s %+v: %d events\n", name, cfg, len(events))
	for _, e := range events {
		fmt.Fprintf(w, "%v\n", e)
	}
}
