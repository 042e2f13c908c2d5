package decoder_test

import (
	"fmt"
	"math/rand/v2"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/dtmfkit/dtmfkit/dtmf"
	"github.com/dtmfkit/dtmfkit/dtmf/decoder"
	"github.com/dtmfkit/dtmfkit/internal/dtmftest"
)

// concurrencyRates are the rates the concurrency tests mix: the common
// telephony, audio and studio rates, direct and decimated.
var concurrencyRates = []dtmf.SampleRate{8000, 11025, 16000, 22050, 32000, 44100, 48000, 96000, 192000}

// shortKeys returns 250 ms of audio at rate holding keys (at most three),
// 60 ms each with 30 ms gaps from 10 ms in, at levels and a noise floor
// that vary with seed: short, so that thousands of decoders run fast.
func shortKeys(rate dtmf.SampleRate, keys string, seed uint64) []int16 {
	rng := rand.New(rand.NewPCG(seed, 6))
	at := func(ms int64) int64 { return rate.N(time.Duration(ms) * time.Millisecond) }
	sig := dtmftest.NewSignal(rate, at(250))
	for i, c := range keys {
		level := -5 - 25*rng.Float64()
		sig.AddPress(dtmftest.Press{Key: dtmf.Digit(c), LowLevel: level, HighLevel: level + 4*rng.Float64() - 2,
			Start: at(10 + 90*int64(i)), Len: at(60), Ramp: at(2), Phase: 6 * rng.Float64()})
	}
	sig.AddNoise(rng, dtmftest.RMS(-50))
	return sig.Int16()
}

// TestParallelDecodersMatchSerial runs 2,000 decoders at once, each in its
// own goroutine, over signals they share (read only) at a mix of rates,
// each in its own random chunking, twice (the second time after Flush
// reset it): every one must find exactly the events one decoder finds over
// the same signal alone. Under -race this also checks that decoders share
// no mutable state.
func TestParallelDecodersMatchSerial(t *testing.T) {
	dtmftest.CheckGoroutines(t)
	const decoders = 2000
	type signal struct {
		rate dtmf.SampleRate
		keys string
		pcm  []int16
		want []dtmf.Event
	}
	var signals []signal
	for i, rate := range concurrencyRates {
		for j, keys := range []string{"1", "#5", "D*0", ""} {
			seed := uint64(10*i + j)
			s := signal{rate: rate, keys: keys, pcm: shortKeys(rate, keys, seed)}
			d, err := decoder.New(decoder.Config{SampleRate: rate})
			require.NoError(t, err)
			s.want = d.Flush(d.Decode(nil, s.pcm))
			require.Equal(t, keys, dtmftest.Keys(s.want), "%q at %v, decoded alone", keys, rate)
			dtmftest.CheckEvents(t, s.want, int64(len(s.pcm)))
			signals = append(signals, s)
		}
	}

	got := make([][2][]dtmf.Event, decoders)
	start := make(chan struct{})
	var wg sync.WaitGroup
	for g := range decoders {
		s := signals[g%len(signals)]
		d, err := decoder.New(decoder.Config{SampleRate: s.rate})
		require.NoError(t, err)
		wg.Add(1)
		go func() {
			defer wg.Done()
			rng := rand.New(rand.NewPCG(uint64(g), 1))
			<-start
			for run := range got[g] { // chunks of 0 to 499 samples
				got[g][run] = decodeWith(t, d, s.pcm, func() int { return rng.IntN(500) })
			}
		}()
	}
	close(start)
	wg.Wait()

	for g := range decoders {
		s := signals[g%len(signals)]
		for run, ev := range got[g] {
			if !assert.Equal(t, s.want, ev, "decoder %d (%q at %v), run %d", g, s.keys, s.rate, run) {
				return
			}
		}
	}
}

// TestParallelDecodersIndependent interleaves decoders of different rates
// in one goroutine, chunk by chunk: what one decoder is fed must not change
// what another finds.
func TestParallelDecodersIndependent(t *testing.T) {
	type stream struct {
		d    *decoder.Decoder
		pcm  []int16
		want []dtmf.Event
		got  []dtmf.Event
	}
	var streams []*stream
	for i, rate := range concurrencyRates {
		keys := []string{"159#", "2A", "*", "0D", "73", "B", "6C", "48", "9#"}[i]
		pcm := append(shortKeys(rate, keys[:min(3, len(keys))], uint64(i)), shortKeys(rate, keys[min(3, len(keys)):], uint64(i+50))...)
		d, err := decoder.New(decoder.Config{SampleRate: rate})
		require.NoError(t, err)
		want := d.Flush(d.Decode(nil, pcm))
		require.Equal(t, keys, dtmftest.Keys(want), "rate %v", rate)
		streams = append(streams, &stream{d: d, pcm: pcm, want: want})
	}
	rng := rand.New(rand.NewPCG(1, 1))
	for live := len(streams); live > 0; {
		live = 0
		for _, s := range streams {
			if len(s.pcm) == 0 {
				continue
			}
			n := min(len(s.pcm), rng.IntN(300))
			s.got = s.d.Decode(s.got, s.pcm[:n])
			s.pcm = s.pcm[n:]
			live++
		}
	}
	for i, s := range streams {
		assert.Equal(t, s.want, s.d.Flush(s.got), fmt.Sprint("rate ", concurrencyRates[i]))
	}
}
