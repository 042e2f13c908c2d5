package decoder

import (
	"math"
	"math/cmplx"
)

// Constants of the harmonic-series check.
const (
	// maxHarmonic: the row tone is tested as harmonics 2 to 6 of a
	// fundamental, which covers voices from 116 Hz (697/6) up.
	maxHarmonic = 6
	// ratioMatch: the tones' frequency ratio must be this close (relative)
	// to a ratio of harmonics for the check to run. No key's nominal pair
	// is within 0.41 % of such a ratio; a voice's harmonics are, however
	// its pitch glides.
	ratioMatch = 0.003
	// probeFloor: harmonics below this are not probed, so that dial tone
	// (350+440 Hz) and mains hum cannot pose as a voice's.
	probeFloor = 500.0 // Hz
	// harmonicReject: a probed harmonic within this many dB of the weaker
	// tone marks a voice.
	harmonicReject = 18.0
)

// harmonicSeries reports whether the held key's two tones look like two
// harmonics of one voice rather than a DTMF pair: their frequencies are
// harmonics n and m of some fundamental f0 and, with both tones subtracted
// from the last frame, the audio has energy at other harmonics of f0 (the
// ones between and next to them). Speech and song put harmonics of their
// pitch into the DTMF band, and a high voice can land two of them within
// the frequency tolerance of a key; a DTMF generator puts nothing there.
func (t *tracker) harmonicSeries(d *Decoder, k int64) bool {
	p := &d.p
	// The frame estimates of the tones' frequencies: over 20 ms a voice's
	// other harmonics barely disturb them, where over one 5 ms block they
	// do.
	f := [2]float64{p.freq[t.cand.row] + t.cand.devR, p.freq[t.cand.col] + t.cand.devC}
	for n := 2; n <= maxHarmonic; n++ {
		f0 := f[0] / float64(n)
		m := int(math.Round(f[1] / f0))
		if m <= n || math.Abs(float64(m)*f0-f[1]) > ratioMatch*f[1] {
			continue
		}
		if d.harmonicEnergy(k, f, f0, n, m) {
			return true
		}
	}
	return false
}

// harmonicEnergy fits the two tones at frequencies f to the last frameSubs
// sub-blocks (ending with k), subtracts them, and reports whether any
// harmonic of f0 other than n and m, from n−1 to m+1 and within the band,
// is within harmonicReject dB of the weaker tone. Fits and probes use a
// Hann window: a tone leaks at most −32 dB into a probe f0 ≥ 116 Hz away
// even before it is subtracted.
func (d *Decoder) harmonicEnergy(k int64, f [2]float64, f0 float64, n, m int) bool {
	p := &d.p
	var c [2]complex128 // each tone's positive-frequency amplitude at the frame's start
	for i := range c {
		c[i] = d.windowedDFT(k, f[i], nil, nil)
	}
	limit := 2 * min(cmplx.Abs(c[0]), cmplx.Abs(c[1])) * math.Pow(10, -harmonicReject/20)
	for h := n - 1; h <= m+1; h++ {
		fh := float64(h) * f0
		if h == n || h == m || fh < probeFloor || fh > 0.45*p.rate {
			continue
		}
		if 2*cmplx.Abs(d.windowedDFT(k, fh, &f, &c)) > limit {
			return true
		}
	}
	return false
}

// windowedDFT returns Σ w[s]·x[s]·e^(−jωs) / Σ w[s] at freq over the last
// frameSubs sub-blocks (ending with k) of the history, w a Hann window: for
// a tone, its positive-frequency amplitude at the frame's first sample.
// With tones given (frequencies f, amplitudes c), x is the history less
// those tones. Window and tones advance by complex rotation.
func (d *Decoder) windowedDFT(k int64, freq float64, f *[2]float64, c *[2]complex128) complex128 {
	p := &d.p
	sub := p.subLen
	span := frameSubs * sub
	first := k - frameSubs + 1
	down := cmplx.Rect(1, -2*math.Pi*freq/p.rate)
	win := cmplx.Rect(1, math.Pi/float64(span)) // e^(j2π(s+½)/span)
	winStep := cmplx.Rect(1, 2*math.Pi/float64(span))
	var z, turn [2]complex128
	if c != nil {
		z = *c
		turn = [2]complex128{cmplx.Rect(1, 2*math.Pi*f[0]/p.rate), cmplx.Rect(1, 2*math.Pi*f[1]/p.rate)}
	}
	e := complex(1, 0)
	var sum complex128
	var wsum float64
	for s := range span {
		j := (first + int64(s/sub)) & (frameSubs - 1)
		x := float64(d.hist[int(j)*sub+s%sub]) - d.dc - 2*(real(z[0])+real(z[1]))
		w := 0.5 - 0.5*real(win)
		sum += complex(w*x, 0) * e
		wsum += w
		e *= down
		win *= winStep
		z[0] *= turn[0]
		z[1] *= turn[1]
	}
	return sum / complex(wsum, 0)
}
