package decoder_test

import (
	"fmt"
	"math"
	"math/rand/v2"
	"runtime"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/dtmfkit/dtmfkit/dtmf"
	"github.com/dtmfkit/dtmfkit/dtmf/decoder"
	"github.com/dtmfkit/dtmfkit/dtmf/encoder"
	"github.com/dtmfkit/dtmfkit/internal/dtmftest"
)

// busySignal is a few keys with noise, a dropout and a key running to the
// end of the stream: every path of the decoder in a short signal.
func busySignal(rate dtmf.SampleRate, seed uint64) []int16 {
	rng := rand.New(rand.NewPCG(seed, seed))
	sig := dtmftest.NewSignal(rate, ms(rate, 900))
	pos := ms(rate, 17)
	for i, c := range "1*9D5" {
		n := ms(rate, 45+float64(i)*20)
		sig.AddPress(dtmftest.Press{Key: dtmf.Digit(c), LowLevel: -12, HighLevel: -9, Start: pos, Len: n, Ramp: ms(rate, 2), Phase: rng.Float64() * 6})
		pos += n + ms(rate, 45)
	}
	sig.Gate(ms(rate, 300), ms(rate, 6))
	sig.AddPress(dtmftest.Press{Key: dtmf.Digit0, LowLevel: -10, HighLevel: -10, Start: pos, Len: int64(len(sig.X)) - pos})
	sig.AddNoise(rng, 150)
	return sig.Int16()
}

func decodeWith(t *testing.T, d *decoder.Decoder, pcm []int16, next func() int) []dtmf.Event {
	t.Helper()
	var ev []dtmf.Event
	for rest := pcm; len(rest) > 0; {
		n := min(next(), len(rest))
		ev = d.Decode(ev, rest[:n])
		rest = rest[n:]
	}
	return d.Flush(ev)
}

func TestEventsIndependentOfChunking(t *testing.T) {
	for _, rate := range []dtmf.SampleRate{8000, 16000, 44100, 48000, 88200, 192000} {
		pcm := busySignal(rate, uint64(rate))
		d, err := decoder.New(decoder.Config{SampleRate: rate})
		require.NoError(t, err)
		want := decodeWith(t, d, pcm, func() int { return len(pcm) })
		require.Equal(t, "1*9D50", dtmftest.Keys(want), "rate %v", rate)
		dtmftest.CheckEvents(t, want, int64(len(pcm)))

		rng := rand.New(rand.NewPCG(1, 1))
		for _, size := range []int{1, 7, 160, 205, 320, 441, 0} {
			next := func() int { return size }
			if size == 0 {
				next = func() int { return rng.IntN(700) } // includes empty chunks
			}
			assert.Equal(t, want, decodeWith(t, d, pcm, next), "rate %v, chunks of %d", rate, size)
		}
	}
}

func TestFloat32MatchesInt16(t *testing.T) {
	for _, rate := range []dtmf.SampleRate{8000, 22050, 48000, 96000, 192000} {
		pcm := busySignal(rate, 3)
		f := make([]float32, len(pcm))
		for i, v := range pcm {
			f[i] = float32(v) / 32768
		}
		d, err := decoder.New(decoder.Config{SampleRate: rate})
		require.NoError(t, err)
		want := d.Flush(d.Decode(nil, pcm))
		got := d.Flush(d.DecodeFloat32(nil, f))
		assert.Equal(t, want, got, "rate %v", rate)
	}
}

func TestFloat32ToleratesNaNAndInfinity(t *testing.T) {
	d, err := decoder.New(decoder.Config{SampleRate: 16000})
	require.NoError(t, err)
	f := []float32{float32(math.NaN()), float32(math.Inf(1)), float32(math.Inf(-1)), 1e30, -1e30}
	for range 2000 {
		assert.Empty(t, d.DecodeFloat32(nil, f))
	}
	dtmftest.CheckEvents(t, d.Flush(nil), d.Pos())
}

func TestResetAndFlushReuse(t *testing.T) {
	pcm := busySignal(8000, 5)
	d, err := decoder.New(decoder.Config{})
	require.NoError(t, err)
	first := d.Flush(d.Decode(nil, pcm))
	// Flush leaves the decoder ready for a new stream.
	assert.Zero(t, d.Pos())
	assert.Equal(t, first, d.Flush(d.Decode(nil, pcm)))
	// Reset abandons a stream midway.
	d.Decode(nil, pcm[:len(pcm)/2])
	d.Reset()
	assert.Equal(t, first, d.Flush(d.Decode(nil, pcm)))
}

func TestFlushEndsAKeyAtTheEndOfTheStream(t *testing.T) {
	rate := dtmf.SampleRate(8000)
	sig := dtmftest.NewSignal(rate, 800)
	sig.AddPress(dtmftest.Press{Key: dtmf.Digit7, LowLevel: -10, HighLevel: -10, Start: 200, Len: 600})
	d, err := decoder.New(decoder.Config{})
	require.NoError(t, err)
	ev := d.Decode(nil, sig.Int16())
	require.Len(t, ev, 1, "confirmed while sounding")
	assert.Equal(t, dtmf.KeyDown, ev[0].Kind)
	ev = d.Flush(ev)
	require.Len(t, ev, 2)
	up := ev[1]
	assert.Equal(t, dtmf.KeyUp, up.Kind)
	assert.EqualValues(t, 800, up.End, "ends with the stream")
	assert.InDelta(t, 200, up.Start, 8, "onset within 1 ms")
	dtmftest.CheckEvents(t, ev, 800)
}

func TestKeyDownComesBeforeTheEnd(t *testing.T) {
	// A KeyDown arrives while the key is still sounding: a caller can act
	// on a long press before it is released.
	rate := dtmf.SampleRate(16000)
	sig := dtmftest.NewSignal(rate, ms(rate, 1500))
	sig.AddPress(dtmftest.Press{Key: dtmf.DigitPound, LowLevel: -10, HighLevel: -10, Start: ms(rate, 100), Len: ms(rate, 1000), Ramp: ms(rate, 3)})
	pcm := sig.Int16()
	d, err := decoder.New(decoder.Config{SampleRate: rate})
	require.NoError(t, err)
	var at int
	var ev []dtmf.Event
	for i := 0; i < len(pcm) && len(ev) == 0; i += 320 {
		ev = d.Decode(ev, pcm[i:i+320])
		at = i + 320
	}
	require.Len(t, ev, 1)
	assert.Equal(t, dtmf.KeyDown, ev[0].Kind)
	assert.Less(t, rate.Millis(ev[0].Detected), 140.0, "known within 40 ms of the onset")
	// Detected is the stream position at which the key became certain:
	// inside the last chunk fed, at a 5 ms block boundary.
	assert.Greater(t, ev[0].Detected, int64(at-320))
	assert.LessOrEqual(t, ev[0].Detected, int64(at))
	assert.Zero(t, ev[0].Detected%ms(rate, 5))
}

func TestEventPositionsAtEveryRate(t *testing.T) {
	// Onsets and ends within 3 ms of the truth (the nominal start and end of
	// a tone with 3 ms ramps) at every rate, decimated or not.
	for _, rate := range allRates {
		rng := rand.New(rand.NewPCG(uint64(rate), 9))
		s := sequence{rate: rate, keys: allKeys, on: 70, off: 50, low: -10, high: -10, rampMs: 3, leadJitter: true}
		sig, starts := s.render(rng)
		ups := dtmftest.Ups(decode(t, decoder.Config{SampleRate: rate}, sig.Int16(), rng))
		require.Len(t, ups, 16, "rate %v", rate)
		for i, e := range ups {
			assert.InDelta(t, 0, rate.Millis(e.Start-starts[i]), 3, "onset of %v at %v", e.Digit, rate)
			assert.InDelta(t, 0, rate.Millis(e.End-starts[i]-ms(rate, 70)), 3, "end of %v at %v", e.Digit, rate)
		}
	}
}

func TestDecodeAllocatesNothing(t *testing.T) {
	// 8 kHz, and 16 and 48 kHz, whose input stage has loops of its own.
	for _, rate := range []dtmf.SampleRate{8000, 16000, 48000, 192000} {
		pcm := busySignal(rate, 4)
		d, err := decoder.New(decoder.Config{SampleRate: rate})
		require.NoError(t, err)
		dst := make([]dtmf.Event, 0, 64)
		chunk := int(rate) / 50 // 20 ms
		allocs := testing.AllocsPerRun(20, func() {
			dst = dst[:0]
			for i := 0; i+chunk <= len(pcm); i += chunk {
				dst = d.Decode(dst, pcm[i:i+chunk])
			}
			dst = d.Flush(dst)
		})
		assert.Zero(t, allocs, "rate %v", rate)
	}
}

func TestStateUnder2KiB(t *testing.T) {
	// Measured as the heap holds it, allocator size classes included, so
	// that 100,000 calls fit in 200 MB.
	const n = 10000
	ds := make([]*decoder.Decoder, n)
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	for i := range ds {
		var err error
		ds[i], err = decoder.New(decoder.Config{})
		require.NoError(t, err)
	}
	runtime.GC()
	runtime.ReadMemStats(&after)
	per := float64(after.HeapAlloc-before.HeapAlloc) / n
	t.Logf("%.0f bytes per decoder at 8 kHz", per)
	assert.Less(t, per, 2048.0)
	runtime.KeepAlive(ds)
}

func TestConfigDefaults(t *testing.T) {
	d, err := decoder.New(decoder.Config{})
	require.NoError(t, err)
	assert.Equal(t, decoder.Config{SampleRate: 8000, Profile: decoder.Default, MinLevel: -47, MaxNormalTwist: 8,
		MaxReverseTwist: 8, MaxDeviation: 0.02, MinOn: 25 * time.Millisecond, MinOff: 20 * time.Millisecond}, d.Config())
	d, err = decoder.New(decoder.Config{Profile: decoder.Strict})
	require.NoError(t, err)
	assert.Equal(t, 4.0, d.Config().MaxReverseTwist)
	assert.Equal(t, 8.0, d.Config().MaxNormalTwist)
	assert.Equal(t, "strict", decoder.Strict.String())
	assert.Equal(t, "default", decoder.Default.String())
}

func TestConfigErrors(t *testing.T) {
	tests := []struct {
		cfg  decoder.Config
		want string
	}{
		{decoder.Config{SampleRate: 7999}, "decoder: sample rate 7999 Hz is outside 8000-192000 Hz"},
		{decoder.Config{SampleRate: 192001}, "decoder: sample rate 192001 Hz is outside 8000-192000 Hz"},
		{decoder.Config{Profile: 7}, "decoder: unknown profile Profile(7)"},
		{decoder.Config{MinLevel: -80}, "minimum level -80.0 dBm0 is outside -70 to -10 dBm0"},
		{decoder.Config{MinLevel: math.NaN()}, "minimum level NaN dBm0"},
		{decoder.Config{MaxNormalTwist: 25}, "normal twist limit 25.0 dB is outside 0-20 dB"},
		{decoder.Config{MaxReverseTwist: -1}, "reverse twist limit -1.0 dB is outside 0-20 dB"},
		{decoder.Config{MaxDeviation: 0.05}, "frequency deviation 0.0500 is outside 0.01-0.035"},
		{decoder.Config{MinOn: 10 * time.Millisecond}, "minimum tone time 10ms is outside 25ms-1s"},
		{decoder.Config{MinOff: 2 * time.Second}, "minimum pause 2s is outside 15ms-1s"},
	}
	for _, tt := range tests {
		_, err := decoder.New(tt.cfg)
		require.Error(t, err, "%+v", tt.cfg)
		assert.Contains(t, err.Error(), tt.want)
	}
}

func TestLongerMinOnAndMinOff(t *testing.T) {
	// A receiver tuned for slow signalling: 60 ms tones, 80 ms pauses.
	rate := dtmf.SampleRate(8000)
	cfg := decoder.Config{MinOn: 60 * time.Millisecond, MinOff: 60 * time.Millisecond}
	rng := rand.New(rand.NewPCG(11, 11))
	long := sequence{rate: rate, keys: "1122", on: 80, off: 80, low: -10, high: -10, rampMs: 3, leadJitter: true}
	sig, _ := long.render(rng)
	ev := decode(t, cfg, sig.Int16(), rng)
	assert.Equal(t, "1122", dtmftest.Keys(ev))
	for _, e := range dtmftest.Ups(ev) {
		assert.GreaterOrEqual(t, rate.Millis(e.Detected-e.Start), 60.0)
	}
	short := sequence{rate: rate, keys: "12", on: 50, off: 80, low: -10, high: -10, rampMs: 3}
	sig, _ = short.render(rng)
	assert.Empty(t, dtmftest.Keys(decode(t, cfg, sig.Int16(), rng)), "50 ms tones are below MinOn")
	bridged := sequence{rate: rate, keys: "11", on: 80, off: 40, low: -10, high: -10, rampMs: 3}
	sig, _ = bridged.render(rng)
	assert.Equal(t, "1", dtmftest.Keys(decode(t, cfg, sig.Int16(), rng)), "a 40 ms pause is bridged")
}

func TestEncoderRoundTripAtEveryRate(t *testing.T) {
	for _, rate := range allRates {
		e, err := encoder.New(encoder.Config{SampleRate: rate, Tone: 40 * time.Millisecond, Gap: 40 * time.Millisecond, Lead: 3 * time.Millisecond})
		require.NoError(t, err)
		pcm, err := e.Append(nil, "0123456789*#ABCD")
		require.NoError(t, err)
		d, err := decoder.New(decoder.Config{SampleRate: rate})
		require.NoError(t, err)
		ev := d.Flush(d.Decode(nil, pcm))
		assert.Equal(t, "0123456789*#ABCD", dtmftest.Keys(ev), "rate %v", rate)
	}
}

func ExampleDecoder_Decode() {
	// Render "159#" with the encoder and decode it back in 20 ms pieces, as
	// a media stream delivers it.
	enc, err := encoder.New(encoder.Config{SampleRate: 16000})
	if err != nil {
		fmt.Println(err)
		return
	}
	pcm, err := enc.Append(nil, "159#")
	if err != nil {
		fmt.Println(err)
		return
	}
	dec, err := decoder.New(decoder.Config{SampleRate: 16000})
	if err != nil {
		fmt.Println(err)
		return
	}
	var events []dtmf.Event
	for i := 0; i < len(pcm); i += 320 {
		events = dec.Decode(events, pcm[i:min(i+320, len(pcm))])
	}
	events = dec.Flush(events)
	rate := dtmf.SampleRate(16000)
	for _, e := range events {
		if e.Kind == dtmf.KeyUp {
			fmt.Printf("%v from %.1f to %.1f ms, known at %.1f ms\n", e.Digit, rate.Millis(e.Start), rate.Millis(e.End), rate.Millis(e.Detected))
		}
	}
	// The tones are 100 ms long with 3 ms ramps: onsets and ends are placed
	// at the ramps' half-amplitude points, 1.5 ms inside.
	// Output:
	// 1 from 1.7 to 98.1 ms, known at 30.0 ms
	// 5 from 201.7 to 298.7 ms, known at 230.0 ms
	// 9 from 401.6 to 498.8 ms, known at 430.0 ms
	// # from 601.6 to 698.7 ms, known at 630.0 ms
}
