//go:build purego || !amd64

package decoder

// vectorKernel returns kernelGo: this build has no vector kernel (built
// with -tags purego, or for a processor other than amd64).
func vectorKernel() kernel { return kernelGo }

// bankVector is never called in this build: vectorKernel selects kernelGo.
func bankVector(k kernel, _ *[2 * numFilters]float64, _ []int16, _ float64, _ int64, _ *[numFilters]float64) float64 {
	panic("decoder: no vector kernel " + k.String() + " in this build")
}

// sumsVector is never called in this build: vectorKernel selects kernelGo.
func sumsVector([]int16) (sum, sumSq int64) {
	panic("decoder: no vector kernel in this build")
}

// cicVector does nothing in this build: cicWhole's loops do it all.
func cicVector(kernel, *[6]int64, []int16, []int16, int, float64) bool { return false }

// rotFinishVector does nothing in this build: rotFinish's Go loops do it.
func rotFinishVector(kernel, *[numFilters]complex128, *[numFilters]complex128, *[numFilters]float64, *[numFilters]float64, *[numFilters]float64, *[numFilters]float64, *[numFilters]complex64) bool {
	return false
}
