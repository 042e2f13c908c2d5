// Package dtmf is the vocabulary shared by the dtmfkit packages: the sixteen
// DTMF keys ([Digit]), their ITU-T Q.23 frequency pairs, the names the cloud
// APIs and RFC 4733 give them, and the [Event] a decoder reports.
//
// It does no signal processing and no I/O; the encoder, decoder and bridge
// packages build on it.
//
// # Keys and frequencies (ITU-T Q.23)
//
// Each key is the sum of one low-group (row) and one high-group (column) tone:
//
//	         1209 Hz  1336 Hz  1477 Hz  1633 Hz
//	697 Hz      1        2        3        A
//	770 Hz      4        5        6        B
//	852 Hz      7        8        9        C
//	941 Hz      *        0        #        D
//
// ITU-T Q.24 sets how far a receiver must tolerate these frequencies drifting,
// the levels and twist it must accept, and the minimum tone and pause times.
//
// # Terms
//
// These words mean the same thing in every dtmfkit package:
//
//   - sample: one 16-bit signed PCM value (int16) of mono audio, or its float
//     equivalent scaled so that 1.0 is 32768.
//   - sample offset: the index of a sample counted from the start of a stream;
//     event positions are sample offsets (int64), never wall-clock times.
//   - block: the N samples that one Goertzel pass analyses.
//   - dBm0: the telephone level unit of ITU-T G.711, in which a full-scale sine
//     is +3.14 dBm0; a sine at L dBm0 has a peak of 32767 × 10^((L−3.14)/20).
//   - twist: the level of the high-group tone minus that of the low-group tone,
//     in dB. Negative twist (high group weaker) is "normal" or "forward" twist;
//     positive twist (high group stronger) is "reverse" twist.
//
// The word "frame" is avoided: codecs use it for one sample, media stacks for
// a 20 ms packet.
//
// # Names
//
// Microsoft Graph, Azure Communication Services (ACS) and RFC 4733 each name
// the keys differently; see [Dialect], [Digit.Name] and [ParseName].
//
//	key  Graph   ACS       RFC 4733
//	0    tone0   zero      0
//	1-9  tone1…  one…nine  1-9
//	*    star    asterisk  10
//	#    pound   pound     11
//	A-D  a-d     a-d       12-15
//	—    flash   —         16
package dtmf
