package talkoff

import (
	"math"
	"strings"
)

// chord plays every note named in names (space-separated) at once.
func (s *synth) chord(names string, play func(hz float64)) {
	for _, name := range strings.Fields(names) {
		play(hz(name))
	}
}

// pipeOrgan renders a steady principal chorus (8', 4' and 2' ranks) with wind
// chiff at each onset and no vibrato, holding Fmaj7 with F5 (698.5 Hz) and
// E6 (1318.5 Hz) on top, then a C7 shell with Bb5 (932.3 Hz) and E6.
func pipeOrgan(s *synth) {
	principal := harmonics(16, func(k float64) float64 {
		a := math.Pow(k, -1.3) // 8'
		if int(k)%2 == 0 {
			a += 0.7 * math.Pow(k/2, -1.3) // 4'
		}
		if int(k)%4 == 0 {
			a += 0.5 * math.Pow(k/4, -1.3) // 2'
		}
		return a
	})
	play := func(at, hold float64) func(float64) {
		return func(f float64) {
			s.play(note{at: at + s.uniform(0, 0.02), hold: hold, freq: steady(f), amp: 1,
				env: envelope{attack: 0.06, release: 0.12}, spectrum: principal, breath: 0.01})
			s.noise(at, 0.03, 0.15, envelope{attack: 0.005, release: 0.03}, newRBJ('b', 2*f, 4, s.fs))
		}
	}
	s.chord("F2 F3 C4 F5 A5 C6 E6", play(0.05, 1.85))
	s.chord("C3 C4 G4 E5 Bb5 E6", play(2.05, 1.75))
}

// hammond renders a tonewheel organ with jazz drawbars (888000000), a decaying
// second-harmonic percussion and a fast rotary speaker (6.7 Hz Doppler
// vibrato and tremolo), comping a ii-V-I in F whose voicings put Bb5 and E6
// (C7) and F5 with E6 (Fmaj7) together.
func hammond(s *synth) {
	tone := organ([9]int{8, 8, 8})
	perc := organ([9]int{3: 8}) // 4' percussion
	buf := make([]float64, len(s.out))
	comp := []struct {
		at, hold float64
		names    string
	}{
		{0.05, 0.35, "G3 F5 Bb5 D6"}, {0.55, 0.7, "G3 F5 Bb5 D6"},
		{1.4, 0.3, "C3 E5 Bb5 E6"}, {1.85, 0.9, "C3 E5 Bb5 E6"},
		{2.9, 0.35, "F3 F5 A5 E6"}, {3.35, 0.6, "F3 F5 A5 E6"},
	}
	for _, c := range comp {
		s.chord(c.names, func(f float64) {
			// The rotor's Doppler shift: a few cents at 6.7 Hz.
			freq := vibrato(steady(f/2), 6.7, 7, 0, s.uniform(0, 2*math.Pi))
			s.playInto(buf, note{at: c.at, hold: c.hold, freq: freq, amp: 1,
				env: envelope{attack: 0.005, release: 0.03}, spectrum: tone})
			s.playInto(buf, note{at: c.at, hold: c.hold, freq: freq, amp: 0.6,
				env: envelope{attack: 0.002, decay: 0.2, release: 0.03}, spectrum: perc})
		})
	}
	for i, v := range buf {
		s.out[i] += v * (1 + 0.25*math.Sin(2*math.Pi*6.7*float64(i)/s.fs))
	}
}

// sawPad renders an analogue-synthesiser pad, two sawtooth oscillators per note
// detuned ±6 cents (so they beat), slow attack and release, through a
// resonant low-pass filter whose cutoff sweeps from 500 Hz to 3 kHz: a C7
// with Bb5 and E6, then F# major with A#5 (932.3 Hz) and F#6 (1480 Hz).
func sawPad(s *synth) {
	buf := make([]float64, len(s.out))
	saw := sawtooth(80)
	play := func(at, hold float64) func(float64) {
		return func(f float64) {
			for _, c := range []float64{-6, 6} {
				s.playInto(buf, note{at: at, hold: hold, freq: detune(steady(f), c), amp: 1,
					env: envelope{attack: 0.7, release: 0.6}, spectrum: saw})
			}
		}
	}
	s.chord("C3 G3 E4 Bb5 E6", play(0.05, 2.1))
	s.chord("F#2 C#4 A#5 C#6 F#6", play(2.4, 1.9))
	var lp biquad
	const block = 32
	for b := 0; b < len(buf); b += block {
		u := float64(b) / float64(len(buf))
		lp.setRBJ('l', 500*math.Pow(6, u), 2, s.fs)
		for i := b; i < min(b+block, len(buf)); i++ {
			s.out[i] += lp.step(buf[i])
		}
	}
}

// chiptune renders a home-computer sound chip. The lead is a 25 % pulse wave
// cycling through the notes of each chord every 20 ms (one 50 Hz video
// frame), the classic way one voice plays a chord, so row- and
// column-band notes alternate faster than a key lasts; a square-wave bass
// and a noise-channel hi-hat play under it.
func chiptune(s *synth) {
	lead, bass := pulse(0.25, 60), square(60)
	env := envelope{attack: 0.001, release: 0.001}
	chords := []struct{ lead, bass string }{
		{"F5 A5 C6 E6", "F2"}, {"Bb5 C6 E6", "C3"}, {"A#5 C#6 F#6", "F#2"}, {"F5 A5 C6 E6", "F2"},
	}
	const frame, bar = 0.02, 0.95
	for c, ch := range chords {
		t0 := 0.05 + float64(c)*bar
		names := strings.Fields(ch.lead)
		for i := 0; float64(i)*frame < bar-0.05; i++ {
			s.play(note{at: t0 + float64(i)*frame, hold: frame - 0.001, freq: steady(hz(names[i%len(names)])),
				amp: 1, env: env, spectrum: lead})
		}
		for beat := range 4 {
			at := t0 + float64(beat)*bar/4
			s.play(note{at: at, hold: 0.15, freq: steady(hz(ch.bass)), amp: 0.8, env: env, spectrum: bass})
			s.noise(at+bar/8, 0.03, 0.3, envelope{attack: 0.001, decay: 0.01, release: 0.005}, newRBJ('h', 6000, 0.7, s.fs))
		}
	}
}

// clarinets renders two clarinets a tenth apart, the first high (F5 to D6), the
// second in the low register. The tone is odd-harmonic-rich with weak even
// harmonics, a little breath and almost no vibrato, so the pitches are
// steady for whole notes. (High clarinet notes keep only one or two
// harmonics below 3.4 kHz, so two high clarinets would be two nearly pure
// tones; see the package documentation.)
func clarinets(s *synth) {
	tone := harmonics(20, func(k float64) float64 {
		if int(k)%2 == 1 {
			return math.Pow(k, -0.8)
		}
		return 0.12 / k
	})
	lines := []string{
		"A5:1 Bb5:0.5 C6:0.5 D6:1 C6:1 Bb5:0.5 A5:0.5 G5:1 F5:2",
		"F4:1 G4:0.5 A4:0.5 Bb4:1 A4:1 G4:0.5 F4:0.5 E4:1 C4:2",
	}
	for v, line := range lines {
		for _, ev := range score(0.05, 110, line) {
			freq := vibrato(steady(ev.hz), 4.5, 8, 0.2, s.uniform(0, 2*math.Pi))
			s.play(note{at: ev.at, hold: ev.dur - 0.04, freq: freq, amp: 1 - 0.3*float64(v),
				env: envelope{attack: 0.04, release: 0.05}, spectrum: tone, breath: 0.02})
		}
	}
}

// piano adds a piano-like note: partials stretched by string stiffness
// (f_k = k f0 sqrt(1 + B k²)), missing near multiples of 7.5 where the
// hammer strikes, the higher ones dying faster, higher notes shorter, and
// a damper at damp seconds after the strike (0 for none).
func (s *synth) piano(at, f0, vel, damp float64) {
	const b = 0.0004
	tau := 6 * math.Pow(262/f0, 0.6)
	var modes []mode
	for k := 1.0; k <= 24; k++ {
		modes = append(modes, mode{
			hz:    k * f0 * math.Sqrt(1+b*k*k),
			amp:   vel * math.Abs(math.Sin(math.Pi*k/7.5)) / math.Pow(k, 0.9),
			decay: tau / (1 + 0.4*(k-1)),
		})
	}
	s.strike(at, 0.002, damp, modes)
	s.noise(at, 0.01, 0.05*vel, envelope{attack: 0.001, release: 0.01}, newRBJ('l', 1000, 0.7, s.fs))
}

// pianoArpeggios renders sustain-pedal arpeggios rising over three octaves,
// so the top notes ring together: Fmaj7 up to F5, A5, C6 and E6, then
// (after a pedal change) F# major up to A#5, C#6 and F#6.
func pianoArpeggios(s *synth) {
	up := func(t0, damp float64, names string) {
		for i, name := range strings.Fields(names) {
			s.piano(t0+0.12*float64(i), hz(name), 0.6+0.4*s.rng.Float64(), damp-0.12*float64(i))
		}
	}
	up(0.05, 2.4, "F2 C3 F3 A3 C4 E4 F4 A4 C5 E5 F5 A5 C6 E6")
	up(2.5, 2.45, "F#2 C#3 F#3 A#3 C#4 F#4 A#4 C#5 F#5 A#5 C#6 F#6")
}

// flute renders a flute melody (nearly pure: weak second and third harmonics,
// breath noise, vibrato that grows in on long notes) over piano chords in
// the left hand.
func flute(s *synth) {
	tone := normalise([]float64{1, 0.3, 0.12, 0.05, 0.03})
	for _, ev := range score(0.05, 100, "C5:1 F5:1 G5:0.5 A5:0.5 Bb5:1 A5:1.5 G5:0.5 F5:1 D6:1") {
		freq := vibrato(steady(ev.hz), 5, 25, 0.15, s.uniform(0, 2*math.Pi))
		s.play(note{at: ev.at, hold: ev.dur - 0.05, freq: freq, amp: 1,
			env: envelope{attack: 0.05, release: 0.08}, spectrum: tone, breath: 0.05})
	}
	for i, names := range []string{"F3 A3 C4", "Bb2 F3 Bb3 D4", "C3 G3 Bb3 E4", "F2 F3 A3 C4"} {
		s.chord(names, func(f float64) { s.piano(0.05+1.2*float64(i), f, 0.5, 1.2) })
	}
}

// bell partials, relative to the nominal (the strike note), with their
// relative amplitudes and decay times: hum, prime, tierce (a minor third
// above the prime), quint, nominal, tenth, eleventh, twelfth and double
// octave of a tuned church bell.
var bellPartials = [...]struct{ ratio, amp, decay float64 }{
	{0.25, 0.5, 4}, {0.5, 0.55, 2.5}, {0.5946, 0.75, 2}, {0.749, 0.25, 1.5},
	{1, 1, 1.3}, {1.26, 0.45, 0.9}, {1.335, 0.2, 0.6}, {1.5, 0.3, 0.5}, {2, 0.25, 0.4},
}

// bells renders three church bells rung in rounds. Each partial is a slightly
// split pair, so it beats, as on real bells. The treble's nominal is D6, so
// its tierce is F5 (698.5 Hz) and its tenth F#6 (1480 Hz): two pure
// partials on a row and a column, under the hum, prime and nominal.
func bells(s *synth) {
	for i, at := 0, 0.05; at < 5; i, at = i+1, at+0.55 {
		nominal := hz([...]string{"D6", "B5", "G5"}[i%3])
		var modes []mode
		for _, p := range bellPartials {
			f := p.ratio * nominal
			modes = append(modes,
				mode{hz: f, amp: 0.6 * p.amp, decay: p.decay},
				mode{hz: f + s.uniform(0.3, 1.5), amp: 0.4 * p.amp, decay: p.decay})
		}
		s.strike(at, 0.001, 0, modes)
		s.noise(at, 0.005, 0.3, envelope{attack: 0.0005, release: 0.004}, newRBJ('h', 2000, 0.7, s.fs))
	}
}

// Percussion.

func (s *synth) kick(at, amp float64) {
	s.drumHead(at, 50, amp, 0.18, 2, 0.03)
	s.noise(at, 0.004, 0.3*amp, envelope{attack: 0.0005, release: 0.003}, newRBJ('l', 3000, 0.7, s.fs))
}

func (s *synth) snare(at, amp float64) {
	s.drumHead(at, 185, 0.6*amp, 0.07, 0.3, 0.01)
	s.drumHead(at, 330, 0.3*amp, 0.05, 0.3, 0.01)
	s.noise(at, 0.2, amp, envelope{attack: 0.001, decay: 0.06, release: 0.02},
		newRBJ('h', 1500, 0.7, s.fs), newRBJ('l', 9000, 0.7, s.fs))
}

func (s *synth) hat(at, amp, decay float64) {
	s.noise(at, 4*decay, amp, envelope{attack: 0.0005, decay: decay, release: 0.01},
		newRBJ('h', 7000, 0.7, s.fs))
}

// tom adds a drum head's first two modes (the second 1.59 times the first)
// with a pitch drop, and the stick's noise.
func (s *synth) tom(at, f, amp float64) {
	s.drumHead(at, f, amp, 0.3, 0.4, 0.05)
	s.drumHead(at, 1.59*f, 0.4*amp, 0.15, 0.4, 0.05)
	s.noise(at, 0.02, 0.3*amp, envelope{attack: 0.0005, decay: 0.01, release: 0.01}, newRBJ('b', 2*f, 1, s.fs))
}

// crash adds a cymbal, many inharmonic partials and bright noise.
func (s *synth) crash(at, amp float64) {
	modes := make([]mode, 40)
	for i := range modes {
		modes[i] = mode{hz: s.uniform(300, 9000), amp: 0.08 * amp, decay: s.uniform(0.3, 1.5)}
	}
	s.strike(at, 0.001, 0, modes)
	s.noise(at, 1.5, amp, envelope{attack: 0.001, decay: 0.5, release: 0.1}, newRBJ('h', 3000, 0.7, s.fs))
}

// drumKit renders a rock drum fill: kick, snare and hi-hat groove, a run down
// four toms, and a crash with the kick to end.
func drumKit(s *synth) {
	const beat = 0.25 // 120 bpm eighths
	for i := range 8 {
		at := 0.05 + float64(i)*beat
		if i%4 == 0 {
			s.kick(at, 1)
		}
		if i%4 == 2 {
			s.snare(at, 0.8)
		}
		s.hat(at, 0.3, 0.04)
	}
	for i, f := range []float64{220, 220, 165, 165, 120, 120, 90, 90} {
		s.tom(2.05+float64(i)*beat/2, f, 0.9)
	}
	s.kick(3.05, 1)
	s.crash(3.05, 0.8)
}

// band renders a groove with drums, a plucked bass line, organ stabs (Fmaj7
// with F5 and E6, C7 with Bb5 and E6) and a sawtooth synth lead with
// vibrato.
func band(s *synth) {
	const bpm = 120
	for i := range 24 { // eighth notes
		at := 0.05 + float64(i)*30/bpm
		if i%4 == 0 {
			s.kick(at, 0.9)
		}
		if i%4 == 2 {
			s.snare(at, 0.6)
		}
		s.hat(at, 0.2, 0.03)
	}
	bassTone := harmonics(24, func(k float64) float64 { return math.Pow(k, -1.5) })
	for _, ev := range score(0.05, bpm, "F2:1 F2:0.5 A2:0.5 C3:1 F2:1 C2:1 C2:0.5 E2:0.5 G2:1 C2:1 F2:1 A2:1 C3:1 F2:1") {
		s.play(note{at: ev.at, hold: ev.dur - 0.05, freq: steady(ev.hz), amp: 0.9,
			env: envelope{attack: 0.005, decay: 0.3, sustain: 0.3, release: 0.05}, spectrum: bassTone})
	}
	tone := organ([9]int{8, 8, 8, 0, 0, 0, 0, 0, 4})
	stabs := []struct {
		at    float64
		names string
	}{{0.3, "F5 A5 C6 E6"}, {1.3, "F5 A5 C6 E6"}, {2.3, "E5 G5 Bb5 E6"}, {3.3, "E5 G5 Bb5 E6"}, {4.3, "F5 A5 C6 E6"}, {5.3, "F5 A5 C6 E6"}}
	for _, st := range stabs {
		s.chord(st.names, func(f float64) {
			s.play(note{at: st.at, hold: 0.2, freq: steady(f / 2), amp: 0.35,
				env: envelope{attack: 0.005, release: 0.05}, spectrum: tone})
		})
	}
	lead := sawtooth(60)
	for _, ev := range score(0.05, bpm, "r:4 C6:1 A5:0.5 F5:0.5 E6:2 r:1 D6:0.5 E6:0.5 F6:1 E6:1 C6:2") {
		s.play(note{at: ev.at, hold: ev.dur - 0.03, freq: vibrato(steady(ev.hz), 5.5, 20, 0.15, 0), amp: 0.5,
			env: envelope{attack: 0.01, release: 0.05}, spectrum: lead})
	}
}

// noiseBursts renders random bursts of white, low-passed, band-passed
// (broad, Q at most 1.5) and high-passed noise and clicks, 1 to 400 ms
// long, as from handling noise, breath, wind and scraping.
func noiseBursts(s *synth) {
	for at := 0.05; at < s.seconds()-0.5; at += s.uniform(0.05, 0.4) {
		dur := s.uniform(0.01, 0.4)
		amp := s.uniform(0.2, 1)
		env := envelope{attack: s.uniform(0.001, dur/3), release: s.uniform(0.001, 0.05)}
		var filters []*biquad
		switch s.rng.IntN(5) {
		case 0: // white
		case 1:
			filters = append(filters, newRBJ('l', s.uniform(300, 1500), 0.7, s.fs))
		case 2:
			filters = append(filters, newRBJ('b', s.uniform(500, 2500), s.uniform(0.7, 1.5), s.fs))
		case 3:
			filters = append(filters, newRBJ('h', s.uniform(1500, 4000), 0.7, s.fs))
		case 4: // click
			dur, env = 0.001, envelope{attack: 0.0002, release: 0.0005}
		}
		s.noise(at, dur, amp, env, filters...)
		at += dur
	}
}
