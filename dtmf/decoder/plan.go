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

	decim    int     // input samples per internal sample
	rate     float64 // internal sample rate, cfg.SampleRate/decim
	cicScale float64 // 1/decim³, the CIC gain
	subLen   int     // samples per sub-block at the internal rate

	onSubs, offSubs int64 // MinOn, MinOff in sub-blocks (rounded up)

	freq  [numFilters]float64    // nominal frequency, Hz
	coeff [numFilters]float64    // 2cos(ω), the Goertzel coefficient
	fa    [numFilters]complex128 // X = rot·(fa·s[M−1] − fb·s[M−2])
	fb    [numFilters]complex128
	step  [numFilters]complex128 // e^(−jωM): the phase reference advance per sub-block
	gain  [numFilters]float64    // amplitude (internal units) of a 0 dBm0 tone after the CIC
	slope [numFilters]float64    // 4sin²(ω/2): power gain of the first difference

	// Acceptance thresholds, as amplitude ratios and Hz.
	minAmp     [numFilters]float64 // MinLevel in internal amplitude units
	normalMax  float64             // max low/high amplitude ratio (normal twist)
	reverseMax float64             // max high/low amplitude ratio (reverse twist)
	maxDev     [numFilters]float64 // Hz
	floorE     float64             // sub-block energy below which the bank is skipped
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
	// edgeSlack: a fitted fill within this fraction of a whole sub-block
	// means the tones fill it, and the edge is in the neighbouring one.
	edgeSlack = 0.03
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
	p.onSubs = int64(math.Ceil(cfg.MinOn.Seconds()/subDur - 1e-9))
	p.offSubs = int64(math.Ceil(cfg.MinOff.Seconds()/subDur - 1e-9))

	m := float64(p.subLen)
	for i := range numFilters {
		f := dtmf.LowFreqs[i%4]
		if i >= 4 {
			f = dtmf.HighFreqs[i-4]
		}
		w := 2 * math.Pi * f / p.rate
		p.freq[i] = f
		p.coeff[i] = 2 * math.Cos(w)
		// X = Σ x[n]e^(−jωn) over the block = e^(−jω(M−1))·(s[M−1] − e^(−jω)s[M−2]).
		p.fa[i] = cmplx.Rect(1, -w*(m-1))
		p.fb[i] = cmplx.Rect(1, -w*m)
		p.step[i] = cmplx.Rect(1, -w*m)
		p.gain[i] = peakAmplitude(0) * cicResponse(f, float64(fs), decim)
		p.slope[i] = 4 * math.Pow(math.Sin(w/2), 2)
		p.minAmp[i] = peakAmplitude(cfg.MinLevel) * cicResponse(f, float64(fs), decim)
		p.maxDev[i] = cfg.MaxDeviation*f + deviationFloor
	}
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
// decimator (boxcars of decim samples at rate fs); 1 when decim is 1.
func cicResponse(f, fs float64, decim int) float64 {
	if decim == 1 {
		return 1
	}
	x := math.Pi * f / fs
	return math.Pow(math.Sin(x*float64(decim))/(float64(decim)*math.Sin(x)), cicOrder)
}

// blockResponse returns |D(δ)|, the amplitude response of an n-sample
// rectangular block to a tone δ Hz away from the filter's frequency.
func blockResponse(delta float64, n int, rate float64) float64 {
	x := math.Pi * delta / rate
	if math.Abs(x) < 1e-12 {
		return 1
	}
	return math.Abs(math.Sin(x*float64(n)) / (float64(n) * math.Sin(x)))
}
