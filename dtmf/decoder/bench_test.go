package decoder_test

import (
	"math/rand/v2"
	"strconv"
	"testing"
	"time"

	"github.com/dtmfkit/dtmfkit/dtmf"
	"github.com/dtmfkit/dtmfkit/dtmf/decoder"
	"github.com/dtmfkit/dtmfkit/dtmf/encoder"
	"github.com/dtmfkit/dtmfkit/internal/dtmftest"
)

// denseDTMF is a minute of keys at 50 ms on / 55 ms off, −10 dBm0: the
// signal spandsp's throughput figure is measured on.
func denseDTMF(b *testing.B, rate dtmf.SampleRate) []int16 {
	e, err := encoder.New(encoder.Config{SampleRate: rate, Tone: 50 * time.Millisecond, Gap: 55 * time.Millisecond, Ramp: encoder.NoRamp})
	if err != nil {
		b.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(1, 1))
	keys := make([]byte, 571) // 571 × 105 ms ≈ 60 s
	for i := range keys {
		keys[i] = allKeys[rng.IntN(16)]
	}
	pcm, err := e.Append(nil, string(keys))
	if err != nil {
		b.Fatal(err)
	}
	return pcm
}

func noiseOnly(rate dtmf.SampleRate, rms float64) []int16 {
	sig := dtmftest.NewSignal(rate, int64(rate)*10)
	sig.AddNoise(rand.New(rand.NewPCG(2, 2)), rms)
	return sig.Int16()
}

func benchDecode(b *testing.B, rate dtmf.SampleRate, pcm []int16) {
	benchDecodeWith(b, rate, pcm, false)
}

func benchDecodeWith(b *testing.B, rate dtmf.SampleRate, pcm []int16, explain bool) {
	d, err := decoder.New(decoder.Config{SampleRate: rate})
	if err != nil {
		b.Fatal(err)
	}
	if explain {
		n := 0
		d.SetExplain(func(decoder.Decision) { n++ })
	}
	chunk := int(rate) / 50
	dst := make([]dtmf.Event, 0, 1024)
	b.ReportAllocs()
	b.SetBytes(int64(2 * len(pcm)))
	for b.Loop() {
		dst = dst[:0]
		for i := 0; i+chunk <= len(pcm); i += chunk {
			dst = d.Decode(dst, pcm[i:i+chunk])
		}
		d.Reset()
	}
	sps := float64(len(pcm)) * float64(b.N) / b.Elapsed().Seconds()
	b.ReportMetric(sps, "samples/s")
	b.ReportMetric(sps/float64(rate), "calls/core")
}

func BenchmarkDecode(b *testing.B) {
	for _, rate := range []dtmf.SampleRate{8000, 16000, 48000, 96000, 192000} {
		r := strconv.Itoa(int(rate))
		b.Run("dtmf/rate="+r, func(b *testing.B) { benchDecode(b, rate, denseDTMF(b, rate)) })
		b.Run("silence/rate="+r, func(b *testing.B) { benchDecode(b, rate, make([]int16, int(rate)*10)) })
		b.Run("noise-20dBm0/rate="+r, func(b *testing.B) { benchDecode(b, rate, noiseOnly(rate, dtmftest.RMS(-20))) })
	}
}

// BenchmarkDecodeExplain is BenchmarkDecode at 8 and 16 kHz with
// SetExplain's hook set: the price of -explain and plot, paid only by
// those who ask (BenchmarkDecode runs without it).
func BenchmarkDecodeExplain(b *testing.B) {
	for _, rate := range []dtmf.SampleRate{8000, 16000} {
		r := strconv.Itoa(int(rate))
		b.Run("dtmf/rate="+r, func(b *testing.B) { benchDecodeWith(b, rate, denseDTMF(b, rate), true) })
		b.Run("noise-20dBm0/rate="+r, func(b *testing.B) { benchDecodeWith(b, rate, noiseOnly(rate, dtmftest.RMS(-20)), true) })
	}
}
