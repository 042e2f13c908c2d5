package decoder

import (
	"math"
	"math/cmplx"
	"time"

	"github.com/dtmfkit/dtmfkit/dtmf"
)

const (
	numFilters  = 8 // four row (low-group) and four column (high-group) filters
	frameSubs   = 4 // sub-blocks summed into one analysis frame (20 ms)
	ringSubs    = 8 // sub-blocks of history kept (40 ms); a power of two
	subDuration = 5 * time.Millisecond
	// maxSubLen bounds the sub-block length: the internal rate is below
	// 16 kHz (rates from 16 kHz up are decimated), so 5 ms is under 80.
	maxSubLen = 80
	cicOrder  = 3
)

// Decoder finds DTMF key presses in a stream of audio. Create it with [New];
// the zero value is not usable. A Decoder is not safe for concurrent use;
// use one per stream.
type Decoder struct {
	p plan

	// Input stage: CIC decimation by p.decim (when > 1).
	integ [cicOrder]int64
	comb  [cicOrder]int64
	phase int // input samples since the last decimated output

	// hist holds the last frameSubs sub-blocks as 16-bit samples; the one
	// being filled is at slot sub%frameSubs. Once DecodeFloat32 has been
	// used (fmode), fbuf holds the sub-block being filled as floats too, so
	// that a signal louder than 16-bit PCM is analysed unclipped.
	hist   []int16
	fbuf   []float32
	fill   int
	prev   float64 // last sample of the previous sub-block, for differences
	dc     float64 // tracked DC offset, internal units
	inputN int64   // input samples consumed

	// rot holds each filter's phase reference e^(−jω·n) for the first sample
	// n of sub-block rotSub. It is brought up to date only for sub-blocks
	// the filters run on: a quiet stream costs nothing here.
	rot    [numFilters]complex128
	rotSub int64

	// History of analysed sub-blocks, indexed by sub-block number mod ringSubs.
	sub     int64 // number of sub-blocks analysed
	ringX   [ringSubs][numFilters]complex64
	ringD   [ringSubs]float32 // energy of the first difference
	gated   uint8             // bit j%ringSubs: sub-block j was too quiet for the filters
	partial uint8             // bit j%ringSubs: only a held key's two filters ran on sub-block j
	fmode   bool              // DecodeFloat32 has been used: fbuf is kept
	// rotStale: only a held key's two phase references were kept up to date
	// (syncPair); the others must be set afresh.
	rotStale bool
	// kernel runs the filter bank over 16-bit samples (bank16): chosen by
	// New for the processor, kept by Reset. (It sits here, in what would be
	// padding, so that the state stays under 2 KiB.)
	kernel kernel

	// floor holds each filter's least frame power of the recent past
	// (updateFloors).
	floor [numFilters]float32

	track tracker

	// ex, if set, follows the candidates for SetExplain: it is told each
	// frame's and each talk-off decision.
	ex *explainer
}

// New returns a Decoder for cfg, or an error naming a setting that is out
// of range.
func New(cfg Config) (*Decoder, error) {
	cfg = cfg.withDefaults()
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	d := &Decoder{p: newPlan(cfg), kernel: vectorKernel()}
	d.hist = make([]int16, frameSubs*d.p.subLen)
	d.Reset()
	return d, nil
}

// Config returns the decoder's settings with defaults filled in.
func (d *Decoder) Config() Config { return d.p.cfg }

// Pos returns the number of samples consumed since New or Reset.
func (d *Decoder) Pos() int64 { return d.inputN }

// Reset returns the decoder to its state just after New, keeping its
// settings and buffers: it is ready for a new stream.
func (d *Decoder) Reset() {
	hist, fbuf, k := d.hist, d.fbuf, d.kernel
	p := d.p
	*d = Decoder{p: p, hist: hist, fbuf: fbuf, kernel: k, ex: d.ex}
	if d.ex != nil {
		d.ex.reset() // a candidate still open is dropped: Flush reports it
	}
	clear(d.hist)
	for i := range d.rot {
		d.rot[i] = 1
	}
}

// current returns the sub-block being filled.
func (d *Decoder) current() []int16 {
	m := d.p.subLen
	slot := int(d.sub & (frameSubs - 1))
	return d.hist[slot*m : (slot+1)*m]
}

// Decode consumes pcm, 16-bit samples at the configured rate, and appends
// to dst the events completed by it: a [dtmf.KeyDown] as soon as a key is
// confirmed, a [dtmf.KeyUp] when it ends. pcm may have any length; the events
// are the same however a stream is split into calls. dst may be nil; the
// returned slice aliases dst when it has room. Decode does not retain pcm.
func (d *Decoder) Decode(dst []dtmf.Event, pcm []int16) []dtmf.Event {
	if d.p.decim > 1 {
		if d.fmode {
			for _, v := range pcm {
				dst = d.decimate(dst, int64(v))
			}
			return dst
		}
		return d.decodeDecimated(dst, pcm)
	}
	for len(pcm) > 0 {
		n := copy(d.current()[d.fill:], pcm)
		if d.fmode {
			for i, v := range pcm[:n] {
				d.fbuf[d.fill+i] = float32(v)
			}
		}
		pcm = pcm[n:]
		d.fill += n
		d.inputN += int64(n)
		if d.fill == d.p.subLen {
			dst = d.endSubBlock(dst)
		}
	}
	return dst
}

// floatScale maps float samples to the 16-bit scale: 1.0 is 32768.
const floatScale = 32768

// DecodeFloat32 is Decode for float samples scaled so that 1.0 is full
// scale (32768 in 16-bit terms). Values beyond ±1 are accepted, so a signal
// too loud for 16-bit PCM is measured as it is; NaN counts as silence and
// infinities as ±256 times full scale.
func (d *Decoder) DecodeFloat32(dst []dtmf.Event, pcm []float32) []dtmf.Event {
	if !d.fmode {
		// From now on keep the sub-block as floats too (the first call
		// allocates); what is already in it came as 16-bit samples.
		if d.fbuf == nil {
			d.fbuf = make([]float32, d.p.subLen)
		}
		for i, v := range d.current()[:d.fill] {
			d.fbuf[i] = float32(v)
		}
		d.fmode = true
	}
	const limit = 256 * floatScale
	for _, v := range pcm {
		x := float64(v) * floatScale
		switch {
		case x != x:
			x = 0
		case x > limit:
			x = limit
		case x < -limit:
			x = -limit
		}
		if d.p.decim > 1 {
			dst = d.decimate(dst, int64(math.Round(x)))
			continue
		}
		d.inputN++
		dst = d.put(dst, x)
	}
	return dst
}

// put appends one internal sample to the sub-block being filled.
func (d *Decoder) put(dst []dtmf.Event, x float64) []dtmf.Event {
	d.current()[d.fill] = int16(math.Round(max(-32768, min(32767, x))))
	if d.fmode {
		d.fbuf[d.fill] = float32(x)
	}
	d.fill++
	if d.fill == d.p.subLen {
		dst = d.endSubBlock(dst)
	}
	return dst
}

// decimate feeds one input sample to the CIC decimator (order 3, boxcars of
// p.decim samples), which outputs one internal sample every p.decim inputs.
// Integer arithmetic makes the integrators' wraparound harmless: the combs'
// output, at most 2^23 (the float input's limit) times the gain (24³ < 2^14
// at 192 kHz), fits int64 many times over, so it comes out exact.
func (d *Decoder) decimate(dst []dtmf.Event, x int64) []dtmf.Event {
	d.integ[0] += x
	d.integ[1] += d.integ[0]
	d.integ[2] += d.integ[1]
	d.inputN++
	d.phase++
	if d.phase < d.p.decim {
		return dst
	}
	d.phase = 0
	y := d.integ[2]
	for i := range d.comb {
		y, d.comb[i] = y-d.comb[i], y
	}
	return d.put(dst, float64(y)*d.p.cicScale)
}

// decodeDecimated is Decode through the CIC decimator for 16-bit input: the
// same arithmetic as decimate and put, with the filter's state in
// registers for a whole sub-block, and whole outputs (the common case, no
// group split between calls) in cicWhole: unrolled for the decimations by
// 2 and 6 of 16 and 48 kHz input, in assembly where the kernel allows.
// The integer sums are decimate's, in the same order, so the outputs are
// decimate's, exactly.
func (d *Decoder) decodeDecimated(dst []dtmf.Event, pcm []int16) []dtmf.Event {
	decim, scale := d.p.decim, d.p.cicScale
	for len(pcm) > 0 {
		i0, i1, i2 := d.integ[0], d.integ[1], d.integ[2]
		c0, c1, c2 := d.comb[0], d.comb[1], d.comb[2]
		cur := d.current()[d.fill:] // never empty: endSubBlock empties a full one
		rest := pcm
		phase := d.phase
		out := 0
		if phase > 0 {
			// The inputs of the output an earlier call began (or as many
			// as this call has).
			group := rest[:min(len(rest), decim-phase)]
			for _, v := range group {
				i0, i1, i2 = integrate(i0, i1, i2, v)
			}
			rest = rest[len(group):]
			if phase += len(group); phase == decim {
				phase = 0
				cur[0], c0, c1, c2 = combOut(i2, c0, c1, c2, scale)
				out = 1
			}
		}
		if phase == 0 {
			whole := min(len(cur)-out, len(rest)/decim)
			i0, i1, i2, c0, c1, c2 = cicWhole(d.kernel, cur[out:out+whole], rest[:whole*decim], decim, scale, i0, i1, i2, c0, c1, c2)
			rest = rest[whole*decim:]
			out += whole
			if out < len(cur) && len(rest) > 0 {
				// Fewer inputs left than an output takes: begin it.
				for _, v := range rest {
					i0, i1, i2 = integrate(i0, i1, i2, v)
				}
				phase = len(rest)
				rest = rest[len(rest):]
			}
		}
		d.integ, d.comb, d.phase = [cicOrder]int64{i0, i1, i2}, [cicOrder]int64{c0, c1, c2}, phase
		d.fill += out
		d.inputN += int64(len(pcm) - len(rest))
		pcm = rest
		if out == len(cur) {
			dst = d.endSubBlock(dst)
		}
	}
	return dst
}

// cicWhole runs the CIC decimator over in, len(o) whole groups of decim
// samples, from the integrators' and combs' states given, writes its
// outputs to o and returns the new states. (A function of its own, so
// that its few variables stay in registers.)
func cicWhole(k kernel, o, in []int16, decim int, scale float64, i0, i1, i2, c0, c1, c2 int64) (int64, int64, int64, int64, int64, int64) {
	if st := [6]int64{i0, i1, i2, c0, c1, c2}; cicVector(k, &st, in, o, decim, scale) {
		return st[0], st[1], st[2], st[3], st[4], st[5]
	}
	switch decim {
	case 2:
		// The CIC's gain is 2³: y·scale is y/8 exactly, and rounding it
		// half away from zero, as combOut's float arithmetic does, is
		// ⌊(y + 4)/8⌋ for y ≥ 0 and −⌊(4 − y)/8⌋ = ⌊(y + 3)/8⌋ below:
		// (y + 4 + (y >> 63)) >> 3, in integers.
		in = in[:2*len(o)]
		for n := range o {
			v := in[2*n : 2*n+2 : 2*n+2]
			i0, i1, i2 = integrate(i0, i1, i2, v[0])
			i0, i1, i2 = integrate(i0, i1, i2, v[1])
			y0 := i2 - c0
			y1 := y0 - c1
			y2 := y1 - c2
			c0, c1, c2 = i2, y0, y1
			o[n] = int16((y2 + 4 + y2>>63) >> 3)
		}
	case 6:
		in = in[:6*len(o)]
		for n := range o {
			v := in[6*n : 6*n+6 : 6*n+6]
			i0, i1, i2 = integrate(i0, i1, i2, v[0])
			i0, i1, i2 = integrate(i0, i1, i2, v[1])
			i0, i1, i2 = integrate(i0, i1, i2, v[2])
			i0, i1, i2 = integrate(i0, i1, i2, v[3])
			i0, i1, i2 = integrate(i0, i1, i2, v[4])
			i0, i1, i2 = integrate(i0, i1, i2, v[5])
			o[n], c0, c1, c2 = combOut(i2, c0, c1, c2, scale)
		}
	default:
		for n := range o {
			for _, v := range in[n*decim : (n+1)*decim] {
				i0, i1, i2 = integrate(i0, i1, i2, v)
			}
			o[n], c0, c1, c2 = combOut(i2, c0, c1, c2, scale)
		}
	}
	return i0, i1, i2, c0, c1, c2
}

// integrate feeds the sample v to the CIC's three integrators.
func integrate(i0, i1, i2 int64, v int16) (int64, int64, int64) {
	i0 += int64(v)
	i1 += i0
	return i0, i1, i2 + i1
}

// combOut runs the CIC's combs on the integrators' output i2 and returns
// the internal sample, with the combs' new states. The CIC's impulse
// response is positive and sums to its gain, so y·scale stays within the
// 16-bit range: no clamp.
func combOut(i2, c0, c1, c2 int64, scale float64) (int16, int64, int64, int64) {
	y0 := i2 - c0
	y1 := y0 - c1
	y2 := y1 - c2
	x := float64(y2) * scale
	return int16(x + math.Copysign(0.5, x)), i2, y0, y1 // rounds half away from zero, as math.Round
}

// Flush ends the stream: it analyses the samples still buffered as if
// silence followed, appends the events that completes (the KeyUp of a key
// still sounding, whose End is at most the stream's length), and resets the
// decoder for a new stream.
func (d *Decoder) Flush(dst []dtmf.Event) []dtmf.Event {
	end := d.inputN
	d.track.streamEnd = end
	// Silence until every pending decision is made: a partial sub-block,
	// then enough whole ones for a key to end and for the history to clear.
	for i := 0; i < ringSubs+int(d.p.offSubs)+2; i++ {
		clear(d.current()[d.fill:])
		if d.fmode {
			clear(d.fbuf[d.fill:])
		}
		d.fill = d.p.subLen
		dst = d.endSubBlock(dst)
	}
	n := len(dst)
	dst = d.track.flush(dst, d)
	if d.ex != nil {
		d.ex.flush(dst[n:])
	}
	d.Reset()
	return dst
}

// rotAt returns filter i's phase reference e^(−jω·n_j) for sub-block j,
// stepping from that of sub-block rotSub. While a key is held, only its
// two filters' references are kept (syncPair).
func (d *Decoder) rotAt(i int, j int64) complex128 {
	r := d.rot[i]
	if j < d.rotSub {
		back := cmplx.Conj(d.p.step[i])
		for n := j; n < d.rotSub; n++ {
			r *= back
		}
		return r
	}
	for n := d.rotSub; n < j; n++ {
		r *= d.p.step[i]
	}
	return r
}

// maxStepSubs is the longest gap syncRot bridges by rotation, renormalised
// at each step: the phase error after it is a few parts in 10^15, and it
// costs less than the eight sines and cosines of an exact reference.
const maxStepSubs = 16

// syncRot brings the phase references to sub-block k: by rotation over a
// short gap, exactly (integer phase arithmetic) over a long one.
func (d *Decoder) syncRot(k int64) {
	switch gap := k - d.rotSub; {
	case d.rotStale || gap < 0 || gap > maxStepSubs:
		for i := range d.rot {
			d.rot[i] = d.p.phaseRef(i, k*int64(d.p.subLen))
		}
		d.rotStale = false
	default:
		for i := range d.rot {
			d.rot[i] = d.stepRot(i, gap)
		}
	}
	d.rotSub = k
}

// syncPair brings the phase references of filters r and c alone to
// sub-block k, for a held key whose two filters are all that run; the
// others go stale until syncRot sets them afresh.
func (d *Decoder) syncPair(k int64, r, c int) {
	if gap := k - d.rotSub; gap >= 0 && gap <= maxStepSubs {
		d.rot[r], d.rot[c] = d.stepRot(r, gap), d.stepRot(c, gap)
	} else {
		d.rot[r], d.rot[c] = d.p.phaseRef(r, k*int64(d.p.subLen)), d.p.phaseRef(c, k*int64(d.p.subLen))
	}
	d.rotSub, d.rotStale = k, true
}

// stepRot returns filter i's phase reference advanced by gap sub-blocks,
// renormalised at each step (a first-order correction keeps it at 1).
func (d *Decoder) stepRot(i int, gap int64) complex128 {
	r := d.rot[i]
	for range gap {
		r *= d.p.step[i]
		n := real(r)*real(r) + imag(r)*imag(r)
		r = scale(r, (3-n)/2)
	}
	return r
}
