package decoder

import (
	"github.com/dtmfkit/dtmfkit/dtmf"
)

// endSubBlock analyses the full sub-block in d.buf and runs the detector.
func (d *Decoder) endSubBlock(dst []dtmf.Event) []dtmf.Event {
	d.fill = 0
	slot := d.sub & (ringSubs - 1)
	x := d.buf

	// Energy, DC and the energy of the first difference.
	var sum, sumSq, diffSq float64
	prev := float64(d.prev)
	for _, v := range x {
		f := float64(v)
		sum += f
		sumSq += f * f
		dv := f - prev
		diffSq += dv * dv
		prev = f
	}
	d.prev = x[len(x)-1]
	h := d.hist[int(d.sub%frameSubs)*len(x):][:len(x)]
	for i, v := range x {
		h[i] = int16(max(-32768, min(32767, v)))
	}
	m := float64(len(x))
	mean := sum / m
	// Track DC slowly (time constant 16 sub-blocks, 80 ms) so that a tone's
	// own short-term mean barely moves it.
	d.dc += (mean - d.dc) / 16
	dc := d.dc
	energy := sumSq - 2*dc*sum + m*dc*dc
	d.ringD[slot] = float32(diffSq)

	xs := &d.ringX[slot]
	bit := uint8(1) << slot
	if energy < d.p.floorE {
		*xs = [numFilters]complex64{}
		d.gated |= bit
	} else {
		d.bank(xs, x, dc)
		d.gated &^= bit
	}
	for i := range d.rot {
		r := d.rot[i] * d.p.step[i]
		// Renormalise: first-order correction keeps |r| at 1 to rounding.
		n := real(r)*real(r) + imag(r)*imag(r)
		d.rot[i] = r * complex((3-n)/2, 0)
	}
	d.sub++
	return d.track.hop(dst, d)
}

// bank runs the eight Goertzel filters over the sub-block x (less dc) and
// stores each filter's DFT, referenced to the absolute sample index, in xs.
func (d *Decoder) bank(xs *[numFilters]complex64, x []float32, dc float64) {
	p := &d.p
	c0, c1, c2, c3 := p.coeff[0], p.coeff[1], p.coeff[2], p.coeff[3]
	c4, c5, c6, c7 := p.coeff[4], p.coeff[5], p.coeff[6], p.coeff[7]
	var a0, a1, a2, a3, a4, a5, a6, a7 float64 // s[n−1]
	var b0, b1, b2, b3, b4, b5, b6, b7 float64 // s[n−2]
	for _, s := range x {
		v := float64(s) - dc
		a0, b0 = v+c0*a0-b0, a0
		a1, b1 = v+c1*a1-b1, a1
		a2, b2 = v+c2*a2-b2, a2
		a3, b3 = v+c3*a3-b3, a3
		a4, b4 = v+c4*a4-b4, a4
		a5, b5 = v+c5*a5-b5, a5
		a6, b6 = v+c6*a6-b6, a6
		a7, b7 = v+c7*a7-b7, a7
	}
	s1 := [numFilters]float64{a0, a1, a2, a3, a4, a5, a6, a7}
	s2 := [numFilters]float64{b0, b1, b2, b3, b4, b5, b6, b7}
	for i := range xs {
		xs[i] = complex64(p.finish(i, s1[i], s2[i], d.rot[i]))
	}
}
