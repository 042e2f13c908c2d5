package talkoff

import (
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The speech half of the corpus is committed WAV files made by
// testdata/talkoff/make-speech.sh; these tests check them against their
// manifest and with the oracle.

const speechDir = "../../testdata/talkoff"

func loadManifest(t *testing.T) []SpeechEntry {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(speechDir, "manifest.json"))
	require.NoError(t, err)
	var m []SpeechEntry
	require.NoError(t, json.Unmarshal(b, &m))
	return m
}

func TestSpeechManifest(t *testing.T) {
	m := loadManifest(t)
	wavs, err := filepath.Glob(filepath.Join(speechDir, "*.wav"))
	require.NoError(t, err)
	assert.Len(t, m, len(wavs), "every WAV is in the manifest and no more")

	var total float64
	for _, e := range m {
		pcm, rate, err := readWAV(filepath.Join(speechDir, e.File))
		require.NoError(t, err, e.File)
		assert.Equal(t, "speech", e.Kind, e.File)
		assert.NotEmpty(t, e.Language, e.File)
		assert.NotEmpty(t, e.Voice, e.File)
		assert.Equal(t, 16000, e.SampleRate, e.File)
		assert.Equal(t, e.SampleRate, rate, e.File)
		assert.InDelta(t, e.Seconds, float64(len(pcm))/float64(rate), 0.001, e.File)
		assert.InDelta(t, e.PeakDBFS, peakDBFS(pcm), 0.05, e.File)
		assert.Greater(t, slices.Min(pcm), int16(-32768), e.File)
		total += e.Seconds
	}
	t.Logf("%d files, %.1f s of speech", len(m), total)
}

// TestSpeechIsNotDTMF checks the speech with the oracle at 8 kHz, after
// the 2:1 decimation the tests of a receiver apply, and logs each file's
// closest approach to a key.
func TestSpeechIsNotDTMF(t *testing.T) {
	clips, err := Speech(speechDir, 8000)
	require.NoError(t, err)
	require.Len(t, clips, len(loadManifest(t)))
	for _, c := range clips {
		score, at := oracleScore(c.PCM, 8000)
		t.Logf("%-34s oracle %.2f at %.3f s", c.Name, score, at)
		assert.Less(t, score, oracleLimit, "%s looks like DTMF at %.3f s", c.Name, at)
	}
}

// TestSpeechRates checks the rate conversions: 8 and 48 kHz keep each
// clip's length in time and, within 0.5 dB, its energy (speech has little
// above the 3.7 kHz cutoff of the decimation); other rates are errors.
// (TestInterpolate checks the higher rates on a tone, at less cost.)
func TestSpeechRates(t *testing.T) {
	base, err := Speech(speechDir, 16000)
	require.NoError(t, err)
	for _, tc := range []struct{ rate, num, den int }{{8000, 1, 2}, {48000, 3, 1}} {
		clips, err := Speech(speechDir, tc.rate)
		require.NoError(t, err)
		require.Len(t, clips, len(base))
		for i, c := range clips {
			require.Equal(t, len(base[i].PCM)*tc.num/tc.den, len(c.PCM), "%s at %d Hz", c.Name, tc.rate)
			ratio := meanSquare(c.PCM) / meanSquare(base[i].PCM)
			assert.InDelta(t, 0, 10*math.Log10(ratio), 0.5, "%s at %d Hz: energy", c.Name, tc.rate)
		}
	}
	for _, rate := range []int{44100, 208000} {
		_, err = Speech(speechDir, rate)
		assert.ErrorContains(t, err, strconv.Itoa(rate))
	}
}

func meanSquare(x []int16) float64 {
	var e float64
	for _, v := range x {
		e += float64(v) * float64(v)
	}
	return e / float64(len(x))
}

// TestInterpolate checks the 1:l interpolation from 16 kHz on tones in the
// speech band: away from the ends, the output is the same tone sampled at
// l·16 kHz (no delay, no gain error, no images) within a few 16-bit steps.
func TestInterpolate(t *testing.T) {
	const amp, n = 10000.0, 1600
	for _, l := range []int{2, 3, 6, 12} {
		for _, f := range []float64{440, 1633, 3400} {
			x := make([]int16, n)
			for i := range x {
				x[i] = int16(math.Round(amp * math.Sin(2*math.Pi*f*float64(i)/16000+1)))
			}
			y := interpolate(x, l)
			require.Len(t, y, l*n)
			worst := 0.0
			for j := 100 * l; j < l*(n-100); j++ {
				want := amp * math.Sin(2*math.Pi*f*float64(j)/float64(16000*l)+1)
				worst = max(worst, math.Abs(float64(y[j])-want))
			}
			t.Logf("1:%d, %.0f Hz: worst error %.2f", l, f, worst)
			assert.Less(t, worst, 3.0, "1:%d at %.0f Hz", l, f)
		}
	}
}
