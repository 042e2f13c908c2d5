package talkdown

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"time"

	"github.com/dtmfkit/dtmfkit/dtmf"
)

// Case is one test signal with the keys a receiver should find in it.
type Case struct {
	Name string
	PCM  []int16
	Want string
}

// OverTalk returns n sequences of ten keys (100 ms on, 150 ms off, ±1 %)
// laid over speech at the given tone-to-speech ratio: keys over talk radio.
// Each takes its own stretch of speech, in order; speech too short for n
// sequences gives an error, with the sequences it was long enough for
// (the first of those n would be, whatever n).
func OverTalk(rng *rand.Rand, rate dtmf.SampleRate, speech []int16, n int, ratio float64) ([]Case, error) {
	t := Timing{100 * time.Millisecond, 100 * time.Millisecond, 150 * time.Millisecond, 150 * time.Millisecond}
	var cases []Case
	for i := 0; len(cases) < n; i++ {
		s := NewSequence(rng, rate, 10, t, MaxDeviation)
		if int64(len(speech)) < s.Len {
			return cases, fmt.Errorf("talkdown: speech for %d of %d over-talk sequences", len(cases), n)
		}
		pcm, err := s.Mix(speech, ratio, SpeechLevel)
		speech = speech[s.Len:]
		if errors.Is(err, ErrSilent) {
			continue
		}
		if err != nil {
			return nil, err
		}
		cases = append(cases, Case{Name: fmt.Sprintf("over-talk %+.0f dB #%d", ratio, len(cases)+1), PCM: pcm, Want: s.Want})
	}
	return cases, nil
}

// RadioTiming returns n sequences of a radio selective-calling encoder:
// 40 ms tones with 20 ms gaps, repeated keys among them (the recording
// missed was "461####333"), at −10 dBm0 per tone, ±1 %, in white noise 20 dB
// below the tones.
func RadioTiming(rng *rand.Rand, rate dtmf.SampleRate, n int) []Case {
	var cases []Case
	for i := range n {
		digits := "461####333"
		if i > 0 {
			digits = randomRuns(rng, 10)
		}
		s, _ := SequenceOf(rng, rate, digits, 40*time.Millisecond, 20*time.Millisecond, MaxDeviation)
		sig := s.Tones(-10)
		sig.AddNoise(rng, noiseRMS(-10, 20))
		cases = append(cases, Case{Name: fmt.Sprintf("radio 40/20 ms #%d", i+1), PCM: sig.Int16(), Want: digits})
	}
	return cases
}

// randomRuns returns n random keys in runs of one to four of the same key.
func randomRuns(rng *rand.Rand, n int) string {
	b := make([]byte, 0, n)
	for len(b) < n {
		k := byte(dtmf.Digits[rng.IntN(len(dtmf.Digits))])
		for r := 1 + rng.IntN(4); r > 0 && len(b) < n; r-- {
			b = append(b, k)
		}
	}
	return string(b)
}

// HandKeyed returns n sequences of eight keys as a hand keyer sends them:
// tones of 30 to 43 ms, pauses of 40 to 120 ms, ±1 %, at −15 dBm0 per tone
// in white noise 25 dB below.
func HandKeyed(rng *rand.Rand, rate dtmf.SampleRate, n int) []Case {
	t := Timing{30 * time.Millisecond, 43 * time.Millisecond, 40 * time.Millisecond, 120 * time.Millisecond}
	var cases []Case
	for i := range n {
		s := NewSequence(rng, rate, 8, t, MaxDeviation)
		sig := s.Tones(-15)
		sig.AddNoise(rng, noiseRMS(-15, 25))
		cases = append(cases, Case{Name: fmt.Sprintf("hand-keyed 30-43 ms #%d", i+1), PCM: sig.Int16(), Want: s.Want})
	}
	return cases
}

// Clipped returns n sequences of eight keys (100 ms on and off, ±1 %)
// overdriven into a codec: each tone at overdrive dB above the level at
// which the pair's peaks reach full scale, the sum hard-clipped to 16 bits.
func Clipped(rng *rand.Rand, rate dtmf.SampleRate, n int, overdrive float64) []Case {
	var cases []Case
	for i := range n {
		s := NewSequence(rng, rate, 8, Timing{100 * time.Millisecond, 100 * time.Millisecond, 100 * time.Millisecond, 100 * time.Millisecond}, MaxDeviation)
		// Two equal tones peak at twice each one's peak: full scale for
		// each at −6.02 dB from a full-scale sine, 3.14 − 6.02 dBm0.
		sig := s.Tones(3.14 - 20*math.Log10(2) + overdrive)
		cases = append(cases, Case{Name: fmt.Sprintf("clipped +%.0f dB #%d", overdrive, i+1), PCM: sig.Int16(), Want: s.Want})
	}
	return cases
}

// noiseRMS returns the RMS (16-bit units) of white noise snr dB below one
// tone at level dBm0.
func noiseRMS(level, snr float64) float64 {
	return math.Sqrt(meanSquareAt(level - snr))
}
