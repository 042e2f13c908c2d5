package decoder

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestBankKernelsBitIdentical runs every kernel this processor has on the
// same sub-blocks (every length up to maxSubLen, odd ones included, random
// and full-scale samples, fractional DC, the previous sample at either
// extreme) and requires the states and the first-difference energy of the
// pure-Go bank, bit for bit.
func TestBankKernelsBitIdentical(t *testing.T) {
	d, err := New(Config{})
	require.NoError(t, err)
	c := &d.p.coeff
	rng := rand.New(rand.NewPCG(1, 1))
	x := make([]int16, maxSubLen)
	for trial := range 2000 {
		n := trial % (maxSubLen + 1)
		for i := range x[:n] {
			switch trial % 3 {
			case 0:
				x[i] = int16(rng.IntN(65536) - 32768)
			case 1:
				x[i] = [2]int16{-32768, 32767}[rng.IntN(2)]
			default:
				x[i] = int16(2000 * math.Sin(0.9*float64(i)+float64(trial)))
			}
		}
		dc := (rng.Float64() - 0.5) * 200
		prev := float64([3]int16{-32768, 32767, int16(rng.IntN(65536) - 32768)}[trial%3])
		var w1, w2 [numFilters]float64
		wantD, wantP := bank(&w1, &w2, x[:n], dc, prev, c)
		for _, k := range []kernel{kernelSSE2, kernelAVX2} {
			if k > vectorKernel() {
				continue
			}
			var g1, g2 [numFilters]float64
			gotD, gotP := bank16(k, &g1, &g2, x[:n], dc, prev, c)
			for i := range w1 {
				require.Equal(t, math.Float64bits(w1[i]), math.Float64bits(g1[i]), "%v, n=%d, s1[%d]", k, n, i)
				require.Equal(t, math.Float64bits(w2[i]), math.Float64bits(g2[i]), "%v, n=%d, s2[%d]", k, n, i)
			}
			require.Equal(t, math.Float64bits(wantD), math.Float64bits(gotD), "%v, n=%d, diffSq", k, n)
			require.Equal(t, wantP, gotP, "%v, n=%d, prev", k, n)
		}
	}
}

// TestSumsKernels compares sums16 on every kernel with sums: lengths 0 to
// 200, random and full-scale samples (−32768² + −32768² overflows a signed
// 32-bit pair sum).
func TestSumsKernels(t *testing.T) {
	rng := rand.New(rand.NewPCG(2, 2))
	x := make([]int16, 200)
	for trial := range 1000 {
		n := trial % len(x)
		for i := range x[:n] {
			switch trial % 3 {
			case 0:
				x[i] = int16(rng.IntN(65536) - 32768)
			case 1:
				x[i] = -32768
			default:
				x[i] = [2]int16{-32768, 32767}[rng.IntN(2)]
			}
		}
		ws, wq := sums(x[:n])
		for _, k := range []kernel{kernelSSE2, kernelAVX2} {
			if k > vectorKernel() {
				continue
			}
			gs, gq := sums16(k, x[:n])
			require.Equal(t, ws, gs, "%v, n=%d, Σx", k, n)
			require.Equal(t, wq, gq, "%v, n=%d, Σx²", k, n)
		}
	}
}

// TestCICRoundingBy2 checks the integer rounding of cicWhole's groups of 2
// against combOut's float arithmetic for every comb output 16-bit input can
// give (|y| ≤ 8·32768) and beyond.
func TestCICRoundingBy2(t *testing.T) {
	d, err := New(Config{SampleRate: 16000})
	require.NoError(t, err)
	require.Equal(t, 2, d.p.decim)
	for y := int64(-300000); y <= 300000; y++ {
		// Integrators standing at y with zero combs give y out.
		var o [1]int16
		cicWhole(o[:], []int16{0, 0}, 2, d.p.cicScale, 0, 0, y, 0, 0, 0)
		want, _, _, _ := combOut(y, 0, 0, 0, d.p.cicScale)
		if o[0] != want {
			t.Fatalf("y=%d: %d, want %d", y, o[0], want)
		}
	}
}
