package corpus

import (
	"encoding/binary"
	"math"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func readFixture(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	require.NoError(t, err)
	return b
}

// decodeAll decodes b into one slice.
func decodeAll(t testing.TB, b []byte) (rate int, x []float64, err error) {
	t.Helper()
	var d monoDecoder
	rate, n, err := d.decode(b, func(r int, mono []float64) error {
		assert.Equal(t, rate, 0, "the rate comes before any sample")
		x = append(x, mono...)
		return nil
	})
	if err == nil {
		assert.EqualValues(t, len(x), n)
	}
	return rate, x, err
}

// amplitude returns the amplitude of the sinusoid at freq in x (least
// squares over a whole number of its periods near the middle).
func amplitude(x []float64, freq float64, rate int) float64 {
	period := float64(rate) / freq
	n := int(math.Floor(float64(len(x))/2/period) * period)
	from := (len(x) - n) / 2
	var c, s float64
	for i := from; i < from+n; i++ {
		w := 2 * math.Pi * freq * float64(i) / float64(rate)
		c += x[i] * math.Cos(w)
		s += x[i] * math.Sin(w)
	}
	return 2 * math.Hypot(c, s) / float64(n)
}

func TestDecode(t *testing.T) {
	for _, tc := range []struct {
		file    string
		rate    int
		samples int
		tones   map[float64]float64 // frequency: amplitude
	}{
		// The mean of the channels: 440 Hz at 0.5 left, 1000 Hz at 0.25 right.
		{"stereo-44100.ogg", 44100, 22050, map[float64]float64{440: 0.25, 1000: 0.125}},
		{"mono-22050.ogg", 22050, 6615, map[float64]float64{3000: 0.4, 6000: 0.4}},
		{"short-8000.ogg", 8000, 800, map[float64]float64{1000: 0.5}},
	} {
		t.Run(tc.file, func(t *testing.T) {
			rate, x, err := decodeAll(t, readFixture(t, tc.file))
			require.NoError(t, err)
			assert.Equal(t, tc.rate, rate)
			assert.Len(t, x, tc.samples, "the granule position's count, exactly")
			for f, a := range tc.tones {
				assert.InDelta(t, 0, 20*math.Log10(amplitude(x, f, rate)/a), 0.2, "%g Hz, dB", f)
			}
		})
	}
}

// A chain of two links (mono, then stereo) decodes to both, one after the
// other, as klettres-data's Czech syllables need.
func TestDecodeChain(t *testing.T) {
	rate, x, err := decodeAll(t, readFixture(t, "chained-22050.ogg"))
	require.NoError(t, err)
	assert.Equal(t, 22050, rate)
	require.Len(t, x, 6615+4410)
	assert.InDelta(t, 0.4, amplitude(x[:6615], 3000, rate), 0.01, "the first link")
	assert.InDelta(t, 0.3, amplitude(x[6615:], 500, rate), 0.01, "the second link")
}

func TestDecodeNoAudio(t *testing.T) {
	rate, x, err := decodeAll(t, readFixture(t, "empty.ogg"))
	require.NoError(t, err)
	assert.Equal(t, 8000, rate, "from the headers")
	assert.Empty(t, x)
}

// Damaged files get an error that says what and where, never a panic.
func TestDecodeErrors(t *testing.T) {
	good := readFixture(t, "mono-22050.ogg")
	first, err := parsePage(good, 0)
	require.NoError(t, err)
	second, err := parsePage(good, first.size)
	require.NoError(t, err)

	flip := func(at int) []byte {
		b := append([]byte(nil), good...)
		b[at] ^= 0x40
		return b
	}
	for _, tc := range []struct {
		name string
		b    []byte
		want string
	}{
		{"empty", nil, "empty file"},
		{"not ogg", []byte("RIFF\x24\x00\x00\x00WAVEfmt \x10\x00\x00\x00\x01\x00\x01\x00\x40\x1f\x00\x00"), `no ogg page at byte 0 (want "OggS", got "RIFF")`},
		{"short header", good[:20], "truncated ogg page at byte 0: 20 bytes left, a header needs 27"},
		{"cut", good[:len(good)-10], "truncated ogg page at byte"},
		{"bad CRC", flip(first.size + 40), "CRC"},
		{"version", func() []byte { b := append([]byte(nil), good...); b[4] = 1; return b }(), "ogg page at byte 0 has version 1, want 0"},
		{"trailing junk", append(append([]byte(nil), good...), "junk at the end of the file, not a page"...), "no ogg page at byte"},
		{"no vorbis", good[first.size : first.size+second.size], "no Vorbis stream"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, _, err := decodeAll(t, tc.b)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.want)
		})
	}
}

// The CRC is RFC 3533's: a page with its CRC field recomputed after a
// change is accepted again.
func TestOggCRC(t *testing.T) {
	b := readFixture(t, "short-8000.ogg")
	pg, err := parsePage(b, 0)
	require.NoError(t, err)
	page := append([]byte(nil), b[:pg.size]...)
	assert.Equal(t, binary.LittleEndian.Uint32(page[22:26]), oggCRC(page))
	page[18] ^= 1 // the sequence number
	_, err = parsePage(page, 0)
	require.Error(t, err)
	binary.LittleEndian.PutUint32(page[22:26], oggCRC(page))
	_, err = parsePage(page, 0)
	assert.NoError(t, err)
}

// The decoder keeps nothing from one file to the next.
func TestDecodeReuse(t *testing.T) {
	var d monoDecoder
	var first, again []float64
	_, _, err := d.decode(readFixture(t, "stereo-44100.ogg"), func(_ int, m []float64) error { first = append(first, m...); return nil })
	require.NoError(t, err)
	_, _, err = d.decode(readFixture(t, "chained-22050.ogg"), func(int, []float64) error { return nil })
	require.NoError(t, err)
	_, _, err = d.decode(readFixture(t, "stereo-44100.ogg"), func(_ int, m []float64) error { again = append(again, m...); return nil })
	require.NoError(t, err)
	assert.Equal(t, first, again)
}

// FuzzDecode: any bytes decode or fail with an error, never a panic, and
// the samples passed on are as many as reported.
func FuzzDecode(f *testing.F) {
	for _, name := range []string{"stereo-44100.ogg", "mono-22050.ogg", "chained-22050.ogg", "short-8000.ogg", "empty.ogg"} {
		b, err := os.ReadFile(filepath.Join("testdata", name))
		require.NoError(f, err)
		f.Add(b)
	}
	f.Add([]byte("OggS"))
	f.Fuzz(func(t *testing.T, b []byte) {
		var d monoDecoder
		var got int64
		rate, n, err := d.decode(b, func(r int, m []float64) error {
			if r < 1 {
				t.Fatalf("samples at rate %d", r)
			}
			got += int64(len(m))
			return nil
		})
		if err != nil {
			return
		}
		if n != got || n > 0 && rate < 1 {
			t.Fatalf("reported %d samples at %d Hz, passed on %d", n, rate, got)
		}
	})
}
