package decoder

import (
	"math"
	"math/cmplx"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/dtmfkit/dtmfkit/dtmf"
)

func planFor(t *testing.T, fs int) plan {
	t.Helper()
	cfg := Config{SampleRate: dtmf.SampleRate(fs)}.withDefaults()
	require.NoError(t, cfg.validate())
	return newPlan(cfg)
}

// worstAlias returns, in dB, the largest gain of the CIC decimator at input
// rate fs to a component that lands in the DTMF band after decimation
// (697 Hz − 3.5 % − 1.5 Hz to 1633 Hz + 3.5 % + 1.5 Hz, the widest
// MaxDeviation), relative to its gain to a tone at the frequency it lands
// on, which plan.gain corrects for. Components below fs/2 at k·rate ± f
// land on f.
func worstAlias(t *testing.T, fs int) float64 {
	p := planFor(t, fs)
	half := float64(fs) / 2
	worst := 0.0
	for f := dtmf.LowFreqs[0]*0.965 - 1.5; f <= dtmf.HighFreqs[3]*1.035+1.5; f += 4 {
		direct := cicResponse(f, float64(fs), p.decim)
		for k := 1.0; k*p.rate-f < half; k++ {
			for _, a := range []float64{k*p.rate - f, k*p.rate + f} {
				if a < half {
					worst = max(worst, math.Abs(cicResponse(a, float64(fs), p.decim))/direct)
				}
			}
		}
	}
	return 20 * math.Log10(worst)
}

// TestCICAliasRejection: the order-3 CIC's nulls at multiples of the
// internal rate keep what would alias into the DTMF band 33.6 dB below a
// tone in it at 48 kHz (decimation by 6), and at least as far below at
// every rate up to 192 kHz (by up to 24), so the studio rates need no
// better anti-alias filter. (Analytically: the ratio is
// [sin(πf/fs)/sin(π(rate−f)/fs)]³ at worst, which falls as the decimation
// grows and as the internal rate rises above 8 kHz.)
func TestCICAliasRejection(t *testing.T) {
	ref := worstAlias(t, 48000)
	assert.InDelta(t, -33.6, ref, 0.05)
	for _, fs := range []int{16000, 44100, 88200, 96000, 176400, 192000} {
		t.Logf("%d Hz: worst alias into the DTMF band %.2f dB (48000 Hz: %.2f dB)", fs, worstAlias(t, fs), ref)
	}
	var rates []int
	for fs := 48000; fs <= 192000; fs += 997 {
		rates = append(rates, fs)
	}
	for k := 6; k <= 24; k++ { // each decimation factor's lowest and highest rate
		rates = append(rates, 8000*k, 8000*k-1)
	}
	for _, fs := range append(rates, 88200, 96000, 176400, 192000) {
		assert.LessOrEqual(t, worstAlias(t, fs), ref+1e-9, "rate %d", fs)
	}
}

// TestPhaseRefAtEveryRate: the phase references are exact at any internal
// sample index, at every decimation: they follow e^(−jω·n) for small n,
// and advance by e^(−jω) per sample however far into a stream (a decade
// of audio, 2^60 samples), where a product overflowing int64 would not.
func TestPhaseRefAtEveryRate(t *testing.T) {
	for _, fs := range []int{8000, 48000, 88200, 96000, 176400, 191999, 192000} {
		p := planFor(t, fs)
		for i := range numFilters {
			w := 2 * math.Pi * filterFreq(i) / p.rate
			for _, n := range []int64{0, 1, 777, 99_999} {
				assert.InDelta(t, 0, cmplx.Abs(p.phaseRef(i, n)-cmplx.Rect(1, -w*float64(n))), 1e-9, "rate %d filter %d n %d", fs, i, n)
			}
			back := cmplx.Conj(p.turn(i))
			for _, n := range []int64{1 << 33, 16000 * 86400 * 3653, 1<<60 + 3} {
				assert.InDelta(t, 0, cmplx.Abs(p.phaseRef(i, n+1)-p.phaseRef(i, n)*back), 1e-12, "rate %d filter %d n %d", fs, i, n)
			}
		}
	}
}
