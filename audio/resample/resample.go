package resample

import (
	"fmt"
	"math"
)

// Config configures a [Resampler]. InRate and OutRate are required; the
// zero values of the other fields mean the documented defaults.
type Config struct {
	// InRate and OutRate are the input and output sample rates in Hz, 1 to
	// 10,000,000.
	InRate, OutRate int
	// Passband is where the passband ends, as a fraction of the lower of
	// the two Nyquist frequencies, 0.5 to 0.99; the stopband starts at that
	// Nyquist frequency. Zero means 0.9.
	Passband float64
	// Attenuation is the stopband attenuation the filter is designed for,
	// in dB, 40 to 160. Zero means 90, which gives at least 80 dB in
	// practice and keeps the passband flat within ±0.001 dB.
	Attenuation float64
}

// The defaults and limits of Config.
const (
	defaultPassband    = 0.9
	defaultAttenuation = 90.0
	maxRate            = 10_000_000
	// maxCoefficients bounds the coefficient table (32 MiB): rates whose
	// reduced ratio has a large numerator, such as 8000 Hz from 44101 Hz,
	// need L·K values.
	maxCoefficients = 1 << 22
	// blockSize is how many input samples the buffer takes beyond the K
	// a single output needs.
	blockSize = 4096
)

// A Resampler converts a stream of samples from one rate to another. It is
// not safe for concurrent use; use one per stream.
type Resampler struct {
	l, m   int       // the reduced ratio OutRate/InRate = l/m
	h      int       // half-length in input samples; k = 2h+1 taps
	k      int       // taps per phase
	coef   []float64 // l phases of k taps, phase-major
	buf    []float64 // input samples from index bufStart on, cap k-1+blockSize
	copies bool      // equal rates: output is the input

	bufStart int64 // the input index of buf[0]; −h before any input
	nIn      int64 // input samples taken
	nOut     int64 // output samples produced
	pos      int64 // floor(nOut·m/l): the input sample the next output is centred on, less a fraction
	phase    int   // (nOut·m) mod l: that fraction, in units of 1/l
}

// New returns a Resampler for cfg, or an error if cfg is impossible.
func New(cfg Config) (*Resampler, error) {
	if cfg.InRate < 1 || cfg.InRate > maxRate || cfg.OutRate < 1 || cfg.OutRate > maxRate {
		return nil, fmt.Errorf("resample: rates %d Hz to %d Hz: both must be 1 to %d Hz", cfg.InRate, cfg.OutRate, maxRate)
	}
	if cfg.Passband == 0 {
		cfg.Passband = defaultPassband
	}
	if !(cfg.Passband >= 0.5 && cfg.Passband <= 0.99) {
		return nil, fmt.Errorf("resample: Passband %g is outside 0.5 to 0.99", cfg.Passband)
	}
	if cfg.Attenuation == 0 {
		cfg.Attenuation = defaultAttenuation
	}
	if !(cfg.Attenuation >= 40 && cfg.Attenuation <= 160) {
		return nil, fmt.Errorf("resample: Attenuation %g dB is outside 40 to 160 dB", cfg.Attenuation)
	}
	g := gcd(cfg.InRate, cfg.OutRate)
	r := &Resampler{l: cfg.OutRate / g, m: cfg.InRate / g}
	if r.l == r.m {
		r.copies = true
		return r, nil
	}

	// The filter runs at l·InRate; lengths and the cutoff are measured in
	// its samples and in cycles per input sample.
	nyq := 0.5 * math.Min(1, float64(r.l)/float64(r.m)) // the lower Nyquist frequency, per input sample
	width := (1 - cfg.Passband) * nyq                   // transition width, per input sample
	fc := (1 + cfg.Passband) / 2 * nyq                  // cutoff, per input sample
	a := cfg.Attenuation
	length := (a - 7.95) / (2.285 * 2 * math.Pi * width / float64(r.l)) // in filter samples
	r.h = int(math.Ceil(length / 2 / float64(r.l)))
	// One output must never need samples beyond those the next keeps (see
	// produce); Kaiser's length always exceeds this, but say so.
	r.h = max(r.h, (r.m+2*r.l-1)/(2*r.l), 1)
	r.k = 2*r.h + 1
	if n := r.l * r.k; n > maxCoefficients || n <= 0 {
		return nil, fmt.Errorf("resample: %d Hz to %d Hz (ratio %d/%d) needs %d coefficients, more than the %d allowed; choose rates with a simpler ratio",
			cfg.InRate, cfg.OutRate, r.l, r.m, r.l*r.k, maxCoefficients)
	}

	beta := 0.1102 * (a - 8.7)
	if a < 50 {
		beta = 0.5842*math.Pow(a-21, 0.4) + 0.07886*(a-21)
	}
	i0beta := bessI0(beta)
	half := float64(r.h * r.l)
	r.coef = make([]float64, r.l*r.k)
	for p := range r.l {
		taps := r.coef[p*r.k : (p+1)*r.k]
		sum := 0.0
		for j := range taps {
			// taps[j] multiplies x[pos−h+j], which lies d filter samples
			// before the output instant pos + p/l.
			d := float64(p + (r.h-j)*r.l)
			t := d / half
			if t*t >= 1 {
				continue
			}
			v := 2 * fc * sinc(2*fc*d/float64(r.l)) * bessI0(beta*math.Sqrt(1-t*t)) / i0beta
			taps[j] = v
			sum += v
		}
		for j := range taps {
			taps[j] /= sum
		}
	}
	r.buf = make([]float64, 0, r.k-1+blockSize)
	r.Reset()
	return r, nil
}

// Delay returns the number of input samples the output lags the input by:
// Process has produced every output sample centred before the last Delay
// input samples.
func (r *Resampler) Delay() int { return r.h }

// OutputLen returns the number of output samples n input samples give in
// all, once flushed: ⌈n·OutRate/InRate⌉.
func (r *Resampler) OutputLen(n int64) int64 {
	if n <= 0 {
		return 0
	}
	// ⌈n·l/m⌉ = (n/m)·l + ⌈(n mod m)·l/m⌉, where (n mod m)·l < m·l ≤ 10^14.
	l, m := int64(r.l), int64(r.m)
	return n/m*l + (n%m*l+m-1)/m
}

// Process resamples src and appends to dst the output samples that can be
// computed so far, returning the extended slice; dst may be nil. The
// returned slice aliases dst if it had room. Process does not retain src.
func (r *Resampler) Process(dst, src []float64) []float64 {
	if r.copies {
		r.nIn += int64(len(src))
		return append(dst, src...)
	}
	for len(src) > 0 {
		n := min(len(src), cap(r.buf)-len(r.buf))
		r.buf = append(r.buf, src[:n]...)
		src = src[n:]
		r.nIn += int64(n)
		dst = r.produce(dst, math.MaxInt64)
	}
	return dst
}

// Flush ends the stream: it appends the remaining output samples, computed
// as if silence followed the input, so that the stream's n input samples
// give ⌈n·OutRate/InRate⌉ output samples in all. It then resets the
// Resampler for a new stream.
func (r *Resampler) Flush(dst []float64) []float64 {
	if !r.copies {
		total := r.OutputLen(r.nIn)
		for r.nOut < total {
			n := cap(r.buf) - len(r.buf)
			r.buf = r.buf[:len(r.buf)+n]
			clear(r.buf[len(r.buf)-n:])
			dst = r.produce(dst, total)
		}
	}
	r.Reset()
	return dst
}

// Reset starts a new stream, keeping the Resampler's buffers.
func (r *Resampler) Reset() {
	r.nIn, r.nOut, r.pos, r.phase = 0, 0, 0, 0
	if r.copies {
		return
	}
	// h samples of silence before the input, so the first output sample
	// (centred on input sample 0) has its whole window.
	r.buf = r.buf[:r.h]
	clear(r.buf)
	r.bufStart = -int64(r.h)
}

// produce appends the output samples whose windows lie in buf, up to
// output sample limit, then drops the input samples no later output needs.
func (r *Resampler) produce(dst []float64, limit int64) []float64 {
	end := r.bufStart + int64(len(r.buf))
	h, k, l, m := int64(r.h), r.k, r.l, r.m
	for r.pos+h < end && r.nOut < limit {
		off := int(r.pos - h - r.bufStart)
		dst = append(dst, dot(r.coef[r.phase*k:(r.phase+1)*k], r.buf[off:off+k]))
		r.nOut++
		r.phase += m
		r.pos += int64(r.phase / l)
		r.phase %= l
	}
	// The next output needs input from pos−h on. The loop stopped with
	// pos+h ≥ end, and h ≥ m/(2l) (New), so pos−h < end: what is kept
	// is at most 2h = k−1 samples, leaving blockSize free.
	if drop := int(r.pos - h - r.bufStart); drop > 0 {
		n := copy(r.buf, r.buf[drop:])
		r.buf = r.buf[:n]
		r.bufStart += int64(drop)
	}
	return dst
}

// dot returns Σ c[i]·x[i] with four running sums, always added in the same
// order, so the result does not depend on how the input was chunked.
func dot(c, x []float64) float64 {
	x = x[:len(c)]
	var s0, s1, s2, s3 float64
	i := 0
	for ; i+4 <= len(c); i += 4 {
		s0 += c[i] * x[i]
		s1 += c[i+1] * x[i+1]
		s2 += c[i+2] * x[i+2]
		s3 += c[i+3] * x[i+3]
	}
	for ; i < len(c); i++ {
		s0 += c[i] * x[i]
	}
	return (s0 + s1) + (s2 + s3)
}

// sinc returns sin(πx)/(πx).
func sinc(x float64) float64 {
	if x == 0 {
		return 1
	}
	return math.Sin(math.Pi*x) / (math.Pi * x)
}

// bessI0 returns the modified Bessel function of the first kind of order
// zero, by its power series Σ ((x/2)^k / k!)², which converges for every x
// the window uses (β ≤ 17) to full precision within 60 terms.
func bessI0(x float64) float64 {
	sum, term := 1.0, 1.0
	q := x * x / 4
	for k := 1; k < 200; k++ {
		term *= q / float64(k*k)
		sum += term
		if term < sum*1e-17 {
			break
		}
	}
	return sum
}

func gcd(a, b int) int {
	for b != 0 {
		a, b = b, a%b
	}
	return a
}
