package decoder

import (
	"math"
	"math/cmplx"
)

// The talk-off rules' thresholds. They were chosen on the tuning half of
// the real-audio corpus (testdata/corpus) and talk-down mixes of its
// speech; the other half measures them (make talkoff).
const (
	// loosePeak, looseTonal: a frame whose other filters are within 8 dB
	// of the best (peakRatio) or whose tones carry under 60 % of the
	// energy (tonalRatio) may still hold a key under speech: it becomes a
	// candidate if they are 3 dB below and the tones carry 30 %, and the
	// talk-off rules decide.
	loosePeak  = 2.0
	looseTonal = 0.3
	// looseSteady replaces steadyRatio for such a candidate: speech in the
	// 5 ms blocks moves the tones' readings more than a generator's do.
	looseSteady = 0.3

	// floorRise is how fast (power, per sub-block) a filter's floor climbs
	// back after a quieter frame: 6 dB in 60 ms. floorDepth: the floor is
	// never more than 40 dB below the filter's current power (a factor of
	// 10⁻⁴), so that after silence it learns what is there within tens of
	// milliseconds rather than seconds.
	floorRise  = 1.122
	floorDepth = 1e-4
	// maxPrior is the largest floor, as an amplitude ratio to the tone,
	// either tone's filter may have had; maxPriorHigh the same for the
	// high-group tone, which speech reaches less.
	maxPrior     = 0.3
	maxPriorHigh = 0.1

	// maxOther is the largest energy, relative to the weaker tone, of a
	// steady partial in one of the other six filters; otherSteady is the
	// share of that filter's energy one steady sine must explain for it to
	// count as a partial.
	maxOther    = 0.3
	otherSteady = 0.8

	// pitchCorr, pitchTolerance: the residual's periodicity, as a
	// normalised autocorrelation, that marks a voice, and how close (in
	// fractions of its harmonic spacing) both tones must be to its
	// harmonics for it to claim them.
	pitchCorr      = 0.3
	pitchTolerance = 0.07
)

// updateFloors lowers each filter's floor to its power in the frame just
// analysed, or lets it climb by floorRise (6 dB in 60 ms): the floor is
// the least the filter read in the recent past, a dip long ago counting
// less. A key's tones start from their absence; a voice's or an
// instrument's partial that glides or swells into a key's tolerance was
// there before. Silence sets it to zero.
func (d *Decoder) updateFloors(pow *[numFilters]float64) {
	// max(v·depth, min(v, floor·rise)), by comparisons: the powers and
	// floors are never NaN or −0, where the built-ins' extra care (a
	// branch each on speech, whose levels come and go) buys nothing.
	const rise, depth = float32(floorRise), float32(floorDepth)
	for i, v := range pow {
		x := float32(v)
		f := d.floor[i] * rise
		if x < f {
			f = x
		}
		if lo := x * depth; lo > f {
			f = lo
		}
		d.floor[i] = f
	}
}

// priorPresence returns, per tone, the square root of its filter's floor
// over its power in the frame ending with k: how strong, relative to the
// tone, the least reading of the recent past was.
func (t *tracker) priorPresence(d *Decoder, k int64) (r, c float64) {
	fr, fc := d.frameSum(int(t.cand.row), k), d.frameSum(int(t.cand.col), k)
	pr := real(fr)*real(fr) + imag(fr)*imag(fr)
	pc := real(fc)*real(fc) + imag(fc)*imag(fc)
	if pr == 0 || pc == 0 {
		return 1, 1
	}
	return math.Sqrt(float64(d.floor[t.cand.row]) / pr), math.Sqrt(float64(d.floor[t.cand.col]) / pc)
}

// otherPartial returns the energy, relative to the weaker tone's, of the
// strongest steady partial in the other six filters over the press's full
// sub-blocks in the history: music holds a chord's other notes, where
// speech under a key leaves only what moves. Each filter's outputs are
// first cleared of the two tones' own leakage (by projection on their
// phase patterns in that filter's frame); what is left counts if one
// steady sine explains otherSteady of it.
func (t *tracker) otherPartial(d *Decoder, k int64) float64 {
	m := float64(d.p.subLen)
	lo := max(int64(math.Ceil((t.onset+0.002*d.p.rate)/m)), k-ringSubs+1, 0)
	var vr, vc [ringSubs]complex128
	n := 0
	for j := lo; j <= k; j++ {
		vr[n], vc[n] = t.unmixExact(d, j)
		n++
	}
	if n < 3 {
		return 0
	}
	zr, zc := meanAdvance(vr[:n]), meanAdvance(vc[:n])
	var er, ec float64
	for j := range n {
		er += real(vr[j])*real(vr[j]) + imag(vr[j])*imag(vr[j])
		ec += real(vc[j])*real(vc[j]) + imag(vc[j])*imag(vc[j])
	}
	weaker := min(er, ec)
	if weaker == 0 {
		return 0
	}
	st := &d.p.step
	var worst float64
	for i := range numFilters {
		if i == int(t.cand.row) || i == int(t.cand.col) {
			continue
		}
		var x [ringSubs]complex128
		for j := range n {
			x[j] = complex128(d.ringX[(lo+int64(j))&(ringSubs-1)][i])
		}
		// The tones' phase advance per sub-block in filter i's frame.
		pr := zr * cmplx.Conj(st[t.cand.row]) * st[i]
		pc := zc * cmplx.Conj(st[t.cand.col]) * st[i]
		left, steady := steadyRemainder(x[:n], pr, pc)
		if left > 0 && steady >= otherSteady*left {
			worst = max(worst, steady/weaker)
		}
	}
	return worst
}

// meanAdvance returns the unit phasor of Σ v(j)v(j−1)*.
func meanAdvance(v []complex128) complex128 {
	var r1 complex128
	for j := 1; j < len(v); j++ {
		r1 += v[j] * cmplx.Conj(v[j-1])
	}
	if r1 == 0 {
		return 1
	}
	return scale(r1, 1/abs(r1))
}

// steadyRemainder removes from x its least-squares fit by α·zr^j + β·zc^j
// and returns the energy left and that of the steady sine (at its own mean
// advance) that best explains it.
func steadyRemainder(x []complex128, zr, zc complex128) (left, steady float64) {
	var a12, b1, b2 complex128
	pr, pc := complex128(1), complex128(1)
	n := float64(len(x))
	for j := range x {
		a12 += cmplx.Conj(pr) * pc
		b1 += cmplx.Conj(pr) * x[j]
		b2 += cmplx.Conj(pc) * x[j]
		pr *= zr
		pc *= zc
	}
	det := n*n - (real(a12)*real(a12) + imag(a12)*imag(a12))
	var al, be complex128
	if det > 1e-9*n*n {
		al = (complex(n, 0)*b1 - a12*b2) / complex(det, 0)
		be = (complex(n, 0)*b2 - cmplx.Conj(a12)*b1) / complex(det, 0)
	}
	var r [ringSubs]complex128
	pr, pc = 1, 1
	for j := range x {
		r[j] = x[j] - al*pr - be*pc
		left += real(r[j])*real(r[j]) + imag(r[j])*imag(r[j])
		pr *= zr
		pc *= zc
	}
	z := meanAdvance(r[:len(x)])
	var s complex128
	zi := complex128(1)
	for j := range x {
		s += r[j] * cmplx.Conj(zi)
		zi *= z
	}
	return left, (real(s)*real(s) + imag(s)*imag(s)) / n
}

// residualPitch finds the strongest periodicity of the residual x (the
// frame less the fitted tones; lags for 90-420 Hz) and returns its
// normalised autocorrelation and, for each tone, how far it is from a
// harmonic of that pitch, in fractions of the harmonic spacing. Two of a
// voice's harmonics that fall in a key's tolerance sit on its pitch's
// comb; a key under speech sits on it only by chance.
func residualPitch(x []float64, f [2]float64, rate float64) (corr float64, dist [2]float64) {
	n := len(x)
	lo, hi := int(rate/420), min(int(rate/90), n/2-1)
	var rs [maxPitchLag + 2]float64
	best, bestL := 0.0, 0
	for l := lo; l <= hi && l <= maxPitchLag; l++ {
		var sxy, sxx, syy float64
		for i := 0; i+l < n; i++ {
			sxy += x[i] * x[i+l]
			sxx += x[i] * x[i]
			syy += x[i+l] * x[i+l]
		}
		var r float64
		if sxx > 0 && syy > 0 {
			r = sxy / math.Sqrt(sxx*syy)
		}
		rs[l] = r
		if r > best {
			best, bestL = r, l
		}
	}
	if bestL == 0 {
		return 0, [2]float64{1, 1}
	}
	period := float64(bestL)
	if bestL > lo && bestL < hi {
		a, b, c := rs[bestL-1], rs[bestL], rs[bestL+1]
		if den := a - 2*b + c; den < 0 {
			period += 0.5 * (a - c) / den
		}
	}
	period /= rate
	for i, fi := range f {
		h := fi * period
		dist[i] = math.Abs(h - math.Round(h))
	}
	return best, dist
}

// maxPitchLag bounds residualPitch's lags: 90 Hz at the highest internal
// rate (16 kHz) is 178 samples.
const maxPitchLag = 180

// verdict is the talk-off rules' answer: the rule that refused the pair
// (Accepted if none did) and, for a pair that reached impure, whether it
// was clean (shortClean), crowded (crowdedMargin), and passed only because
// sidebands were taken for the speech over it (covered: coverPurity).
type verdict struct {
	rule                    Rule
	clean, crowded, covered bool
}

// refuse applies the talk-off rules to the pending key, which has passed
// every other, in the frame ending with sub-block k, and returns the first
// that refuses it (Accepted if none does), telling SetExplain's hook if it
// is set.
func (t *tracker) refuse(d *Decoder, k int64) verdict {
	v := t.talkOff(d, k)
	if d.ex != nil {
		d.ex.talkOff(k, t.cand.key, v)
	}
	return v
}

// talkOff asks whether the key's tones came from a generator rather than
// from music or a voice: whether they rose from their absence, stand
// without a third steady partial, and leave, once fitted and subtracted,
// nothing a generator would not (impure: sidebands, harmonics, a voice's
// harmonic series or pitch). Cheap rules go first.
func (t *tracker) talkOff(d *Decoder, k int64) verdict {
	if r, c := t.priorPresence(d, k); max(r, c) > maxPrior || c > maxPriorHigh {
		return verdict{rule: RuleAlreadyPresent}
	}
	// The frame's samples, Hann-windowed, less DC, less the fitted tones.
	// A stack buffer: this allocates nothing and adds nothing to the
	// decoder's state.
	var buf [frameSubs * maxSubLen]float64
	x := buf[:frameSubs*d.p.subLen]
	fit := t.fitTones(d, k, x)
	// A steady third partial maxOther of the weaker tone would leave far
	// more than a quiet fit does: the chord rule need not look.
	if !fit.clear(len(x), sidebandReject) && t.otherPartial(d, k) > maxOther {
		return verdict{rule: RuleChord}
	}
	v := impure(d, k, x, fit, t.partialSeen)
	if v.rule == RuleHarmonics || v.rule == RuleHarmonicSeries {
		t.partialSeen = true
	}
	return v
}
