package talkoff

import "math"

// whistleTone is a whistle's spectrum: almost a pure tone.
var whistleTone = normalise([]float64{1, 0.03, 0.01})

// sineSweep renders one pure tone sweeping logarithmically from 300 Hz to
// 3400 Hz, through every row and column frequency (about 110 ms in each
// ±3.5 % band).
func sineSweep(s *synth) {
	const t0, dur = 0.05, 3.8
	s.play(note{at: t0, hold: dur - 0.05, freq: glide(300, 3400, 0, dur), amp: 1,
		env: envelope{attack: 0.05, release: 0.05}, spectrum: []float64{1}})
}

// harmonicSweep renders a buzzy harmonic tone (harmonics falling 4 dB an
// octave) whose fundamental sweeps 120 Hz → 500 Hz → 120 Hz, so its
// harmonics cross the keypad bands at different rates and pass through
// fundamentals whose 4th and 7th harmonics fall on a row and a column
// (174 Hz: 697 and 1220 Hz).
func harmonicSweep(s *synth) {
	s.play(note{at: 0.05, hold: 4.75, freq: riseFall(120, 500, 2.4, 2.4), amp: 1,
		env:      envelope{attack: 0.05, release: 0.1},
		spectrum: harmonics(60, func(k float64) float64 { return math.Pow(k, -0.66) })})
}

// sirenWail renders an electronic wail siren, a square-wave drive through
// a horn speaker, rising from 650 Hz to 1450 Hz over 2.6 s and falling
// over 3 s.
func sirenWail(s *synth) {
	s.horn(note{at: 0.05, hold: 5.7, freq: riseFall(650, 1450, 2.6, 3), amp: 1,
		env: envelope{attack: 0.3, release: 0.2}, spectrum: square(40)})
}

// riseFall glides from lo to hi over rise seconds, then back to lo over
// fall seconds.
func riseFall(lo, hi, rise, fall float64) freqFunc {
	up, down := glide(lo, hi, 0, rise), glide(hi, lo, rise, fall)
	return func(t float64) float64 {
		if t < rise {
			return up(t)
		}
		return down(t)
	}
}

// sirenYelp renders an electronic yelp siren, a square-like tone sweeping
// 650 Hz → 1550 Hz and back about 3.5 times a second through a horn
// speaker (band-passed).
func sirenYelp(s *synth) {
	const period = 0.28
	freq := func(t float64) float64 {
		u := math.Mod(t, period) / period
		tri := 2 * math.Min(u, 1-u) // 0 → 1 → 0
		return 650 * math.Pow(1550.0/650, tri)
	}
	s.horn(note{at: 0.05, hold: 3.8, freq: freq, amp: 1,
		env: envelope{attack: 0.05, release: 0.1}, spectrum: square(40)})
}

// horn plays n through a siren's horn speaker: a 400 Hz to 4 kHz band-pass.
func (s *synth) horn(n note) {
	buf := make([]float64, len(s.out))
	s.playInto(buf, n)
	hp, lp := newRBJ('h', 400, 0.7, s.fs), newRBJ('l', 4000, 0.7, s.fs)
	for i, v := range buf {
		s.out[i] += lp.step(hp.step(v))
	}
}

// sirenHiLo renders a two-tone horn (440 Hz and 587 Hz, harmonics falling
// 6 dB an octave) on a vehicle passing at 20 m/s, 8 m away: the Doppler
// shift moves every harmonic by up to ±6 % and the level rises and falls.
func sirenHiLo(s *synth) {
	const (
		c, v, d = 343.0, 20.0, 8.0
		tPass   = 3.0 // closest approach, seconds
	)
	// Emission time is close enough to reception time at these speeds.
	doppler := func(t float64) float64 {
		x := v * (t - tPass)
		return c / (c + v*x/math.Hypot(x, d))
	}
	freq := func(t float64) float64 {
		f := 440.0
		if math.Mod(t, 1.3) >= 0.65 {
			f = 587
		}
		return f * doppler(t)
	}
	buf := make([]float64, len(s.out))
	s.playInto(buf, note{at: 0, hold: 5.9, freq: freq, amp: 1,
		env: envelope{attack: 0.02, release: 0.05}, spectrum: sawtooth(40)})
	for i := range buf {
		t := float64(i) / s.fs
		s.out[i] += buf[i] * d / math.Hypot(v*(t-tPass), d)
	}
}

// whistleMelody renders one person whistling a tune from 700 Hz to 1.8 kHz,
// gliding between notes, with vibrato growing on the long ones.
func whistleMelody(s *synth) {
	for _, ph := range phrases(score(0.05, 120,
		"D6:1 G6:1 F#6:0.5 E6:0.5 D6:1 B5:0.5 C6:0.5 D6:1.5 r:0.5 F5:0.5 A5:0.5 C6:1 A6:1.5")) {
		end := ph[len(ph)-1].at + ph[len(ph)-1].dur
		freq := vibrato(legato(ph, 0.05), 5.5, 30, 0.15, s.uniform(0, 2*math.Pi))
		s.play(note{at: ph[0].at, hold: end - ph[0].at - 0.05, freq: freq, amp: 1,
			env: envelope{attack: 0.04, release: 0.08}, spectrum: whistleTone, breath: 0.04})
	}
}

// whistleCalls renders a wolf whistle (a fast rise then a long fall), a slide
// whistle going up and down between 600 Hz and 1.8 kHz, and a warbling
// bird-like call (12 Hz frequency modulation of ±1.5 semitones).
func whistleCalls(s *synth) {
	calls := []struct {
		at, hold float64
		freq     freqFunc
	}{
		{0.05, 0.3, glide(700, 2000, 0, 0.3)},
		{0.45, 0.55, glide(2000, 650, 0, 0.55)},
		{1.2, 1.5, func(t float64) float64 {
			return 600 * math.Pow(3, 0.5-0.5*math.Cos(2*math.Pi*t/0.75))
		}},
		{2.9, 0.9, vibrato(steady(1400), 12, 150, 0, 0)},
	}
	for _, c := range calls {
		s.play(note{at: c.at, hold: c.hold, freq: c.freq, amp: 1,
			env: envelope{attack: 0.03, release: 0.06}, spectrum: whistleTone, breath: 0.04})
	}
}

// whistleDuet renders two people whistling in thirds, each with their own
// vibrato rate and depth and slightly different timing. Both lines stay at
// or above B5 (988 Hz): two nearly pure tones in the row and column
// regions at once would be genuine DTMF.
func whistleDuet(s *synth) {
	lines := []struct {
		melody           string
		rate, cents, amp float64
	}{
		{"F#6:1 E6:0.5 D6:0.5 E6:1 F#6:1 G6:1 F#6:0.5 E6:0.5 D6:2", 5.2, 35, 1},
		{"D6:1 C#6:0.5 B5:0.5 C#6:1 D6:1 E6:1 D6:0.5 C#6:0.5 B5:2", 6.1, 25, 0.7},
	}
	for _, l := range lines {
		for _, ph := range phrases(score(0.05+s.uniform(0, 0.03), 120, l.melody)) {
			end := ph[len(ph)-1].at + ph[len(ph)-1].dur
			freq := vibrato(legato(ph, 0.05), l.rate, l.cents, 0.15, s.uniform(0, 2*math.Pi))
			s.play(note{at: ph[0].at, hold: end - ph[0].at - 0.05, freq: freq, amp: l.amp,
				env: envelope{attack: 0.04, release: 0.08}, spectrum: whistleTone, breath: 0.04})
		}
	}
}
