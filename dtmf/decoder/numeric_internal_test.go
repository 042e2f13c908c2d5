package decoder

import (
	"math"
	"math/cmplx"
	"testing"

	"github.com/dtmfkit/dtmfkit/dtmf"
	"github.com/stretchr/testify/assert"
)

// The decoder replaces trigonometry by series, recurrences and closed
// forms on its hot paths; each must agree with the plain formula.

func TestExpSmall(t *testing.T) {
	for _, x := range []float64{0, 1e-9, -1e-4, 0.01, -0.0275, 0.05, 0.0999, -0.1, 0.3, -2} {
		assert.InDelta(t, 0, cmplx.Abs(expSmall(x)-cmplx.Rect(1, x)), 2e-16, "x=%g", x)
	}
}

func TestPowN(t *testing.T) {
	z := cmplx.Rect(1, 0.0123)
	for _, n := range []int{0, 1, 2, 40, 55, 80} {
		assert.InDelta(t, 0, cmplx.Abs(powN(z, n)-cmplx.Rect(1, 0.0123*float64(n))), 1e-14, "n=%d", n)
	}
}

func TestGeometricSum(t *testing.T) {
	// Below 1e-10 rad the sum is taken as 1, off by under n·θ.
	for _, theta := range []float64{0, 1e-13, 1e-9, 0.3, -1.7, math.Pi} {
		const n = 40
		var want complex128
		for m := range n {
			want += cmplx.Rect(1, theta*float64(m))
		}
		want /= n
		got := geometricSum(cmplx.Rect(1, theta), cmplx.Rect(1, theta*n), n)
		assert.InDelta(t, 0, cmplx.Abs(got-want), 1e-13+n*math.Abs(theta), "θ=%g", theta)
	}
}

func TestBlockResponse(t *testing.T) {
	const n, rate = 40, 8000.0
	for _, delta := range []float64{0, 0.01, 3, -17.5, 35, 90} {
		var sum complex128
		for m := range n {
			sum += cmplx.Rect(1, 2*math.Pi*delta*float64(m)/rate)
		}
		want := cmplx.Abs(sum) / n
		advance := cmplx.Rect(1, 2*math.Pi*delta*n/rate)
		assert.InDelta(t, want, blockResponse(delta, advance, n, rate), 1e-12, "δ=%g Hz", delta)
	}
}

func TestSolve4(t *testing.T) {
	a := [4][4]float64{{1.1, 0.1, 0.2, -0.05}, {0.1, 0.9, 0.15, 0.1}, {0.2, 0.15, 1.05, 0.02}, {-0.05, 0.1, 0.02, 0.95}}
	want := [4]float64{1, -2, 0.5, 3}
	var b [4]float64
	for i := range 4 {
		for j := range 4 {
			b[i] += a[i][j] * want[j]
		}
	}
	got := solve4(a, b)
	for i := range want {
		assert.InDelta(t, want[i], got[i], 1e-12)
	}
}

func TestFinishSplitMatchesFinish(t *testing.T) {
	// The held key's filters run over even and odd samples apart; their
	// combination must equal the plain filter's result, for even and odd
	// block lengths (8 and 11.025 kHz).
	for _, rate := range []int{8000, 11025} {
		d, err := New(Config{SampleRate: dtmf.SampleRate(rate)})
		if err != nil {
			t.Fatal(err)
		}
		m := d.p.subLen
		x := make([]int16, m)
		for i := range x {
			x[i] = int16(8000*math.Sin(0.37*float64(i)) + 3000*math.Cos(1.1*float64(i)+0.2))
		}
		for _, i := range []int{0, 3, 4, 7} {
			var s1, s2 [numFilters]float64
			bank(&s1, &s2, x, 0, 0, &d.p.coeff)
			want := d.p.finish(i, s1[i], s2[i], 1)
			var st pairState
			pair(&st, x, 0, &[2]float64{d.p.coeff[i], d.p.coeff[i]})
			got := d.p.finishSplit(i, st.even1[0], st.even2[0], st.odd1[0], st.odd2[0], 1)
			assert.InDelta(t, 0, cmplx.Abs(got-want)/cmplx.Abs(want), 1e-12, "rate %d filter %d", rate, i)
		}
	}
}
