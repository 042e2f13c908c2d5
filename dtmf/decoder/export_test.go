package decoder

// Kernels returns the names of the filter-bank kernels this build and
// processor run: "go" always, then the vector kernels.
func Kernels() []string {
	ks := []string{kernelGo.String()}
	switch vectorKernel() {
	case kernelAVX2:
		ks = append(ks, kernelSSE2.String(), kernelAVX2.String())
	case kernelSSE2:
		ks = append(ks, kernelSSE2.String())
	}
	return ks
}

// SetKernel makes d run the filter bank on the named kernel (one of
// Kernels), as New would pick it for a processor, for tests that compare
// the kernels.
func SetKernel(d *Decoder, name string) {
	for _, k := range []kernel{kernelGo, kernelSSE2, kernelAVX2} {
		if k.String() == name {
			d.kernel = k
			return
		}
	}
	panic("decoder: no kernel " + name)
}
