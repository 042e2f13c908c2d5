package goertzel_test

import (
	"math"
	"math/cmplx"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gonum.org/v1/gonum/dsp/fourier"

	"github.com/dtmfkit/dtmfkit/dsp/goertzel"
)

// Tolerances, relative to the block's DFT magnitude or the sine's power.
const (
	// dftTol bounds the difference between the Goertzel recurrence and a
	// direct DFT sum: float64 rounding over a few thousand samples.
	dftTol = 1e-9
	// imageTol bounds the error of the power scale for a sine that does
	// not fill a whole number of half periods: 1/(N·|sin ω|), see doc.go.
	imageTolFactor = 1.0
)

func noise(n int, seed uint64) []float64 {
	rng := rand.New(rand.NewPCG(seed, seed))
	x := make([]float64, n)
	for i := range x {
		x[i] = rng.NormFloat64() * 1000
	}
	return x
}

func sine(n int, amp, freq, rate, phase float64) []float64 {
	x := make([]float64, n)
	for i := range x {
		x[i] = amp * math.Cos(2*math.Pi*freq*float64(i)/rate+phase)
	}
	return x
}

// directDFT is the textbook sum Σ x[n]·e^(−jωn), the reference for any ω.
func directDFT(x []float64, freq, rate float64) complex128 {
	var sum complex128
	for n, v := range x {
		sum += complex(v, 0) * cmplx.Rect(1, -2*math.Pi*freq/rate*float64(n))
	}
	return sum
}

func TestFilterMatchesGonumFFTAtBinCentres(t *testing.T) {
	// gonum's FFT (fourier.FFT.Coefficients) is the reference at bin centres.
	for _, n := range []int{64, 102, 205, 320} {
		x := noise(n, uint64(n))
		coeffs := fourier.NewFFT(n).Coefficients(nil, x)
		const rate = 8000.0
		for k := 1; k < n/2; k += 7 {
			freq := float64(k) * rate / float64(n)
			f := goertzel.New(freq, rate)
			f.Update(x)
			want := coeffs[k]
			got := f.DFT()
			assert.InDelta(t, 0, cmplx.Abs(got-want)/cmplx.Abs(want), dftTol, "n=%d k=%d", n, k)
			wantPower := 2 * real(want*cmplx.Conj(want)) / float64(n*n)
			assert.InEpsilon(t, wantPower, f.Power(), dftTol, "n=%d k=%d", n, k)
		}
	}
}

func TestFilterMatchesDirectDFTOffBin(t *testing.T) {
	// The Q.23 frequencies at the rates dtmfkit supports fall on no bin.
	tests := []struct {
		freq, rate float64
		n          int
	}{
		{697, 8000, 102},
		{941, 8000, 205},
		{1209, 11025, 160},
		{1633, 16000, 320},
		{1477, 44100, 882},
		{852, 48000, 960},
		{941, 96000, 1920},
		{1633, 192000, 960},
		{0, 8000, 100},
		{4000, 8000, 100},
	}
	for _, tt := range tests {
		x := noise(tt.n, uint64(tt.n)+uint64(tt.freq))
		f := goertzel.New(tt.freq, tt.rate)
		f.Update(x)
		want := directDFT(x, tt.freq, tt.rate)
		assert.InDelta(t, 0, cmplx.Abs(f.DFT()-want)/cmplx.Abs(want), dftTol, "%+v", tt)
		assert.InEpsilon(t, 2*math.Pow(cmplx.Abs(want), 2)/float64(tt.n*tt.n), f.Power(), dftTol, "%+v", tt)
		assert.InEpsilon(t, f.Power(), goertzel.Power(x, tt.freq, tt.rate), 1e-15, "one-shot %+v", tt)
	}
}

func TestPowerScaleIndependentOfLengthAndRate(t *testing.T) {
	const amp = 10000.0
	for _, rate := range []float64{8000, 11025, 16000, 22050, 24000, 32000, 44100, 48000, 88200, 96000, 176400, 192000} {
		for _, ms := range []float64{5, 10, 12.75, 20, 40, 100} {
			n := int(math.Round(ms * rate / 1000))
			for _, freq := range []float64{697, 1209, 1633} {
				x := sine(n, amp, freq, rate, 0.3)
				f := goertzel.New(freq, rate)
				f.Update(x)
				sinw := math.Abs(math.Sin(2 * math.Pi * freq / rate))
				bound := imageTolFactor / (float64(n) * sinw)
				assert.InDelta(t, amp, f.Amplitude(), amp*bound,
					"rate=%v ms=%v freq=%v", rate, ms, freq)
			}
		}
	}
}

func TestPowerExactOnWholeHalfPeriods(t *testing.T) {
	// 1000 Hz at 8000 Hz: 4 samples per half period; 100 samples hold 25.
	x := sine(100, 3000, 1000, 8000, 1.1)
	assert.InEpsilon(t, 3000.0*3000/2, goertzel.Power(x, 1000, 8000), 1e-12)
}

func TestUpdateChunkingInvariant(t *testing.T) {
	x := noise(1000, 7)
	whole := goertzel.New(770, 8000)
	whole.Update(x)
	rng := rand.New(rand.NewPCG(1, 1))
	for _, chunk := range []int{1, 7, 160, 205, 0} {
		f := goertzel.New(770, 8000)
		for rest := x; len(rest) > 0; {
			n := chunk
			if n == 0 {
				n = rng.IntN(50)
			}
			n = min(n, len(rest))
			f.Update(rest[:n])
			rest = rest[n:]
		}
		require.Equal(t, whole.Len(), f.Len())
		assert.Equal(t, whole.Power(), f.Power(), "chunk=%d", chunk)
		assert.Equal(t, whole.DFT(), f.DFT(), "chunk=%d", chunk)
	}
}

func TestReset(t *testing.T) {
	f := goertzel.New(1336, 8000)
	f.Update(noise(300, 3))
	f.Reset()
	assert.Zero(t, f.Len())
	assert.Zero(t, f.Power())
	assert.Zero(t, f.DFT())
	x := sine(160, 500, 1336, 8000, 0)
	f.Update(x)
	assert.Equal(t, goertzel.Power(x, 1336, 8000), f.Power())
	assert.Equal(t, 1336.0, f.Freq())
	assert.Equal(t, 8000.0, f.SampleRate())
}

func TestSeparatesNeighbouringFrequencies(t *testing.T) {
	// A 697 Hz tone read by a 770 Hz filter over 40 ms (well past the
	// main lobe, whose first null is 25 Hz away) is at least 20 dB down.
	x := sine(320, 10000, 697, 8000, 0)
	on := goertzel.Power(x, 697, 8000)
	off := goertzel.Power(x, 770, 8000)
	assert.Less(t, 10*math.Log10(off/on), -20.0)
}

func TestNewPanicsOnInvalidArguments(t *testing.T) {
	for _, args := range [][2]float64{
		{1000, 0}, {1000, -8000}, {1000, math.NaN()}, {1000, math.Inf(1)},
		{-1, 8000}, {4001, 8000}, {math.NaN(), 8000},
	} {
		assert.Panics(t, func() { goertzel.New(args[0], args[1]) }, "%v", args)
	}
}

func TestUpdateAllocatesNothing(t *testing.T) {
	f := goertzel.New(941, 8000)
	x := noise(160, 1)
	assert.Zero(t, testing.AllocsPerRun(100, func() {
		f.Update(x)
		_ = f.Power()
		_ = f.DFT()
	}))
}
