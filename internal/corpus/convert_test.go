package corpus

import (
	"context"
	"errors"
	"io"
	"math"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/dtmfkit/dtmfkit/audio/wavio"
)

// readWAV returns the samples of a WAV file, as fractions of full scale,
// and its rate.
func readWAV(t *testing.T, path string) ([]float64, int) {
	t.Helper()
	f, err := os.Open(path)
	require.NoError(t, err)
	defer f.Close()
	r, err := wavio.NewReader(f, wavio.ReaderConfig{})
	require.NoError(t, err)
	require.Equal(t, 1, r.Format().Channels)
	require.Equal(t, 16, r.Format().BitsPerSample)
	var x []float64
	buf := make([]int16, 1000)
	for {
		n, err := r.Read(buf)
		for _, v := range buf[:n] {
			x = append(x, float64(v)/32768)
		}
		if errors.Is(err, io.EOF) {
			return x, r.SampleRate()
		}
		require.NoError(t, err)
	}
}

func wavPaths(dir string) [len(Rates)]string {
	return [len(Rates)]string{filepath.Join(dir, "8000", "x.wav"), filepath.Join(dir, "16000", "x.wav")}
}

// Each file comes out as 16-bit mono at 8 and 16 kHz, as long as the
// source, at the level it had, with what 8 kHz cannot hold filtered out.
func TestConvert(t *testing.T) {
	for _, tc := range []struct {
		file    string
		seconds float64
		srcRate int
		kept    map[float64]float64 // frequency: amplitude at both rates
		only16  map[float64]float64 // kept at 16 kHz, gone at 8 kHz
	}{
		{"stereo-44100.ogg", 0.5, 44100, map[float64]float64{440: 0.25, 1000: 0.125}, nil},
		{"mono-22050.ogg", 0.3, 22050, map[float64]float64{3000: 0.4}, map[float64]float64{6000: 0.4}},
		{"chained-22050.ogg", 0.5, 22050, nil, nil},
	} {
		t.Run(tc.file, func(t *testing.T) {
			dir := t.TempDir()
			var c converter
			seconds, err := c.convert(context.Background(), readFixture(t, tc.file), wavPaths(dir), MinSeconds)
			require.NoError(t, err)
			assert.InDelta(t, tc.seconds, seconds, 1e-9)
			for i, path := range wavPaths(dir) {
				x, rate := readWAV(t, path)
				require.Equal(t, Rates[i], rate)
				n := int(math.Ceil(tc.seconds*float64(rate) - 1e-9))
				require.Len(t, x, n, "⌈samples·%d/%d⌉", rate, tc.srcRate)
				for f, a := range tc.kept {
					assert.InDelta(t, 0, 20*math.Log10(amplitude(x, f, rate)/a), 0.2, "%g Hz at %d Hz, dB", f, rate)
				}
				for f, a := range tc.only16 {
					got := amplitude(x, f, rate)
					if rate == 16000 {
						assert.InDelta(t, 0, 20*math.Log10(got/a), 0.2, "%g Hz at %d Hz, dB", f, rate)
						continue
					}
					// 6000 Hz would alias to 2000 Hz at 8 kHz.
					alias := amplitude(x, 8000-f, rate)
					assert.Less(t, 20*math.Log10(alias/a), -70.0, "the alias of %g Hz at %d Hz, dB", f, rate)
				}
			}
			left, err := filepath.Glob(filepath.Join(dir, "*", ".*.tmp"))
			require.NoError(t, err)
			assert.Empty(t, left, "no temporary file left")
		})
	}
}

// Files under MinSeconds, or with no audio, are not written.
func TestConvertShort(t *testing.T) {
	for _, tc := range []struct {
		file    string
		seconds float64
	}{
		{"short-8000.ogg", 0.1},
		{"empty.ogg", 0},
	} {
		dir := t.TempDir()
		var c converter
		seconds, err := c.convert(context.Background(), readFixture(t, tc.file), wavPaths(dir), MinSeconds)
		require.NoError(t, err)
		assert.InDelta(t, tc.seconds, seconds, 1e-9)
		for _, rate := range []string{"8000", "16000"} {
			entries, err := os.ReadDir(filepath.Join(dir, rate))
			require.NoError(t, err)
			assert.Empty(t, entries, "%s: nothing at %s Hz", tc.file, rate)
		}
	}
	assert.EqualError(t, describeShort(0), "no audio")
	assert.EqualError(t, describeShort(0.1), "0.100 s long, under the 0.2 s kept")
}

// A cancelled conversion stops, and leaves no file behind; a failed one
// says why; the converter goes on working after both.
func TestConvertFailures(t *testing.T) {
	dir := t.TempDir()
	var c converter
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := c.convert(ctx, readFixture(t, "stereo-44100.ogg"), wavPaths(dir), MinSeconds)
	require.ErrorIs(t, err, context.Canceled)

	bad := readFixture(t, "stereo-44100.ogg")
	bad = bad[:len(bad)-100]
	_, err = c.convert(context.Background(), bad, wavPaths(dir), MinSeconds)
	require.ErrorContains(t, err, "truncated ogg page")

	for _, rate := range []string{"8000", "16000"} {
		entries, err := os.ReadDir(filepath.Join(dir, rate))
		require.NoError(t, err)
		assert.Empty(t, entries, "nothing left at %s Hz", rate)
	}

	seconds, err := c.convert(context.Background(), readFixture(t, "stereo-44100.ogg"), wavPaths(dir), MinSeconds)
	require.NoError(t, err)
	assert.InDelta(t, 0.5, seconds, 1e-9)
	x, _ := readWAV(t, wavPaths(dir)[0])
	assert.Len(t, x, 4000)
}

func TestAppendPCM(t *testing.T) {
	got := appendPCM(nil, []float64{0, 0.5, -0.5, 1, -1, 1.5, -1.5, 1.0 / 65536, -1.0 / 65536, 0.4 / 32768, -0.6 / 32768, math.NaN()})
	assert.Equal(t, []int16{0, 16384, -16384, 32767, -32768, 32767, -32768, 1, -1, 0, -1, 0}, got,
		"×32768, rounded half away from zero, clipped")
}
