// Package goertzel implements the Goertzel algorithm: the discrete-time
// Fourier transform of a block of samples at one frequency, computed with one
// multiplication per sample.
//
// The filter is the second-order recurrence
//
//	s[n] = x[n] + 2cos(ω)·s[n−1] − s[n−2],   ω = 2π·freq/sampleRate
//
// after which, for a block of N samples x[0..N−1],
//
//	X(ω) = Σ x[n]·e^(−jωn) = e^(−jω(N−1))·(s[N−1] − e^(−jω)·s[N−2])
//	|X(ω)|² = s[N−1]² + s[N−2]² − 2cos(ω)·s[N−1]·s[N−2]
//
// ω need not be a DFT bin centre (2πk/N): the result is the transform at
// exactly freq, for any block length. This is what a DTMF receiver needs to
// measure the ITU-T Q.23 frequencies at 697 Hz … 1633 Hz, which fall on no
// bin of a convenient block at 8 kHz, within the tolerances of ITU-T Q.24.
//
// # Scale
//
// [Filter.Power] and the one-shot [Power] return 2·|X(ω)|²/N², the mean-square
// value of the sinusoid at freq: a sine of amplitude A reads A²/2 whatever
// the block length N and the sample rate. It is exact when the block holds a
// whole number of half periods of freq; otherwise the negative-frequency
// image of the sine adds an error of at most 1/(N·|sin ω|) relative to the
// amplitude. [Filter.Amplitude] returns √(2·Power), the sine's amplitude.
//
// # Use
//
// [Power] measures one block; a [Filter] is a streaming value for input that
// arrives in pieces, with [Filter.Update], [Filter.Power] and [Filter.Reset].
// Coefficients are computed once by [New]; nothing is allocated per update.
// A Filter is not safe for concurrent use.
package goertzel
