package dtmf

import (
	"strconv"
	"time"
)

// SampleRate is a sample rate in samples per second (Hz).
type SampleRate int

// D returns the duration of n samples at rate r.
func (r SampleRate) D(n int64) time.Duration {
	// Split to avoid overflowing int64 for long streams at high rates.
	sec, rem := n/int64(r), n%int64(r)
	return time.Duration(sec)*time.Second + time.Duration(rem)*time.Second/time.Duration(r)
}

// N returns the number of samples in d at rate r, rounded to the nearest
// sample (halves round away from zero).
func (r SampleRate) N(d time.Duration) int64 {
	sec, rem := d/time.Second, d%time.Second
	n := int64(sec) * int64(r)
	frac := int64(rem) * int64(r) // |rem| < 1e9 and r < 2^31: no overflow
	half := int64(time.Second / 2)
	if frac >= 0 {
		return n + (frac+half)/int64(time.Second)
	}
	return n + (frac-half)/int64(time.Second)
}

// Millis returns offset n as milliseconds at rate r, for display.
func (r SampleRate) Millis(n int64) float64 { return float64(n) * 1000 / float64(r) }

// String returns the rate as "8000 Hz".
func (r SampleRate) String() string { return strconv.Itoa(int(r)) + " Hz" }

// EventKind says which moment of a key press an [Event] reports.
type EventKind uint8

const (
	// KeyDown reports a key the decoder has just confirmed while it is still
	// sounding. Its End is zero: the key's end is not yet known.
	KeyDown EventKind = iota + 1
	// KeyUp reports the end of a key that was reported by a KeyDown. Digit,
	// Start and Detected repeat those of the KeyDown; End is set.
	KeyUp
)

// String returns "down" or "up".
func (k EventKind) String() string {
	switch k {
	case KeyDown:
		return "down"
	case KeyUp:
		return "up"
	default:
		return "EventKind(" + strconv.Itoa(int(k)) + ")"
	}
}

// Event is one moment of a key press found in a stream. Each press gives a
// KeyDown as soon as it is confirmed, then a KeyUp when it ends; positions
// are sample offsets from the start of the stream, at the stream's rate.
type Event struct {
	Digit    Digit
	Kind     EventKind
	Start    int64 // estimated first sample of the tone
	Detected int64 // offset at which the press was confirmed: Start < Detected
	End      int64 // offset just past the tone's last sample (KeyUp only; else 0)
}

// Duration returns End − Start in samples for a KeyUp, and 0 for a KeyDown.
func (e Event) Duration() int64 {
	if e.Kind != KeyUp {
		return 0
	}
	return e.End - e.Start
}
