// Package resample converts audio from one integer sample rate to another
// with a rational polyphase filter: a Kaiser-windowed sinc low-pass, the
// design of J. F. Kaiser ("Nonrecursive digital filter design using the
// I0-sinh window function", Proc. IEEE ISCAS, 1974) applied to the
// interpolate-filter-decimate structure of R. E. Crochiere and
// L. R. Rabiner, "Multirate Digital Signal Processing" (Prentice-Hall, 1983),
// chapter 3.
//
// # Method
//
// For rates InRate and OutRate with greatest common divisor g, the ratio is
// L/M with L = OutRate/g and M = InRate/g (44100 Hz to 8000 Hz is 80/441).
// Conceptually the input is raised to L·InRate by inserting L−1 zeros after
// each sample, low-pass filtered, and every M-th sample kept; the polyphase
// form computes only the kept samples, each a dot product of K input
// samples with one of L sets of K coefficients:
//
//	y[k] = Σ_j x[j]·h(k·M − j·L),  |k·M − j·L| ≤ H·L
//	h(d) = (2·fc/InRate)·sinc(2·fc·d/(L·InRate))·w(d/(H·L))
//	w(t) = I0(β·√(1 − t²)) / I0(β)
//
// where fc is the cutoff, halfway between the passband edge and the
// stopband edge, and K = 2H+1. The filter is linear-phase and centred on
// each output instant, so output sample k is the input at time
// k/OutRate exactly: nothing is delayed. Each of the L coefficient sets is
// scaled so that its sum is 1, so a constant input gives the same constant
// out.
//
// # Response
//
// Frequencies are relative to the lower of the two Nyquist frequencies,
// fn = min(InRate, OutRate)/2: the output's when the rate goes down (so
// nothing above it aliases), the input's when it goes up (so the images of
// the spectrum are removed). With the zero [Config]:
//
//	passband   0 to 0.9·fn      flat within ±0.002 dB (the tests hold it
//	                             to ±0.05 dB)
//	transition 0.9·fn to fn
//	stopband   fn and above      attenuated by 89.7 dB or more at the rates
//	                             the tests use (they hold it to 80 dB),
//	                             aliases and images included
//
// From 44100 Hz to 8000 Hz that is a passband to 3600 Hz, a stopband from
// 4000 Hz, and 633 coefficients per output sample. Kaiser's formulas give
// the window's β and the length H·L from the attenuation A (dB) and the
// transition width Δf:
//
//	β = 0.1102·(A − 8.7)
//	2·H·L ≥ (A − 7.95) / (2.285 · 2π·Δf/(L·InRate))
//
// # Streaming
//
// A [Resampler] takes the input in chunks of any size with
// [Resampler.Process] and appends the output samples it can compute so far;
// the output is identical for every way of chunking the same input.
// [Resampler.Flush] ends the stream as if silence followed, so n input
// samples give exactly ⌈n·OutRate/InRate⌉ output samples in all, and
// [Resampler.Reset] starts a new one. Output lags input by H input samples
// (about 7 ms from 44100 Hz to 8000 Hz). Equal rates copy the input.
//
// A Resampler holds its coefficient table (L·K values: 404 KiB from 44100
// Hz to 8000 Hz) and a buffer of K+4096 samples, all allocated by [New];
// Process, Flush and Reset allocate nothing when dst has room. A Resampler
// is not safe for concurrent use; use one per stream.
package resample
