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

	// The tones' frequencies start from the frame estimates (over 20 ms a
	// voice's other harmonics barely disturb them, where over one 5 ms
	// block they do) and are refined on these samples; each tone is fitted
	// as Σ w·x·e^(−jωs)/Σ w (its positive-frequency amplitude), and both
	// are subtracted from the windowed samples.
	f := [2]float64{p.freq[t.cand.row] + t.cand.devR, p.freq[t.cand.col] + t.cand.devC}
	var c [2]complex128
	for i := range c {
		f[i] = refine(x, f[i], p.rate/float64(span)/2, p.rate)
		c[i] = dftAt(x, f[i], p.rate) / complex(wsum, 0)
	}
	win = cmplx.Rect(1, math.Pi/float64(span))
	z := c
	turn := [2]complex128{cmplx.Rect(1, 2*math.Pi*f[0]/p.rate), cmplx.Rect(1, 2*math.Pi*f[1]/p.rate)}
	for s := range x {
		w := 0.5 - 0.5*real(win)
		x[s] -= w * 2 * (real(z[0]) + real(z[1]))
		win *= winStep
		z[0] *= turn[0]
		z[1] *= turn[1]
	}
	amp := [2]float64{cmplx.Abs(c[0]), cmplx.Abs(c[1])}
	// level returns the residual's amplitude at freq relative to ref, in
	// the same positive-frequency units; probes out of band read 0.
	level := func(freq, ref float64) float64 {
		if freq < probeFloor || freq > 0.45*p.rate {
			return 0
		}
		return cmplx.Abs(dftAt(x, freq, p.rate)) / wsum / ref
	}

	// One Hann bin (rate/span Hz) either side of each tone.
	bin := p.rate / float64(span)
	sideband := math.Pow(10, -sidebandReject/20)
	for i := range f {
		if level(f[i]-bin, amp[i]) > sideband || level(f[i]+bin, amp[i]) > sideband {
			return true
		}
	}

	distortion := math.Pow(10, -distortionReject/20)
	for _, probe := range [...]struct{ freq, ref float64 }{
		{2 * f[0], amp[0]}, {3 * f[0], amp[0]},
		{2 * f[1], amp[1]}, {3 * f[1], amp[1]},
		{f[1] / 2, amp[1]},
	} {
		if level(probe.freq, probe.ref) > distortion {
			return true
		}
	}

	series := math.Pow(10, -seriesReject/20)
	weaker := min(amp[0], amp[1])
	for n := 2; n <= maxHarmonic; n++ {
		f0 := f[0] / float64(n)
		m := int(math.Round(f[1] / f0))
		if m <= n || math.Abs(float64(m)*f0-f[1]) > ratioMatch*f[1] {
			continue
		}
		for h := n - 1; h <= m+1; h++ {
			if h != n && h != m && level(float64(h)*f0, weaker) > series {
				return true
			}
		}
	}
	return false
}

// refine returns the frequency of the peak of |DFT(x)| near freq: the
// vertex of the parabola through the log magnitudes at freq and freq ± step
// (for a Hann window the peak is close to a parabola in log magnitude).
// The frame estimate it starts from can be a few Hz off in noise; a fit at
// that frequency would leave a residual beside the tone that looks like
// sidebands.
func refine(x []float64, freq, step, rate float64) float64 {
	lo := cmplx.Abs(dftAt(x, freq-step, rate))
	mid := cmplx.Abs(dftAt(x, freq, rate))
	hi := cmplx.Abs(dftAt(x, freq+step, rate))
	if lo <= 0 || mid <= 0 || hi <= 0 {
		return freq
	}
	a, b, c := math.Log(lo), math.Log(mid), math.Log(hi)
	den := a - 2*b + c
	if den >= 0 { // not a peak
		return freq
	}
	return freq + step*0.5*(a-c)/den
}

// dftAt returns Σ x[s]·e^(−jωs) at freq Hz.
func dftAt(x []float64, freq, rate float64) complex128 {
	g := goertzel.New(freq, rate)
	g.Update(x)
	return g.DFT()
}
