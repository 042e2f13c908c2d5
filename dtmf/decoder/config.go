package decoder

import (
	"fmt"
	"math"
	"time"

	"github.com/dtmfkit/dtmfkit/dtmf"
)

// Profile selects a set of acceptance limits.
type Profile uint8

const (
	// Default accepts what real telephones send: twist up to 8 dB either
	// way, as MT8870-class receivers do. Hand-dialled recordings often have
	// the high group 5-7 dB above the low group, beyond AT&T's 4 dB.
	Default Profile = iota
	// Strict is the AT&T (ITU-T Q.24) receiver: normal twist (high group
	// weaker) up to 8 dB, reverse twist (high group stronger) up to 4 dB.
	Strict
)

// String returns "default" or "strict".
func (p Profile) String() string {
	switch p {
	case Default:
		return "default"
	case Strict:
		return "strict"
	default:
		return fmt.Sprintf("Profile(%d)", uint8(p))
	}
}

// Defaults and limits of [Config].
const (
	DefaultSampleRate dtmf.SampleRate = 8000
	MinSampleRate     dtmf.SampleRate = 8000
	MaxSampleRate     dtmf.SampleRate = 192000

	DefaultMinLevel     = -47.0 // dBm0 per tone
	DefaultMaxDeviation = 0.02  // 2 %
	DefaultMinOn        = 25 * time.Millisecond
	DefaultMinOff       = 20 * time.Millisecond

	// TwistAllowance is added to the twist limits before a signal is
	// rejected: the allowance for measurement error that lets a signal
	// exactly at a limit pass reliably.
	TwistAllowance = 1.0 // dB

	// deviationFloor is added to the relative frequency tolerance, as in
	// the common "±1.5 % ± 2 Hz" statement of receiver tolerance.
	deviationFloor = 1.5 // Hz
)

// Config holds a Decoder's settings. The zero value of every field selects
// its documented default.
type Config struct {
	// SampleRate is the rate of the audio, any rate from 8000 to 192000 Hz
	// (telephony, media streams, and the 88.2-192 kHz of field recorders
	// and studios). Default 8000.
	SampleRate dtmf.SampleRate

	// Profile selects the twist limits used when MaxNormalTwist or
	// MaxReverseTwist is zero. Default is [Default].
	Profile Profile

	// MinLevel is the weakest tone accepted, in dBm0 per tone. Default −47
	// dBm0: tones down to −40 dBm0 are found, tones at −55 dBm0 (the AT&T
	// "tone off" level) never are. Range −70 to −10.
	MinLevel float64

	// MaxNormalTwist is how far, in dB, the high-group tone may be below the
	// low-group tone. Default 8 (both profiles). Range 0 to 20.
	MaxNormalTwist float64
	// MaxReverseTwist is how far, in dB, the high-group tone may be above
	// the low-group tone. Default 8 for [Default], 4 for [Strict]. Range 0
	// to 20. Signals are accepted up to each limit plus [TwistAllowance].
	MaxReverseTwist float64

	// MaxDeviation is the largest accepted frequency error of each tone,
	// as a fraction of its nominal frequency; 1.5 Hz is added to it.
	// Default 0.02: tones off by 1.5 % + 2 Hz are accepted, tones off by
	// 3.5 % are not (ITU-T Q.24, AT&T). Range 0.01 to 0.035.
	MaxDeviation float64

	// MinOn is how long a tone must last to be reported, measured from its
	// onset to its end (the half-amplitude points of its rise and fall). A
	// key still sounding is confirmed at the end of the first 5 ms block
	// it fills that ends 3 ms after MinOn, about 32 ms after it begins; a
	// tone that ends before that but lasted MinOn is reported when it ends.
	// Tones that share the signal with as much other sound (a key pressed
	// under speech) are confirmed once they have lasted 45 ms (55 ms if
	// energy beside a tone was taken for that speech), or MinOn if that is
	// longer. Default 25 ms: hand-keyed tones of 30 ms (27 ms between the
	// half-amplitude points of 3 ms ramps) are reported, tones of 23 ms or
	// less never are (AT&T's non-operate time). Range 25 ms to 1 s.
	MinOn time.Duration
	// MinOff is how long a tone must be absent to end a key. Shorter
	// interruptions are bridged. Default 20 ms: a 10 ms dropout does not
	// split a key, a 40 ms pause separates two presses of the same key.
	// Range 15 ms to 1 s.
	MinOff time.Duration
}

func (c Config) withDefaults() Config {
	if c.SampleRate == 0 {
		c.SampleRate = DefaultSampleRate
	}
	if c.MinLevel == 0 {
		c.MinLevel = DefaultMinLevel
	}
	if c.MaxNormalTwist == 0 {
		c.MaxNormalTwist = 8
	}
	if c.MaxReverseTwist == 0 {
		c.MaxReverseTwist = 8
		if c.Profile == Strict {
			c.MaxReverseTwist = 4
		}
	}
	if c.MaxDeviation == 0 {
		c.MaxDeviation = DefaultMaxDeviation
	}
	if c.MinOn == 0 {
		c.MinOn = DefaultMinOn
	}
	if c.MinOff == 0 {
		c.MinOff = DefaultMinOff
	}
	return c
}

func (c Config) validate() error {
	switch {
	case c.SampleRate < MinSampleRate || c.SampleRate > MaxSampleRate:
		return fmt.Errorf("decoder: sample rate %d Hz is outside %d-%d Hz", c.SampleRate, MinSampleRate, MaxSampleRate)
	case c.Profile != Default && c.Profile != Strict:
		return fmt.Errorf("decoder: unknown profile %v", c.Profile)
	case !inRange(c.MinLevel, -70, -10):
		return fmt.Errorf("decoder: minimum level %.1f dBm0 is outside -70 to -10 dBm0", c.MinLevel)
	case !inRange(c.MaxNormalTwist, 0, 20):
		return fmt.Errorf("decoder: normal twist limit %.1f dB is outside 0-20 dB", c.MaxNormalTwist)
	case !inRange(c.MaxReverseTwist, 0, 20):
		return fmt.Errorf("decoder: reverse twist limit %.1f dB is outside 0-20 dB", c.MaxReverseTwist)
	case !inRange(c.MaxDeviation, 0.01, 0.035):
		return fmt.Errorf("decoder: frequency deviation %.4f is outside 0.01-0.035", c.MaxDeviation)
	case c.MinOn < 25*time.Millisecond || c.MinOn > time.Second:
		return fmt.Errorf("decoder: minimum tone time %v is outside 25ms-1s", c.MinOn)
	case c.MinOff < 15*time.Millisecond || c.MinOff > time.Second:
		return fmt.Errorf("decoder: minimum pause %v is outside 15ms-1s", c.MinOff)
	}
	return nil
}

func inRange(v, lo, hi float64) bool { return !math.IsNaN(v) && v >= lo && v <= hi }
