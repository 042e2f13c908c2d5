package dtmftest

import (
	"math"
	"math/rand/v2"

	"github.com/dtmfkit/dtmfkit/dtmf"
)

// RuleSignal is a signal built for the decoder to refuse by one rule (or
// to accept), for the tests of its decision hook and of dtmfwav decode
// -explain.
type RuleSignal struct {
	Name string // a file-name-safe name
	Rule string // the rule's name as decoder.Rule.String gives it
	Doc  string // how it is made, one line
	PCM  []int16
}

// RuleSignals renders one signal per decision the receiver can make, at
// rate: each is 400 ms of silence around one event, with seeded noise
// where noted. Keys are −10 dBm0 per tone, 60 ms, unramped, from 100 ms,
// unless the line says otherwise.
func RuleSignals(rate dtmf.SampleRate) []RuleSignal {
	ms := func(v float64) int64 { return int64(v * float64(rate) / 1000) }
	start := ms(100)
	key := func(s *Signal, k dtmf.Digit, low, high float64, length int64) {
		s.AddPress(Press{Key: k, LowLevel: low, HighLevel: high, Start: start, Len: length, Phase: 0.3})
	}
	tone := func(s *Signal, f, level float64, from, length int64) {
		s.AddTone(Tone{Freq: f, Level: level, Phase: 1.1, Start: from, Len: length})
	}
	type build struct {
		name, rule, doc string
		make            func(s *Signal)
	}
	builds := []build{
		{"accepted", "accepted", "key 5, 60 ms", func(s *Signal) { key(s, '5', -10, -10, ms(60)) }},
		{"accepted-noise", "accepted", "key 8 at -20 dBm0 per tone, 80 ms, in white noise at -35 dBm0",
			func(s *Signal) {
				key(s, '8', -20, -20, ms(80))
				s.AddNoise(rand.New(rand.NewPCG(1, 1)), RMS(-35))
			}},
		{"peak", "peak", "key 1 with a third tone, 770 Hz, 2 dB under its 697 Hz (two rows)",
			func(s *Signal) {
				key(s, '1', -10, -10, ms(80))
				tone(s, 770, -12, start, ms(80))
			}},
		{"level", "level", "key 2 at -50 dBm0 per tone, 80 ms (MinLevel is -47)",
			func(s *Signal) { key(s, '2', -50, -50, ms(80)) }},
		{"frequency", "frequency", "key 3 with both tones 4 % high, 80 ms (limit 2 % + 1.5 Hz)",
			func(s *Signal) {
				s.AddPress(Press{Key: '3', LowLevel: -10, HighLevel: -10, LowDev: 0.04, HighDev: 0.04, Start: start, Len: ms(80)})
			}},
		{"twist", "twist", "key 4, high tone 12 dB under the low, 80 ms (limit 8 dB + 1)",
			func(s *Signal) { key(s, '4', -8, -20, ms(80)) }},
		{"tonal-share", "tonal share", "key 6 at -25 dBm0 per tone, 80 ms, in white noise at -14 dBm0",
			func(s *Signal) {
				key(s, '6', -25, -25, ms(80))
				s.AddNoise(rand.New(rand.NewPCG(1, 1)), RMS(-14))
			}},
		{"too-short", "too short", "key 7, 20 ms (MinOn is 25 ms)", func(s *Signal) { key(s, '7', -10, -10, ms(20)) }},
		{"unsteady", "unsteady", "key 9, 120 ms, its tones fully amplitude-modulated at 40 Hz",
			func(s *Signal) {
				key(s, '9', -10, -10, ms(120))
				for i := start; i < start+ms(120); i++ {
					s.X[i] *= 0.5 + 0.5*math.Cos(2*math.Pi*40*float64(i-start)/float64(rate))
				}
			}},
		{"already-present", "already present", "697 Hz alone from the start for 700 ms, 1209 Hz joining it for 80 ms at 550 ms (key 1); 800 ms in all",
			func(s *Signal) {
				s.X = append(s.X, make([]float64, ms(400))...)
				tone(s, 697, -10, 0, ms(700))
				tone(s, 1209, -10, start+ms(450), ms(80))
			}},
		{"chord", "chord", "key 5 with a steady 1633 Hz 3.5 dB under its 1336 Hz, 80 ms",
			func(s *Signal) {
				key(s, '5', -10, -10, ms(80))
				tone(s, 1633, -13.5, start, ms(80))
			}},
		{"sidebands", "sidebands", "key 1 with a 747 Hz tone 12 dB under its 697 Hz (a beat), 80 ms",
			func(s *Signal) {
				key(s, '1', -10, -10, ms(80))
				tone(s, 747, -22, start, ms(80))
			}},
		{"harmonics", "harmonics", "key 1 with its 697 Hz tone's 3rd harmonic (2091 Hz) 10 dB under it, 80 ms",
			func(s *Signal) {
				key(s, '1', -10, -10, ms(80))
				tone(s, 3*697, -20, start, ms(80))
			}},
		{"harmonic-series", "harmonic series", "key A (697 and 1633 Hz: harmonics 3 and 7 of 232.3 Hz) with harmonic 8 (1858.7 Hz) 10 dB under, 80 ms",
			func(s *Signal) {
				key(s, 'A', -10, -10, ms(80))
				tone(s, 8*697.0/3, -20, start, ms(80))
			}},
		{"voice-pitch", "voice pitch", "key A with harmonics 1 and 2 (232.3, 464.7 Hz) of its tones' fundamental, as loud, 80 ms",
			func(s *Signal) {
				key(s, 'A', -10, -10, ms(80))
				tone(s, 697.0/3, -10, start, ms(80))
				tone(s, 2*697.0/3, -10, start, ms(80))
			}},
		{"crowded", "crowded", "key 1, 40 ms, with a 1050 Hz tone as strong as its tones (crowded keys must last 45 ms)",
			func(s *Signal) {
				key(s, '1', -10, -10, ms(40))
				tone(s, 1050, -10, start, ms(40))
			}},
	}
	out := make([]RuleSignal, len(builds))
	for i, b := range builds {
		s := NewSignal(rate, ms(400))
		b.make(s)
		out[i] = RuleSignal{Name: b.name, Rule: b.rule, Doc: b.doc, PCM: s.Int16()}
	}
	return out
}
