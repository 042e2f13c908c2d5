// Package g711 implements the μ-law and A-law companding of ITU-T
// Recommendation G.711, "Pulse code modulation (PCM) of voice frequencies".
//
// A [Law] converts between 16-bit linear samples and 8-bit G.711 codes. The
// encoders follow the algorithm of the ITU-T G.191 reference implementation
// (the Software Tool Library's g711.c): the same truncation onto decision
// intervals, the same clipping, and the same one's-complement treatment of
// negative inputs.
//
// # Scale
//
// G.711 defines μ-law on a 14-bit signed scale (±8159) and A-law on a 13-bit
// one (±4096). This package works on the 16-bit scale of an int16, so the
// linear value is shifted left by 2 (μ-law) or 3 (A-law):
//
//	law    largest decoded magnitude   smallest non-zero   step in segment s
//	μ-law  32124                       8                   8 << s
//	A-law  32256                       8                   16 << max(s-1, 0)
//
// Encoding truncates the input onto the G.711 decision intervals, and decoding
// returns the midpoint of the interval (the G.711 reconstruction value), so
// the two together round to the nearest representable level. Inputs beyond the
// last decision value (±32635 for μ-law) saturate to the largest code.
//
// # Codes
//
// A code is sign (bit 7), segment (bits 6-4) and step (bits 3-0), stored with
// the bit inversions G.711 prescribes for transmission:
//
//	μ-law  all eight bits inverted: 0xFF is +0, 0x80 is +32124, 0x00 is -32124
//	A-law  even bits inverted (XOR 0x55): 0xD5 is +8, 0xAA is +32256, 0x2A is -32256
//
// μ-law has two codes for zero: 0xFF (+0) and 0x7F (−0). Both decode to 0, and
// 0 encodes to 0xFF, so 0x7F is the one code that does not survive a
// decode-encode round trip. A-law has no zero code; its smallest magnitudes
// are ±8.
//
// Negative inputs are folded onto the positive scale by one's complement
// (−1 becomes 0, −32768 becomes 32767), as in G.191, which makes the
// quantizer exactly symmetric over the int16 range: the code of s and the code
// of -s-1 differ only in the sign bit.
//
// # Terms
//
// "Sample" means one int16 linear value and "code" one G.711 byte. Encode and
// Decode work on one value; AppendEncode and AppendDecode convert slices in the
// style of the standard library's append functions.
package g711
