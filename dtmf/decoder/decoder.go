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

	// Input stage: CIC decimation by p.decim (when > 1) into buf.
	integ  [cicOrder]int64
	comb   [cicOrder]int64
	phase  int // input samples since the last decimated output
	buf    []float32
	hist   []int16 // the last frameSubs sub-blocks, for the harmonic check
	fill   int
	prev   float32 // last sample of the previous sub-block, for differences
	dc     float64 // tracked DC offset, internal units
	rot    [numFilters]complex128
	inputN int64 // input samples consumed

	// History of analysed sub-blocks, indexed by sub-block number mod ringSubs.
	sub   int64 // number of sub-blocks analysed
	ringX [ringSubs][numFilters]complex64
	ringD [ringSubs]float32 // energy of the first difference
	gated uint8             // bit j%ringSubs: sub-block j was too quiet for the filters

	track tracker
}

// New returns a Decoder for cfg, or an error naming a setting that is out
// of range.
func New(cfg Config) (*Decoder, error) {
	cfg = cfg.withDefaults()
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	d := &Decoder{p: newPlan(cfg)}
	d.buf = make([]float32, d.p.subLen)
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
	buf, hist := d.buf, d.hist
	p := d.p
	*d = Decoder{p: p, buf: buf, hist: hist}
	clear(d.buf)
	clear(d.hist)
	for i := range d.rot {
		d.rot[i] = 1
	}
}

// Decode consumes pcm, 16-bit samples at the configured rate, and appends
// to dst the events completed by it: a [dtmf.KeyDown] as soon as a key is
// confirmed, a [dtmf.KeyUp] when it ends. pcm may have any length; the events
// are the same however a stream is split into calls. dst may be nil; the
// returned slice aliases dst when it has room. Decode does not retain pcm.
func (d *Decoder) Decode(dst []dtmf.Event, pcm []int16) []dtmf.Event {
	if d.p.decim == 1 {
		for len(pcm) > 0 {
			n := min(len(pcm), len(d.buf)-d.fill)
			b := d.buf[d.fill : d.fill+n]
			for i, v := range pcm[:n] {
				b[i] = float32(v)
			}
			pcm = pcm[n:]
			d.fill += n
			d.inputN += int64(n)
			if d.fill == len(d.buf) {
				dst = d.endSubBlock(dst)
			}
		}
		return dst
	}
	for _, v := range pcm {
		dst = d.decimate(dst, int64(v))
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
		if d.p.decim == 1 {
			d.buf[d.fill] = float32(x)
			d.fill++
			d.inputN++
			if d.fill == len(d.buf) {
				dst = d.endSubBlock(dst)
			}
			continue
		}
		dst = d.decimate(dst, int64(math.Round(x)))
	}
	return dst
}

// decimate feeds one input sample to the CIC decimator (order 3, boxcars of
// p.decim samples), which outputs one internal sample every p.decim inputs.
// Integer arithmetic makes the integrators' wraparound harmless.
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
	d.buf[d.fill] = float32(float64(y) * d.p.cicScale)
	d.fill++
	if d.fill == len(d.buf) {
		dst = d.endSubBlock(dst)
	}
	return dst
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
		clear(d.buf[d.fill:])
		d.fill = len(d.buf)
		dst = d.endSubBlock(dst)
	}
	dst = d.track.flush(dst, d)
	d.Reset()
	return dst
}

// rotAt returns filter i's phase reference e^(−jω·n_j) for sub-block j,
// stepping back from that of the next sub-block to be analysed.
func (d *Decoder) rotAt(i int, j int64) complex128 {
	r := d.rot[i]
	back := cmplx.Conj(d.p.step[i])
	for n := j; n < d.sub; n++ {
		r *= back
	}
	return r
}
