package talkoff

import (
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"slices"
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
	_, err = Speech(speechDir, 44100)
	assert.ErrorContains(t, err, "44100")
}

func meanSquare(x []int16) float64 {
	var e float64
	for _, v := range x {
		e += float64(v) * float64(v)
	}
	return e / float64(len(x))
}
