package decoder

import (
	"math"
	"math/bits"
	"math/cmplx"

	"github.com/dtmfkit/dtmfkit/dtmf"
)

// candidate is the outcome of analysing one frame: the key whose two tones
// dominate it, with their amplitudes (internal units, corrected for the
// measured frequency offsets) and offsets in Hz. key is 0 when the frame is
// not a valid DTMF signal.
type candidate struct {
	key        dtmf.Digit
	row, col   uint8 // filter indices: row 0-3, col 4-7 (small: this sits in every decoder)
	loose      bool  // only the loose peak and tonal-share limits were met
	ampR, ampC float64
	devR, devC float64
	respR      float64 // block responses at the offsets (|D(δ)|, see blockResponse)
	respC      float64
}

// analyse tests the frame ending with sub-block k (the last frameSubs
// sub-blocks) against every acceptance rule and returns the key it holds.
func (d *Decoder) analyse(k int64) candidate {
	p := &d.p

	if d.frameGated(k) || d.framePartial(k) {
		// Every block too quiet, or some block filtered for a held key
		// only: the filters did not all run.
		return candidate{}
	}
	ed := d.diffEnergy(k)
	var sums [numFilters]complex128
	var pow [numFilters]float64
	d.frameSums(k, &sums, &pow)
	d.updateFloors(&pow)
	row := argmax4((*[4]float64)(pow[0:4]))
	col := 4 + argmax4((*[4]float64)(pow[4:8]))
	// One tone per group: every other filter 8 dB below the best, or, for
	// a candidate the talk-off rules must vouch for, 3 dB. (Tested for
	// all filters at once, without branches: on speech which filter leads
	// is anyone's guess, and a mispredicted branch per filter cost more
	// than the tests.)
	var over, far uint8
	for i := range numFilters {
		best := pow[row]
		if i >= 4 {
			best = pow[col]
		}
		other := b2u(i != row) & b2u(i != col)
		o := other & b2u(pow[i]*peakRatio > best)
		over |= o
		far |= o & b2u(pow[i]*loosePeak > best)
	}
	if far != 0 {
		return d.refused(k, RulePeak, row, col)
	}
	loose := over != 0
	// Cheap bounds before the frequency estimates: correcting a tone's
	// amplitude for an accepted offset raises it by at most 6 dB (a factor
	// of 4 in power), so a frame that fails these with that allowance
	// fails for good.
	scale := 2 / (frameWeightSum * float64(p.subLen))
	if ar, ac := math.Sqrt(pow[row])*scale, math.Sqrt(pow[col])*scale; ar < p.minAmp(row)/2 || ac < p.minAmp(col)/2 {
		return d.refused(k, RuleLevel, row, col)
	}
	n := frameWeightSum * float64(p.subLen)
	if 4*(pow[row]*p.slope(row)+pow[col]*p.slope(col))*scale*scale/2*n < looseTonal*ed {
		return d.refused(k, RuleTonalShare, row, col)
	}
	c := candidate{row: uint8(row), col: uint8(col), loose: loose}
	var ok bool
	var stepR, stepC complex128
	if c.devR, stepR, ok = d.freqOffset(row, k, sums[row]); !ok || math.Abs(c.devR) > p.maxDev(row) {
		return d.refused(k, RuleFrequency, row, col)
	}
	if c.devC, stepC, ok = d.freqOffset(col, k, sums[col]); !ok || math.Abs(c.devC) > p.maxDev(col) {
		return d.refused(k, RuleFrequency, row, col)
	}
	c.ampR, c.respR = d.toneAmplitude(row, k, c.devR, stepR)
	c.ampC, c.respC = d.toneAmplitude(col, k, c.devC, stepC)
	if c.ampR < p.minAmp(row) || c.ampC < p.minAmp(col) {
		return d.refused(k, RuleLevel, row, col)
	}
	// Twist, in true levels: undo the CIC's droop at each frequency.
	twist := (c.ampC / float64(p.gain[col])) / (c.ampR / float64(p.gain[row]))
	if twist > p.reverseMax || 1/twist > p.normalMax {
		return d.refused(k, RuleTwist, row, col)
	}
	// The two tones must carry most of the energy of the first difference
	// (or, for a loose candidate, a good part).
	tonal := (c.ampR*c.ampR*p.slope(row) + c.ampC*c.ampC*p.slope(col)) / 2 * n
	if tonal < looseTonal*ed {
		return d.refused(k, RuleTonalShare, row, col)
	}
	if tonal < tonalRatio*ed {
		c.loose = true
	}
	c.key = dtmf.Grid[row][col-4]
	if d.ex != nil {
		d.ex.frame(k, Accepted, row, col)
	}
	return c
}

// refused returns the empty candidate of a frame that rule r refused,
// telling SetExplain's hook, if set, which rule and which pair.
func (d *Decoder) refused(k int64, r Rule, row, col int) candidate {
	if d.ex != nil {
		d.ex.frame(k, r, row, col)
	}
	return candidate{}
}

// diffEnergy returns the energy of the first difference over the frame
// ending with sub-block k, under the frame's weights.
func (d *Decoder) diffEnergy(k int64) float64 {
	rd := &d.ringD
	return float64(rd[(k-3)&(ringSubs-1)]) + float64(rd[k&(ringSubs-1)]) +
		3*(float64(rd[(k-2)&(ringSubs-1)])+float64(rd[(k-1)&(ringSubs-1)]))
}

// frameBits returns the ring bits (as in Decoder.gated) of the sub-blocks
// of the frame ending with k.
func frameBits(k int64) uint8 {
	return bits.RotateLeft8(1<<frameSubs-1, int((k-frameSubs+1)&(ringSubs-1)))
}

// frameGated reports whether every sub-block of the frame ending with k was
// too quiet to run the filters on.
func (d *Decoder) frameGated(k int64) bool {
	b := frameBits(k)
	return d.gated&b == b
}

// framePartial reports whether any sub-block of the frame ending with k was
// filtered for a held key only.
func (d *Decoder) framePartial(k int64) bool { return d.partial&frameBits(k) != 0 }

// The frame's sub-blocks are windowed by binomial weights 1, 3, 3, 1, whose
// staircase has a triple zero 100 Hz from the filter's frequency. The
// neighbouring row filter (73 Hz away) then reads a tone 25 dB down rather
// than the 13 dB of a rectangular 20 ms frame, and, which matters for
// talk-off, a voice's harmonic 40-60 Hz from a filter is seen rather than
// falling on one of the rectangular frame's nulls. frameWeightSum is their
// sum.
const frameWeightSum = 8

// frameSum returns filter i's windowed DFT over the frame ending with
// sub-block k.
func (d *Decoder) frameSum(i int, k int64) complex128 {
	x := &d.ringX
	a, b := complex128(x[(k-3)&(ringSubs-1)][i]), complex128(x[(k-2)&(ringSubs-1)][i])
	c, e := complex128(x[(k-1)&(ringSubs-1)][i]), complex128(x[k&(ringSubs-1)][i])
	mid := b + c
	return a + e + scale(mid, 3)
}

// frameSums is frameSum for every filter, with each sum's power: the
// same arithmetic, with the frame's four sub-blocks looked up once.
func (d *Decoder) frameSums(k int64, sums *[numFilters]complex128, pow *[numFilters]float64) {
	x := &d.ringX
	a, b := &x[(k-3)&(ringSubs-1)], &x[(k-2)&(ringSubs-1)]
	c, e := &x[(k-1)&(ringSubs-1)], &x[k&(ringSubs-1)]
	for i := range sums {
		mid := complex128(b[i]) + complex128(c[i])
		f := complex128(a[i]) + complex128(e[i]) + scale(mid, 3)
		sums[i] = f
		pow[i] = real(f)*real(f) + imag(f)*imag(f)
	}
}

// freqOffset estimates how far the tone in filter i is from the filter's
// frequency, from the phase advance of the frame sums (f0 is the sum of
// the frame ending with k): over one sub-block for an unambiguous coarse
// value (±100 Hz), over two for precision. It returns the offset in Hz and
// the tone's phase advance relative to the filter per sub-block, e^(j2πδτ).
func (d *Decoder) freqOffset(i int, k int64, f0 complex128) (float64, complex128, bool) {
	f1, f2 := d.frameSum(i, k-1), d.frameSum(i, k-2)
	if f0 == 0 || f1 == 0 || f2 == 0 {
		return 0, 0, false
	}
	tau := float64(d.p.subLen) / d.p.rate
	// The phase advance over two sub-blocks, 2π·δ·2τ, is precise but known
	// only modulo 2π; that over one, 2π·δ·τ, says how many turns to add:
	// one either way when it passes ±π/2 (|δ| over 50 Hz at 5 ms, far
	// beyond any accepted offset).
	q := f0 * cmplx.Conj(f2)
	fine := cmplx.Phase(q)
	coarse := f0 * cmplx.Conj(f1)
	// The advance over one sub-block is half the phase of q: the unit
	// vector halfway between 1 and q/|q|, turned by π for a whole turn.
	half := 1 + scale(q, 1/abs(q))
	half = scale(half, 1/abs(half))
	if real(coarse) < 0 {
		half = -half
		fine += math.Copysign(2*math.Pi, imag(coarse))
	}
	return fine / (2 * math.Pi * 2 * tau), half, true
}

// toneAmplitude returns the amplitude of the tone near filter i's frequency
// over the frame ending with sub-block k, given its offset dev Hz and its
// phase advance per sub-block: the sub-block DFTs are rotated back by the
// offset before summing, so the sum is the DFT at the tone's own frequency.
// It also returns the sub-blocks' response to the tone, |D(δ)|.
func (d *Decoder) toneAmplitude(i int, k int64, dev float64, advance complex128) (amp, resp float64) {
	p := &d.p
	x := &d.ringX
	// Horner's rule over the sub-blocks, oldest first: the one j blocks
	// back is turned forward by advance^j.
	s := complex128(x[(k-3)&(ringSubs-1)][i])
	s = s*advance + scale(complex128(x[(k-2)&(ringSubs-1)][i]), 3)
	s = s*advance + scale(complex128(x[(k-1)&(ringSubs-1)][i]), 3)
	s = s*advance + complex128(x[k&(ringSubs-1)][i])
	n := frameWeightSum * float64(p.subLen)
	resp = blockResponse(dev, advance, p.subLen, p.rate)
	return 2 * abs(s) / (n * resp), resp
}

// argmax4 returns the index of the largest of x, the first of equals, as a
// knock-out of pairs whose choices compile to conditional moves.
func argmax4(x *[4]float64) int {
	a := int(b2u(x[1] > x[0]))
	b := 2 + int(b2u(x[3] > x[2]))
	if x[b] > x[a] {
		a = b
	}
	return a
}

// b2u returns 1 for true, 0 for false (a SETcc, not a branch).
func b2u(b bool) uint8 {
	if b {
		return 1
	}
	return 0
}
