package talkoff

import (
	"math"
	"math/rand/v2"
	"strconv"
	"strings"
)

// synth renders one clip. It owns the mix buffer, the sample rate and the
// clip's random source; every generator adds into out.
type synth struct {
	fs  float64
	out []float64
	rng *rand.Rand
	// Partials fade out between lo and hi Hz so nothing aliases, whatever
	// the sample rate (see bandLimit).
	lo, hi float64
}

// Partials above maxPartial Hz are not synthesised even at high sample
// rates: they cannot reach a telephone-band receiver, and leaving them out
// keeps 48 kHz synthesis fast.
const maxPartial = 8000

func newSynth(sampleRate int, seconds float64, seed uint64) *synth {
	fs := float64(sampleRate)
	return &synth{
		fs:  fs,
		out: make([]float64, int(math.Round(seconds*fs))),
		rng: rand.New(rand.NewPCG(seed, seed)),
		lo:  min(0.40*fs, maxPartial),
		hi:  min(0.47*fs, maxPartial*1.1),
	}
}

// index converts a time in seconds to a sample index clamped to the clip.
func (s *synth) index(t float64) int {
	return min(max(int(math.Round(t*s.fs)), 0), len(s.out))
}

// seconds is the clip's length.
func (s *synth) seconds() float64 { return float64(len(s.out)) / s.fs }

// bandLimit is the gain applied to a partial at f Hz: 1 up to s.lo,
// falling smoothly to 0 at s.hi.
func (s *synth) bandLimit(f float64) float64 {
	return 1 - smoothstep((f-s.lo)/(s.hi-s.lo))
}

// uniform returns a random number in [lo, hi).
func (s *synth) uniform(lo, hi float64) float64 { return lo + (hi-lo)*s.rng.Float64() }

// envelope is an attack-decay-sustain-release amplitude shape. Attack and
// release are raised-cosine ramps; after the attack the gain falls
// exponentially with time constant decay towards sustain (decay 0 holds 1).
type envelope struct {
	attack, decay, sustain, release float64
}

// gain is the envelope t seconds after onset for a note whose release
// starts at hold seconds.
func (e envelope) gain(t, hold float64) float64 {
	g := 1.0
	if e.decay > 0 && t > e.attack {
		g = e.sustain + (1-e.sustain)*math.Exp(-(t-e.attack)/e.decay)
	}
	if t < e.attack {
		g *= 0.5 - 0.5*math.Cos(math.Pi*t/e.attack)
	}
	if t > hold {
		if t >= hold+e.release {
			return 0
		}
		g *= 0.5 + 0.5*math.Cos(math.Pi*(t-hold)/e.release)
	}
	return g
}

// freqFunc gives an instantaneous frequency in Hz t seconds after a
// note's onset.
type freqFunc func(t float64) float64

func steady(hz float64) freqFunc { return func(float64) float64 { return hz } }

// glide moves from one frequency to another, evenly in log frequency with
// a smooth start and end, over dur seconds beginning at start.
func glide(from, to, start, dur float64) freqFunc {
	return func(t float64) float64 {
		return from * math.Pow(to/from, smoothstep((t-start)/dur))
	}
}

// legato follows a melody, gliding for glideTime seconds into each note.
// Times are relative to the first event's onset; rests hold the pitch.
func legato(evs []event, glideTime float64) freqFunc {
	t0 := evs[0].at
	return func(t float64) float64 {
		t += t0
		i := 0
		for i+1 < len(evs) && t >= evs[i+1].at {
			i++
		}
		if i == 0 || t >= evs[i].at+glideTime {
			return evs[i].hz
		}
		u := smoothstep((t - evs[i].at) / glideTime)
		return evs[i-1].hz * math.Pow(evs[i].hz/evs[i-1].hz, u)
	}
}

// vibrato modulates f by ±cents at rate Hz. The depth grows in over 0.3 s
// after delay seconds of straight tone, as a singer's or player's does.
func vibrato(f freqFunc, rate, cents, delay, phase float64) freqFunc {
	return func(t float64) float64 {
		depth := cents * smoothstep((t-delay)/0.3)
		return f(t) * math.Exp2(depth*math.Sin(2*math.Pi*rate*t+phase)/1200)
	}
}

// detune shifts f by a constant number of cents.
func detune(f freqFunc, cents float64) freqFunc {
	r := math.Exp2(cents / 1200)
	return func(t float64) float64 { return r * f(t) }
}

func smoothstep(u float64) float64 {
	u = min(max(u, 0), 1)
	return u * u * (3 - 2*u)
}

// note is one harmonic sound: a frequency track, an envelope and a
// spectrum, with optional period-to-period jitter and shimmer and breath
// noise.
type note struct {
	at, hold float64 // onset, and time from onset until the release starts
	freq     freqFunc
	amp      float64
	env      envelope
	spectrum []float64 // amplitude of harmonic k+1
	// jitter and shimmer are the relative standard deviations of each
	// period's length and amplitude; breath is noise relative to amp.
	jitter, shimmer, breath float64
}

// play adds n to s.out.
func (s *synth) play(n note) { s.playInto(s.out, n) }

// maxHarmonics is the longest spectrum a note may have.
const maxHarmonics = 128

// playInto adds n to dst, which has the length of s.out. Harmonics come
// from the Chebyshev recurrence sin(kφ) = 2cos(φ)sin((k-1)φ) - sin((k-2)φ),
// so a note costs one Sincos a sample however many harmonics it has.
func (s *synth) playInto(dst []float64, n note) {
	if len(n.spectrum) > maxHarmonics {
		panic("talkoff: spectrum longer than maxHarmonics")
	}
	// The inner loops read only locals: copying the spectrum to an array
	// keeps them fast under the race detector too.
	var spec [maxHarmonics]float64
	copy(spec[:], n.spectrum)
	fs, lo, hi := s.fs, s.lo, s.hi
	start := s.index(n.at)
	end := s.index(n.at + n.hold + n.env.release)
	phase := s.rng.Float64()
	period, level := 1.0, 1.0
	for i := start; i < end; i++ {
		t := float64(i-start) / fs
		f := n.freq(t) * period
		g := n.amp * level * n.env.gain(t, n.hold)
		sin, cos := math.Sincos(2 * math.Pi * phase)
		twoCos, prev, cur, sum := 2*cos, 0.0, sin, 0.0
		// Harmonics up to lo are summed as they are, those between lo
		// and hi faded out as by bandLimit, those above left out.
		flat := min(int(lo/f), len(n.spectrum))
		top := min(int(math.Ceil(hi/f))-1, len(n.spectrum))
		for k := range flat {
			sum += spec[k] * cur
			prev, cur = cur, twoCos*cur-prev
		}
		for k := flat; k < top; k++ {
			sum += spec[k] * (1 - smoothstep((float64(k+1)*f-lo)/(hi-lo))) * cur
			prev, cur = cur, twoCos*cur-prev
		}
		if n.breath > 0 {
			sum += n.breath * s.rng.NormFloat64()
		}
		dst[i] += g * sum
		phase += f / fs
		if phase >= 1 {
			phase -= math.Floor(phase)
			if n.jitter > 0 {
				period = 1 + n.jitter*s.rng.NormFloat64()
			}
			if n.shimmer > 0 {
				level = 1 + n.shimmer*s.rng.NormFloat64()
			}
		}
	}
}

// mode is one decaying sinusoid of a struck body: a string, bell or
// cymbal partial.
type mode struct {
	hz, amp float64
	decay   float64 // seconds to fall by 1/e
}

// maxModes is the most modes one strike may have.
const maxModes = 64

// strike adds modes that start together at at seconds, with a
// raised-cosine attack, until each has decayed by 100 dB or, if damp is
// positive, until a damper stops them all damp seconds after the strike
// (a 0.1 s fade). Each mode is a rotating phasor: one complex
// multiplication a sample.
func (s *synth) strike(at, attack, damp float64, modes []mode) {
	if len(modes) > maxModes {
		panic("talkoff: more than maxModes modes")
	}
	// Mode state lives in local arrays, which keeps the sample loop
	// fast under the race detector too.
	var re, im, wr, wi, g, step [maxModes]float64
	var longest float64
	n := 0
	for _, m := range modes {
		lim := s.bandLimit(m.hz)
		if lim == 0 {
			continue
		}
		im[n], re[n] = math.Sincos(2 * math.Pi * s.rng.Float64())
		wi[n], wr[n] = math.Sincos(2 * math.Pi * m.hz / s.fs)
		g[n], step[n] = m.amp*lim, math.Exp(-1/(m.decay*s.fs))
		longest = max(longest, m.decay)
		n++
	}
	start := s.index(at)
	end := s.index(at + 11.5*longest)
	if damp > 0 {
		end = min(end, s.index(at+damp+0.1))
	}
	fs := s.fs
	for i := start; i < end; i++ {
		var v float64
		for k := range n {
			v += g[k] * im[k]
			re[k], im[k] = re[k]*wr[k]-im[k]*wi[k], re[k]*wi[k]+im[k]*wr[k]
			g[k] *= step[k]
		}
		t := float64(i-start) / fs
		if t < attack {
			v *= 0.5 - 0.5*math.Cos(math.Pi*t/attack)
		}
		if damp > 0 && t > damp {
			v *= 0.5 + 0.5*math.Cos(math.Pi*min((t-damp)/0.1, 1))
		}
		s.out[i] += v
	}
}

// drumHead adds a struck membrane's mode at f Hz whose pitch starts bend
// times higher and settles with time constant bendTime, as a drum's does.
func (s *synth) drumHead(at, f, amp, decay, bend, bendTime float64) {
	start, end := s.index(at), s.index(at+11.5*decay)
	phase := 2 * math.Pi * s.rng.Float64()
	g, step := amp, math.Exp(-1/(decay*s.fs))
	for i := start; i < end; i++ {
		t := float64(i-start) / s.fs
		fi := f * (1 + bend*math.Exp(-t/bendTime))
		v := g * s.bandLimit(fi) * math.Sin(phase)
		if t < 0.001 {
			v *= 0.5 - 0.5*math.Cos(math.Pi*t/0.001)
		}
		s.out[i] += v
		g *= step
		phase = math.Mod(phase+2*math.Pi*fi/s.fs, 2*math.Pi)
	}
}

// biquad is a second-order IIR filter section:
//
//	y[n] = b0 x[n] + b1 x[n-1] + b2 x[n-2] - a1 y[n-1] - a2 y[n-2]
//
// Its coefficients may be changed between samples without losing state.
type biquad struct {
	b0, b1, b2, a1, a2 float64
	x1, x2, y1, y2     float64
}

func (q *biquad) step(x float64) float64 {
	y := q.b0*x + q.b1*q.x1 + q.b2*q.x2 - q.a1*q.y1 - q.a2*q.y2
	q.x1, q.x2, q.y1, q.y2 = x, q.x1, y, q.y1
	return y
}

// setFormant makes q a Klatt formant resonator: two poles at f Hz with
// bandwidth bw Hz, no zeros, unity gain at 0 Hz.
func (q *biquad) setFormant(f, bw, fs float64) {
	r := math.Exp(-math.Pi * bw / fs)
	q.a1 = -2 * r * math.Cos(2*math.Pi*f/fs)
	q.a2 = r * r
	q.b0, q.b1, q.b2 = 1+q.a1+q.a2, 0, 0
}

// setRBJ sets one of the audio-EQ-cookbook (R. Bristow-Johnson) filters:
// kind is 'l' (low-pass), 'h' (high-pass) or 'b' (band-pass, 0 dB peak).
// f is clamped below Nyquist.
func (q *biquad) setRBJ(kind byte, f, Q, fs float64) {
	w := 2 * math.Pi * min(f, 0.45*fs) / fs
	sin, cos := math.Sincos(w)
	alpha := sin / (2 * Q)
	a0 := 1 + alpha
	switch kind {
	case 'l':
		q.b0, q.b1, q.b2 = (1-cos)/2, 1-cos, (1-cos)/2
	case 'h':
		q.b0, q.b1, q.b2 = (1+cos)/2, -(1 + cos), (1+cos)/2
	case 'b':
		q.b0, q.b1, q.b2 = alpha, 0, -alpha
	default:
		panic("talkoff: unknown filter kind")
	}
	q.b0, q.b1, q.b2 = q.b0/a0, q.b1/a0, q.b2/a0
	q.a1, q.a2 = -2*cos/a0, (1-alpha)/a0
}

func newRBJ(kind byte, f, Q, fs float64) *biquad {
	q := new(biquad)
	q.setRBJ(kind, f, Q, fs)
	return q
}

// noise adds filtered white noise to s.out from at for dur seconds,
// shaped by env and passed through filters in order.
func (s *synth) noise(at, dur, amp float64, env envelope, filters ...*biquad) {
	start, end := s.index(at), s.index(at+dur+env.release)
	for i := start; i < end; i++ {
		v := s.rng.NormFloat64()
		for _, q := range filters {
			v = q.step(v)
		}
		s.out[i] += amp * env.gain(float64(i-start)/s.fs, dur) * v
	}
}

// Spectra. Each gives harmonic amplitudes normalised to unit power, so
// the amp of different timbres is comparable.

func normalise(a []float64) []float64 {
	var p float64
	for _, v := range a {
		p += v * v
	}
	g := 1 / math.Sqrt(p)
	for i := range a {
		a[i] *= g
	}
	return a
}

// harmonics returns n harmonics with amplitude amp(k) for k = 1..n.
func harmonics(n int, amp func(k float64) float64) []float64 {
	a := make([]float64, n)
	for i := range a {
		a[i] = amp(float64(i + 1))
	}
	return normalise(a)
}

func sawtooth(n int) []float64 { return harmonics(n, func(k float64) float64 { return 1 / k }) }

func square(n int) []float64 {
	return harmonics(n, func(k float64) float64 {
		if int(k)%2 == 0 {
			return 0
		}
		return 1 / k
	})
}

// pulse is a rectangular wave high for duty of each period.
func pulse(duty float64, n int) []float64 {
	return harmonics(n, func(k float64) float64 { return math.Sin(math.Pi*k*duty) / k })
}

// glottal is the spectrum of the derivative of the glottal flow (the
// source of voiced speech after lip radiation): about -6 dB an octave,
// steeper for breathier or softer voices (larger tilt).
func glottal(n int, tilt float64) []float64 {
	return harmonics(n, func(k float64) float64 { return math.Pow(k, -tilt) })
}

// organ returns a tonewheel-organ spectrum for nine drawbar settings
// (0..8, footages 16', 5 1/3', 8', 4', 2 2/3', 2', 1 3/5', 1 1/3', 1').
// Harmonic k of the result is k/2 times the 8' pitch, so play it an octave
// below the written note.
func organ(drawbars [9]int) []float64 {
	// Harmonic numbers of each footage relative to the 16' sub-octave.
	footage := [9]int{1, 3, 2, 4, 6, 8, 10, 12, 16}
	a := make([]float64, 16)
	for i, d := range drawbars {
		if d > 0 {
			a[footage[i]-1] = math.Pow(10, -3*float64(8-d)/20) // 3 dB a step
		}
	}
	return normalise(a)
}

// Pitch names.

// hz returns the equal-tempered frequency (A4 = 440 Hz) of a note name
// such as "F5", "F#6" or "Bb5". It panics on a malformed name: names only
// come from the scores in this package.
func hz(name string) float64 {
	semis := map[byte]int{'C': -9, 'D': -7, 'E': -5, 'F': -4, 'G': -2, 'A': 0, 'B': 2}
	st, ok := semis[name[0]]
	rest := name[1:]
	if len(rest) > 0 && (rest[0] == '#' || rest[0] == 'b') {
		if rest[0] == '#' {
			st++
		} else {
			st--
		}
		rest = rest[1:]
	}
	octave, err := strconv.Atoi(rest)
	if !ok || err != nil {
		panic("talkoff: bad note name " + name)
	}
	return 440 * math.Exp2(float64(st+12*(octave-4))/12)
}

// event is a scored note: onset and length in seconds, frequency, and
// for sung notes a vowel.
type event struct {
	at, dur, hz float64
	vowel       string
}

// score parses a melody of space-separated NAME:BEATS or NAME:BEATS:VOWEL
// tokens, "r" naming a rest, played at bpm from t0 seconds. Rests are
// left out of the result.
func score(t0, bpm float64, melody string) []event {
	var evs []event
	t := t0
	for _, tok := range strings.Fields(melody) {
		f := strings.Split(tok, ":")
		beats, err := strconv.ParseFloat(f[1], 64)
		if err != nil {
			panic("talkoff: bad score token " + tok)
		}
		dur := beats * 60 / bpm
		if f[0] != "r" {
			ev := event{at: t, dur: dur, hz: hz(f[0])}
			if len(f) > 2 {
				ev.vowel = f[2]
			}
			evs = append(evs, ev)
		}
		t += dur
	}
	return evs
}

// phrases splits evs where a rest falls between notes.
func phrases(evs []event) [][]event {
	var out [][]event
	begin := 0
	for i := 1; i <= len(evs); i++ {
		if i == len(evs) || evs[i].at > evs[i-1].at+evs[i-1].dur+1e-9 {
			out = append(out, evs[begin:i])
			begin = i
		}
	}
	return out
}
