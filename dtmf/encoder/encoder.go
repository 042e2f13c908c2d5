package encoder

import (
	"errors"
	"fmt"
	"math"
	"time"

	"github.com/dtmfkit/dtmfkit/dtmf"
)

// Defaults and limits of [Config].
const (
	DefaultSampleRate dtmf.SampleRate = 8000
	MinSampleRate     dtmf.SampleRate = 8000
	MaxSampleRate     dtmf.SampleRate = 192000

	DefaultTone  = 100 * time.Millisecond
	DefaultGap   = 100 * time.Millisecond
	DefaultLevel = -10.0 // dBm0
	DefaultRamp  = 3 * time.Millisecond

	// MaxDuration bounds every duration setting: longer is not a DTMF
	// signal but a mistake (a delay in µs read as ms, say).
	MaxDuration = time.Minute
	// MinLevel and MaxTwist bound the level settings to what is audible
	// and meaningful; levels that would clip are rejected separately.
	MinLevel = -90.0 // dBm0
	MaxTwist = 40.0  // dB, either way

	// NoRamp, as Config.Ramp, switches the on/off ramps off.
	NoRamp time.Duration = -1
)

// fullScale is the peak of a full-scale sine, and dBm0Ref its level: a sine
// at L dBm0 has a peak of fullScale × 10^((L−dBm0Ref)/20) (ITU-T G.711).
const (
	fullScale = 32767.0
	dBm0Ref   = 3.14
)

// Peak returns the peak amplitude, in 16-bit sample units, of a sine at
// level dBm0 (G.711 convention: full scale is +3.14 dBm0).
func Peak(dBm0 float64) float64 { return fullScale * math.Pow(10, (dBm0-dBm0Ref)/20) }

// Config holds an Encoder's settings. The zero value of every field selects
// its documented default.
type Config struct {
	// SampleRate is the output rate, 8000 to 192000 Hz. Default 8000.
	SampleRate dtmf.SampleRate
	// Tone is the length of each key's tone, ramps included. Default 100 ms.
	Tone time.Duration
	// Gap is the silence between two tones (Graph's delayBetweenTonesMs).
	// Default 100 ms. There is no gap after the last tone.
	Gap time.Duration
	// Level is the level of the low-group tone in dBm0; the high-group tone
	// is at Level+Twist. Zero selects −10 dBm0. (0 dBm0 itself clips 16-bit
	// PCM unless the high group is at least 7.2 dB weaker; ask for −0.001.)
	Level float64
	// Twist is the high-group level minus the low-group level in dB:
	// negative is normal twist, positive reverse. Default 0.
	Twist float64
	// Ramp is the length of the raised-cosine rise at the start of each
	// tone and fall at its end, inside Tone. Zero selects 3 ms; NoRamp (or
	// any negative value) switches ramps off.
	Ramp time.Duration
	// Lead and Trail are silence before the first tone and after the last.
	// Default none.
	Lead, Trail time.Duration
}

// withDefaults returns c with every zero field set to its default.
func (c Config) withDefaults() Config {
	if c.SampleRate == 0 {
		c.SampleRate = DefaultSampleRate
	}
	if c.Tone == 0 {
		c.Tone = DefaultTone
	}
	if c.Gap == 0 {
		c.Gap = DefaultGap
	}
	if c.Level == 0 {
		c.Level = DefaultLevel
	}
	if c.Ramp == 0 {
		c.Ramp = DefaultRamp
	}
	if c.Ramp < 0 {
		c.Ramp = 0
	}
	return c
}

func (c Config) validate() error {
	if c.SampleRate < MinSampleRate || c.SampleRate > MaxSampleRate {
		return fmt.Errorf("encoder: sample rate %d Hz is outside %d-%d Hz", c.SampleRate, MinSampleRate, MaxSampleRate)
	}
	for _, d := range []struct {
		name string
		v    time.Duration
	}{{"tone length", c.Tone}, {"gap", c.Gap}, {"lead silence", c.Lead}, {"trail silence", c.Trail}, {"ramp", c.Ramp}} {
		if d.v < 0 {
			return fmt.Errorf("encoder: %s %v is negative", d.name, d.v)
		}
		if d.v > MaxDuration {
			return fmt.Errorf("encoder: %s %v is longer than %v", d.name, d.v, MaxDuration)
		}
	}
	if c.SampleRate.N(c.Tone) < 1 {
		return fmt.Errorf("encoder: tone length %v is shorter than one sample", c.Tone)
	}
	if 2*c.SampleRate.N(c.Ramp) > c.SampleRate.N(c.Tone) {
		return fmt.Errorf("encoder: tone length %v is shorter than its two %v ramps", c.Tone, c.Ramp)
	}
	if math.IsNaN(c.Level) || c.Level < MinLevel {
		return fmt.Errorf("encoder: level %.2f dBm0 is below %.0f dBm0", c.Level, MinLevel)
	}
	if math.IsNaN(c.Twist) || math.Abs(c.Twist) > MaxTwist {
		return fmt.Errorf("encoder: twist %.2f dB is beyond ±%.0f dB", c.Twist, MaxTwist)
	}
	if peak := Peak(c.Level) + Peak(c.Level+c.Twist); math.Round(peak) > fullScale {
		return fmt.Errorf("encoder: level %.2f dBm0 with twist %+.2f dB would clip: peak %.0f exceeds %.0f",
			c.Level, c.Twist, peak, fullScale)
	}
	return nil
}

// KeyError reports a character in a key sequence that is not a key. It
// wraps the *dtmf.NameError from parsing.
type KeyError struct {
	Key   string // the character, as given
	Index int    // its byte offset in the sequence
	err   error
}

func (e *KeyError) Error() string {
	return fmt.Sprintf("encoder: unknown key %q at index %d (keys are 0-9, *, #, A-D)", e.Key, e.Index)
}

func (e *KeyError) Unwrap() error { return e.err }

func keyError(err error) error {
	var ne *dtmf.NameError
	if errors.As(err, &ne) {
		return &KeyError{Key: ne.Name, Index: ne.Index, err: ne}
	}
	return fmt.Errorf("encoder: %w", err)
}

// errFlash is returned for a hook flash, which has no tone pair.
var errFlash = errors.New("encoder: flash has no audio form")

// Encoder renders key sequences with fixed settings. Create it with [New].
type Encoder struct {
	cfg Config

	toneLen, gapLen, leadLen, trailLen, rampLen int64
	lowAmp, highAmp                             float64
	ramp                                        []float64 // rise envelope, rampLen values

	digits []dtmf.Digit // current sequence
	total  int64        // its length in samples
	pos    int64        // samples produced so far
}

// New returns an Encoder for cfg, or an error naming the first setting that
// is out of range or would clip.
func New(cfg Config) (*Encoder, error) {
	cfg = cfg.withDefaults()
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	r := cfg.SampleRate
	e := &Encoder{
		cfg:      cfg,
		toneLen:  r.N(cfg.Tone),
		gapLen:   r.N(cfg.Gap),
		leadLen:  r.N(cfg.Lead),
		trailLen: r.N(cfg.Trail),
		rampLen:  r.N(cfg.Ramp),
		lowAmp:   Peak(cfg.Level),
		highAmp:  Peak(cfg.Level + cfg.Twist),
	}
	e.ramp = make([]float64, e.rampLen)
	for i := range e.ramp {
		// Sampled at the middle of each sample period, so that rise and
		// fall are mirror images and neither starts at an exact zero.
		e.ramp[i] = 0.5 - 0.5*math.Cos(math.Pi*(float64(i)+0.5)/float64(e.rampLen))
	}
	return e, nil
}

// Config returns the encoder's settings with defaults filled in.
func (e *Encoder) Config() Config { return e.cfg }

// SequenceLen returns the length in samples of a sequence of n keys: lead
// silence, n tones with n−1 gaps between them, trail silence. Each duration
// is rounded to the nearest sample (halves away from zero) separately, so a
// tone is always the same number of samples.
func (e *Encoder) SequenceLen(n int) int64 {
	if n <= 0 {
		return e.leadLen + e.trailLen
	}
	return e.leadLen + int64(n)*e.toneLen + int64(n-1)*e.gapLen + e.trailLen
}

// Start begins rendering digits, a string of keypad characters ("0"-"9",
// "*", "#", "A"-"D" in either case), replacing any sequence in progress. It
// returns an error, and leaves the encoder idle, if digits is empty or holds
// anything else; a hook flash ("!") is refused because it has no tone pair.
func (e *Encoder) Start(digits string) error {
	e.Reset()
	if digits == "" {
		return errors.New("encoder: no keys to render")
	}
	for i, c := range digits {
		if c == rune(dtmf.Flash) {
			return fmt.Errorf("%w (at index %d)", errFlash, i)
		}
	}
	ds, err := dtmf.AppendDigits(e.digits[:0], digits)
	if err != nil {
		return keyError(err)
	}
	e.digits = ds
	e.total = e.SequenceLen(len(ds))
	return nil
}

// Len returns the length in samples of the sequence begun by Start.
func (e *Encoder) Len() int64 { return e.total }

// Remaining returns the number of samples Fill has yet to produce.
func (e *Encoder) Remaining() int64 { return e.total - e.pos }

// Fill renders the next samples of the sequence into dst and returns how
// many it wrote: len(dst), or fewer when the sequence ends (0 once it has
// ended). The samples do not depend on how the sequence is split across
// calls. Fill does not retain dst.
func (e *Encoder) Fill(dst []int16) int {
	n := int(min(int64(len(dst)), e.total-e.pos))
	dst = dst[:n]
	for len(dst) > 0 {
		seg, off, segLen := e.locate(e.pos)
		k := int(min(int64(len(dst)), segLen-off))
		if seg < 0 {
			clear(dst[:k])
		} else {
			e.renderTone(dst[:k], e.digits[seg], off)
		}
		dst = dst[k:]
		e.pos += int64(k)
	}
	return n
}

// locate finds the segment holding sample pos: the index of the key whose
// tone it is in (or −1 for silence), the offset into that segment and the
// segment's length.
func (e *Encoder) locate(pos int64) (key int, off, segLen int64) {
	if pos < e.leadLen {
		return -1, pos, e.leadLen
	}
	pos -= e.leadLen
	period := e.toneLen + e.gapLen
	last := int64(len(e.digits) - 1)
	i := min(pos/period, last)
	off = pos - i*period
	switch {
	case off < e.toneLen:
		return int(i), off, e.toneLen
	case i < last:
		return -1, off - e.toneLen, e.gapLen
	default:
		return -1, off - e.toneLen, e.trailLen
	}
}

// tile is the number of samples rendered from one exactly computed
// oscillator phase; within a tile the phase advances by complex rotation.
// Tiles are counted from the start of each tone, so a sample's value never
// depends on where a Fill call began.
const tile = 32

// renderTone writes the samples off, off+1, ... of digit d's tone into dst.
func (e *Encoder) renderTone(dst []int16, d dtmf.Digit, off int64) {
	fl, fh, _ := d.Freqs()
	rate := float64(e.cfg.SampleRate)
	stepL := complexStep(fl, rate)
	stepH := complexStep(fh, rate)
	n := off - off%tile // start of the tile holding off
	for len(dst) > 0 {
		l, h := oscillator(fl, rate, n), oscillator(fh, rate, n)
		for j := int64(0); j < tile && len(dst) > 0; j, n = j+1, n+1 {
			if n >= off {
				v := e.lowAmp*imag(l) + e.highAmp*imag(h)
				v *= e.envelope(n)
				dst[0] = int16(math.Round(v))
				dst = dst[1:]
			}
			l *= stepL
			h *= stepH
		}
	}
}

// envelope returns the ramp gain at sample n of a tone.
func (e *Encoder) envelope(n int64) float64 {
	switch {
	case n < e.rampLen:
		return e.ramp[n]
	case n >= e.toneLen-e.rampLen:
		return e.ramp[e.toneLen-1-n]
	default:
		return 1
	}
}

// oscillator returns e^(j·2π·f·n/rate), with the phase reduced exactly: for
// the integer frequencies and rates used here f·n is an exact float64.
func oscillator(f, rate float64, n int64) complex128 {
	s, c := math.Sincos(2 * math.Pi * math.Mod(f*float64(n), rate) / rate)
	return complex(c, s)
}

func complexStep(f, rate float64) complex128 {
	s, c := math.Sincos(2 * math.Pi * f / rate)
	return complex(c, s)
}

// Append renders digits (as for Start) and appends the whole sequence to
// dst. It allocates only if dst lacks capacity. On error dst is returned
// unchanged.
func (e *Encoder) Append(dst []int16, digits string) ([]int16, error) {
	if err := e.Start(digits); err != nil {
		return dst, err
	}
	n := len(dst)
	total := int(e.total)
	if cap(dst)-n < total {
		grown := make([]int16, n, n+total)
		copy(grown, dst)
		dst = grown
	}
	e.Fill(dst[n : n+total])
	return dst[:n+total], nil
}

// Reset abandons the sequence in progress, keeping the settings and buffers.
func (e *Encoder) Reset() {
	e.digits = e.digits[:0]
	e.total, e.pos = 0, 0
}
