package decoder

import (
	"math"
	"math/cmplx"
	"time"

	"github.com/dtmfkit/dtmfkit/dtmf"
)

type trackState uint8

// confirmDelay: a tone still sounding is confirmed this long after MinOn.
const confirmDelay = 3 * time.Millisecond

// crowdedOn: a key whose tones were crowded (crowdedMargin) when the
// talk-off rules passed it is confirmed once it has lasted this long, if
// its tones stay steady. Under speech a generator's tones go on; a voice's
// partials that pass for them seldom last, or stay steady, so long. Tested
// on the real-audio corpus's tuning half: 30 to 40 ms let through the
// voices, 55 ms and more lose keys pressed under speech.
const crowdedOn = 45 * time.Millisecond

// coveredOn: a key the talk-off rules passed only by taking the energy
// beside a tone for speech (coverPurity) is confirmed once it has lasted
// this long. Tested on the tuning half: up to 55 ms loses no key pressed
// under speech at 8 kHz (one at 16 kHz, from 50 ms), 60 ms more.
const coveredOn = 55 * time.Millisecond

const (
	idle     trackState = iota
	pending             // frames show a key; not yet long enough to report
	down                // key reported with a KeyDown; waiting for its end
	trailing            // a key that passed every rule ended before MinOn: is it a short press?
)

// tracker turns per-frame candidates and per-sub-block tone presence into
// key presses with precise onsets and ends.
type tracker struct {
	state trackState
	// shortOK: while pending, the talk-off rules passed in sub-block
	// lastPresent, at most one sub-block short of MinOn; should the tones
	// end there, trail decides whether they lasted MinOn.
	shortOK bool
	// vetted: the talk-off rules passed the pending key in a crowded
	// frame (crowdedMargin), and it waits to have lasted crowdedOn.
	vetted bool
	// covered: the talk-off rules passed the pending key only by taking
	// sidebands for speech (coverPurity); it waits to have lasted
	// coveredOn. partialSeen: a harmonic probe refused it before.
	covered, partialSeen bool
	cand                 candidate  // the key being confirmed or held, with reference levels
	leak                 complex128 // G(ω_c−ω_r)/M: leakage of the column tone into the row filter

	scaleR, scaleC float64 // amplitude per unit of unmixed magnitude: 2/(M·block response)

	// mag caches |v_r| and |v_c|, the quickly unmixed tones of the key per
	// sub-block of the history, for the key being confirmed or held; bit
	// j%ringSubs of magOK says slot j holds sub-block j's.
	mag   [ringSubs][2]float32
	magOK uint8

	onset      float64 // estimated onset, internal sample position
	onsetFirst int64   // the first present sub-block the onset was fitted from
	detected   int64   // input offset of the KeyDown

	lastPresent int64   // last sub-block in which the key's tones were present (held, or passing while pending)
	absent      int64   // sub-blocks without the key since lastPresent
	end         float64 // estimated end, internal sample position

	floor float64 // no onset may precede this internal position (last End)

	streamEnd int64 // when flushing, the stream's length in input samples
}

// hop runs after every sub-block.
func (t *tracker) hop(dst []dtmf.Event, d *Decoder) []dtmf.Event {
	k := d.sub - 1
	switch t.state {
	case idle:
		if d.frameGated(k) {
			d.floor = [numFilters]float32{}
			return dst // silence: nothing to analyse
		}
		if c := d.analyse(k); c.key != 0 {
			t.begin(c, d)
			dst = t.confirm(dst, d, k)
		}
	case pending:
		switch c := d.analyse(k); {
		case c.key == t.cand.key:
			t.setCandidate(c, d)
			dst = t.confirm(dst, d, k)
		case c.key != 0:
			if t.shortOK {
				// The short press ended in another key: settle it with
				// what the history holds.
				t.end = t.endEstimate(d)
				dst = t.settleShort(dst, d)
			}
			t.begin(c, d)
			dst = t.confirm(dst, d, k)
		default:
			t.state = idle
			if t.shortOK {
				t.state, t.absent = trailing, k-t.lastPresent-1
				if t.absent >= 2 {
					t.end = t.endEstimate(d)
				}
				dst = t.trail(dst, d, k)
			}
		}
	case down:
		dst = t.hold(dst, d, k)
	case trailing:
		dst = t.trail(dst, d, k)
	}
	return dst
}

// trail follows a key that passed every rule but ended before it had
// lasted MinOn by whole sub-blocks: once its tones have been absent for
// MinOff, its fitted onset and end say whether it lasted MinOn (a short
// press, reported then with both events). If they come back within MinOff
// it was a dropout, and confirmation resumes.
func (t *tracker) trail(dst []dtmf.Event, d *Decoder, k int64) []dtmf.Event {
	if t.presence(d, k) {
		t.state = pending
		return dst
	}
	if !t.countAbsence(d) {
		return dst
	}
	return t.settleShort(dst, d)
}

// countAbsence counts one more sub-block without the key's tones, placing
// its end at the second (while the last present sub-blocks and the fall
// after them are in the history; a bridged absence discards it), and
// reports whether they have now been absent for MinOff.
func (t *tracker) countAbsence(d *Decoder) bool {
	t.absent++
	if t.absent == 2 {
		t.end = t.endEstimate(d)
	}
	return t.absent >= d.p.offSubs
}

// settleShort reports the trailing short press if it lasted MinOn from its
// onset to its end, both fitted to the sample.
func (t *tracker) settleShort(dst []dtmf.Event, d *Decoder) []dtmf.Event {
	t.state, t.shortOK = idle, false
	if t.end-t.onset < d.p.cfg.MinOn.Seconds()*d.p.rate {
		return dst
	}
	t.detected = t.clamp(int64(d.sub) * int64(d.p.subLen) * int64(d.p.decim))
	dst = append(dst, dtmf.Event{
		Digit:    t.cand.key,
		Kind:     dtmf.KeyDown,
		Start:    t.input(d, t.onset),
		Detected: t.detected,
	})
	return t.release(dst, d)
}

// setCandidate makes c the key being confirmed or held, with the
// amplitude scales its block responses imply.
func (t *tracker) setCandidate(c candidate, d *Decoder) {
	t.cand = c
	m := float64(d.p.subLen)
	t.scaleR, t.scaleC = 2/(m*c.respR), 2/(m*c.respC)
}

func (t *tracker) begin(c candidate, d *Decoder) {
	t.state = pending
	t.setCandidate(c, d)
	t.magOK = 0
	t.shortOK, t.vetted, t.covered, t.partialSeen = false, false, false, false
	t.onset, t.onsetFirst = math.NaN(), -1
	p := &d.p
	// Σ_{m<M} e^(j(ω_c−ω_r)m)/M, from the per-sample and per-block phase
	// advances the plan holds: no trigonometry.
	r, c2 := int(c.row), int(c.col)
	t.leak = geometricSum(p.turn(c2)*cmplx.Conj(p.turn(r)), cmplx.Conj(p.step[c2])*p.step[r], p.subLen)
}

// unmix returns the contributions of the key's row and column tones to
// their own filters in sub-block j, assuming both fill it. Over a short
// block the two tones leak into each other's filters (−14 dB at the closest
// pair). With Δω = ω_c − ω_r, the column tone adds κ·v_c to the row filter
// and the row tone adds κ*·v_r to the column filter, where
// κ = e^(jΔω·n_j)·Σ_{m<M} e^(jΔω·m)/M: a 2×2 solve.
func (t *tracker) unmix(d *Decoder, j int64) (vr, vc complex128) {
	if j < 0 || j <= d.sub-1-ringSubs {
		return 0, 0
	}
	r, c := int(t.cand.row), int(t.cand.col)
	kappa := d.rotAt(r, j) * cmplx.Conj(d.rotAt(c, j)) * t.leak
	xr := complex128(d.ringX[j&(ringSubs-1)][r])
	xc := complex128(d.ringX[j&(ringSubs-1)][c])
	inv := 1 / (1 - (real(kappa)*real(kappa) + imag(kappa)*imag(kappa)))
	return scale(xr-kappa*xc, inv), scale(xc-cmplx.Conj(kappa)*xr, inv)
}

// unmixExact is unmix that also removes each tone's negative-frequency
// image from both filters, for the references that place a press's edges:
// the image of a 941 Hz tone moves a 5 ms block's reading by up to 3 %
// with its phase. With g(θ) = Σ_{m<M} e^(jθm)/M, the row filter reads
//
//	X_r = v_r + κ·v_c + ρ_r²·g(−2ω_r)·v_r* + ρ_r·ρ_c·g(−ω_r−ω_c)·v_c*
//
// (ρ_i the phase references e^(−jω_i·n_j)), the column filter likewise. In
// the real and imaginary parts of v_r and v_c this is a symmetric 4×4
// system, diagonally dominant (every coupling is below 0.2), solved
// directly.
func (t *tracker) unmixExact(d *Decoder, j int64) (vr, vc complex128) {
	if j < 0 || j <= d.sub-1-ringSubs || j >= d.sub {
		return 0, 0
	}
	p := &d.p
	r, c := int(t.cand.row), int(t.cand.col)
	rr, rc := d.rotAt(r, j), d.rotAt(c, j)
	m := p.subLen
	// g(θ)/M at θ = −2ω_r, −2ω_c and −ω_r−ω_c, from the plan's phase
	// advances e^(jω) per sample and e^(−jωM) per block.
	er, ec := cmplx.Conj(p.turn(r)), cmplx.Conj(p.turn(c))
	sr, sc := p.step[r], p.step[c]
	kappa := rr * cmplx.Conj(rc) * t.leak
	imRR := rr * rr * geometricSum(er*er, sr*sr, m)
	imCC := rc * rc * geometricSum(ec*ec, sc*sc, m)
	imRC := rr * rc * geometricSum(er*ec, sr*sc, m)
	xr := complex128(d.ringX[j&(ringSubs-1)][r])
	xc := complex128(d.ringX[j&(ringSubs-1)][c])
	kr, ki := real(kappa), imag(kappa)
	ar, ai := real(imRR), imag(imRR)
	br, bi := real(imRC), imag(imRC)
	er2, ei2 := real(imCC), imag(imCC)
	u := solve4([4][4]float64{
		{1 + ar, ai, kr + br, bi - ki},
		{ai, 1 - ar, ki + bi, kr - br},
		{kr + br, ki + bi, 1 + er2, ei2},
		{bi - ki, kr - br, ei2, 1 - er2},
	}, [4]float64{real(xr), imag(xr), real(xc), imag(xc)})
	return complex(u[0], u[1]), complex(u[2], u[3])
}

// solve4 solves a·u = b by Gaussian elimination without pivoting, which a
// diagonally dominant a does not need; written out, so that the matrix
// stays in registers.
func solve4(a [4][4]float64, b [4]float64) [4]float64 {
	a00, a01, a02, a03, b0 := a[0][0], a[0][1], a[0][2], a[0][3], b[0]
	a10, a11, a12, a13, b1 := a[1][0], a[1][1], a[1][2], a[1][3], b[1]
	a20, a21, a22, a23, b2 := a[2][0], a[2][1], a[2][2], a[2][3], b[2]
	a30, a31, a32, a33, b3 := a[3][0], a[3][1], a[3][2], a[3][3], b[3]
	// Eliminate column 0.
	f1, f2, f3 := a10/a00, a20/a00, a30/a00
	a11, a12, a13, b1 = a11-f1*a01, a12-f1*a02, a13-f1*a03, b1-f1*b0
	a21, a22, a23, b2 = a21-f2*a01, a22-f2*a02, a23-f2*a03, b2-f2*b0
	a31, a32, a33, b3 = a31-f3*a01, a32-f3*a02, a33-f3*a03, b3-f3*b0
	// Column 1.
	f2, f3 = a21/a11, a31/a11
	a22, a23, b2 = a22-f2*a12, a23-f2*a13, b2-f2*b1
	a32, a33, b3 = a32-f3*a12, a33-f3*a13, b3-f3*b1
	// Column 2.
	f3 = a32 / a22
	a33, b3 = a33-f3*a23, b3-f3*b2
	// Back substitution.
	u3 := b3 / a33
	u2 := (b2 - a23*u3) / a22
	u1 := (b1 - a12*u2 - a13*u3) / a11
	u0 := (b0 - a01*u1 - a02*u2 - a03*u3) / a00
	return [4]float64{u0, u1, u2, u3}
}

// amplitudes returns the amplitudes of the key's tones in sub-block j.
func (t *tracker) amplitudes(d *Decoder, j int64) (ar, ac float64) {
	if j < 0 || j <= d.sub-1-ringSubs {
		return 0, 0 // not in the history
	}
	slot := j & (ringSubs - 1)
	if t.magOK&(1<<slot) == 0 {
		vr, vc := t.unmix(d, j)
		t.mag[slot] = [2]float32{float32(abs(vr)), float32(abs(vc))}
		t.magOK |= 1 << slot
	}
	return float64(t.mag[slot][0]) * t.scaleR, float64(t.mag[slot][1]) * t.scaleC
}

// refresh sets the reference amplitudes to the mean of the tones'
// amplitudes over the frame ending with sub-block k. It reports false if
// they are not steady over it (any sub-block below steadyRatio of the mean).
func (t *tracker) refresh(d *Decoder, k int64, steady float64) bool {
	var ar, ac [frameSubs]float64
	var sr, sc float64
	for i := range frameSubs {
		ar[i], ac[i] = t.amplitudes(d, k-int64(i))
		sr += ar[i]
		sc += ac[i]
	}
	sr /= frameSubs
	sc /= frameSubs
	for i := range frameSubs {
		if ar[i] < steady*sr || ac[i] < steady*sc {
			return false
		}
	}
	t.cand.ampR, t.cand.ampC = sr, sc
	return true
}

// presence reports whether both tones are present in sub-block j: each at
// presentRatio of its reference amplitude.
func (t *tracker) presence(d *Decoder, j int64) bool {
	ar, ac := t.amplitudes(d, j)
	return ar >= presentRatio*t.cand.ampR && ac >= presentRatio*t.cand.ampC
}

// fills reports whether the key's tones seem to fill at least the fraction
// ratio (at most 1) of sub-block j: the mean of their amplitudes relative to
// the references, ½(a_r/A_r + a_c/A_c), reaches it. (Multiplied out, as
// this runs for every sub-block of the history.)
func (t *tracker) fills(d *Decoder, j int64, ratio float64) bool {
	ar, ac := t.amplitudes(d, j)
	refR, refC := t.cand.ampR, t.cand.ampC
	return ar*refC+ac*refR >= 2*ratio*refR*refC
}

// edgeFill returns the fraction of sub-block j the key's tones fill, where
// j holds the start (rising) or the end of a press and sub-block ref next
// to it is full. The tones' complex amplitudes and frequencies in ref give
// the waveform they would have in j; the filters' outputs are predicted for
// the tones starting (or stopping) at every sample of j and the best match
// with the measured outputs, refined between samples, gives the fill. This
// models the tones' leakage into each other's filters and their negative-
// frequency images exactly, which a 2×2 unmixing of a short part cannot.
func (t *tracker) edgeFill(d *Decoder, j int64, r edgeRef) float64 {
	p := &d.p
	if j < 0 || j <= d.sub-1-ringSubs || !r.ok {
		return 0
	}
	m := p.subLen
	idx := [2]int{int(t.cand.row), int(t.cand.col)}
	var w [2]complex128    // per tone: analytic phasor at the start of j
	var meas [2]complex128 // measured outputs, referenced to the start of j
	for i := range w {
		// The tone's phasor at the start of j, e^(jδ·M) per block from
		// ref's, in the filter's absolute frame; e^(jω·n_j) = conj(rot).
		a := r.start[i]
		for n := r.ref; n < j; n++ {
			a *= r.blk[i]
		}
		for n := r.ref; n > j; n-- {
			a *= cmplx.Conj(r.blk[i])
		}
		rot := cmplx.Conj(d.rotAt(idx[i], j))
		w[i] = a * rot
		meas[i] = rot * complex128(d.ringX[j&(ringSubs-1)][idx[i]])
	}
	// The residual for the tones over n samples of j (the last n for a
	// rise, the first n for a fall) is Σ_i |meas_i|² + |pred_i(n)|² −
	// 2·Re(meas_i*·pred_i(n)), pred_i being filter i's output for the
	// predicted tones x̂ over those samples. Both parts come from real
	// recurrences, with no rotation per sample:
	//   - |pred_i(n)|² is the Goertzel power of x̂ over them, run forwards
	//     for a fall, backwards (from the block's end) for a rise;
	//   - Re(meas_i*·pred_i(n)) = Σ x̂(s)·ρ_i(s) over them, with
	//     ρ_i(s) = Re(meas_i*·e^(−jω_i·s)), from running sums.
	rising := r.rising
	var tones [maxSubLen]float64
	var g, cross [2][maxSubLen + 2]float64 // [i][n]: Goertzel state, running sum after n samples
	var energy float64                     // Σ_i |meas_i|²
	for i := range 2 {
		energy += real(meas[i])*real(meas[i]) + imag(meas[i])*imag(meas[i])
	}
	// One pass renders the predicted tones, by the recurrence
	// y[s+1] = 2cos(θ)·y[s] − y[s−1], and the running correlations with
	// ρ_0 and ρ_1; a second runs the two Goertzel filters over the tones.
	// Each pass keeps several independent recursions in flight.
	{
		t0, t1 := r.turn[0], r.turn[1]
		y0, p0, k0 := 2*real(w[0]), 2*real(w[0]*cmplx.Conj(t0)), 2*real(t0)
		y1, p1, k1 := 2*real(w[1]), 2*real(w[1]*cmplx.Conj(t1)), 2*real(t1)
		c0, c1 := p.coeff[idx[0]], p.coeff[idx[1]]
		r0, q0 := real(meas[0]), real(cmplx.Conj(meas[0])*p.turn(idx[0]))
		r1, q1 := real(meas[1]), real(cmplx.Conj(meas[1])*p.turn(idx[1]))
		var sum0, sum1 float64
		cs0, cs1 := cross[0][1:m+1], cross[1][1:m+1]
		for n := range tones[:m] {
			x := y0 + y1
			tones[n] = x
			sum0 += x * r0
			sum1 += x * r1
			cs0[n], cs1[n] = sum0, sum1
			y0, p0 = k0*y0-p0, y0
			y1, p1 = k1*y1-p1, y1
			r0, q0 = c0*r0-q0, r0
			r1, q1 = c1*r1-q1, r1
		}
	}
	{
		c0, c1 := p.coeff[idx[0]], p.coeff[idx[1]]
		var a0, b0, a1, b1 float64
		g0, g1 := g[0][1:m+1], g[1][1:m+1]
		for n := range g0 {
			x := tones[n]
			if rising {
				x = tones[m-1-n]
			}
			a0, b0 = (x-b0)+c0*a0, a0
			a1, b1 = (x-b1)+c1*a1, a1
			g0[n], g1[n] = a0, a1
		}
	}
	// power returns |pred_i(n)|² from the Goertzel states after n samples.
	power := func(i, n int) float64 {
		if n == 0 {
			return 0
		}
		s1, s2 := g[i][n], g[i][n-1]
		return s1*s1 + s2*s2 - p.coeff[idx[i]]*s1*s2
	}
	residual := func(n int) float64 {
		sq := energy
		for i := range 2 {
			xc := cross[i][n] // the first n samples: the end of a press
			if rising {
				xc = cross[i][m] - cross[i][m-n] // the last n: its start
			}
			sq += power(i, n) - 2*xc
		}
		return sq
	}
	// The residual has local minima a few samples apart (the predicted
	// outputs spiral as samples are added), so the search starts from the
	// linear estimate: the measured outputs projected on the full block's.
	var num, den float64
	for i := range 2 {
		num += cross[i][m]
		den += power(i, m)
	}
	if den == 0 {
		return 0
	}
	seed := int(math.Round(max(0, min(1, num/den)) * float64(m)))
	best, bestR := seed, residual(seed)
	for n := max(0, seed-searchSpan); n <= min(m, seed+searchSpan); n++ {
		if r := residual(n); r < bestR {
			best, bestR = n, r
		}
	}
	fill := float64(best)
	if best > 0 && best < m {
		// The vertex of the parabola through the three residuals around
		// the minimum, which lies within half a sample of it when the
		// minimum is lower than both its neighbours. (At the edge of the
		// search a neighbour can be lower: then the sample stands.)
		lo, hi := residual(best-1), residual(best+1)
		if den := lo - 2*bestR + hi; den > 0 && lo >= bestR && hi >= bestR {
			fill += 0.5 * (lo - hi) / den
		}
	}
	return fill / float64(m)
}

// edgeRef is the reference an edge fit measures against, from the full
// sub-block ref: per tone, its analytic phasor at the start of ref, its
// phase advance per block (e^(jδM)) and per sample (e^(j(ω+δ))).
type edgeRef struct {
	ref              int64
	rising           bool
	ok               bool
	start, blk, turn [2]complex128
}

func (t *tracker) edgeReference(d *Decoder, ref int64, rising bool) edgeRef {
	if ref <= d.sub-1-ringSubs || ref >= d.sub {
		return edgeRef{}
	}
	v, dw := t.reference(d, ref, rising)
	r := edgeRef{ref: ref, rising: rising, ok: v[0] != 0 && v[1] != 0}
	m := d.p.subLen
	for i, f := range [2]int{int(t.cand.row), int(t.cand.col)} {
		// v = (a/2)e^(jφ)·Σ_{s<M} e^(jδ(n_ref+s)) in the filter's absolute
		// frame: divided by the sum, the phasor at the start of ref.
		step := expSmall(dw[i])
		r.blk[i] = powN(step, m)
		r.start[i] = cdiv(v[i], scale(geometricSum(step, r.blk[i], m), float64(m)))
		r.turn[i] = d.p.turn(f) * step
	}
	return r
}

// reference returns the tones' contributions to their filters in the
// full sub-block ref, exactly unmixed, and each tone's offset from its
// filter's frequency in radians per sample. When the next sub-block away
// from the edge (ref+1 for a rise, ref−1 for a fall) is in the history, the
// offsets come from the phase advance between the two, which for clean
// unmixed values is more precise than the frame estimate, and the two are
// averaged once aligned.
func (t *tracker) reference(d *Decoder, ref int64, rising bool) (v [2]complex128, dw [2]float64) {
	p := &d.p
	toRad := 2 * math.Pi / p.rate
	v[0], v[1] = t.unmixExact(d, ref)
	dw = [2]float64{t.cand.devR * toRad, t.cand.devC * toRad}
	next := ref - 1
	if rising {
		next = ref + 1
	}
	nr, nc := t.unmixExact(d, next)
	if nr == 0 || nc == 0 || v[0] == 0 || v[1] == 0 {
		return v, dw
	}
	steps := float64(next-ref) * float64(p.subLen) // samples from ref to next
	for i, n := range [2]complex128{nr, nc} {
		// δ·steps is the phase of n·conj(v) (|δ·M| < π for any accepted
		// tone); n rotated back by it is |n| in v's direction.
		dw[i] = cmplx.Phase(n*cmplx.Conj(v[i])) / steps
		v[i] = scale(v[i], (1+abs(n)/abs(v[i]))/2)
	}
	return v, dw
}

// geometricSum returns Σ_{m<n} z^m / n for |z| = 1, given zn = z^n: the
// mean phasor of a tone over an n-sample block.
func geometricSum(z, zn complex128, n int) complex128 {
	den := 1 - z
	d2 := real(den)*real(den) + imag(den)*imag(den)
	if d2 < 1e-20 {
		return 1
	}
	return scale((1-zn)*cmplx.Conj(den), 1/(d2*float64(n)))
}

// expSmall returns e^(jx) for the small angles of a tone's offset (radians
// per sample, under 0.1), by its Taylor series, exact to double precision
// there; larger angles go to math.Sincos.
func expSmall(x float64) complex128 {
	if math.Abs(x) > 0.1 {
		return cmplx.Rect(1, x)
	}
	x2 := x * x
	cos := 1 - x2/2*(1-x2/12*(1-x2/30*(1-x2/56*(1-x2/90))))
	sin := x * (1 - x2/6*(1-x2/20*(1-x2/42*(1-x2/72*(1-x2/110)))))
	return complex(cos, sin)
}

// powN returns z^n, n ≥ 0, by repeated squaring.
func powN(z complex128, n int) complex128 {
	r := complex128(1)
	for ; n > 0; n >>= 1 {
		if n&1 != 0 {
			r *= z
		}
		z *= z
	}
	return r
}

// scale returns z·a for real a, without the complex multiply Go would do.
func scale(z complex128, a float64) complex128 { return complex(real(z)*a, imag(z)*a) }

// cdiv returns a/b, b ≠ 0, for finite values: Go's complex division also
// handles infinities and NaN, at a price.
func cdiv(a, b complex128) complex128 {
	return scale(a*cmplx.Conj(b), 1/(real(b)*real(b)+imag(b)*imag(b)))
}

// abs is |z|. The decoder's values are far from overflow, so it skips
// math.Hypot's scaling.
func abs(z complex128) float64 { return math.Sqrt(real(z)*real(z) + imag(z)*imag(z)) }

// confirm reports the pending key once its tones have been steady for a
// frame and have lasted MinOn with no more than a 10 ms interruption.
func (t *tracker) confirm(dst []dtmf.Event, d *Decoder, k int64) []dtmf.Event {
	steady := steadyRatio
	if t.cand.loose {
		steady = looseSteady
	}
	if !t.refresh(d, k, steady) {
		return dst // not steady over the last frame (or still rising)
	}
	if !t.fills(d, k, fullRatio) {
		return dst // the tones do not fill the latest sub-block
	}
	// Walk back through the history to the start of the run of present
	// sub-blocks, bridging short absences.
	first, gap, gaps := k, int64(0), int64(0)
	complete := false
	for j := k - 1; ; j-- {
		if j < 0 {
			complete = true // the run starts with the stream
			break
		}
		if j <= k-ringSubs {
			break // history exhausted: keep the onset found earlier
		}
		if t.presence(d, j) {
			first, gaps, gap = j, gaps+gap, 0
			continue
		}
		if gap++; gap > bridgeSubs {
			complete = true
			break
		}
	}
	if gaps > bridgeSubs {
		return dst
	}
	m := float64(d.p.subLen)
	end := float64(k+1) * m
	// A tone that lasts confirms once it has lasted confirmDelay more than
	// MinOn: a little more to go on for the talk-off rules. One that ends
	// sooner but lasted MinOn is reported at its end (trail).
	minOn := (d.p.cfg.MinOn + confirmDelay).Seconds() * d.p.rate
	// Fit the onset when the run's start is in the history, and again
	// until the sub-blocks after it that the fit takes as references are
	// all there; then keep it (with a long MinOn it leaves the history).
	// A run whose start has already left the history (the key became a
	// candidate late, say after an interruption) is fitted from its
	// earliest sub-block still there.
	// A fit that could not place the onset MinOn before the end cannot
	// confirm the key; it is skipped when the fit that could will still be
	// made within the refitting sub-blocks (always, unless MinOn is long).
	if (complete && (first != t.onsetFirst || k < first+refitSubs)) || math.IsNaN(t.onset) {
		if reach := float64(onsetReach) * m; end-float64(first)*m+reach < minOn &&
			float64(refitSubs+onsetReach)*m >= minOn {
			return dst
		}
		t.onset = max(t.onsetEstimate(d, first, k), t.floor)
		t.onsetFirst = first
	}
	if end-t.onset < minOn {
		// Not yet MinOn by whole sub-blocks. A tone that ends before
		// then may still have lasted MinOn (trail): the talk-off rules
		// are asked now, while a frame fully inside it is at hand.
		if end-t.onset >= minOn-float64(d.p.subLen)-confirmDelay.Seconds()*d.p.rate {
			// A press that short must be a clean pair of tones: there is
			// too little of it to tell a voice by.
			t.shortOK = false
			if !t.cand.loose {
				v := t.refuse(d, k)
				t.shortOK = v.rule == Accepted && v.clean
			}
			t.lastPresent = k
		}
		return dst
	}
	// A clean pass of the talk-off rules one sub-block ago (the short-press
	// check, on a frame 5 ms older) stands: judging the frame again would
	// cost a fit of the tones per key for nothing (on dense keying 15 % of
	// the decoder's instructions).
	if !t.vetted && !(t.shortOK && t.lastPresent == k-1) {
		v := t.refuse(d, k)
		if v.rule != Accepted {
			return dst // partials of music or a voice, not a generator's sines
		}
		t.vetted, t.covered = v.crowded, v.covered
	}
	on := crowdedOn
	if t.covered {
		on = coveredOn
	}
	if t.vetted && end-t.onset < on.Seconds()*d.p.rate {
		return dst // crowded tones: not yet long enough to tell
	}
	t.state = down
	t.detected = t.clamp(int64(k+1) * int64(d.p.subLen) * int64(d.p.decim))
	t.lastPresent, t.absent = k, 0
	return append(dst, dtmf.Event{
		Digit:    t.cand.key,
		Kind:     dtmf.KeyDown,
		Start:    t.input(d, t.onset),
		Detected: t.detected,
	})
}

// hold follows a reported key until its tones have been absent for MinOff.
// A different key that follows without a pause ends it the same way, its
// tones no longer both present, and is then found as a new press.
func (t *tracker) hold(dst []dtmf.Event, d *Decoder, k int64) []dtmf.Event {
	if t.presence(d, k) {
		t.lastPresent, t.absent = k, 0
		return dst
	}
	if !t.countAbsence(d) {
		return dst
	}
	return t.release(dst, d)
}

// onsetEstimate places the onset of a press whose first present sub-block
// is first: from the first sub-block the tones fill (ref), back over the
// sub-blocks they fill only in part (a ramp may span two), summing the tone
// mass of each as fitted against ref. For a ramped tone this is about the
// half-amplitude point of the rise.
func (t *tracker) onsetEstimate(d *Decoder, first, k int64) float64 {
	ref := first
	for ref < min(first+2, k-1) && !(t.full(d, ref) && t.full(d, ref+1)) {
		ref++
	}
	r := t.edgeReference(d, ref, true)
	mass := 0.0
	for j := ref - 1; j >= ref-onsetReach; j-- {
		f := t.edgeFill(d, j, r) // at most 1
		if f < edgeSlack {
			break
		}
		mass += f
	}
	return (float64(ref) - mass) * float64(d.p.subLen)
}

// endEstimate is onsetEstimate's mirror for the end of the held key: from
// the last sub-block the tones fill, on over those they fill in part.
func (t *tracker) endEstimate(d *Decoder) float64 {
	ref := t.lastPresent
	for ref > t.lastPresent-2 && !(t.full(d, ref) && t.full(d, ref-1)) {
		ref--
	}
	r := t.edgeReference(d, ref, false)
	mass := 0.0
	for j := ref + 1; j <= ref+3 && j < d.sub; j++ {
		f := t.edgeFill(d, j, r)
		if f < edgeSlack {
			break
		}
		mass += f
	}
	return (float64(ref+1) + mass) * float64(d.p.subLen)
}

// full reports whether the key's tones seem to fill sub-block j, by the
// quick unmixing; the edge fits refine the rest.
func (t *tracker) full(d *Decoder, j int64) bool {
	return t.fills(d, j, fullFill)
}

// release appends the KeyUp of the held key and returns to idle.
func (t *tracker) release(dst []dtmf.Event, d *Decoder) []dtmf.Event {
	t.floor = t.end
	t.state = idle
	return append(dst, dtmf.Event{
		Digit:    t.cand.key,
		Kind:     dtmf.KeyUp,
		Start:    t.input(d, t.onset),
		Detected: t.detected,
		End:      max(t.input(d, t.end), t.detected),
	})
}

// flush releases a key still held at the end of a stream.
func (t *tracker) flush(dst []dtmf.Event, d *Decoder) []dtmf.Event {
	if t.state == trailing {
		if t.absent < 2 {
			t.end = t.endEstimate(d)
		}
		return t.settleShort(dst, d)
	}
	if t.state == down {
		if t.absent < 2 { // the end has not been placed yet
			t.end = t.endEstimate(d)
		}
		dst = t.release(dst, d)
	}
	return dst
}

// input maps an internal sample position to an input sample offset. An
// internal sample stands for the centre of the CIC's span of input samples,
// (decim−1)/2 behind the last one it includes.
func (t *tracker) input(d *Decoder, pos float64) int64 {
	dec := float64(d.p.decim)
	return t.clamp(max(0, int64(math.Round(pos*dec-(dec-1)/2))))
}

func (t *tracker) clamp(n int64) int64 {
	if t.streamEnd > 0 {
		return min(n, t.streamEnd)
	}
	return n
}
