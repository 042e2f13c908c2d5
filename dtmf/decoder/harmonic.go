package decoder

import (
	"math"
	"math/cmplx"
	"slices"

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
	// harmonicPeak: a harmonic or sub-octave probe refuses only what
	// stands this many dB above the residual around it (standsOut). An
	// instrument's or a voice's partial is a peak; speech under a key
	// fills the band around the probe about as much as the probe itself.
	// Chosen on the tuning half at 8 kHz: exact sequences under talk, of
	// 60 at +6 to −7 dB, go from 40 30 18 11 6 to 42 31 18 13 8, with no
	// new false key; at 7 dB and more a detuned sawtooth pad's chord (the
	// conformance suite's) and a synthesised tune's notes pass.
	harmonicPeak = 6.0
	// sidebandReject: what is left within 50 Hz of a tone once its steady
	// fit is subtracted, within this many dB of the tone, marks a tone that
	// is not steady: notes that beat (a chorus of detuned oscillators, two
	// players) or carry vibrato. A generator's sine leaves only noise.
	sidebandReject = 21.0
	// coverPurity, sidebandCover: energy beside a tone in a crowded frame
	// whose residual is less than coverPurity dB above the weaker tone, and
	// that reads less than sidebandCover dB under the tone, is taken for
	// the speech a key is pressed over rather than the tone's own
	// wavering, unless the candidate has shown a harmonic (partialSeen). A
	// key over speech dominates its frame; a voice's or an instrument's
	// pair of partials seldom does, the rest of the voice or the chord
	// leaving more (the tuning half's candidates the sideband probe alone
	// refused: 5th percentile 7.5 dB). Such a key must last coveredOn
	// (track.go). Chosen on the tuning half: exact sequences under talk at
	// 8 kHz, of 60 at +6 to −7 dB, go from 42 31 18 13 8 to 47 32 19 13 8,
	// at 16 kHz from 45 36 25 14 6 to 47 37 25 14 6, with no new false
	// key; at 6 dB a music track's chord passes at 8 kHz, and a cover to
	// 11 dB under the tone lets a parrot's call through at 16 kHz.
	coverPurity   = 5.0
	sidebandCover = 13.0
	// shortClean: a press shorter than MinOn plus confirmDelay is reported
	// only if its tones leave this many dB less than the weaker of them.
	shortClean = 15.0
	// crowdedMargin: tones whose weaker one is not this many dB above what
	// is left of the frame without them, counted both as it stands and
	// after a second difference, are crowded: they share the frame with as
	// much other sound. A key pressed over speech is, and so is a voice's
	// or an instrument's pair of partials among its others; such a pair
	// must last crowdedOn (track.go) to be reported. The second difference
	// (+12 dB per octave) discounts what lies low, where neither a key nor
	// most of a voice's pitch is but dial tone, hum and a stray DC are; white
	// noise 10 dB under each tone leaves a key uncrowded as it stands.
	crowdedMargin = 0.0
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
//
// x holds the frame with the tones fitted and subtracted (fitTones), fit
// the fit; partialSeen reports that a harmonic probe refused the candidate
// before (no sideband reading is then taken for speech: coverPurity).
func impure(d *Decoder, k int64, x []float64, fit toneFit, partialSeen bool) verdict {
	p := &d.p
	span := len(x)
	f, c, wsum, residual := fit.f, fit.c, fit.wsum, fit.residual
	// Clean enough for a press too short to judge by more: what is left
	// is shortClean dB under the weaker tone.
	v := verdict{clean: fit.clear(span, shortClean)}
	// Clipping crowds a generator's tones with its distortion products: a
	// frame that reaches full scale is never crowded.
	clipped := d.clippedSamples()
	v.crowded = crowded(x, f, c, residual, wsum, p.rate) && clipped < minClipped
	if fit.clear(span, sidebandReject) {
		return v
	}
	// A key over speech that dominates the frame: sidebands up to
	// sidebandCover are the speech's (coverPurity).
	cover := v.crowded && !partialSeen && fit.clear(span, -coverPurity)
	// Otherwise refine the frequencies on the samples (in noise the frame
	// estimates can be a few Hz off, and the fit then leaves a residual
	// beside each tone that looks like sidebands), fit again, and probe.
	d.windowFrame(x, k)
	step := p.rate / float64(span) / 2 // half a Hann bin
	var around [6]float64
	powers(x, []float64{f[0] - step, f[0], f[0] + step, f[1] - step, f[1], f[1] + step}, p.rate, around[:])
	for i := range f {
		f[i] = vertex(f[i], step, around[3*i:3*i+3])
	}
	c = dfts(x, f, p.rate, wsum)
	subtractTones(x, f, c, p.rate)
	amp := [2]float64{abs(c[0]), abs(c[1])}

	// Every probe, with the amplitude it is measured against and its limit,
	// evaluated in one pass over the residual.
	type probe struct {
		freq, limit float64
		refuses     Rule
	}
	kind := RuleSidebands
	var probes [maxProbes]probe
	n := 0
	add := func(freq, ref, dB float64) {
		if freq >= probeFloor && freq <= 0.45*p.rate && n < maxProbes {
			// The residual's |DFT| at freq over Σw is compared with ref
			// times the limit.
			l := ref * amplitudeRatio(dB) * wsum
			probes[n] = probe{freq, l * l, kind}
			n++
		}
	}
	bin := p.rate / float64(span) // one Hann bin either side of each tone
	for i := range f {
		kind = RuleSidebands
		add(f[i]-bin, amp[i], sidebandReject)
		add(f[i]+bin, amp[i], sidebandReject)
		kind = RuleHarmonics
		add(2*f[i], amp[i], distortionReject)
		add(3*f[i], amp[i], distortionReject)
	}
	add(f[1]/2, amp[1], distortionReject)
	kind = RuleHarmonicSeries
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
		if pow[i] <= probes[i].limit {
			continue
		}
		switch probes[i].refuses {
		case RuleSidebands:
			// The limit raised from sidebandReject to sidebandCover dB
			// under the tone.
			if cover && pow[i] < probes[i].limit*math.Pow(10, (sidebandReject-sidebandCover)/10) {
				v.covered = true
				continue
			}
		case RuleHarmonics:
			if !standsOut(x, freqs[i], pow[i], bin, p.rate) {
				continue
			}
		}
		v.rule = probes[i].refuses
		return v
	}
	// The tones as harmonics of the residual's periodicity: a voice. Not
	// in an overdriven frame, whose residual is the tones' own distortion
	// products, periodic with them by construction.
	if clipped*overdriveShare < span {
		if corr, dist := residualPitch(x, f, p.rate); corr > pitchCorr && max(dist[0], dist[1]) < pitchTolerance {
			v.rule = RuleVoicePitch
			return v
		}
	}
	return v
}

// standsOut reports whether pow, the residual x's power at freq, stands
// harmonicPeak dB above the second least of its powers two and three bins
// (bin Hz) either side: a peak, as a partial is, even among a chord's
// other partials, where speech fills the band around it about evenly.
func standsOut(x []float64, freq, pow, bin, rate float64) bool {
	var around [4]float64
	powers(x, []float64{freq - 3*bin, freq - 2*bin, freq + 2*bin, freq + 3*bin}, rate, around[:])
	slices.Sort(around[:])
	return pow > around[1]*math.Pow(10, harmonicPeak/10)
}

// toneFit is the pending key's two tones fitted to a frame (fitTones):
// their frequencies and amplitudes, the window's sum, and the energy per
// sample left once they are subtracted.
type toneFit struct {
	f              [2]float64
	c              [2]complex128
	wsum, residual float64
}

// fitTones fits the pending key's two tones to the frame ending with
// sub-block k at the frame's estimates of their frequencies (over 20 ms a
// voice's other harmonics barely disturb those, where over one 5 ms block
// they do), each as Σ w·x·e^(−jωs)/Σ w, its positive-frequency amplitude,
// and leaves in x (len frameSubs·subLen) the Hann-windowed samples less
// DC with both subtracted.
func (t *tracker) fitTones(d *Decoder, k int64, x []float64) toneFit {
	f := [2]float64{filterFreq(int(t.cand.row)) + t.cand.devR, filterFreq(int(t.cand.col)) + t.cand.devC}
	wsum := d.windowFrame(x, k)
	c := dfts(x, f, d.p.rate, wsum)
	return toneFit{f: f, c: c, wsum: wsum, residual: subtractTones(x, f, c, d.p.rate)}
}

// clear reports whether the fit leaves, in a frame of span samples, dB
// less than the weaker tone. No probe can read more than N·Σx² of the
// residual (Cauchy-Schwarz): a fit clear by sidebandReject, the lowest
// limit any probe of impure has, leaves nothing for them to find. A
// generator's tones, clean or in light noise, are.
func (fit toneFit) clear(span int, dB float64) bool {
	w := min(abs(fit.c[0]), abs(fit.c[1])) * amplitudeRatio(dB) * fit.wsum
	return float64(span)*fit.residual < w*w
}

// crowded reports whether tones of frequencies f and amplitudes c, fitted
// to a frame of Hann-windowed samples (window sum wsum) and subtracted from
// them to leave x, with energy residual, are crowded (crowdedMargin) in x
// both as it stands and after a second difference. A clipped frame is
// judged by neither (its caller's concern): what clipping adds to a
// generator's tones crowds them.
func crowded(x []float64, f [2]float64, c [2]complex128, residual, wsum, rate float64) bool {
	n := float64(len(x))
	weaker := min(abs(c[0]), abs(c[1])) * amplitudeRatio(crowdedMargin) * wsum
	if n*residual <= weaker*weaker {
		return false
	}
	// A second difference scales a tone's amplitude by (2 sin(ω/2))².
	var r2 float64
	for i := 2; i < len(x); i++ {
		e := x[i] - 2*x[i-1] + x[i-2]
		r2 += e * e
	}
	g0, g1 := 2*math.Sin(math.Pi*f[0]/rate), 2*math.Sin(math.Pi*f[1]/rate)
	weaker = min(abs(c[0])*g0*g0, abs(c[1])*g1*g1) * amplitudeRatio(crowdedMargin) * wsum
	return n*r2 > weaker*weaker
}

// clippedSamples returns how many samples of the frame in the history
// are at full scale (after decimation, whose smoothing keeps a clipped
// plateau just under the limit, near it).
func (d *Decoder) clippedSamples() int {
	n := 0
	for _, v := range d.hist[:frameSubs*d.p.subLen] {
		if v >= clipLevel || v <= -clipLevel {
			n++
		}
	}
	return n
}

// minClipped: a frame with this many samples at full scale is clipped.
// overdriveShare: one with at least one sample in overdriveShare there is
// overdriven. A key driven past full scale clips on every peak of its
// beat: keys overdriven 1 to 20 dB (talkdown.Clipped) have 17 to 128 of
// 160 there at 8 kHz where they are confirmed. Speech clipped on its
// loudest syllables tops out on a few samples per pitch period (3 to 15 of
// 160 in the corpus's files where it passed for a key), a key over dial
// tone at −5 dBm0 on the peaks of their sum (8 to 25: clipped, so never
// crowded, but judged by its residual's pitch, which is the dial tone's).
const (
	minClipped     = 2
	overdriveShare = 8
)

// clipLevel is where a sample counts as at full scale: 1 dB under it,
// where the decimator's smoothing leaves a clipped plateau at 192 kHz (and
// where two unclipped tones get to at −3 dBm0 each).
const clipLevel = 29000

// windowFrame sets x to the samples of the frame ending with sub-block k,
// less the tracked DC, under a Hann window, and returns the window's sum.
// The window's recurrence runs over the even and the odd samples apart, so
// that neither waits on the other.
func (d *Decoder) windowFrame(x []float64, k int64) float64 {
	span := len(x) // even: four sub-blocks
	// The frame in time order starts at the oldest sub-block's slot and
	// wraps around the history.
	// (Copied out in time order first, so that the loop need not wrap.)
	start := int((k-frameSubs+1)&(frameSubs-1)) * d.p.subLen
	var buf [frameSubs * maxSubLen]int16
	lin := buf[:span]
	copy(lin[copy(lin, d.hist[start:span]):], d.hist[:start])
	x = x[:span]
	dc := d.dc
	he, ho, hePrev, hoPrev, hk := hannPairStart(span)
	var wsum float64
	for n := 0; n+1 < span; n += 2 {
		w0, w1 := 0.5-0.5*he, 0.5-0.5*ho
		he, hePrev = hk*he-hePrev, he
		ho, hoPrev = hk*ho-hoPrev, ho
		x[n], x[n+1] = w0*(float64(lin[n])-dc), w1*(float64(lin[n+1])-dc)
		wsum += w0 + w1
	}
	return wsum
}

// dfts returns the positive-frequency amplitudes of tones at frequencies f
// in the windowed samples x (an even number; window sum wsum):
// Σ x·e^(−jωs)/Σ w, from the two-filter recursion the held key uses.
func dfts(x []float64, f [2]float64, rate, wsum float64) [2]complex128 {
	g := newGoertzelPair(f, rate)
	var st pairState
	pair(&st, x, 0, &g.c)
	return g.splitAmplitudes(st, len(x), wsum)
}

// goertzelPair holds the constants of two Goertzel filters run side by
// side: their coefficients 2cos(ω), ω, and e^(jω).
type goertzelPair struct {
	c, w [2]float64
	e    [2]complex128
}

func newGoertzelPair(f [2]float64, rate float64) goertzelPair {
	var g goertzelPair
	for i := range f {
		g.w[i] = 2 * math.Pi * f[i] / rate
		sin, cos := math.Sincos(g.w[i])
		g.e[i] = complex(cos, sin)
		g.c[i] = 2 * cos
	}
	return g
}

// splitAmplitudes returns the DFTs of an even number n of samples from
// the states pair leaves, divided by wsum: with z = e^(−jω),
// X = e^(−jω(n−2))·[(e1 − z²e2) + z·(o1 − z²o2)].
func (g *goertzelPair) splitAmplitudes(st pairState, n int, wsum float64) [2]complex128 {
	var c [2]complex128
	for i, e := range g.e {
		z := cmplx.Conj(e)
		z2 := z * z
		even := complex(st.even1[i], 0) - z2*complex(st.even2[i], 0)
		odd := complex(st.odd1[i], 0) - z2*complex(st.odd2[i], 0)
		back := cmplx.Rect(1, -g.w[i]*float64(n-2))
		c[i] = scale(back*(even+z*odd), 1/wsum)
	}
	return c
}

// subtractTones subtracts from the Hann-windowed samples x (an even
// number) the windowed tones at frequencies f with positive-frequency
// amplitudes c, and returns the energy Σx² of what is left. Each tone is
// rendered by the recurrence y[s+2] = 2cos(2ω)·y[s] − y[s−2], over the even
// and the odd samples apart, the window likewise: no trigonometry per
// sample, and no recursion waiting on the one before.
func subtractTones(x []float64, f [2]float64, c [2]complex128, rate float64) float64 {
	// Per tone, 2·Re(c·e^(jωs)) at s = 0, 1 and s = −2, −1, and 2cos(2ω).
	var ye, yo, pe, po, k [2]float64
	for i := range c {
		sin, cos := math.Sincos(2 * math.Pi * f[i] / rate)
		e := complex(cos, sin)
		ye[i], yo[i] = 2*real(c[i]), 2*real(c[i]*e)
		pe[i], po[i] = 2*real(c[i]*cmplx.Conj(e*e)), 2*real(c[i]*cmplx.Conj(e))
		k[i] = 2 * (2*cos*cos - 1)
	}
	y0e, y0o, p0e, p0o, k0 := ye[0], yo[0], pe[0], po[0], k[0]
	y1e, y1o, p1e, p1o, k1 := ye[1], yo[1], pe[1], po[1], k[1]
	he, ho, hePrev, hoPrev, hk := hannPairStart(len(x))
	var e0, e1 float64
	for n := 0; n+1 < len(x); n += 2 {
		w0, w1 := 0.5-0.5*he, 0.5-0.5*ho
		he, hePrev = hk*he-hePrev, he
		ho, hoPrev = hk*ho-hoPrev, ho
		v0 := x[n] - w0*(y0e+y1e)
		v1 := x[n+1] - w1*(y0o+y1o)
		x[n], x[n+1] = v0, v1
		e0 += v0 * v0
		e1 += v1 * v1
		y0e, p0e = k0*y0e-p0e, y0e
		y0o, p0o = k0*y0o-p0o, y0o
		y1e, p1e = k1*y1e-p1e, y1e
		y1o, p1o = k1*y1o-p1o, y1o
	}
	return e0 + e1
}

// hannPairStart returns the state of the recurrences that generate the
// Hann window of n points sampled at their centres, w[s] = ½ − ½·cos(θ(s+½))
// with θ = 2π/n, over the even and the odd samples apart: the cosines at
// s = 0 and 1, at s = −2 and −1, and 2cos(2θ), the step of two samples.
func hannPairStart(n int) (even, odd, evenPrev, oddPrev, coeff float64) {
	theta := 2 * math.Pi / float64(n)
	c2 := math.Cos(2 * theta)
	return math.Cos(theta / 2), math.Cos(1.5 * theta), math.Cos(-1.5 * theta), math.Cos(-theta / 2), 2 * c2
}

// amplitudeRatio returns the amplitude ratio dB decibels down, 10^(−dB/20).
func amplitudeRatio(dB float64) float64 { return math.Exp(-dB * (math.Ln10 / 20)) }

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

// powers sets pow[i] to |Σ x[s]·e^(−jω_i·s)|² at each of freqs. It runs
// only on frames that reach the probes, so it favours the plain filter.
func powers(x []float64, freqs []float64, rate float64, pow []float64) {
	n := float64(len(x))
	for i, f := range freqs {
		g := goertzel.New(f, rate)
		g.Update(x)
		pow[i] = g.Power() * n * n / 2 // Power is 2|X|²/N²
	}
}
