package talkoff

import (
	"math"
	"math/rand/v2"
	"slices"
	"strconv"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// clips8k is Clips(8000), made once for the tests that only read it.
var clips8k = sync.OnceValue(func() []Clip { return Clips(8000) })

func peakDBFS(pcm []int16) float64 {
	var m int
	for _, v := range pcm {
		m = max(m, abs(int(v)))
	}
	return 20 * math.Log10(float64(m)/32767)
}

func rmsDBFS(pcm []int16) float64 {
	var p float64
	for _, v := range pcm {
		p += float64(v) * float64(v)
	}
	return 10 * math.Log10(p/float64(len(pcm))/(32767.0*32767.0))
}

func abs(v int) int {
	if v < 0 {
		return -v
	}
	return v
}

func TestClipsShape(t *testing.T) {
	for _, rate := range []int{8000, 16000, 48000} {
		t.Run("rate="+strconv.Itoa(rate), func(t *testing.T) {
			clips := clips8k()
			if rate != 8000 {
				clips = Clips(rate)
			}
			require.Len(t, clips, len(specs))
			names := map[string]bool{}
			for i, c := range clips {
				sp := specs[i]
				assert.Equal(t, sp.name, c.Name)
				assert.False(t, names[c.Name], "duplicate name %q", c.Name)
				names[c.Name] = true
				assert.Regexp(t, `^[a-z0-9]+(-[a-z0-9]+)*$`, c.Name)

				assert.GreaterOrEqual(t, sp.seconds, 2.0, c.Name)
				assert.LessOrEqual(t, sp.seconds, 6.0, c.Name)
				assert.Len(t, c.PCM, int(math.Round(sp.seconds*float64(rate))), c.Name)

				peak := peakDBFS(c.PCM)
				assert.InDelta(t, sp.peak, peak, 0.01, "%s peak", c.Name)
				assert.GreaterOrEqual(t, peak, -20.01, c.Name)
				assert.LessOrEqual(t, peak, -0.99, c.Name)
				// Not mostly silence: crest factor under 30 dB.
				assert.Less(t, peak-rmsDBFS(c.PCM), 30.0, "%s crest factor", c.Name)
				// No clipping: nothing at full scale.
				assert.Less(t, slices.Max(c.PCM), int16(32767), c.Name)
				assert.Greater(t, slices.Min(c.PCM), int16(-32767), c.Name)
			}
		})
	}
}

func TestClipsDeterministic(t *testing.T) {
	a, b := clips8k(), Clips(8000)
	require.Len(t, b, len(a))
	for i := range a {
		assert.Equal(t, a[i].Name, b[i].Name)
		assert.True(t, slices.Equal(a[i].PCM, b[i].PCM), "%s differs between calls", a[i].Name)
	}
}

func TestClipsPanicsBelowMinRate(t *testing.T) {
	assert.PanicsWithValue(t, "talkoff: sample rate below 8000 Hz", func() { Clips(MinSampleRate - 1) })
}

func TestQuantiseClampsNotWraps(t *testing.T) {
	// +6 dBFS asks for a peak of 65 381: it must stop at full scale.
	got := quantise([]float64{1, -1, 0.25, -0.25, 0}, 6)
	assert.Equal(t, []int16{32767, -32768, 16345, -16345, 0}, got)
	assert.Equal(t, []int16{0, 0}, quantise([]float64{0, 0}, -6), "silence stays silence")
}

func TestHz(t *testing.T) {
	// Equal temperament, A4 = 440 Hz: 440 * 2^(semitones/12).
	for name, want := range map[string]float64{
		"A4": 440, "C4": 261.6256, "F5": 698.4565, "Bb5": 932.3275, "A#5": 932.3275,
		"E6": 1318.510, "F#6": 1479.978, "F3": 174.6141, "Bb2": 116.5409,
	} {
		assert.InDelta(t, want, hz(name), 0.001, name)
	}
	assert.Panics(t, func() { hz("H4") })
}

// TestOracle checks the oracle itself on genuine keys and on near misses.
func TestOracle(t *testing.T) {
	const fs = 8000
	tone := func(f1, f2, a2, noise float64, ms int) []int16 {
		rng := rand.New(rand.NewPCG(1, 1))
		x := make([]float64, fs*ms/1000)
		for i := range x {
			tt := float64(i) / fs
			x[i] = math.Sin(2*math.Pi*f1*tt) + a2*math.Sin(2*math.Pi*f2*tt) + noise*rng.NormFloat64()
		}
		return quantise(x, -6)
	}
	score := func(pcm []int16) float64 { s, _ := oracleScore(pcm, fs); return s }

	assert.Greater(t, score(tone(697, 1209, 1, 0, 100)), 0.99, "clean key")
	assert.Greater(t, score(tone(941*1.034, 1633*0.966, 1, 0, 100)), 0.99, "key 3.4 % off")
	assert.Greater(t, score(tone(852, 1477, 0.4, 0, 100)), 0.99, "key with 8 dB twist")
	// 15 dB SNR per tone: each tone has power 0.5, noise 0.5/31.6 in
	// 0-4 kHz.
	assert.Greater(t, score(tone(770, 1336, 1, math.Sqrt(0.5/31.6), 100)), 0.85, "key at 15 dB SNR")
	assert.Zero(t, score(tone(697, 1209, 0.2, 0, 100)), "14 dB twist")
	assert.Zero(t, score(tone(697, 1000, 1, 0, 100)), "no column tone")
	assert.Zero(t, score(tone(697, 1209*0.9, 1, 0, 100)), "column 10 % low")
	assert.Zero(t, score(tone(697, 1633*1.045, 1, 0, 100)), "column 4.5 % high")
	assert.Zero(t, score(tone(941*1.05, 1209, 1, 0, 100)), "row 5 % high")
}

// TestClipsAreNotDTMF checks every clip with the oracle, and logs each
// clip's highest score: the closest it comes to a key.
func TestClipsAreNotDTMF(t *testing.T) {
	for _, c := range clips8k() {
		score, at := oracleScore(c.PCM, 8000)
		t.Logf("%-26s oracle %.2f at %.3f s", c.Name, score, at)
		assert.Less(t, score, oracleLimit, "%s looks like DTMF at %.3f s", c.Name, at)
	}
}

func BenchmarkClips(b *testing.B) {
	for _, rate := range []int{8000, 48000} {
		b.Run("rate="+strconv.Itoa(rate), func(b *testing.B) {
			b.ReportAllocs()
			var n int
			for _, c := range clips8k() {
				n += len(c.PCM)
			}
			b.SetBytes(int64(2 * n * rate / 8000))
			for b.Loop() {
				Clips(rate)
			}
		})
	}
}
