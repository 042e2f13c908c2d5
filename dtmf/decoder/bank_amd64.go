//go:build !purego

package decoder

import "golang.org/x/sys/cpu"

// bankAVX2 and bankSSE2 run bank's recursions over pairs pairs of 16-bit
// samples at x, from zero states, leaving the last two states of the eight
// filters in st (s[n−1] in st[0:8], s[n−2] in st[8:16]), and return
// Σ(x[i] − x[i−1])² with x[−1] = prev, exact in integers. AVX2 holds the
// rows in one 256-bit register and the columns in another; SSE2, the
// floor of amd64, two filters a register.
//
//go:noescape
func bankAVX2(st *[2 * numFilters]float64, x *int16, pairs int, dc float64, prev int64, c *[numFilters]float64) (diffSq int64)

//go:noescape
func bankSSE2(st *[2 * numFilters]float64, x *int16, pairs int, dc float64, prev int64, c *[numFilters]float64) (diffSq int64)

// vectorKernel returns the fastest bank kernel this processor runs
// (x/sys/cpu checks that the operating system saves the AVX registers).
func vectorKernel() kernel {
	if cpu.X86.HasAVX2 {
		return kernelAVX2
	}
	return kernelSSE2
}

// bankVector runs the kernel k (not kernelGo) over the even-length x.
func bankVector(k kernel, st *[2 * numFilters]float64, x []int16, dc float64, prev int64, c *[numFilters]float64) float64 {
	if k == kernelAVX2 {
		return float64(bankAVX2(st, &x[0], len(x)/2, dc, prev, c))
	}
	return float64(bankSSE2(st, &x[0], len(x)/2, dc, prev, c))
}

//go:noescape
func sumsSSE2(x *int16, octets int) (sum, sumSq int64)

// sumsVector returns Σx and Σx² over x, whose length is a multiple of 8
// below 2^18 (the int32 lanes of Σx cannot overflow), on SSE2.
func sumsVector(x []int16) (sum, sumSq int64) {
	return sumsSSE2(&x[0], len(x)/8)
}

//go:noescape
func cic2(st *[6]int64, x *int16, o *int16, n int)

//go:noescape
func cic6(st *[6]int64, x *int16, o *int16, n int, scale float64)

// cicVector runs the CIC decimating by decim in assembly (any kernel but
// kernelGo; decimation by 2 or 6, 16 and 48 kHz input) over x and o
// (len(x) = decim·len(o)), from and back to the states in st (i0, i1, i2,
// c0, c1, c2), and reports whether it did.
func cicVector(k kernel, st *[6]int64, x, o []int16, decim int, scale float64) bool {
	if k == kernelGo || len(o) == 0 || (decim != 2 && decim != 6) {
		return false
	}
	_ = x[decim*len(o)-1]
	if decim == 2 {
		cic2(st, &x[0], &o[0], len(o))
	} else {
		cic6(st, &x[0], &o[0], len(o), scale)
	}
	return true
}

//go:noescape
func rotFinishAVX2(rot, step *[numFilters]complex128, coeff, sinw, s1, s2 *[numFilters]float64, xs *[numFilters]complex64)

// rotFinishVector runs rotFinish's arithmetic on AVX2 and reports whether
// it did (not without AVX2).
func rotFinishVector(k kernel, rot, step *[numFilters]complex128, coeff, sinw, s1, s2 *[numFilters]float64, xs *[numFilters]complex64) bool {
	if k != kernelAVX2 {
		return false
	}
	rotFinishAVX2(rot, step, coeff, sinw, s1, s2, xs)
	return true
}
