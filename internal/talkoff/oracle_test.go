package talkoff

import (
	"math"
	"math/cmplx"

	"gonum.org/v1/gonum/dsp/fourier"

	"github.com/dtmfkit/dtmfkit/dtmf"
)

// The oracle decides whether audio contains genuine DTMF, independently of
// any receiver. It is deliberately generous to DTMF, so that material it
// passes is not DTMF by any reasonable reading of Q.23/Q.24:
//
//   - window: 40 ms (the shortest tone a receiver must accept), Hann,
//     every 5 ms, zero-padded to at least twice its length;
//   - a tone is a spectral peak; its frequency is refined by a parabola
//     through the log power of the peak bin and its neighbours, and its
//     energy is the peak's main lobe (out to ±2 window bins, 50 Hz, while
//     the power keeps falling);
//   - the tone counts for a key frequency f when its frequency is within
//     f ± 3.5 % (the must-not-operate limit);
//   - a window's score is the share of its 0-4 kHz energy in the strongest
//     row tone plus the strongest column tone, counted only when the weaker
//     is within 10 dB of the stronger (looser than any twist limit);
//     otherwise the score is 0 (one tone, however pure, is not a key).
//
// A clean key scores about 1.0, and one in white noise at the AT&T
// worst-case 15 dB signal-to-noise ratio about 0.9 (see TestOracle).
// Material meant never to be a key must stay below oracleLimit in every
// window.
const (
	oracleWindow = 0.040
	oracleHop    = 0.005
	oracleTwist  = 10 // dB
	oracleLimit  = 0.8
)

// oracleScore returns the highest window score in pcm and the time, in
// seconds, of the window's start.
func oracleScore(pcm []int16, sampleRate int) (score, at float64) {
	fs := float64(sampleRate)
	n := int(math.Round(oracleWindow * fs))
	size := 1
	for size < 2*n {
		size *= 2
	}
	fft := fourier.NewFFT(size)
	win := make([]float64, n)
	for i := range win {
		win[i] = 0.5 - 0.5*math.Cos(2*math.Pi*float64(i)/float64(n))
	}
	bin := fs / float64(size)              // Hz per FFT bin
	lobe := int(2 * fs / float64(n) / bin) // main-lobe half-width in bins
	top := int(math.Min(4000, fs/2) / bin)

	seq := make([]float64, size)
	coef := make([]complex128, size/2+1)
	power := make([]float64, size/2+1)

	// tone returns the energy of the strongest peak whose refined
	// frequency is within ±3.5 % of f.
	tone := func(f float64) float64 {
		var best float64
		lo := max(int((f*0.965)/bin)-lobe, 1)
		hi := min(int((f*1.035)/bin)+lobe, top-1)
		for k := lo; k <= hi; k++ {
			if power[k] == 0 || power[k] < power[k-1] || power[k] <= power[k+1] {
				continue
			}
			a, b, c := math.Log(power[k-1]+1e-300), math.Log(power[k]), math.Log(power[k+1]+1e-300)
			fk := (float64(k) + 0.5*(a-c)/(a-2*b+c)) * bin
			if math.Abs(fk-f) > 0.035*f {
				continue
			}
			e := power[k]
			for j := k - 1; j >= max(k-lobe, 0) && power[j] <= power[j+1]; j-- {
				e += power[j]
			}
			for j := k + 1; j <= min(k+lobe, top) && power[j] <= power[j-1]; j++ {
				e += power[j]
			}
			best = max(best, e)
		}
		return best
	}
	strongest := func(fs [4]float64) float64 {
		var m float64
		for _, f := range fs {
			m = max(m, tone(f))
		}
		return m
	}

	hop := int(math.Round(oracleHop * fs))
	for start := 0; start+n <= len(pcm); start += hop {
		for i := range n {
			seq[i] = win[i] * float64(pcm[start+i])
		}
		coef = fft.Coefficients(coef, seq)
		var total float64
		for k := 0; k <= top; k++ {
			power[k] = real(coef[k] * cmplx.Conj(coef[k]))
			total += power[k]
		}
		if total == 0 {
			continue
		}
		r, c := strongest(dtmf.LowFreqs), strongest(dtmf.HighFreqs)
		if min(r, c) < max(r, c)*math.Pow(10, -oracleTwist/10.0) {
			continue
		}
		if sc := (r + c) / total; sc > score {
			score, at = sc, float64(start)/fs
		}
	}
	return score, at
}
