package decoder

// kernel selects the code of the decoder's per-sample loops over 16-bit
// samples (the filter bank, the sub-block sums, the CIC for 16 and 48 kHz):
// the pure Go, the reference and the fallback, or the processor's assembly
// (bank_amd64.s). Every kernel gives bit for bit the same states, sums and
// samples, so the events do not depend on it.
type kernel uint8

const (
	kernelGo kernel = iota
	kernelSSE2
	kernelAVX2
)

// String returns the kernel's name: "go", "sse2" or "avx2".
func (k kernel) String() string {
	switch k {
	case kernelGo:
		return "go"
	case kernelSSE2:
		return "sse2"
	case kernelAVX2:
		return "avx2"
	}
	return "unknown"
}

// bank16 is bank over 16-bit samples on the kernel k. The vector kernels
// take the samples in pairs and sum the first difference's energy in
// integers, which is exact, as bank's float sum is for 16-bit input (each
// term is below 2^32 and a sub-block's sum below 2^40): so it needs prev
// to be a whole number, as it is unless DecodeFloat32 has been used. An odd
// last sample is done here, as bank does it.
func bank16(k kernel, s1, s2 *[numFilters]float64, x []int16, dc, prev float64, c *[numFilters]float64) (float64, float64) {
	ip := int64(prev)
	if k == kernelGo || len(x) < 2 || float64(ip) != prev {
		return bank(s1, s2, x, dc, prev, c)
	}
	n := len(x) &^ 1
	var st [2 * numFilters]float64
	diffSq := bankVector(k, &st, x[:n], dc, ip, c)
	copy(s1[:], st[:numFilters])
	copy(s2[:], st[numFilters:])
	if n < len(x) {
		return bankOne(s1, s2, float64(x[n]), dc, float64(x[n-1]), diffSq, c)
	}
	return diffSq, float64(x[n-1])
}

// sums16 is sums on the kernel k: the vector kernels take the samples
// eight at a time, the rest is done here. Integer sums do not depend on
// their order: the results are sums'.
func sums16(k kernel, x []int16) (sum, sumSq int64) {
	n := len(x) &^ 7
	if k == kernelGo || n == 0 || n >= 1<<18 {
		return sums(x)
	}
	s, q := sumsVector(x[:n])
	ts, tq := sums(x[n:])
	return s + ts, q + tq
}

// rotFinish brings the phase references to sub-block k (syncRot) and
// finishes the filters' states into xs: in one pass on the kernel's vector
// code in the common case, a gap of one sub-block (rotFinishVector).
func (d *Decoder) rotFinish(k int64, s1, s2 *[numFilters]float64, xs *[numFilters]complex64) {
	if !d.rotStale && k-d.rotSub == 1 && rotFinishVector(d.kernel, &d.rot, &d.p.step, &d.p.coeff, &d.p.sinw, s1, s2, xs) {
		d.rotSub = k
		return
	}
	d.syncRot(k)
	for i := range xs {
		xs[i] = complex64(d.p.finish(i, s1[i], s2[i], d.rot[i]))
	}
}
