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
	prev = float64(x[n-1])
	if n < len(x) {
		f := float64(x[n])
		d := f - prev
		diffSq += d * d
		prev = f
		v := f - dc
		for i := range s1 {
			s1[i], s2[i] = (v-s2[i])+float64(c[i]*s1[i]), s1[i]
		}
	}
	return diffSq, prev
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

// rotFinish is syncRot(k) for a gap of one sub-block followed by the
// filters' finish into xs, on the kernel's vector code where it has one
// (rotFinishVector): the same operations either way.
func (d *Decoder) rotFinish(k int64, s1, s2 *[numFilters]float64, xs *[numFilters]complex64) {
	if !rotFinishVector(d.kernel, &d.rot, &d.p.step, &d.p.coeff, &d.p.sinw, s1, s2, xs) {
		for i := range d.rot {
			d.rot[i] = d.stepRot(i, 1)
		}
		for i := range xs {
			xs[i] = complex64(d.p.finish(i, s1[i], s2[i], d.rot[i]))
		}
	}
	d.rotSub = k
}
