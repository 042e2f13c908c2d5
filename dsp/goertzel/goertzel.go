package goertzel

import (
	"math"
	"math/cmplx"
)

// Filter is a streaming Goertzel filter tuned to one frequency. Create it
// with [New]; the zero value is not usable.
type Filter struct {
	freq, rate float64
	coeff      float64 // 2cos(ω)
	cos, sin   float64 // cos(ω), sin(ω)
	s1, s2     float64 // s[n−1], s[n−2]
	n          int     // samples since Reset
}

// New returns a filter for freq Hz at sampleRate samples per second. freq
// may be any value from 0 to the Nyquist frequency sampleRate/2, not only a
// DFT bin centre. Like [time.NewTicker], New panics on arguments that cannot
// describe a filter (a sample rate that is not positive and finite, a
// frequency outside [0, sampleRate/2]): these are programming errors.
func New(freq, sampleRate float64) Filter {
	checkArgs(freq, sampleRate)
	w := 2 * math.Pi * freq / sampleRate
	sin, cos := math.Sincos(w)
	return Filter{freq: freq, rate: sampleRate, coeff: 2 * cos, cos: cos, sin: sin}
}

func checkArgs(freq, sampleRate float64) {
	if !(sampleRate > 0) || math.IsInf(sampleRate, 0) {
		panic("goertzel: sample rate must be positive and finite")
	}
	if !(freq >= 0 && freq <= sampleRate/2) {
		panic("goertzel: frequency must be between 0 and half the sample rate")
	}
}

// Freq returns the frequency the filter is tuned to, in Hz.
func (f *Filter) Freq() float64 { return f.freq }

// SampleRate returns the sample rate the filter was built for.
func (f *Filter) SampleRate() float64 { return f.rate }

// Len returns the number of samples fed since the filter was built or Reset.
func (f *Filter) Len() int { return f.n }

// Update feeds the samples of x to the filter. It accepts any length,
// including zero; feeding a block in pieces gives the same result as feeding
// it at once. Update does not retain x.
func (f *Filter) Update(x []float64) {
	c, s1, s2 := f.coeff, f.s1, f.s2
	for _, v := range x {
		s1, s2 = v+c*s1-s2, s1
	}
	f.s1, f.s2 = s1, s2
	f.n += len(x)
}

// DFT returns X(ω) = Σ x[n]·e^(−jωn) over the samples fed since Reset, with
// n = 0 at the first of them. It does not change the filter's state.
func (f *Filter) DFT() complex128 {
	if f.n == 0 {
		return 0
	}
	// y = s[N−1] − e^(−jω)·s[N−2] = Σ x[n]·e^(jω(N−1−n)); undo the e^(jω(N−1)).
	y := complex(f.s1-f.cos*f.s2, f.sin*f.s2)
	return y * cmplx.Rect(1, -2*math.Pi*f.freq/f.rate*float64(f.n-1))
}

// Power returns 2·|X(ω)|²/N² over the N samples fed since Reset: the mean
// square of the sinusoid at the filter's frequency (A²/2 for a sine of
// amplitude A). It returns 0 before any sample. It does not change the
// filter's state.
func (f *Filter) Power() float64 {
	if f.n == 0 {
		return 0
	}
	mag2 := f.s1*f.s1 + f.s2*f.s2 - f.coeff*f.s1*f.s2
	n := float64(f.n)
	return 2 * math.Max(mag2, 0) / (n * n)
}

// Amplitude returns √(2·Power()): the amplitude of the sinusoid at the
// filter's frequency, in the units of the samples.
func (f *Filter) Amplitude() float64 { return math.Sqrt(2 * f.Power()) }

// Reset returns the filter to its state just after New, keeping its tuning.
func (f *Filter) Reset() { f.s1, f.s2, f.n = 0, 0, 0 }

// Power returns the power of x at freq Hz for sampleRate samples per second
// on the scale of [Filter.Power]: A²/2 for a sine of amplitude A. It panics
// on the arguments [New] panics on.
func Power(x []float64, freq, sampleRate float64) float64 {
	f := New(freq, sampleRate)
	f.Update(x)
	return f.Power()
}
