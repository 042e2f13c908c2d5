package talkdown

import (
	"math"

	"github.com/dtmfkit/dtmfkit/dtmf/encoder"
)

// P.56 method B constants: the envelope's time constant, the hangover and
// the margin between the active level and the threshold that defines it.
const (
	p56TimeConstant = 0.03  // s
	p56Hangover     = 0.2   // s
	p56Margin       = 15.9  // dB
	p56Thresholds   = 15    // thresholds 2^0 .. 2^14 (16-bit amplitudes)
	p56Floor        = 1e-30 // guards the logarithms of silence
)

// ActiveLevel returns the active speech level of x (16-bit units) at rate
// Hz by ITU-T P.56 method B, as a mean square, and the activity: the
// fraction of x counted as active. Silence returns 0, 0.
func ActiveLevel(x []float64, rate int) (meanSquare, activity float64) {
	if len(x) == 0 {
		return 0, 0
	}
	g := math.Exp(-1 / (float64(rate) * p56TimeConstant))
	hang := int(math.Round(p56Hangover * float64(rate)))
	var count [p56Thresholds]int
	var since [p56Thresholds]int
	for j := range since {
		since[j] = hang // start outside any hangover
	}
	var p, q, sq float64
	for _, v := range x {
		sq += v * v
		p = g*p + (1-g)*math.Abs(v)
		q = g*q + (1-g)*p
		for j := range count {
			c := float64(int(1) << j)
			if q >= c {
				count[j]++
				since[j] = 0
			} else if since[j] < hang {
				count[j]++
				since[j]++
			}
		}
	}
	if sq == 0 {
		return 0, 0
	}
	// A_j, the active power if threshold j defined activity, against C_j,
	// the threshold's power: the active level is where A_j − C_j falls to
	// the margin, interpolated in dB between thresholds.
	prevDiff, prevA := math.NaN(), 0.0
	for j := range count {
		if count[j] == 0 {
			break
		}
		a := 10 * math.Log10(sq/float64(count[j])+p56Floor)
		c := 20 * math.Log10(float64(int(1)<<j))
		diff := a - c
		if diff <= p56Margin {
			if math.IsNaN(prevDiff) {
				return math.Pow(10, a/10), float64(count[j]) / float64(len(x))
			}
			// Interpolate between threshold j−1 and j.
			t := (prevDiff - p56Margin) / (prevDiff - diff)
			level := prevA + t*(a-prevA)
			act := sq / math.Pow(10, level/10) / float64(len(x))
			return math.Pow(10, level/10), min(1, act)
		}
		prevDiff, prevA = diff, a
	}
	// The margin was never reached: the signal is active throughout.
	return sq / float64(len(x)), 1
}

// meanSquareAt returns the mean square of a signal at level dBm0.
func meanSquareAt(level float64) float64 {
	peak := encoder.Peak(level)
	return peak * peak / 2
}
