package decoder

import (
	"math"
	"math/cmplx"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/dtmfkit/dtmfkit/dtmf"
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
		cicWhole(kernelGo, o[:], []int16{0, 0}, 2, d.p.cicScale, 0, 0, y, 0, 0, 0)
		want, _, _, _ := combOut(y, 0, 0, 0, d.p.cicScale)
		if o[0] != want {
			t.Fatalf("y=%d: %d, want %d", y, o[0], want)
		}
	}
}

// TestCICKernels runs cicWhole on every kernel over the same input from
// the same states (random: integrators wrap): outputs and states must be
// the same.
func TestCICKernels(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 3))
	for _, decim := range []int{2, 3, 6} {
		scale := 1 / math.Pow(float64(decim), cicOrder)
		for trial := range 300 {
			n := trial % 45
			in := make([]int16, n*decim)
			for i := range in {
				switch trial % 3 {
				case 0:
					in[i] = int16(rng.IntN(65536) - 32768)
				case 1:
					in[i] = [2]int16{-32768, 32767}[rng.IntN(2)]
				default:
					in[i] = int16(3000 * math.Sin(0.3*float64(i)))
				}
			}
			var st [6]int64
			for i := range st {
				st[i] = int64(rng.Uint64())
			}
			run := func(k kernel) ([]int16, [6]int64) {
				o := make([]int16, n)
				var s [6]int64
				s[0], s[1], s[2], s[3], s[4], s[5] = cicWhole(k, o, in, decim, scale, st[0], st[1], st[2], st[3], st[4], st[5])
				return o, s
			}
			want, wst := run(kernelGo)
			for _, k := range []kernel{kernelSSE2, kernelAVX2} {
				if k > vectorKernel() {
					continue
				}
				got, gst := run(k)
				require.Equal(t, want, got, "%v, decim %d, n=%d", k, decim, n)
				require.Equal(t, wst, gst, "%v, decim %d, n=%d: states", k, decim, n)
			}
		}
	}
}

// BenchmarkBank is the filter bank on one 5 ms sub-block at 8 kHz (40
// samples), on each kernel this processor runs.
func BenchmarkBank(b *testing.B) {
	d, err := New(Config{})
	require.NoError(b, err)
	x := make([]int16, d.p.subLen)
	for i := range x {
		x[i] = int16(3000*math.Sin(0.9*float64(i)) + 2000*math.Sin(2.1*float64(i)))
	}
	for _, k := range []kernel{kernelGo, kernelSSE2, kernelAVX2} {
		if k > vectorKernel() {
			continue
		}
		b.Run("kernel="+k.String(), func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(2 * len(x)))
			var s1, s2 [numFilters]float64
			for b.Loop() {
				bank16(k, &s1, &s2, x, 0.5, 0, &d.p.coeff)
			}
		})
	}
}

// TestRotFinishKernels compares rotFinish on every kernel, bit for bit:
// phase references as a stream leaves them (near the unit circle), the
// plan's steps, and filter states from zero to full scale.
func TestRotFinishKernels(t *testing.T) {
	rng := rand.New(rand.NewPCG(4, 4))
	for _, rate := range []int{8000, 11025, 16000} {
		d, err := New(Config{SampleRate: dtmf.SampleRate(rate)})
		require.NoError(t, err)
		for trial := range 500 {
			var rot [numFilters]complex128
			var s1, s2 [numFilters]float64
			for i := range rot {
				rot[i] = cmplx.Rect(1+(rng.Float64()-0.5)*1e-12, 2*math.Pi*rng.Float64())
				s1[i] = (rng.Float64() - 0.5) * math.Pow(10, float64(trial%7))
				s2[i] = (rng.Float64() - 0.5) * math.Pow(10, float64(trial%7))
			}
			run := func(k kernel) ([numFilters]complex128, [numFilters]complex64) {
				d.kernel, d.rot, d.rotSub = k, rot, 0
				var xs [numFilters]complex64
				d.rotFinish(1, &s1, &s2, &xs)
				return d.rot, xs
			}
			wantRot, wantXs := run(kernelGo)
			for _, k := range []kernel{kernelSSE2, kernelAVX2} {
				if k > vectorKernel() {
					continue
				}
				gotRot, gotXs := run(k)
				for i := range wantRot {
					require.Equal(t, math.Float64bits(real(wantRot[i])), math.Float64bits(real(gotRot[i])), "%v rot %d", k, i)
					require.Equal(t, math.Float64bits(imag(wantRot[i])), math.Float64bits(imag(gotRot[i])), "%v rot %d", k, i)
					require.Equal(t, math.Float32bits(real(wantXs[i])), math.Float32bits(real(gotXs[i])), "%v xs %d", k, i)
					require.Equal(t, math.Float32bits(imag(wantXs[i])), math.Float32bits(imag(gotXs[i])), "%v xs %d", k, i)
				}
			}
		}
	}
}
