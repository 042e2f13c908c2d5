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
		var s, ss int64
		for _, v := range x16 {
			s += int64(v)
			ss += int64(v) * int64(v)
		}
		sum, sumSq = float64(s), float64(ss)
	}
	// Track DC slowly (time constant 16 sub-blocks, 80 ms) so that a tone's
	// own short-term mean barely moves it.
	d.dc += (sum/m - d.dc) / 16
	dc := d.dc
	energy := sumSq - 2*dc*sum + m*dc*dc

	xs := &d.ringX[slot]
	bit := uint8(1) << slot
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
		d.syncRot(k)
		r, c := t.cand.row, t.cand.col
		var s1, s2 [2]float64
		coeff := [2]float64{d.p.coeff[r], d.p.coeff[c]}
		if d.fmode {
			d.prev = pair(&s1, &s2, d.fbuf, dc, &coeff)
		} else {
			d.prev = pair(&s1, &s2, x16, dc, &coeff)
		}
		*xs = [numFilters]complex64{}
		xs[r] = complex64(d.p.finish(r, s1[0], s2[0], d.rot[r]))
		xs[c] = complex64(d.p.finish(c, s1[1], s2[1], d.rot[c]))
		d.ringD[slot] = 0
		d.gated &^= bit
		d.partial |= bit
	} else {
		d.syncRot(k)
		var s1, s2 [numFilters]float64
		var diffSq float64
		if d.fmode {
			diffSq, d.prev = bank(&s1, &s2, d.fbuf, dc, d.prev, &d.p.coeff)
		} else {
			diffSq, d.prev = bank(&s1, &s2, x16, dc, d.prev, &d.p.coeff)
		}
		for i := range xs {
			xs[i] = complex64(d.p.finish(i, s1[i], s2[i], d.rot[i]))
		}
		d.ringD[slot] = float32(diffSq)
		d.gated &^= bit
		d.partial &^= bit
	}
	d.sub++
	return d.track.hop(dst, d)
}

// bank runs the eight Goertzel filters over the sub-block x (less dc),
// leaving each filter's last two states in s1 and s2, and returns the
// energy of the first difference of x (prev is the sample before x) and
// x's last sample. The filters run in two passes of four, rows then
// columns, so that each pass's state stays in registers.
func bank[T int16 | float32](s1, s2 *[numFilters]float64, x []T, dc, prev float64, c *[numFilters]float64) (float64, float64) {
	var diffSq float64
	{
		c0, c1, c2, c3 := c[0], c[1], c[2], c[3]
		var a0, a1, a2, a3, b0, b1, b2, b3 float64
		for _, s := range x {
			f := float64(s)
			dv := f - prev
			diffSq += dv * dv
			prev = f
			v := f - dc
			a0, b0 = v+c0*a0-b0, a0
			a1, b1 = v+c1*a1-b1, a1
			a2, b2 = v+c2*a2-b2, a2
			a3, b3 = v+c3*a3-b3, a3
		}
		s1[0], s1[1], s1[2], s1[3] = a0, a1, a2, a3
		s2[0], s2[1], s2[2], s2[3] = b0, b1, b2, b3
	}
	{
		c4, c5, c6, c7 := c[4], c[5], c[6], c[7]
		var a4, a5, a6, a7, b4, b5, b6, b7 float64
		for _, s := range x {
			v := float64(s) - dc
			a4, b4 = v+c4*a4-b4, a4
			a5, b5 = v+c5*a5-b5, a5
			a6, b6 = v+c6*a6-b6, a6
			a7, b7 = v+c7*a7-b7, a7
		}
		s1[4], s1[5], s1[6], s1[7] = a4, a5, a6, a7
		s2[4], s2[5], s2[6], s2[7] = b4, b5, b6, b7
	}
	return diffSq, prev
}

// pair runs two Goertzel filters over x (less dc), leaving their last two
// states in s1 and s2, and returns x's last sample.
func pair[T int16 | float32](s1, s2 *[2]float64, x []T, dc float64, c *[2]float64) float64 {
	c0, c1 := c[0], c[1]
	var a0, a1, b0, b1 float64
	for _, s := range x {
		v := float64(s) - dc
		a0, b0 = v+c0*a0-b0, a0
		a1, b1 = v+c1*a1-b1, a1
	}
	s1[0], s1[1] = a0, a1
	s2[0], s2[1] = b0, b1
	return float64(x[len(x)-1])
}
