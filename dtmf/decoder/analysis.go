package decoder

import (
	"github.com/dtmfkit/dtmfkit/dtmf"
)

// endSubBlock analyses the sub-block just filled and runs the detector.
func (d *Decoder) endSubBlock(dst []dtmf.Event) []dtmf.Event {
	d.fill = 0
	k := d.sub
	slot := k & (ringSubs - 1)
	x16 := d.current()
	m := float64(len(x16))

	// Energy and DC: in integers for 16-bit input.
	var sum, sumSq float64
	if d.fmode {
		for _, v := range d.fbuf {
			f := float64(v)
			sum += f
			sumSq += f * f
		}
	} else {
		s, ss := sums16(d.kernel, x16)
		sum, sumSq = float64(s), float64(ss)
	}
	// Track DC slowly (time constant 16 sub-blocks, 80 ms) so that a tone's
	// own short-term mean barely moves it.
	d.dc += (sum/m - d.dc) / 16
	dc := d.dc
	energy := sumSq - 2*dc*sum + m*dc*dc

	xs := &d.ringX[slot]
	bit := uint8(1) << slot
	d.track.magOK &^= bit
	if energy < d.p.floorE {
		*xs = [numFilters]complex64{}
		d.ringD[slot] = 0
		d.gated |= bit
		d.partial &^= bit
		if d.fmode {
			d.prev = float64(d.fbuf[len(d.fbuf)-1])
		} else {
			d.prev = float64(x16[len(x16)-1])
		}
	} else if t := &d.track; t.state == down {
		// A held key is followed by its own two filters alone: nothing
		// else is read while it lasts. The block is marked partial so that
		// no frame is analysed with the other filters missing.
		r, c := int(t.cand.row), int(t.cand.col)
		d.syncPair(k, r, c)
		var st pairState
		coeff := [2]float64{d.p.coeff[r], d.p.coeff[c]}
		if d.fmode {
			d.prev = pair(&st, d.fbuf, dc, &coeff)
		} else {
			d.prev = pair(&st, x16, dc, &coeff)
		}
		*xs = [numFilters]complex64{}
		xs[r] = complex64(d.p.finishSplit(r, st.even1[0], st.even2[0], st.odd1[0], st.odd2[0], d.rot[r]))
		xs[c] = complex64(d.p.finishSplit(c, st.even1[1], st.even2[1], st.odd1[1], st.odd2[1], d.rot[c]))
		d.ringD[slot] = 0
		d.gated &^= bit
		d.partial |= bit
	} else {
		var s1, s2 [numFilters]float64
		var diffSq float64
		if d.fmode {
			diffSq, d.prev = bank(&s1, &s2, d.fbuf, dc, d.prev, &d.p.coeff)
		} else {
			diffSq, d.prev = bank16(d.kernel, &s1, &s2, x16, dc, d.prev, &d.p.coeff)
		}
		d.rotFinish(k, &s1, &s2, xs)
		d.ringD[slot] = float32(diffSq)
		d.gated &^= bit
		d.partial &^= bit
	}
	d.sub++
	if d.ex != nil {
		return d.ex.hop(dst, d)
	}
	return d.track.hop(dst, d)
}

// sums returns Σx and Σx² over x, four samples at a time in independent
// integer sums: for a quiet stream this loop is the decoder's whole cost.
func sums(x []int16) (sum, sumSq int64) {
	var s0, s1, q0, q1 int64
	for len(x) >= 4 {
		a, b, c, d := int64(x[0]), int64(x[1]), int64(x[2]), int64(x[3])
		s0 += a + c
		s1 += b + d
		q0 += a*a + c*c
		q1 += b*b + d*d
		x = x[4:]
	}
	for _, v := range x {
		a := int64(v)
		s0 += a
		q0 += a * a
	}
	return s0 + s1, q0 + q1
}

// bank runs the eight Goertzel filters over the sub-block x (less dc),
// leaving each filter's last two states in s1 and s2, and returns the
// energy of the first difference of x (prev is the sample before x) and
// x's last sample. The filters run in two passes of four, rows then
// columns, so that each pass's state stays in registers; each step takes
// two samples, the two states trading places, so that nothing is copied.
// Each recursion is written s[n] = (v − s[n−2]) + c·s[n−1]: only the
// multiply and one add are on the chain from one sample to the next. The
// product is rounded before the add (float64(c·s), never fused into one
// FMA whatever GOAMD64 allows), so that the vector kernels (bank16), which
// do the same operations in lanes, give bit for bit the same states.
func bank[T int16 | float32](s1, s2 *[numFilters]float64, x []T, dc, prev float64, c *[numFilters]float64) (float64, float64) {
	var diffSq float64
	n := len(x) &^ 1
	{
		c0, c1, c2, c3 := c[0], c[1], c[2], c[3]
		var a0, a1, a2, a3, b0, b1, b2, b3 float64
		for i := 0; i < n; i += 2 {
			f0, f1 := float64(x[i]), float64(x[i+1])
			d0, d1 := f0-prev, f1-f0
			diffSq += d0*d0 + d1*d1
			prev = f1
			v0, v1 := f0-dc, f1-dc
			b0 = (v0 - b0) + float64(c0*a0)
			b1 = (v0 - b1) + float64(c1*a1)
			b2 = (v0 - b2) + float64(c2*a2)
			b3 = (v0 - b3) + float64(c3*a3)
			a0 = (v1 - a0) + float64(c0*b0)
			a1 = (v1 - a1) + float64(c1*b1)
			a2 = (v1 - a2) + float64(c2*b2)
			a3 = (v1 - a3) + float64(c3*b3)
		}
		s1[0], s1[1], s1[2], s1[3] = a0, a1, a2, a3
		s2[0], s2[1], s2[2], s2[3] = b0, b1, b2, b3
	}
	{
		c4, c5, c6, c7 := c[4], c[5], c[6], c[7]
		var a4, a5, a6, a7, b4, b5, b6, b7 float64
		for i := 0; i < n; i += 2 {
			v0, v1 := float64(x[i])-dc, float64(x[i+1])-dc
			b4 = (v0 - b4) + float64(c4*a4)
			b5 = (v0 - b5) + float64(c5*a5)
			b6 = (v0 - b6) + float64(c6*a6)
			b7 = (v0 - b7) + float64(c7*a7)
			a4 = (v1 - a4) + float64(c4*b4)
			a5 = (v1 - a5) + float64(c5*b5)
			a6 = (v1 - a6) + float64(c6*b6)
			a7 = (v1 - a7) + float64(c7*b7)
		}
		s1[4], s1[5], s1[6], s1[7] = a4, a5, a6, a7
		s2[4], s2[5], s2[6], s2[7] = b4, b5, b6, b7
	}
	if n < len(x) {
		return bankOne(s1, s2, float64(x[n]), dc, prev, diffSq, c)
	}
	return diffSq, prev
}

// bankOne runs the filters and the first difference over one more sample
// f: an odd sub-block's last.
func bankOne(s1, s2 *[numFilters]float64, f, dc, prev, diffSq float64, c *[numFilters]float64) (float64, float64) {
	d := f - prev
	diffSq += d * d
	v := f - dc
	for i := range s1 {
		s1[i], s2[i] = (v-s2[i])+float64(c[i]*s1[i]), s1[i]
	}
	return diffSq, f
}

// pairState holds the last two states of pair's four recursions: each of
// its two filters runs as two Goertzel filters at twice the frequency, one
// over the even samples and one over the odd.
type pairState struct {
	even1, even2, odd1, odd2 [2]float64
}

// pair runs two Goertzel filters over x (less dc), and returns x's last
// sample. Two filters alone would leave the processor waiting on each
// recursion's latency; split into even and odd samples (at 2ω, with
// coefficient 2cos(2ω) = c² − 2) they make four independent recursions.
// [plan.finishSplit] combines them.
func pair[T int16 | float32 | float64](st *pairState, x []T, dc float64, c *[2]float64) float64 {
	e0, e1 := c[0]*c[0]-2, c[1]*c[1]-2
	var a0, a1, b0, b1 float64 // even samples
	var p0, p1, q0, q1 float64 // odd samples
	n := len(x) &^ 1
	for i := 0; i < n; i += 2 {
		v0, v1 := float64(x[i])-dc, float64(x[i+1])-dc
		b0 = (v0 - b0) + e0*a0
		b1 = (v0 - b1) + e1*a1
		q0 = (v1 - q0) + e0*p0
		q1 = (v1 - q1) + e1*p1
		a0, b0 = b0, a0
		a1, b1 = b1, a1
		p0, q0 = q0, p0
		p1, q1 = q1, p1
	}
	if n < len(x) { // an odd length: the even samples have one more
		v := float64(x[n]) - dc
		a0, b0 = (v-b0)+e0*a0, a0
		a1, b1 = (v-b1)+e1*a1, a1
	}
	st.even1, st.even2 = [2]float64{a0, a1}, [2]float64{b0, b1}
	st.odd1, st.odd2 = [2]float64{p0, p1}, [2]float64{q0, q1}
	return float64(x[len(x)-1])
}
