package talkdown

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/dtmfkit/dtmfkit/dtmf"
	"github.com/dtmfkit/dtmfkit/internal/dtmftest"
)

// Timing is the range each key's tone length and each pause are drawn
// from, uniformly.
type Timing struct {
	OnMin, OnMax   time.Duration
	OffMin, OffMax time.Duration
}

// TalkDownTiming is the timing of the talk-down sequences: tones of 70 to
// 130 ms, pauses of 100 to 250 ms, as people key numbers into IVRs.
var TalkDownTiming = Timing{70 * time.Millisecond, 130 * time.Millisecond, 100 * time.Millisecond, 250 * time.Millisecond}

// The defaults of a sequence.
const (
	// SpeechLevel is the active speech level the speech is set to, dBm0:
	// a talker on a call is near −20 dBm0.
	SpeechLevel = -20.0
	// MaxDeviation is the largest frequency error of a tone in the
	// talk-down sequences, relative (±1 %).
	MaxDeviation = 0.01
	// Ramp is the rise and fall of each tone.
	Ramp = 3 * time.Millisecond
)

// Sequence is a run of key presses before they are mixed with speech: the
// keys, their timing and frequency errors, with levels left to Mix.
type Sequence struct {
	Rate    dtmf.SampleRate
	Presses []dtmftest.Press
	Len     int64  // samples, the last tone's end plus a pause
	Want    string // the keys in order
}

// NewSequence draws n random keys with the given timing and frequency
// errors up to ±maxDev (relative) at rate. The first tone starts after a
// pause drawn like the others.
func NewSequence(rng *rand.Rand, rate dtmf.SampleRate, n int, t Timing, maxDev float64) Sequence {
	s := Sequence{Rate: rate}
	var digits strings.Builder
	pos := rate.N(draw(rng, t.OffMin, t.OffMax))
	for range n {
		k := dtmf.Digits[rng.IntN(len(dtmf.Digits))]
		on := rate.N(draw(rng, t.OnMin, t.OnMax))
		s.Presses = append(s.Presses, press(rng, rate, k, pos, on, maxDev))
		digits.WriteByte(byte(k))
		pos += on + rate.N(draw(rng, t.OffMin, t.OffMax))
	}
	s.Len = pos
	s.Want = digits.String()
	return s
}

// press is key k from start for n samples, each tone off by up to ±maxDev
// and the pair at a random phase, drawn from rng in that order.
func press(rng *rand.Rand, rate dtmf.SampleRate, k dtmf.Digit, start, n int64, maxDev float64) dtmftest.Press {
	return dtmftest.Press{
		Key:    k,
		LowDev: maxDev * (2*rng.Float64() - 1), HighDev: maxDev * (2*rng.Float64() - 1),
		Start: start, Len: n, Ramp: rate.N(Ramp),
		Phase: 2 * math.Pi * rng.Float64(),
	}
}

// SequenceOf is NewSequence for given keys with fixed timing: each tone on
// for on, then off for off.
func SequenceOf(rng *rand.Rand, rate dtmf.SampleRate, digits string, on, off time.Duration, maxDev float64) (Sequence, error) {
	s := Sequence{Rate: rate, Want: digits}
	pos := rate.N(off)
	for _, r := range digits {
		k := dtmf.Digit(r)
		if _, _, ok := k.Freqs(); !ok {
			return Sequence{}, fmt.Errorf("talkdown: %q is not a key", r)
		}
		s.Presses = append(s.Presses, press(rng, rate, k, pos, rate.N(on), maxDev))
		pos += rate.N(on) + rate.N(off)
	}
	s.Len = pos
	return s, nil
}

func draw(rng *rand.Rand, lo, hi time.Duration) time.Duration {
	return lo + time.Duration(rng.Float64()*float64(hi-lo))
}

// Tones renders the sequence alone, each tone at level dBm0 (both tones at
// the same level), as a float signal.
func (s Sequence) Tones(level float64) *dtmftest.Signal {
	sig := dtmftest.NewSignal(s.Rate, s.Len)
	for _, p := range s.Presses {
		p.LowLevel, p.HighLevel = level, level
		sig.AddPress(p)
	}
	return sig
}

// ErrSilent is returned by Mix for speech with no active part.
var ErrSilent = errors.New("talkdown: the speech segment is silent")

// Mix returns the sequence mixed under the first s.Len samples of speech:
// the speech set to an active level of speechLevel dBm0 (ITU-T P.56), the
// keys' two tones together ratio dB above it (each tone 3 dB less), the
// sum saturated to 16 bits as a codec would.
func (s Sequence) Mix(speech []int16, ratio, speechLevel float64) ([]int16, error) {
	if int64(len(speech)) < s.Len {
		return nil, fmt.Errorf("talkdown: %d samples of speech for a sequence of %d", len(speech), s.Len)
	}
	x := make([]float64, s.Len)
	for i := range x {
		x[i] = float64(speech[i])
	}
	ms, _ := ActiveLevel(x, int(s.Rate))
	if ms == 0 {
		return nil, ErrSilent
	}
	g := math.Sqrt(meanSquareAt(speechLevel) / ms)
	tone := s.Tones(speechLevel + ratio - 10*math.Log10(2))
	for i, v := range x {
		tone.X[i] += g * v
	}
	return tone.Int16(), nil
}
