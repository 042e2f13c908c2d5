package g711_test

import (
	"fmt"
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/dtmfkit/dtmfkit/audio/g711"
)

var laws = []g711.Law{g711.MuLaw, g711.ALaw}

func TestLawString(t *testing.T) {
	assert.Equal(t, "mu-law", g711.MuLaw.String())
	assert.Equal(t, "A-law", g711.ALaw.String())
	assert.Equal(t, "Law(0)", g711.Law(0).String())
	assert.Equal(t, "Law(9)", g711.Law(9).String())
}

func TestInvalidLawPanics(t *testing.T) {
	for _, l := range []g711.Law{0, 3, 255} {
		assert.PanicsWithValue(t, "g711: invalid Law", func() { l.Encode(0) }, "%v", l)
		assert.PanicsWithValue(t, "g711: invalid Law", func() { l.Decode(0) }, "%v", l)
		assert.PanicsWithValue(t, "g711: invalid Law", func() { l.AppendEncode(nil, []int16{1}) }, "%v", l)
		assert.PanicsWithValue(t, "g711: invalid Law", func() { l.AppendDecode(nil, []byte{1}) }, "%v", l)
	}
}

// interval is one row of a G.711 coding table: inputs x with lo <= x < hi
// (decision values) encode to code, which decodes to y (the decoder output
// value). Values are on the table's normalised scale.
type interval struct {
	code      byte
	lo, hi, y int
}

// The first and last interval of each segment of the positive half of
// ITU-T G.711 (11/1988) Table 2a (μ-law, normalised to 8159) and Table 1a
// (A-law, normalised to 4096), segments in order of increasing magnitude.
// The codes are as transmitted, after the bit inversions. The tables write
// the top decision value of each interval, so hi is the next row's lo.
var (
	muLawTable = []interval{
		{0xFF, 0, 1, 0}, {0xFE, 1, 3, 2}, {0xF0, 29, 31, 30},
		{0xEF, 31, 35, 33}, {0xE0, 91, 95, 93},
		{0xDF, 95, 103, 99}, {0xD0, 215, 223, 219},
		{0xCF, 223, 239, 231}, {0xC0, 463, 479, 471},
		{0xBF, 479, 511, 495}, {0xB0, 959, 991, 975},
		{0xAF, 991, 1055, 1023}, {0xA0, 1951, 2015, 1983},
		{0x9F, 2015, 2143, 2079}, {0x90, 3935, 4063, 3999},
		{0x8F, 4063, 4319, 4191}, {0x80, 7903, 8159, 8031},
	}
	aLawTable = []interval{
		{0xD5, 0, 2, 1}, {0xD4, 2, 4, 3}, {0xDA, 30, 32, 31},
		{0xC5, 32, 34, 33}, {0xCA, 62, 64, 63},
		{0xF5, 64, 68, 66}, {0xFA, 124, 128, 126},
		{0xE5, 128, 136, 132}, {0xEA, 248, 256, 252},
		{0x95, 256, 272, 264}, {0x9A, 496, 512, 504},
		{0x85, 512, 544, 528}, {0x8A, 992, 1024, 1008},
		{0xB5, 1024, 1088, 1056}, {0xBA, 1984, 2048, 2016},
		{0xA5, 2048, 2176, 2112}, {0xAA, 3968, 4096, 4032},
	}
)

// TestTables checks encoding at both decision values of each interval and
// decoding of its code, for both signs. On the 16-bit scale a table value v
// is v<<2 (μ-law) or v<<3 (A-law), and the interval holds lo<<k..hi<<k-1.
// A negative sample s is coded as its one's complement ^s = -s-1 with the
// sign bit cleared (G.191), so the negative interval is -(hi<<k)..-(lo<<k)-1.
func TestTables(t *testing.T) {
	for _, tc := range []struct {
		law   g711.Law
		shift uint
		rows  []interval
		max   int16 // the largest decoded magnitude
	}{
		{g711.MuLaw, 2, muLawTable, 32124},
		{g711.ALaw, 3, aLawTable, 32256},
	} {
		t.Run(tc.law.String(), func(t *testing.T) {
			for _, row := range tc.rows {
				lo, hi, y := row.lo<<tc.shift, row.hi<<tc.shift-1, int16(row.y<<tc.shift)
				neg := row.code &^ 0x80

				assert.Equal(t, y, tc.law.Decode(row.code), "decode %#02x", row.code)
				assert.Equal(t, -y, tc.law.Decode(neg), "decode %#02x", neg)
				for _, s := range []int{lo, hi} {
					assert.Equal(t, row.code, tc.law.Encode(int16(s)), "encode %d", s)
					assert.Equal(t, neg, tc.law.Encode(int16(-s-1)), "encode %d", -s-1)
				}
				// Just outside the interval is another code, except where the
				// top interval saturates.
				if lo > 0 {
					assert.NotEqual(t, row.code, tc.law.Encode(int16(lo-1)), "encode %d", lo-1)
					assert.NotEqual(t, neg, tc.law.Encode(int16(-lo)), "encode %d", -lo)
				}
				if y != tc.max {
					assert.NotEqual(t, row.code, tc.law.Encode(int16(hi+1)), "encode %d", hi+1)
					assert.NotEqual(t, neg, tc.law.Encode(int16(-hi-2)), "encode %d", -hi-2)
				}
			}
			top := tc.rows[len(tc.rows)-1].code
			assert.Equal(t, top, tc.law.Encode(math.MaxInt16))
			assert.Equal(t, top&^0x80, tc.law.Encode(math.MinInt16))
			assert.Equal(t, tc.max, tc.law.Decode(top))
			assert.Equal(t, -tc.max, tc.law.Decode(top&^0x80))
		})
	}
}

// TestRoundTrip decodes every code and encodes the result. Every code comes
// back except μ-law's negative zero 0x7F, which decodes to 0, and 0 encodes
// as positive zero 0xFF.
func TestRoundTrip(t *testing.T) {
	for _, law := range laws {
		for c := range 256 {
			code := byte(c)
			want := code
			if law == g711.MuLaw && code == 0x7F {
				want = 0xFF
			}
			require.Equal(t, want, law.Encode(law.Decode(code)), "%v code %#02x", law, code)
		}
	}
	assert.Equal(t, int16(0), g711.MuLaw.Decode(0x7F))
	assert.Equal(t, int16(0), g711.MuLaw.Decode(0xFF))
}

// TestEveryInput runs all 65536 samples through each law and checks that
// encoding is monotonic, symmetric under one's complement, and within half a
// step of the input (the step being that of the code's segment, see doc.go).
func TestEveryInput(t *testing.T) {
	for _, law := range laws {
		t.Run(law.String(), func(t *testing.T) {
			prev := int16(math.MinInt16)
			for i := math.MinInt16; i <= math.MaxInt16; i++ {
				s := int16(i)
				code := law.Encode(s)
				got := law.Decode(code)
				require.GreaterOrEqual(t, got, prev, "not monotonic at %d", s)
				prev = got

				require.Equal(t, code^0x80, law.Encode(^s), "not symmetric at %d", s)

				var seg, half int
				if law == g711.MuLaw {
					seg = int(^code >> 4 & 7)
					half = 4 << seg
				} else {
					seg = int((code ^ 0x55) >> 4 & 7)
					half = 8 << max(seg-1, 0)
				}
				if s > 32635 || s < -32636 { // μ-law saturates beyond the last decision value
					continue
				}
				require.LessOrEqual(t, abs(int(got)-int(s)), half, "error at %d (code %#02x)", s, code)
			}
		})
	}
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

func TestAppendMatchesSingle(t *testing.T) {
	pcm := make([]int16, 0, 1<<16)
	for i := math.MinInt16; i <= math.MaxInt16; i++ {
		pcm = append(pcm, int16(i))
	}
	codes := make([]byte, 256)
	for i := range codes {
		codes[i] = byte(i)
	}
	for _, law := range laws {
		prefix := []byte{1, 2, 3}
		enc := law.AppendEncode(prefix, pcm)
		require.Len(t, enc, 3+len(pcm))
		assert.Equal(t, prefix, enc[:3])
		for i, s := range pcm {
			require.Equal(t, law.Encode(s), enc[3+i], "%v encode %d", law, s)
		}
		dec := law.AppendDecode([]int16{-7}, codes)
		require.Len(t, dec, 257)
		assert.Equal(t, int16(-7), dec[0])
		for i, c := range codes {
			require.Equal(t, law.Decode(c), dec[1+i], "%v decode %#02x", law, c)
		}
		assert.Empty(t, law.AppendEncode(nil, nil))
		assert.Empty(t, law.AppendDecode(nil, nil))
	}
}

func TestAppendAliasesDst(t *testing.T) {
	buf := make([]byte, 1, 10)
	out := g711.ALaw.AppendEncode(buf, []int16{0, 1000})
	assert.Same(t, &buf[0], &out[0])
}

func TestAppendAllocs(t *testing.T) {
	pcm := make([]int16, 160)
	codes := make([]byte, 160)
	bdst := make([]byte, 0, 160)
	sdst := make([]int16, 0, 160)
	for _, law := range laws {
		assert.Zero(t, testing.AllocsPerRun(100, func() { bdst = law.AppendEncode(bdst[:0], pcm) }), "%v AppendEncode", law)
		assert.Zero(t, testing.AllocsPerRun(100, func() { sdst = law.AppendDecode(sdst[:0], codes) }), "%v AppendDecode", law)
	}
}

func BenchmarkAppendEncode(b *testing.B) {
	for _, law := range laws {
		for _, n := range []int{160, 4096} {
			b.Run(fmt.Sprintf("law=%v/chunk=%d", law, n), func(b *testing.B) {
				pcm := make([]int16, n)
				for i := range pcm {
					pcm[i] = int16(i * 263)
				}
				dst := make([]byte, 0, n)
				b.ReportAllocs()
				b.SetBytes(int64(2 * n))
				for b.Loop() {
					dst = law.AppendEncode(dst[:0], pcm)
				}
			})
		}
	}
}

func BenchmarkAppendDecode(b *testing.B) {
	for _, law := range laws {
		for _, n := range []int{160, 4096} {
			b.Run(fmt.Sprintf("law=%v/chunk=%d", law, n), func(b *testing.B) {
				codes := make([]byte, n)
				for i := range codes {
					codes[i] = byte(i)
				}
				dst := make([]int16, 0, n)
				b.ReportAllocs()
				b.SetBytes(int64(2 * n))
				for b.Loop() {
					dst = law.AppendDecode(dst[:0], codes)
				}
			})
		}
	}
}
