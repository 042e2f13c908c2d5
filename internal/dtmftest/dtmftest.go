// Package dtmftest synthesises test signals for DTMF receivers and checks
// the invariants every decoder output must keep. It is shared by the
// decoder's conformance suite, fuzz targets and benchmarks.
//
// Levels are in dBm0 (ITU-T G.711: a full-scale sine is +3.14 dBm0, so a sine
// at L dBm0 has a peak of 32767 × 10^((L−3.14)/20)); noise "at L dBm0" has
// the RMS of a sine at L dBm0.
package dtmftest

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/dtmfkit/dtmfkit/dtmf"
)

// Peak returns the peak of a sine at level dBm0, in 16-bit units.
func Peak(dBm0 float64) float64 { return 32767 * math.Pow(10, (dBm0-3.14)/20) }

// RMS returns the RMS of a sine at level dBm0, in 16-bit units.
func RMS(dBm0 float64) float64 { return Peak(dBm0) / math.Sqrt2 }

// Signal is audio under construction, in 16-bit units as float64.
type Signal struct {
	Rate dtmf.SampleRate
	X    []float64
}

// NewSignal returns n samples of silence at rate.
func NewSignal(rate dtmf.SampleRate, n int64) *Signal {
	return &Signal{Rate: rate, X: make([]float64, n)}
}

// Tone describes one sine burst.
type Tone struct {
	Freq  float64 // Hz
	Level float64 // dBm0
	Phase float64 // radians at Start
	Start int64   // first sample
	Len   int64   // samples
	Ramp  int64   // raised-cosine rise and fall, samples (inside Len)
}

// AddTone adds a sine burst. Samples outside the signal are dropped.
func (s *Signal) AddTone(t Tone) {
	a := Peak(t.Level)
	w := 2 * math.Pi * t.Freq / float64(s.Rate)
	for n := int64(0); n < t.Len; n++ {
		i := t.Start + n
		if i < 0 || i >= int64(len(s.X)) {
			continue
		}
		g := 1.0
		switch {
		case n < t.Ramp:
			g = 0.5 - 0.5*math.Cos(math.Pi*(float64(n)+0.5)/float64(t.Ramp))
		case n >= t.Len-t.Ramp:
			g = 0.5 - 0.5*math.Cos(math.Pi*(float64(t.Len-1-n)+0.5)/float64(t.Ramp))
		}
		s.X[i] += g * a * math.Sin(w*float64(n)+t.Phase)
	}
}

// Press describes a key press for AddPress: the key's tones at their
// levels and relative frequency deviations (0.015 is +1.5 %, plus DevHz).
type Press struct {
	Key                 dtmf.Digit
	LowLevel            float64 // dBm0
	HighLevel           float64 // dBm0
	LowDev, HighDev     float64 // relative frequency error
	LowDevHz, HighDevHz float64 // absolute frequency error, added
	Start, Len, Ramp    int64
	Phase               float64 // starting phase of both tones
}

// AddPress adds the two tones of a key press.
func (s *Signal) AddPress(p Press) {
	lo, hi, ok := p.Key.Freqs()
	if !ok {
		panic("dtmftest: not a key: " + p.Key.String())
	}
	s.AddTone(Tone{Freq: lo*(1+p.LowDev) + p.LowDevHz, Level: p.LowLevel, Phase: p.Phase, Start: p.Start, Len: p.Len, Ramp: p.Ramp})
	s.AddTone(Tone{Freq: hi*(1+p.HighDev) + p.HighDevHz, Level: p.HighLevel, Phase: 2 * p.Phase, Start: p.Start, Len: p.Len, Ramp: p.Ramp})
}

// AddNoise adds white Gaussian noise with the given RMS, in 16-bit units.
func (s *Signal) AddNoise(rng *rand.Rand, rms float64) {
	for i := range s.X {
		s.X[i] += rng.NormFloat64() * rms
	}
}

// Add adds a constant (a DC offset).
func (s *Signal) Add(v float64) {
	for i := range s.X {
		s.X[i] += v
	}
}

// Gate zeroes samples [start, start+n): a dropout.
func (s *Signal) Gate(start, n int64) {
	for i := max(start, 0); i < min(start+n, int64(len(s.X))); i++ {
		s.X[i] = 0
	}
}

// Int16 returns the signal rounded to 16-bit samples, saturating as a
// codec would.
func (s *Signal) Int16() []int16 {
	out := make([]int16, len(s.X))
	for i, v := range s.X {
		out[i] = int16(math.Round(max(-32768, min(32767, v))))
	}
	return out
}

// Float32 returns the signal scaled so that 1.0 is 32768, unclipped.
func (s *Signal) Float32() []float32 {
	out := make([]float32, len(s.X))
	for i, v := range s.X {
		out[i] = float32(v / 32768)
	}
	return out
}

// Keys returns the digits of the KeyUp events, in order: the key sequence
// a user sees.
func Keys(events []dtmf.Event) string {
	var b strings.Builder
	for _, e := range events {
		if e.Kind == dtmf.KeyUp {
			b.WriteString(e.Digit.String())
		}
	}
	return b.String()
}

// Ups returns the KeyUp events.
func Ups(events []dtmf.Event) []dtmf.Event {
	var out []dtmf.Event
	for _, e := range events {
		if e.Kind == dtmf.KeyUp {
			out = append(out, e)
		}
	}
	return out
}

// CheckEvents fails t unless events keep the decoder's contract: every key
// is a valid Digit; each press is a KeyDown followed by its KeyUp (same
// Digit, Start and Detected) before the next press; positions satisfy
// 0 ≤ Start < Detected ≤ End ≤ streamLen; presses do not overlap and come
// in order.
func CheckEvents(t testing.TB, events []dtmf.Event, streamLen int64) {
	t.Helper()
	if err := EventsError(events, streamLen); err != "" {
		t.Fatalf("dtmftest: %s\nevents: %+v", err, events)
	}
}

// EventsError is CheckEvents without a testing.TB: it returns a description
// of the first broken rule, or "".
func EventsError(events []dtmf.Event, streamLen int64) string {
	var open *dtmf.Event
	var lastEnd int64
	for i := range events {
		e := &events[i]
		switch {
		case !e.Digit.IsKey():
			return "event with invalid digit " + e.Digit.String()
		case e.Start < 0 || e.Start >= e.Detected || e.Detected > streamLen:
			return "event positions out of order or range"
		case e.Start < lastEnd:
			return "press overlaps the previous one"
		}
		switch e.Kind {
		case dtmf.KeyDown:
			if open != nil {
				return "KeyDown while a key is down"
			}
			if e.End != 0 {
				return "KeyDown with an End"
			}
			open = e
		case dtmf.KeyUp:
			if open == nil || open.Digit != e.Digit || open.Start != e.Start || open.Detected != e.Detected {
				return "KeyUp without its KeyDown"
			}
			if e.End < e.Detected || e.End > streamLen {
				return "KeyUp End out of range"
			}
			open, lastEnd = nil, e.End
		default:
			return "event of unknown kind"
		}
	}
	return ""
}
