package resample_test

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/dtmfkit/dtmfkit/audio/resample"
)

// The rate pairs the corpus converts (see internal/corpus) and a few more.
var ratePairs = [][2]int{
	{44100, 8000}, {44100, 16000}, {48000, 8000}, {48000, 16000},
	{22050, 8000}, {22050, 16000}, {32000, 8000}, {11025, 8000},
	{11025, 16000}, {128000, 8000}, {16000, 8000}, {8000, 16000},
	{8000, 44100},
}

func mustNew(t testing.TB, cfg resample.Config) *resample.Resampler {
	t.Helper()
	r, err := resample.New(cfg)
	require.NoError(t, err)
	return r
}

func sine(n int, freq, rate, amp float64) []float64 {
	x := make([]float64, n)
	for i := range x {
		x[i] = amp * math.Sin(2*math.Pi*freq*float64(i)/rate)
	}
	return x
}

func resampleAll(r *resample.Resampler, x []float64) []float64 {
	return r.Flush(r.Process(nil, x))
}

// fit returns the amplitude and phase of the least-squares sinusoid at freq
// over y[from:to] (sample i at time i/rate), and the RMS of what is left.
func fit(y []float64, from, to int, freq, rate float64) (amp, phase, residual float64) {
	var cc, ss, cs, yc, ys float64
	for i := from; i < to; i++ {
		w := 2 * math.Pi * freq * float64(i) / rate
		c, s := math.Cos(w), math.Sin(w)
		cc += c * c
		ss += s * s
		cs += c * s
		yc += y[i] * c
		ys += y[i] * s
	}
	det := cc*ss - cs*cs
	a := (yc*ss - ys*cs) / det // cosine weight
	b := (ys*cc - yc*cs) / det // sine weight
	var sum float64
	for i := from; i < to; i++ {
		w := 2 * math.Pi * freq * float64(i) / rate
		e := y[i] - a*math.Cos(w) - b*math.Sin(w)
		sum += e * e
	}
	return math.Hypot(a, b), math.Atan2(a, b), math.Sqrt(sum / float64(to-from))
}

func rms(y []float64) float64 {
	var s float64
	for _, v := range y {
		s += v * v
	}
	return math.Sqrt(s / float64(len(y)))
}

func db(ratio float64) float64 { return 20 * math.Log10(ratio) }

// A sine in the passband comes out at its frequency, level (±0.05 dB) and
// phase (no delay), with nothing else above −80 dB: no alias, no image.
func TestPassband(t *testing.T) {
	for _, pair := range ratePairs {
		in, out := pair[0], pair[1]
		fn := float64(min(in, out)) / 2
		for _, frac := range []float64{0.01, 0.1, 0.3, 0.5, 0.7, 0.85, 0.9} {
			freq := frac * fn
			t.Run(fmt.Sprintf("%d-%d/%.0fHz", in, out, freq), func(t *testing.T) {
				r := mustNew(t, resample.Config{InRate: in, OutRate: out})
				const amp = 0.5
				y := resampleAll(r, sine(in/4, freq, float64(in), amp)) // 250 ms
				require.Len(t, y, out/4)
				// Leave out the first and last 25 ms: the stream's edges.
				a, ph, res := fit(y, out/40, out/4-out/40, freq, float64(out))
				assert.InDelta(t, 0, db(a/amp), 0.05, "level, dB")
				assert.InDelta(t, 0, ph, 1e-3, "phase, radians (the output lags)")
				assert.Less(t, db(res/amp), -80.0, "what is not the sine, dB")
			})
		}
	}
}

// Sines above the lower Nyquist frequency are attenuated by 80 dB or more,
// from just above it to the input's own Nyquist frequency.
func TestStopband(t *testing.T) {
	for _, pair := range ratePairs {
		in, out := pair[0], pair[1]
		if out >= in {
			continue // nothing in the input lies above the lower Nyquist frequency
		}
		fn := float64(out) / 2
		freqs := []float64{fn + 1, fn * 1.02, fn * 1.1, fn * 1.5, fn * 2, fn * 3.3}
		for _, f := range freqs {
			if f >= float64(in)/2 {
				continue
			}
			t.Run(fmt.Sprintf("%d-%d/%.0fHz", in, out, f), func(t *testing.T) {
				r := mustNew(t, resample.Config{InRate: in, OutRate: out})
				const amp = 0.5
				y := resampleAll(r, sine(in/4, f, float64(in), amp))
				got := rms(y[out/40 : out/4-out/40])
				assert.Less(t, db(got/(amp/math.Sqrt2)), -80.0, "level of what got through, dB")
			})
		}
	}
}

// The output is identical, bit for bit, however the input is cut into
// chunks, and n input samples give ⌈n·OutRate/InRate⌉ output samples.
func TestChunking(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 1))
	x := make([]float64, 12011)
	for i := range x {
		x[i] = rng.Float64()*2 - 1
	}
	for _, pair := range ratePairs {
		t.Run(fmt.Sprintf("%d-%d", pair[0], pair[1]), func(t *testing.T) {
			r := mustNew(t, resample.Config{InRate: pair[0], OutRate: pair[1]})
			want := resampleAll(r, x)
			require.Len(t, want, int(r.OutputLen(int64(len(x)))))
			require.EqualValues(t, (int64(len(x))*int64(pair[1])+int64(pair[0])-1)/int64(pair[0]), len(want))

			for _, chunk := range []int{1, 7, 160, 4095, 4096, 4097, 10000} {
				var got []float64
				for i := 0; i < len(x); i += chunk {
					got = r.Process(got, x[i:min(i+chunk, len(x))])
				}
				got = r.Flush(got)
				require.Equal(t, want, got, "chunks of %d", chunk)
			}
			var got []float64
			for rest := x; len(rest) > 0; {
				n := min(rng.IntN(5000), len(rest)) // 0 included
				got = r.Process(got, rest[:n])
				rest = rest[n:]
			}
			require.Equal(t, want, r.Flush(got), "random chunks")
		})
	}
}

// Reset in the middle of a stream starts afresh: the next stream comes out
// as from a new Resampler.
func TestReset(t *testing.T) {
	x := sine(5000, 440, 44100, 0.3)
	r := mustNew(t, resample.Config{InRate: 44100, OutRate: 8000})
	want := resampleAll(r, x)
	_ = r.Process(nil, sine(3000, 1000, 44100, 0.9))
	r.Reset()
	assert.Equal(t, want, resampleAll(r, x))
}

// A constant comes out as the same constant, including at rate changes
// with many phases: each phase's coefficients sum to 1.
func TestConstant(t *testing.T) {
	for _, pair := range ratePairs {
		r := mustNew(t, resample.Config{InRate: pair[0], OutRate: pair[1]})
		x := make([]float64, 3*pair[0]/10)
		for i := range x {
			x[i] = 0.25
		}
		y := resampleAll(r, x)
		d := r.Delay()*pair[1]/pair[0] + 2 // output samples within reach of the edges
		for i := d; i < len(y)-d; i++ {
			require.InDelta(t, 0.25, y[i], 1e-12, "%d Hz to %d Hz, sample %d", pair[0], pair[1], i)
		}
	}
}

func TestOddInputs(t *testing.T) {
	r := mustNew(t, resample.Config{InRate: 44100, OutRate: 8000})
	assert.Empty(t, r.Process(nil, nil), "no input, no output")
	assert.Empty(t, r.Flush(nil), "an empty stream has no samples")

	y := resampleAll(r, []float64{1})
	require.Len(t, y, 1, "one input sample lasts one output sample")
	assert.InDelta(t, 2*3800.0/44100, y[0], 0.01, "the filter's peak: 2·fc/InRate")

	up := mustNew(t, resample.Config{InRate: 8000, OutRate: 44100})
	y = resampleAll(up, []float64{1})
	assert.Len(t, y, 6, "⌈44100/8000⌉")
	assert.InDelta(t, 2*3800.0/8000, y[0], 1e-4, "the output at the input instant: 2·fc/InRate, fc = 0.95·4000 Hz")

	// Equal rates copy.
	same := mustNew(t, resample.Config{InRate: 16000, OutRate: 16000})
	x := []float64{0.5, -1, 0.25}
	assert.Equal(t, x, resampleAll(same, x))
	assert.Equal(t, x, resampleAll(mustNew(t, resample.Config{InRate: 3, OutRate: 3}), x))

	// A short stream that Process alone cannot finish: all of it comes at
	// Flush.
	y = r.Process(nil, sine(100, 1000, 44100, 0.5))
	assert.Empty(t, y, "100 samples are within the filter's reach of the end")
	assert.Len(t, r.Flush(y), 19, "⌈100·8000/44100⌉")
}

func TestBadConfig(t *testing.T) {
	for _, tc := range []struct {
		cfg  resample.Config
		want string
	}{
		{resample.Config{}, "resample: rates 0 Hz to 0 Hz: both must be 1 to 10000000 Hz"},
		{resample.Config{InRate: 44100}, "resample: rates 44100 Hz to 0 Hz"},
		{resample.Config{InRate: -8000, OutRate: 8000}, "resample: rates -8000 Hz to 8000 Hz"},
		{resample.Config{InRate: 8000, OutRate: 20_000_000}, "both must be 1 to 10000000 Hz"},
		{resample.Config{InRate: 44100, OutRate: 8000, Passband: 0.995}, "resample: Passband 0.995 is outside 0.5 to 0.99"},
		{resample.Config{InRate: 44100, OutRate: 8000, Passband: math.NaN()}, "Passband NaN"},
		{resample.Config{InRate: 44100, OutRate: 8000, Attenuation: 30}, "resample: Attenuation 30 dB is outside 40 to 160 dB"},
		{resample.Config{InRate: 44101, OutRate: 8000}, "resample: 44101 Hz to 8000 Hz (ratio 8000/44101) needs"},
	} {
		r, err := resample.New(tc.cfg)
		assert.Nil(t, r)
		require.Error(t, err, "%+v", tc.cfg)
		assert.Contains(t, err.Error(), tc.want)
	}
}

// The other Config fields do what they say: a lower attenuation makes a
// shorter filter, a wider passband keeps a tone near the Nyquist frequency.
func TestConfig(t *testing.T) {
	def := mustNew(t, resample.Config{InRate: 44100, OutRate: 8000})
	short := mustNew(t, resample.Config{InRate: 44100, OutRate: 8000, Attenuation: 40})
	assert.Less(t, short.Delay(), def.Delay()/2)

	wide := mustNew(t, resample.Config{InRate: 44100, OutRate: 8000, Passband: 0.98})
	y := resampleAll(wide, sine(44100, 3900, 44100, 0.5))
	a, _, _ := fit(y, 400, 7600, 3900, 8000)
	assert.InDelta(t, 0, db(a/0.5), 0.05)
}

// Process and Flush allocate nothing when dst has room.
func TestAllocs(t *testing.T) {
	r := mustNew(t, resample.Config{InRate: 44100, OutRate: 8000})
	x := sine(4410, 1000, 44100, 0.5)
	dst := make([]float64, 0, 2000)
	allocs := testing.AllocsPerRun(100, func() {
		dst = r.Process(dst[:0], x)
		dst = r.Process(dst, x[:17])
		dst = r.Flush(dst)
	})
	assert.Zero(t, allocs)
}

func BenchmarkProcess(b *testing.B) {
	for _, pair := range [][2]int{{44100, 8000}, {44100, 16000}, {48000, 16000}, {22050, 8000}} {
		for _, chunk := range []int{160, 4096} {
			b.Run(fmt.Sprintf("%d-%d/chunk=%d", pair[0], pair[1], chunk), func(b *testing.B) {
				r := mustNew(b, resample.Config{InRate: pair[0], OutRate: pair[1]})
				x := sine(chunk, 1000, float64(pair[0]), 0.5)
				dst := make([]float64, 0, chunk)
				b.ReportAllocs()
				b.SetBytes(int64(8 * chunk)) // bytes of float64 input
				for b.Loop() {
					dst = r.Process(dst[:0], x)
				}
			})
		}
	}
}

func BenchmarkNew(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		_ = mustNew(b, resample.Config{InRate: 44100, OutRate: 8000})
	}
}
