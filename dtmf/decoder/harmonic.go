package decoder

import (
	"math"
	"math/cmplx"

	"github.com/dtmfkit/dtmfkit/dsp/goertzel"
)

// Constants of the purity checks made when a key is about to be confirmed.
const (
	// maxHarmonic: the row tone is tested as harmonics 2 to 6 of a
	// fundamental, which covers voices from 116 Hz (697/6) up.
	maxHarmonic = 6
	// ratioMatch: the tones' frequency ratio must be this close (relative)
	// to a ratio of harmonics for the harmonic-series probes to run. A
	// voice's harmonics keep their ratio however its pitch glides; the
	// frame estimates of two of them agree with it to about 0.2 %. (Key A's
	// nominal pair is 0.41 % from 3:7, so its probes run, and find nothing.)
	ratioMatch = 0.005
	// probeFloor: nothing below this is probed, so that dial tone (350+440
	// Hz and its national variants) and mains hum cannot pose as a voice's
	// harmonics or a note's sub-octave.
	probeFloor = 500.0 // Hz
	// seriesReject: a harmonic of the voice's fundamental within this many
	// dB of the weaker tone marks a voice.
	seriesReject = 19.0
	// maxProbes bounds the probes one check makes.
	maxProbes = 24
	// distortionReject: a tone's 2nd or 3rd harmonic, or the sub-octave of
	// the high-group tone, within this many dB of the tone marks a musical
	// note or a voice. ITU-T Q.23 requires a DTMF generator's distortion
	// products to be at least 20 dB below the tones; a sawtooth's second
	// harmonic is 6 dB down, a clarinet's third about 10.
	distortionReject = 17.0
	// sidebandReject: what is left within 50 Hz of a tone once its steady
	// fit is subtracted, within this many dB of the tone, marks a tone that
	// is not steady: notes that beat (a chorus of detuned oscillators, two
	// players) or carry vibrato. A generator's sine leaves only noise.
	sidebandReject = 21.0
)

// impure reports whether the pending key's two tones, in the frame ending
// with sub-block k, look like partials of music or a voice rather than a
// DTMF generator's sines. The two tones are fitted to the last 20 ms of
// audio and subtracted; the residual is then probed (Hann window):
//
//   - one bin (50 Hz) either side of each tone: a steady sine leaves
//     nothing there, notes that beat or carry vibrato do;
//   - at each tone's 2nd and 3rd harmonic and at the high-group tone's
//     sub-octave: sines from a generator have none of these, instruments and
//     voices do;
//   - if the tones' frequencies are harmonics n and m of a fundamental f0,
//     at its other harmonics from n−1 to m+1: a high voice can put two of its
//     harmonics within the tolerance of a key, and then has energy at the
//     harmonics between and beside them.
//
// It runs only when a key would otherwise be confirmed, on the history of
// raw samples, so it costs nothing per sample.
func (t *tracker) impure(d *Decoder, k int64) bool {
	p := &d.p
	sub := p.subLen
	span := frameSubs * sub
	first := k - frameSubs + 1

	// The frame's samples, Hann-windowed, less DC. A stack buffer: this
	// allocates nothing and adds nothing to the decoder's state.
	var buf [frameSubs * maxSubLen]float64
	x := buf[:span]
	var wsum float64
	win, winStep := cmplx.Rect(1, math.Pi/float64(span)), cmplx.Rect(1, 2*math.Pi/float64(span))
	for s := range x {
		j := (first + int64(s/sub)) & (frameSubs - 1)
		w := 0.5 - 0.5*real(win)
		x[s] = w * (float64(d.hist[int(j)*sub+s%sub]) - d.dc)
		wsum += w
		win *= winStep
	}

	// Fit the two tones at the frame's estimates of their frequencies (over
	// 20 ms a voice's other harmonics barely disturb those, where over one
	// 5 ms block they do), each as Σ w·x·e^(−jωs)/Σ w, its positive-
	// frequency amplitude, and subtract them from the windowed samples.
	f := [2]float64{p.freq[t.cand.row] + t.cand.devR, p.freq[t.cand.col] + t.cand.devC}
	var orig [frameSubs * maxSubLen]float64 // the windowed samples, for a refined fit
	copy(orig[:span], x)
	c := fitTones(x, f, wsum, p.rate)
	// No probe can read more than N·Σx² of the residual (Cauchy-Schwarz).
	// If that is below the lowest limit any probe could have, every probe
	// passes: a generator's tones, clean or in light noise, end here.
	weakest := min(cmplx.Abs(c[0]), cmplx.Abs(c[1])) * math.Pow(10, -sidebandReject/20) * wsum
	if float64(span)*energy(x) < weakest*weakest {
		return false
	}
	// Otherwise refine the frequencies on the samples (in noise the frame
	// estimates can be a few Hz off, and the fit then leaves a residual
	// beside each tone that looks like sidebands), fit again, and probe.
	copy(x, orig[:span])
	step := p.rate / float64(span) / 2 // half a Hann bin
	var around [6]float64
	powers(x, []float64{f[0] - step, f[0], f[0] + step, f[1] - step, f[1], f[1] + step}, p.rate, around[:])
	for i := range f {
		f[i] = vertex(f[i], step, around[3*i:3*i+3])
	}
	c = fitTones(x, f, wsum, p.rate)
	amp := [2]float64{cmplx.Abs(c[0]), cmplx.Abs(c[1])}

	// Every probe, with the amplitude it is measured against and its limit,
	// evaluated in one pass over the residual.
	type probe struct{ freq, limit float64 }
	var probes [maxProbes]probe
	n := 0
	add := func(freq, ref, dB float64) {
		if freq >= probeFloor && freq <= 0.45*p.rate && n < maxProbes {
			// The residual's |DFT| at freq over Σw is compared with ref
			// times the limit.
			l := ref * math.Pow(10, -dB/20) * wsum
			probes[n] = probe{freq, l * l}
			n++
		}
	}
	bin := p.rate / float64(span) // one Hann bin either side of each tone
	for i := range f {
		add(f[i]-bin, amp[i], sidebandReject)
		add(f[i]+bin, amp[i], sidebandReject)
		add(2*f[i], amp[i], distortionReject)
		add(3*f[i], amp[i], distortionReject)
	}
	add(f[1]/2, amp[1], distortionReject)
	weaker := min(amp[0], amp[1])
	for h := 2; h <= maxHarmonic; h++ {
		f0 := f[0] / float64(h)
		m := int(math.Round(f[1] / f0))
		if m <= h || math.Abs(float64(m)*f0-f[1]) > ratioMatch*f[1] {
			continue
		}
		for k := h - 1; k <= m+1; k++ {
			if k != h && k != m {
				add(float64(k)*f0, weaker, seriesReject)
			}
		}
	}
	var freqs [maxProbes]float64
	var pow [maxProbes]float64
	for i := range n {
		freqs[i] = probes[i].freq
	}
	powers(x, freqs[:n], p.rate, pow[:n])
	for i := range n {
		if pow[i] > probes[i].limit {
			return true
		}
	}
	return false
}

// fitTones fits tones at frequencies f to the windowed samples x (window
// sum wsum), returning their positive-frequency amplitudes, and subtracts
// them from x.
func fitTones(x []float64, f [2]float64, wsum, rate float64) [2]complex128 {
	var c [2]complex128
	for i := range c {
		c[i] = dftAt(x, f[i], rate) / complex(wsum, 0)
	}
	span := len(x)
	win, winStep := cmplx.Rect(1, math.Pi/float64(span)), cmplx.Rect(1, 2*math.Pi/float64(span))
	z := c
	turn := [2]complex128{cmplx.Rect(1, 2*math.Pi*f[0]/rate), cmplx.Rect(1, 2*math.Pi*f[1]/rate)}
	for s := range x {
		w := 0.5 - 0.5*real(win)
		x[s] -= w * 2 * (real(z[0]) + real(z[1]))
		win *= winStep
		z[0] *= turn[0]
		z[1] *= turn[1]
	}
	return c
}

// energy returns Σx².
func energy(x []float64) float64 {
	var e float64
	for _, v := range x {
		e += v * v
	}
	return e
}

// vertex returns the frequency of the peak of a magnitude through three
// powers at freq−step, freq and freq+step: the vertex of the parabola
// through their logarithms (for a Hann window the peak is close to a
// parabola in log magnitude). The frame estimate it starts from can be a
// few Hz off in noise; a fit at that frequency would leave a residual
// beside the tone that looks like sidebands.
func vertex(freq, step float64, pow []float64) float64 {
	if pow[0] <= 0 || pow[1] <= 0 || pow[2] <= 0 {
		return freq
	}
	a, b, c := math.Log(pow[0]), math.Log(pow[1]), math.Log(pow[2])
	den := a - 2*b + c
	if den >= 0 { // not a peak
		return freq
	}
	return freq + step*0.5*(a-c)/den
}

// powers sets pow[i] to |Σ x[s]·e^(−jω_i·s)|² at each of freqs, four
// Goertzel filters at a time over one pass of x each.
func powers(x []float64, freqs []float64, rate float64, pow []float64) {
	for len(freqs) > 0 {
		var c [4]float64
		k := min(len(freqs), 4)
		for i := range k {
			c[i] = 2 * math.Cos(2*math.Pi*freqs[i]/rate)
		}
		var a0, a1, a2, a3, b0, b1, b2, b3 float64
		for _, v := range x {
			a0, b0 = v+c[0]*a0-b0, a0
			a1, b1 = v+c[1]*a1-b1, a1
			a2, b2 = v+c[2]*a2-b2, a2
			a3, b3 = v+c[3]*a3-b3, a3
		}
		s1 := [4]float64{a0, a1, a2, a3}
		s2 := [4]float64{b0, b1, b2, b3}
		for i := range k {
			pow[i] = max(s1[i]*s1[i]+s2[i]*s2[i]-c[i]*s1[i]*s2[i], 0)
		}
		freqs, pow = freqs[k:], pow[k:]
	}
}

// dftAt returns Σ x[s]·e^(−jωs) at freq Hz.
func dftAt(x []float64, freq, rate float64) complex128 {
	g := goertzel.New(freq, rate)
	g.Update(x)
	return g.DFT()
}
