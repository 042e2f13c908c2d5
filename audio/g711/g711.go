package g711

import (
	"math/bits"
	"slices"
	"strconv"
)

// Law is a G.711 companding law. The zero value is not a valid Law; calling
// a conversion method on it panics.
type Law uint8

// The two G.711 laws.
const (
	// MuLaw is μ-law (PCMU), used in North America and Japan.
	MuLaw Law = iota + 1
	// ALaw is A-law (PCMA), used in Europe and most of the rest of the world.
	ALaw
)

const errInvalidLaw = "g711: invalid Law"

// String returns "mu-law" or "A-law".
func (l Law) String() string {
	switch l {
	case MuLaw:
		return "mu-law"
	case ALaw:
		return "A-law"
	default:
		return "Law(" + strconv.Itoa(int(l)) + ")"
	}
}

// Encode returns the G.711 code for the linear sample s.
func (l Law) Encode(s int16) byte {
	switch l {
	case MuLaw:
		return encodeMuLaw(s)
	case ALaw:
		return encodeALaw(s)
	default:
		panic(errInvalidLaw)
	}
}

// Decode returns the linear sample, on the 16-bit scale, that code stands for.
func (l Law) Decode(code byte) int16 {
	return l.table()[code]
}

// AppendEncode appends the G.711 code of each sample in pcm to dst and
// returns the extended slice, which aliases dst if dst has the capacity.
// dst may be nil. AppendEncode does not retain pcm.
func (l Law) AppendEncode(dst []byte, pcm []int16) []byte {
	dst, out := grow(dst, len(pcm))
	switch l {
	case MuLaw:
		for i, s := range pcm {
			out[i] = encodeMuLaw(s)
		}
	case ALaw:
		for i, s := range pcm {
			out[i] = encodeALaw(s)
		}
	default:
		panic(errInvalidLaw)
	}
	return dst
}

// AppendDecode appends the linear sample of each code in codes to dst and
// returns the extended slice, which aliases dst if dst has the capacity.
// dst may be nil. AppendDecode does not retain codes.
func (l Law) AppendDecode(dst []int16, codes []byte) []int16 {
	t := l.table()
	dst, out := grow(dst, len(codes))
	for i, c := range codes {
		out[i] = t[c]
	}
	return dst
}

// grow extends s by n elements and returns the extended slice and its new
// tail. It allocates only when s lacks the capacity.
func grow[E any](s []E, n int) (all, tail []E) {
	m := len(s)
	s = slices.Grow(s, n)[:m+n]
	return s, s[m:]
}

func (l Law) table() *[256]int16 {
	switch l {
	case MuLaw:
		return &muLawTable
	case ALaw:
		return &aLawTable
	default:
		panic(errInvalidLaw)
	}
}

// The decoding tables are computed once at package initialisation and never
// written afterwards.
var (
	muLawTable = func() (t [256]int16) {
		for c := range t {
			t[c] = decodeMuLaw(byte(c))
		}
		return t
	}()
	aLawTable = func() (t [256]int16) {
		for c := range t {
			t[c] = decodeALaw(byte(c))
		}
		return t
	}()
)

// Both laws split a code into sign, segment and step.
const (
	signBit   = 0x80
	segShift  = 4
	stepMask  = 0x0F
	aLawXOR   = 0x55 // A-law inverts the even bits
	muLawBias = 33   // μ-law bias on the 14-bit scale
	muLawMax  = 0x1FFF
)

// magnitude folds s onto 0..32767 by one's complement, as G.191 does, and
// reports whether s was non-negative.
func magnitude(s int16) (mag int, positive bool) {
	if s < 0 {
		return int(^s), false
	}
	return int(s), true
}

// encodeMuLaw works on the 14-bit scale: the biased magnitude b = mag>>2 + 33
// lies in 33..8191, and its highest set bit (5..12) gives the segment.
func encodeMuLaw(s int16) byte {
	mag, positive := magnitude(s)
	b := min(mag>>2+muLawBias, muLawMax)
	seg := bits.Len(uint(b)) - 6
	code := byte(seg<<segShift | b>>(seg+1)&stepMask)
	if !positive {
		code |= signBit // μ-law's sign bit is 0 for negative once inverted
	}
	return ^code
}

// encodeALaw works on the 12-bit magnitude m = mag>>4 (the 13-bit signed
// scale): m below 16 is segment 0 with step 1, otherwise the highest set bit
// of m (4..10) gives segment 1..7.
func encodeALaw(s int16) byte {
	mag, positive := magnitude(s)
	m := mag >> 4
	var code byte
	if m < 16 {
		code = byte(m)
	} else {
		seg := bits.Len(uint(m)) - 4
		code = byte(seg<<segShift | m>>(seg-1)&stepMask)
	}
	if positive {
		code |= signBit
	}
	return code ^ aLawXOR
}

// decodeMuLaw returns the midpoint of the code's decision interval:
// ((2·step + 33) << seg) − 33 on the 14-bit scale, times 4.
func decodeMuLaw(code byte) int16 {
	code = ^code
	seg := code >> segShift & 7
	v := (int(code&stepMask)<<3 + muLawBias<<2) << seg
	v -= muLawBias << 2
	if code&signBit != 0 {
		return int16(-v)
	}
	return int16(v)
}

// decodeALaw returns the midpoint of the code's decision interval:
// 2·step + 1 in segment 0, (2·step + 33) << (seg−1) above it, on the 13-bit
// scale, times 8.
func decodeALaw(code byte) int16 {
	code ^= aLawXOR
	seg := code >> segShift & 7
	v := int(code&stepMask)<<4 + 8
	if seg > 0 {
		v = (v + 0x100) << (seg - 1)
	}
	if code&signBit == 0 {
		return int16(-v)
	}
	return int16(v)
}
