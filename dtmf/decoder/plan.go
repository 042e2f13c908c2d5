package decoder

import (
	"math"
	"math/cmplx"

	"github.com/dtmfkit/dtmfkit/dtmf"
)

// plan holds what New derives from a Config: the internal rate and block
// sizes, and per-filter constants. It never changes after New.
type plan struct {
	cfg Config

	decim    int     // input samples per internal sample, 1 to 24
	rate     float64 // internal sample rate, cfg.SampleRate/decim: 8000 to 15999 Hz
	cicScale float64 // 1/decim³: undoes the CIC's gain
	subLen   int     // samples per sub-block at the internal rate

	offSubs int64 // MinOff in sub-blocks (rounded up)

	coeff [numFilters]float64    // 2cos(ω), the Goertzel coefficient
	sinw  [numFilters]float64    // sin(ω)
	step  [numFilters]complex128 // e^(−jωM): the phase reference advance per sub-block
	gain  [numFilters]float32    // amplitude (internal units) of a 0 dBm0 tone after the CIC

	// Acceptance thresholds.
	minGain    float64 // MinLevel as a fraction of the 0 dBm0 amplitude
	normalMax  float64 // max low/high level ratio (normal twist)
	reverseMax float64 // max high/low level ratio (reverse twist)
	floorE     float64 // sub-block energy below which the bank is skipped
}

// phaseRef returns e^(−jω_i·n) for internal sample index n, exactly: with
// ω_i = 2π·f_i·decim/fs and integer f_i, decim and fs, the phase is
// 2π·((f_i·decim·n) mod fs)/fs, reduced in integers. Both factors of the
// product are below fs ≤ 192000, so it is below 2^36: no overflow.
func (p *plan) phaseRef(i int, n int64) complex128 {
	fs := int64(p.cfg.SampleRate)
	a := int64(filterFreq(i)) * int64(p.decim) % fs
	ph := a * (n % fs) % fs
	return cmplx.Rect(1, -2*math.Pi*float64(ph)/float64(fs))
}

// filterFreq returns filter i's nominal frequency in Hz: the Q.23 rows for
// 0-3, the columns for 4-7.
func filterFreq(i int) float64 {
	if i < 4 {
		return dtmf.LowFreqs[i]
	}
	return dtmf.HighFreqs[i-4]
}

// turn returns e^(jω_i): filter i's phase advance per sample.
func (p *plan) turn(i int) complex128 { return complex(p.coeff[i]/2, p.sinw[i]) }

// slope returns 4sin²(ω/2) = 2 − 2cos(ω): the power gain of the first
// difference at filter i's frequency.
func (p *plan) slope(i int) float64 { return 2 - p.coeff[i] }

// minAmp returns MinLevel as an amplitude at filter i's frequency.
func (p *plan) minAmp(i int) float64 { return p.minGain * float64(p.gain[i]) }

// maxDev returns the largest accepted frequency offset of filter i's tone, Hz.
func (p *plan) maxDev(i int) float64 { return p.cfg.MaxDeviation*filterFreq(i) + deviationFloor }

// finish returns filter i's DFT over a sub-block from the Goertzel state
// s[M−1], s[M−2], referenced to the absolute sample index by rot:
// X = rot·e^(−jω(M−1))·(s[M−1] − e^(−jω)·s[M−2]) = rot·step·(e^(jω)·s[M−1] − s[M−2]).
func (p *plan) finish(i int, s1, s2 float64, rot complex128) complex128 {
	return rot * p.step[i] * complex(0.5*p.coeff[i]*s1-s2, p.sinw[i]*s1)
}

// finishSplit is finish for a filter run as two at 2ω over the even and
// the odd samples (pair), from their last two states. With z = e^(−jω),
// each half's sum is a Goertzel DFT at 2ω, and
//
//	even M: X = e^(−jω(M−2))·[(e1 − z²e2) + z·(o1 − z²o2)]
//	odd M:  X = e^(−jω(M−1))·[(e1 − z²e2) + z*·(o1 − z²o2)]
//
// (for odd M the even samples are one more than the odd), referenced to the
// absolute sample index by rot.
func (p *plan) finishSplit(i int, e1, e2, o1, o2 float64, rot complex128) complex128 {
	t := p.turn(i) // e^(jω) = z*
	z2 := cmplx.Conj(t * t)
	even := complex(e1, 0) - z2*complex(e2, 0)
	odd := complex(o1, 0) - z2*complex(o2, 0)
	if p.subLen%2 == 0 {
		return rot * p.step[i] * t * t * (even + cmplx.Conj(t)*odd)
	}
	return rot * p.step[i] * t * (even + t*odd)
}

// Acceptance constants that are not user settings. Each is the result of the
// trade-off noted; the conformance suite pins the behaviour they produce.
const (
	// peakRatio: every other filter of a group must be this many times
	// (in power) below the group's best: 8 dB, as the common receivers.
	peakRatio = 6.3
	// tonalRatio: the two tones must carry this fraction of the energy of
	// the first difference of the signal. The first difference removes DC
	// and weighs dial tone (350+440 Hz) and speech's low formants down.
	tonalRatio = 0.6
	// presentRatio: a sub-block holds the key's tones when both reach this
	// fraction of their amplitude in the frame that confirmed the key.
	presentRatio = 0.5
	// fullRatio: a key is confirmed only in a sub-block its tones fill, so
	// that a tone must really have lasted MinOn.
	fullRatio = 0.7
	// steadyRatio: a key's tones must stay above this fraction of their mean
	// amplitude in every sub-block of the frame that confirms it. It allows
	// for other sounds leaking into the 5 ms blocks (dial tone at the same
	// level swings them by ±22 %) but not for a tone still rising.
	steadyRatio = 0.6
	// fullFill: a sub-block whose quick tone ratio reaches this is taken as
	// full when choosing the reference for the edge fits.
	fullFill = 0.95
	// edgeSlack: a fitted fill within this fraction of a whole sub-block
	// means the tones fill it, and the edge is in the neighbouring one.
	edgeSlack = 0.03
	// onsetReach: how many sub-blocks before the first present one an
	// onset fit may place the onset in (each partly filled one adds at
	// most a whole sub-block to the tones' mass).
	onsetReach = 3
	// refitSubs: the onset is fitted again at every sub-block until the
	// run has lasted this many beyond its first, so that the fit's
	// references (the full sub-blocks after the rise) are all there.
	refitSubs = 3
	// searchSpan: how far, in samples, the edge fit searches around its
	// linear estimate.
	searchSpan = 6
	// bridgeSubs: absences this long (in sub-blocks) are bridged while a
	// key is being confirmed; 10 ms, the AT&T interruption limit.
	bridgeSubs = 2
)

func newPlan(cfg Config) plan {
	fs := int(cfg.SampleRate)
	decim := max(1, fs/8000)
	p := plan{
		cfg:      cfg,
		decim:    decim,
		rate:     float64(fs) / float64(decim),
		cicScale: 1 / math.Pow(float64(decim), cicOrder),
	}
	p.subLen = int(math.Round(p.rate * subDuration.Seconds()))
	subDur := float64(p.subLen) / p.rate
	p.offSubs = int64(math.Ceil(cfg.MinOff.Seconds()/subDur - 1e-9))

	m := float64(p.subLen)
	for i := range numFilters {
		f := filterFreq(i)
		w := 2 * math.Pi * f / p.rate
		p.coeff[i] = 2 * math.Cos(w)
		p.sinw[i] = math.Sin(w)
		p.step[i] = cmplx.Rect(1, -w*m)
		p.gain[i] = float32(peakAmplitude(0) * cicResponse(f, float64(fs), decim))
	}
	p.minGain = math.Pow(10, cfg.MinLevel/20)
	p.normalMax = math.Pow(10, (cfg.MaxNormalTwist+TwistAllowance)/20)
	p.reverseMax = math.Pow(10, (cfg.MaxReverseTwist+TwistAllowance)/20)
	// A sub-block whose energy is below a quarter of that of two tones at
	// the minimum level cannot hold a tone the decoder would accept.
	a := peakAmplitude(cfg.MinLevel) * cicResponse(dtmf.HighFreqs[3], float64(fs), decim)
	p.floorE = 0.25 * a * a * m
	return p
}

// peakAmplitude returns the 16-bit peak of a sine at level dBm0 (G.711:
// full scale is +3.14 dBm0).
func peakAmplitude(dBm0 float64) float64 { return 32767 * math.Pow(10, (dBm0-3.14)/20) }

// cicResponse returns the amplitude response at f Hz of the order-3 CIC
// decimator (boxcars of decim samples at rate fs); 1 when decim is 1. Its
// nulls at multiples of the internal rate fall where what would alias into
// the DTMF band comes from: that is kept at least 33.6 dB below a tone in
// the band at every rate from 48 to 192 kHz (TestCICAliasRejection).
func cicResponse(f, fs float64, decim int) float64 {
	if decim == 1 {
		return 1
	}
	x := math.Pi * f / fs
	return math.Pow(math.Sin(x*float64(decim))/(float64(decim)*math.Sin(x)), cicOrder)
}

// blockResponse returns |D(δ)|, the amplitude response of an n-sample
// rectangular block to a tone δ Hz away from the filter's frequency, given
// the tone's phase advance over the block, e^(j2πδn/rate):
// |D| = |sin(nx)/(n·sin x)| with x = πδ/rate, where |sin(nx)| = |1 − advance|/2
// and, x being small (under 0.05 for any offset the decoder measures),
// sin x = x(1 − x²/6 + x⁴/120) to double precision.
func blockResponse(delta float64, advance complex128, n int, rate float64) float64 {
	x := math.Pi * delta / rate
	if math.Abs(x) < 1e-12 {
		return 1
	}
	x2 := x * x
	sin := x * (1 - x2/6*(1-x2/20))
	return abs(1-advance) / (2 * float64(n) * math.Abs(sin))
}
