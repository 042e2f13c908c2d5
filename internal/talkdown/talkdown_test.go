package talkdown

import (
	"math"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/dtmfkit/dtmfkit/dtmf"
)

// burstySpeech returns a speech-like signal: a voiced sound at 150 Hz in
// bursts of 600 ms at amplitude a, with 1.4 s of silence between them.
func burstySpeech(rate int, seconds float64, a float64) []float64 {
	x := make([]float64, int(seconds*float64(rate)))
	for i := range x {
		t := float64(i) / float64(rate)
		if math.Mod(t, 2) < 0.6 {
			x[i] = a * math.Sin(2*math.Pi*150*t) * (0.6 + 0.4*math.Sin(2*math.Pi*450*t))
		}
	}
	return x
}

func TestActiveLevel(t *testing.T) {
	tests := []struct {
		name         string
		x            []float64
		wantActivity float64 // the bursts plus P.56's 200 ms hangover and the envelope's decay
		onShare      float64 // the share of x that sounds
	}{
		{"steady sine", sineAt(8000, 2, 1000, 5000), 1, 1},
		{"bursts", burstySpeech(8000, 10, 5000), 0.45, 0.3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ms, act := ActiveLevel(tt.x, 8000)
			var all float64
			for _, v := range tt.x {
				all += v * v
			}
			all /= float64(len(tt.x))
			assert.InDelta(t, tt.wantActivity, act, 0.07)
			// The active level is the power over the active part: within
			// 2 dB of the power of what sounds.
			assert.InDelta(t, 10*math.Log10(all/tt.onShare), 10*math.Log10(ms), 2)
			assert.InDelta(t, 10*math.Log10(all/act), 10*math.Log10(ms), 0.1)
		})
	}
	ms, act := ActiveLevel(make([]float64, 800), 8000)
	assert.Zero(t, ms)
	assert.Zero(t, act)
}

func sineAt(rate int, seconds, freq, amp float64) []float64 {
	x := make([]float64, int(seconds*float64(rate)))
	for i := range x {
		x[i] = amp * math.Sin(2*math.Pi*freq*float64(i)/float64(rate))
	}
	return x
}

func TestNewSequenceDeterministicAndInRange(t *testing.T) {
	a := NewSequence(rand.New(rand.NewPCG(1, 2)), 8000, 10, TalkDownTiming, MaxDeviation)
	b := NewSequence(rand.New(rand.NewPCG(1, 2)), 8000, 10, TalkDownTiming, MaxDeviation)
	require.Equal(t, a, b)
	require.Len(t, a.Want, 10)
	rate := dtmf.SampleRate(8000)
	prevEnd := int64(0)
	for _, p := range a.Presses {
		assert.GreaterOrEqual(t, p.Len, rate.N(70*time.Millisecond))
		assert.LessOrEqual(t, p.Len, rate.N(130*time.Millisecond))
		gap := p.Start - prevEnd
		assert.GreaterOrEqual(t, gap, rate.N(100*time.Millisecond)-1)
		assert.LessOrEqual(t, gap, rate.N(250*time.Millisecond)+1)
		assert.LessOrEqual(t, math.Abs(p.LowDev), MaxDeviation)
		assert.LessOrEqual(t, math.Abs(p.HighDev), MaxDeviation)
		prevEnd = p.Start + p.Len
	}
	assert.Greater(t, a.Len, prevEnd)
}

// The tones of a mix stand ratio dB above the speech's active level.
func TestMixRatio(t *testing.T) {
	rate := 8000
	speechF := burstySpeech(rate, 10, 3000)
	speech := make([]int16, len(speechF))
	for i, v := range speechF {
		speech[i] = int16(v)
	}
	for _, ratio := range []float64{6, 0, -7} {
		s, err := SequenceOf(rand.New(rand.NewPCG(3, 4)), dtmf.SampleRate(rate), "1590", 100*time.Millisecond, 200*time.Millisecond, 0)
		require.NoError(t, err)
		pcm, err := s.Mix(speech, ratio, SpeechLevel)
		require.NoError(t, err)
		require.Len(t, pcm, int(s.Len))
		// Tones alone at the level Mix uses, against the speech it scaled.
		tone := s.Tones(SpeechLevel + ratio - 10*math.Log10(2))
		var toneMS float64
		n := 0
		for _, p := range s.Presses {
			for i := p.Start + p.Ramp; i < p.Start+p.Len-p.Ramp; i++ {
				toneMS += tone.X[i] * tone.X[i]
				n++
			}
		}
		toneMS /= float64(n)
		// The speech part of the mix: the mix less the tones.
		sp := make([]float64, len(pcm))
		for i := range pcm {
			sp[i] = float64(pcm[i]) - tone.X[i]
		}
		ms, _ := ActiveLevel(sp, rate)
		assert.InDelta(t, SpeechLevel, dBm0(ms), 0.3, "speech level")
		assert.InDelta(t, ratio, 10*math.Log10(toneMS/ms), 0.3, "ratio %v", ratio)
	}
	_, err := Sequence{Rate: 8000, Len: 100}.Mix(make([]int16, 100), 0, SpeechLevel)
	assert.ErrorIs(t, err, ErrSilent)
	_, err = Sequence{Rate: 8000, Len: 100}.Mix(make([]int16, 10), 0, SpeechLevel)
	assert.ErrorContains(t, err, "samples of speech")
}

func TestSequenceOfRefusesNonKeys(t *testing.T) {
	_, err := SequenceOf(rand.New(rand.NewPCG(1, 1)), 8000, "12X", 50*time.Millisecond, 50*time.Millisecond, 0)
	assert.ErrorContains(t, err, `'X' is not a key`)
}

func TestClassesShape(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	for _, c := range RadioTiming(rng, 8000, 3) {
		assert.Len(t, c.Want, 10)
		assert.NotEmpty(t, c.PCM)
	}
	assert.Equal(t, "461####333", RadioTiming(rng, 8000, 1)[0].Want)
	for _, c := range HandKeyed(rng, 8000, 2) {
		assert.Len(t, c.Want, 8)
	}
	for _, c := range Clipped(rng, 8000, 2, 12) {
		peak := 0
		for _, v := range c.PCM {
			peak = max(peak, int(math.Abs(float64(v))))
		}
		assert.GreaterOrEqual(t, peak, 32767, "clipped to full scale")
	}
}

// dBm0 returns the level of a mean square (16-bit units) in dBm0: a sine at
// L dBm0 has a peak of 32767·10^((L−3.14)/20), so a mean square of half its
// peak squared.
func dBm0(meanSquare float64) float64 {
	return 3.14 + 10*math.Log10(2*meanSquare/(32767*32767))
}
