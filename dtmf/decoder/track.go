package decoder

import (
	"math"
	"math/cmplx"

	"github.com/dtmfkit/dtmfkit/dtmf"
)

type trackState uint8

const (
	idle    trackState = iota
	pending            // frames show a key; not yet long enough to report
	down               // key reported with a KeyDown; waiting for its end
)

// tracker turns per-frame candidates and per-sub-block tone presence into
// key presses with precise onsets and ends.
type tracker struct {
	state trackState
	cand  candidate  // the key being confirmed or held, with reference levels
	leak  complex128 // G(ω_c−ω_r)/M: leakage of the column tone into the row filter

	respR, respC float64 // the candidate's block responses at its offsets

	onset      float64 // estimated onset, internal sample position
	onsetFirst int64   // the first present sub-block the onset was fitted from
	slowRise   bool    // the tones rose too slowly at that onset for a key
	detected   int64   // input offset of the KeyDown

	lastPresent int64   // last sub-block in which the key's tones were present
	absent      int64   // sub-blocks without the key since lastPresent
	end         float64 // estimated end, internal sample position

	floor     float64 // no onset may precede this internal position (last End)
	streamEnd int64   // when flushing, the stream's length in input samples
}

// hop runs after every sub-block.
func (t *tracker) hop(dst []dtmf.Event, d *Decoder) []dtmf.Event {
	k := d.sub - 1
	switch t.state {
	case idle:
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
			t.begin(c, d)
			dst = t.confirm(dst, d, k)
		default:
			t.state = idle
		}
	case down:
		dst = t.hold(dst, d, k)
	}
	return dst
}

// setCandidate makes c the key being confirmed or held, with the block
// responses its frequency offsets imply.
func (t *tracker) setCandidate(c candidate, d *Decoder) {
	t.cand = c
	t.respR = blockResponse(c.devR, d.p.subLen, d.p.rate)
	t.respC = blockResponse(c.devC, d.p.subLen, d.p.rate)
}

func (t *tracker) begin(c candidate, d *Decoder) {
	t.state = pending
	t.setCandidate(c, d)
	t.onset, t.onsetFirst, t.slowRise = math.NaN(), -1, false
	p := &d.p
	dw := 2 * math.Pi * (p.freq[c.col] - p.freq[c.row]) / p.rate
	var g complex128
	for m := range p.subLen {
		g += cmplx.Rect(1, dw*float64(m))
	}
	t.leak = g / complex(float64(p.subLen), 0)
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
	r, c := t.cand.row, t.cand.col
	kappa := d.rotAt(r, j) * cmplx.Conj(d.rotAt(c, j)) * t.leak
	xr := complex128(d.ringX[j&(ringSubs-1)][r])
	xc := complex128(d.ringX[j&(ringSubs-1)][c])
	det := complex(1-(real(kappa)*real(kappa)+imag(kappa)*imag(kappa)), 0)
	return (xr - kappa*xc) / det, (xc - cmplx.Conj(kappa)*xr) / det
}

// unmixExact is unmix that also removes each tone's negative-frequency
// image from both filters, for the references that place a press's edges:
// the image of a 941 Hz tone moves a 5 ms block's reading by up to 3 %
// with its phase. With g(θ) = Σ_{m<M} e^(jθm)/M, the row filter reads
//
//	X_r = v_r + κ·v_c + ρ_r²·g(−2ω_r)·v_r* + ρ_r·ρ_c·g(−ω_r−ω_c)·v_c*
//
// (ρ_i the phase references e^(−jω_i·n_j)), the column filter likewise; all
// couplings are below 0.2, so a few Jacobi steps solve it.
func (t *tracker) unmixExact(d *Decoder, j int64) (vr, vc complex128) {
	if j < 0 || j <= d.sub-1-ringSubs || j >= d.sub {
		return 0, 0
	}
	p := &d.p
	r, c := t.cand.row, t.cand.col
	rr, rc := d.rotAt(r, j), d.rotAt(c, j)
	m := p.subLen
	wr := 2 * math.Pi * p.freq[r] / p.rate
	wc := 2 * math.Pi * p.freq[c] / p.rate
	kappa := rr * cmplx.Conj(rc) * t.leak
	imRR := rr * rr * geometric(-2*wr, m) / complex(float64(m), 0)
	imCC := rc * rc * geometric(-2*wc, m) / complex(float64(m), 0)
	imRC := rr * rc * geometric(-wr-wc, m) / complex(float64(m), 0)
	xr := complex128(d.ringX[j&(ringSubs-1)][r])
	xc := complex128(d.ringX[j&(ringSubs-1)][c])
	vr, vc = xr, xc
	for range 6 {
		vr, vc = xr-kappa*vc-imRR*cmplx.Conj(vr)-imRC*cmplx.Conj(vc),
			xc-cmplx.Conj(kappa)*vr-imRC*cmplx.Conj(vr)-imCC*cmplx.Conj(vc)
	}
	return vr, vc
}

// amplitudes returns the amplitudes of the key's tones in sub-block j.
func (t *tracker) amplitudes(d *Decoder, j int64) (ar, ac float64) {
	p := &d.p
	vr, vc := t.unmix(d, j)
	m := float64(p.subLen)
	ar = 2 * cmplx.Abs(vr) / (m * t.respR)
	ac = 2 * cmplx.Abs(vc) / (m * t.respC)
	return ar, ac
}

// refresh sets the reference amplitudes to the mean of the tones'
// amplitudes over the frame ending with sub-block k. It reports false if
// they are not steady over it (any sub-block below steadyRatio of the mean).
func (t *tracker) refresh(d *Decoder, k int64) bool {
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
		if ar[i] < steadyRatio*sr || ac[i] < steadyRatio*sc {
			return false
		}
	}
	t.cand.ampR, t.cand.ampC = sr, sc
	return true
}

// presence reports whether both tones are present in sub-block j, and the
// fraction of the sub-block the key seems to fill.
func (t *tracker) presence(d *Decoder, j int64) (bool, float64) {
	ar, ac := t.amplitudes(d, j)
	rr, rc := ar/t.cand.ampR, ac/t.cand.ampC
	return min(rr, rc) >= presentRatio, min((rr+rc)/2, 1)
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
	ref, rising, vs, dws := r.ref, r.rising, r.v, r.dw
	idx := [2]int{t.cand.row, t.cand.col}
	var w, turn [2]complex128 // per tone: phasor at the start of j, step per sample
	var meas [2]complex128    // measured outputs, referenced to the start of j
	for i, v := range vs {
		dw := real(dws[i])
		rot := d.rotAt(idx[i], j)
		// v = (a/2)e^(jφ)·e^(jδ·n_ref)·G(δ) in the filter's absolute frame;
		// the tone's analytic phasor at the start of j is then
		// v·e^(jδ(n_j−n_ref))/G(δ)·e^(jω·n_j), and e^(jω·n_j) = conj(rot).
		w[i] = v * cmplx.Rect(1, dw*float64((j-ref)*int64(m))) / geometric(dw, m) * cmplx.Conj(rot)
		turn[i] = cmplx.Rect(1, 2*math.Pi*p.freq[idx[i]]/p.rate+dw)
		meas[i] = cmplx.Conj(rot) * complex128(d.ringX[j&(ringSubs-1)][idx[i]])
	}
	// cum[i][n] = Σ_{s<n} x̂(s)·e^(−jω_i·s): the predicted output of filter i
	// for the tones over samples [0, n).
	var cum [2][maxSubLen + 1]complex128
	z := w
	var e [2]complex128 = [2]complex128{1, 1}
	down := [2]complex128{cmplx.Rect(1, -2*math.Pi*p.freq[idx[0]]/p.rate), cmplx.Rect(1, -2*math.Pi*p.freq[idx[1]]/p.rate)}
	for n := range m {
		x := 2 * (real(z[0]) + real(z[1]))
		for i := range 2 {
			cum[i][n+1] = cum[i][n] + complex(x, 0)*e[i]
			e[i] *= down[i]
		}
		z[0] *= turn[0]
		z[1] *= turn[1]
	}
	residual := func(n int) float64 {
		var r float64
		for i := range 2 {
			pred := cum[i][n] // tones over [0, n): the end of a press
			if rising {
				pred = cum[i][m] - cum[i][m-n] // tones over [m−n, m)
			}
			dlt := meas[i] - pred
			r += real(dlt)*real(dlt) + imag(dlt)*imag(dlt)
		}
		return r
	}
	// The residual has local minima a few samples apart (the predicted
	// outputs spiral as samples are added), so the search starts from the
	// linear estimate: the measured outputs projected on the full block's.
	var num, den float64
	for i := range 2 {
		full := cum[i][m]
		num += real(cmplx.Conj(full) * meas[i])
		den += real(full)*real(full) + imag(full)*imag(full)
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
		// Parabola through the three residuals around the minimum.
		lo, hi := residual(best-1), residual(best+1)
		if den := lo - 2*bestR + hi; den > 0 {
			fill += 0.5 * (lo - hi) / den
		}
	}
	return fill / float64(m)
}

// edgeRef is the reference an edge fit measures against: the tones'
// contributions v and offsets dw in the full sub-block ref.
type edgeRef struct {
	ref    int64
	rising bool
	ok     bool
	v, dw  [2]complex128
}

func (t *tracker) edgeReference(d *Decoder, ref int64, rising bool) edgeRef {
	if ref <= d.sub-1-ringSubs || ref >= d.sub {
		return edgeRef{}
	}
	v, dw := t.reference(d, ref, rising)
	return edgeRef{ref: ref, rising: rising, ok: v[0] != 0 && v[1] != 0, v: v, dw: dw}
}

// reference returns the tones' contributions to their filters in the
// full sub-block ref, exactly unmixed, and each tone's offset from its
// filter's frequency in radians per sample. When the next sub-block away
// from the edge (ref+1 for a rise, ref−1 for a fall) is in the history, the
// offsets come from the phase advance between the two, which for clean
// unmixed values is more precise than the frame estimate, and the two are
// averaged once aligned.
func (t *tracker) reference(d *Decoder, ref int64, rising bool) (v, dw [2]complex128) {
	p := &d.p
	toRad := 2 * math.Pi / p.rate
	v[0], v[1] = t.unmixExact(d, ref)
	dw = [2]complex128{complex(t.cand.devR*toRad, 0), complex(t.cand.devC*toRad, 0)}
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
		adv := cmplx.Phase(n / v[i]) // δ·steps, |δ·M| < π for any accepted tone
		dw[i] = complex(adv/steps, 0)
		v[i] = (v[i] + n*cmplx.Rect(1, -adv)) / 2
	}
	return v, dw
}

// geometric returns Σ_{m<n} e^(jθm).
func geometric(theta float64, n int) complex128 {
	if math.Abs(theta) < 1e-12 {
		return complex(float64(n), 0)
	}
	return (1 - cmplx.Rect(1, theta*float64(n))) / (1 - cmplx.Rect(1, theta))
}

// confirm reports the pending key once its tones have been steady for a
// frame and have lasted MinOn with no more than a 10 ms interruption.
func (t *tracker) confirm(dst []dtmf.Event, d *Decoder, k int64) []dtmf.Event {
	if !t.refresh(d, k) {
		return dst // not steady over the last frame (or still rising)
	}
	if _, r := t.presence(d, k); r < fullRatio {
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
		if ok, _ := t.presence(d, j); ok {
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
	minOn := d.p.cfg.MinOn.Seconds() * d.p.rate
	// Fit the onset when the run's start is in the history, and again
	// until the sub-blocks after it that the fit takes as references are
	// all there; then keep it (with a long MinOn it leaves the history).
	// A run whose start has already left the history (the key became a
	// candidate late, say after an interruption) is fitted from its
	// earliest sub-block still there.
	if (complete && (first != t.onsetFirst || k < first+3)) || math.IsNaN(t.onset) {
		t.onset = max(t.onsetEstimate(d, first, k), t.floor)
		t.onsetFirst = first
	}
	if end-t.onset < minOn {
		return dst
	}
	if t.impure(d, k) {
		return dst // partials of music or a voice, not a generator's sines
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
	if present, _ := t.presence(d, k); present {
		t.lastPresent, t.absent = k, 0
		return dst
	}
	t.absent++
	if t.absent == 2 {
		// Place the end now, while the last present sub-blocks and the
		// fall after them are in the history; a bridged absence
		// discards it.
		t.end = t.endEstimate(d)
	}
	if t.absent < d.p.offSubs {
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
	for j := ref - 1; j >= ref-3; j-- {
		f := t.edgeFill(d, j, r)
		if f < edgeSlack {
			break
		}
		mass += f
	}
	return (float64(ref) - mass) * float64(d.p.subLen)
}

// riseBlocks returns how many sub-blocks the key's tones took to rise from
// below lowRatio of their steady amplitude to filling a sub-block, at the
// start of the run beginning with first.
func (t *tracker) riseBlocks(d *Decoder, first, k int64) int64 {
	ref := first
	for ref < k && !t.full(d, ref) {
		ref++
	}
	lo := ref - 1
	for lo > k-ringSubs && lo >= 0 {
		if _, r := t.presence(d, lo); r < lowRatio {
			break
		}
		lo--
	}
	return ref - lo
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
	_, r := t.presence(d, j)
	return r >= fullFill
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
