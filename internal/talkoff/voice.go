package talkoff

import "math"

// vowel holds the first four formant frequencies, in Hz, of an adult male
// voice, rounded from the averages of Peterson and Barney (1952).
type vowel [4]float64

var vowels = map[string]vowel{
	"a":  {730, 1090, 2440, 3400}, // father
	"i":  {270, 2290, 3010, 3500}, // heed
	"u":  {300, 870, 2240, 3300},  // who'd
	"o":  {570, 840, 2410, 3300},  // caught
	"e":  {530, 1840, 2480, 3500}, // head
	"uh": {640, 1190, 2390, 3400}, // hud
	"ae": {660, 1720, 2410, 3400}, // had
}

// formantBW are the formant bandwidths in Hz.
var formantBW = [4]float64{70, 90, 130, 180}

// voice describes a singer.
type voice struct {
	tract    float64 // scale on the male formants: shorter vocal tracts raise them
	tilt     float64 // glottal spectral tilt; see glottal
	vibRate  float64 // vibrato rate, Hz
	vibCents float64 // vibrato depth, ± cents
	// Relative standard deviations of period length and amplitude, and
	// aspiration noise relative to the voiced source.
	jitter, shimmer, breath float64
}

var (
	bass    = voice{tract: 0.95, tilt: 1.0, vibRate: 5.2, vibCents: 50, jitter: 0.004, shimmer: 0.03, breath: 0.02}
	tenor   = voice{tract: 1.0, tilt: 1.0, vibRate: 5.7, vibCents: 45, jitter: 0.004, shimmer: 0.03, breath: 0.02}
	alto    = voice{tract: 1.12, tilt: 1.15, vibRate: 5.4, vibCents: 45, jitter: 0.005, shimmer: 0.035, breath: 0.03}
	soprano = voice{tract: 1.18, tilt: 1.2, vibRate: 5.9, vibCents: 55, jitter: 0.005, shimmer: 0.035, breath: 0.03}
	child   = voice{tract: 1.3, tilt: 1.2, vibRate: 5.5, vibCents: 15, jitter: 0.008, shimmer: 0.05, breath: 0.04}
)

// Articulation: where one sung note follows another within a phrase the
// voice dips by dipDepth over ±dipTime seconds (the consonant of the next
// syllable), the pitch glides for glideTime and the formants move to the
// new vowel over formantTime.
const (
	dipDepth    = 0.6
	dipTime     = 0.04
	glideTime   = 0.07
	formantTime = 0.08
)

// sing adds v singing evs, whose events name vowels, to s.out at amp,
// detuned by cents. Each phrase (notes without a rest between them) is one
// breath: a band-limited glottal pulse train with jitter and shimmer,
// gliding from note to note with vibrato, filtered by a cascade of formant
// resonators that follow the vowels.
func (s *synth) sing(v voice, amp, cents float64, evs []event) {
	for _, ev := range evs {
		if _, ok := vowels[ev.vowel]; !ok {
			panic("talkoff: unknown vowel " + ev.vowel)
		}
	}
	src := make([]float64, len(s.out))
	rate := v.vibRate * s.uniform(0.95, 1.05)
	for _, ph := range phrases(evs) {
		begin, end := ph[0].at, ph[len(ph)-1].at+ph[len(ph)-1].dur
		freq := vibrato(detune(legato(ph, glideTime), cents), rate, v.vibCents, 0.25, s.uniform(0, 2*math.Pi))
		s.playInto(src, note{
			at: begin, hold: end - begin, freq: freq, amp: 1,
			env:      envelope{attack: 0.08, release: 0.15},
			spectrum: glottal(120, v.tilt),
			jitter:   v.jitter, shimmer: v.shimmer, breath: v.breath,
		})
		for _, ev := range ph[1:] {
			for i := s.index(ev.at - dipTime); i < s.index(ev.at+dipTime); i++ {
				u := (float64(i)/s.fs - ev.at) / dipTime
				src[i] *= 1 - dipDepth*(0.5+0.5*math.Cos(math.Pi*u))
			}
		}
	}

	// A formant is left out when, for some vowel, it would sit above
	// 0.45 fs: it cannot be placed there, and it hardly shapes the band a
	// receiver listens to.
	var res [4]biquad
	used := 4
	for _, vw := range vowels {
		for k := range used {
			if vw[k]*v.tract >= 0.45*s.fs {
				used = k
				break
			}
		}
	}
	const block = 32
	for b := 0; b < len(src); b += block {
		f := s.formants(v, evs, float64(b)/s.fs)
		for k := range used {
			res[k].setFormant(f[k], formantBW[k], s.fs)
		}
		for i := b; i < min(b+block, len(src)); i++ {
			x := src[i]
			for k := range used {
				x = res[k].step(x)
			}
			s.out[i] += amp * x
		}
	}
}

// formants returns v's formant frequencies at t seconds: those of the
// vowel of the note sounding (or last sounded), moving from the previous
// note's vowel during the first formantTime of a note. A soprano's first
// formant is raised to stay above the fundamental, as trained singers
// tune it.
func (s *synth) formants(v voice, evs []event, t float64) vowel {
	i := 0
	for i+1 < len(evs) && t >= evs[i+1].at {
		i++
	}
	cur := vowels[evs[i].vowel]
	if i > 0 && t < evs[i].at+formantTime {
		prev := vowels[evs[i-1].vowel]
		u := smoothstep((t - evs[i].at) / formantTime)
		for k := range cur {
			cur[k] = prev[k] * math.Pow(cur[k]/prev[k], u)
		}
	}
	for k := range cur {
		cur[k] *= v.tract
	}
	cur[0] = max(cur[0], 1.1*evs[i].hz)
	return cur
}

// sungVowelsBass renders a bass-baritone holding vowels. On F3 (174.6 Hz) the
// 4th and 7th harmonics fall at 698 Hz and 1222 Hz, a row and a column,
// and "uh" puts the first two formants near them; on Bb3 and A3 "ae"
// boosts harmonics near 700 Hz and 1.6-1.75 kHz. The first 0.25 s of each
// note has no vibrato yet.
func sungVowelsBass(s *synth) {
	s.sing(bass, 1, 0, score(0.1, 120, "F3:3:uh r:0.5 Bb3:3:ae r:0.5 A3:2.5:ae r:0.5 E3:1.5:ae"))
}

// sungVowelsSoprano renders a soprano holding vowels. On Bb4 and D5 "a"
// puts her first two formants (about 860 and 1290 Hz) on the 2nd and 3rd
// harmonics; on F5 (698.5 Hz, a row) she sings "o", as sopranos modify high
// vowels, and on B4 "uh".
func sungVowelsSoprano(s *synth) {
	s.sing(soprano, 1, 0, score(0.1, 120, "Bb4:3:a r:0.5 D5:2.5:a r:0.5 F5:2.5:o r:0.5 B4:2:uh"))
}

// sungMelodyTenor renders a tenor singing a melody on changing vowels.
func sungMelodyTenor(s *synth) {
	s.sing(tenor, 1, 0, score(0.1, 120,
		"C4:1:a D4:0.5:e E4:0.5:i F4:1:o A4:1.5:a G4:0.5:e F4:1:o E4:1:uh D4:1:e C4:1.5:a"))
}

// sungMelodyChild renders a child singing a tune: high pitch, little vibrato,
// more jitter and shimmer than an adult.
func sungMelodyChild(s *synth) {
	s.sing(child, 1, 0, score(0.1, 120,
		"D5:1:a C5:1:a B4:0.5:o C5:0.5:o D5:1:a E5:1.5:uh D5:0.5:e C5:1:a D5:2:a"))
}

// choir renders eight singers, two to a part, singing "ah" and "oh" chords in F
// (F, Bb, C7, F), the bass on F3, the sopranos rising to E5 and F5. Every
// singer has a vibrato rate, phase and depth, a small detuning and an
// onset of their own.
func choir(s *synth) {
	parts := []struct {
		v     voice
		score string
	}{
		{soprano, "C5:2.5:a D5:2.5:a E5:2.5:o F5:3:o"},
		{alto, "A4:2.5:a Bb4:2.5:a Bb4:2.5:o A4:3:o"},
		{tenor, "C4:2.5:a D4:2.5:a C4:2.5:o C4:3:o"},
		{bass, "F3:2.5:a Bb2:2.5:a C3:2.5:o F3:3:o"},
	}
	for _, p := range parts {
		for range 2 {
			v := p.v
			v.vibCents *= s.uniform(0.7, 1.1)
			s.sing(v, 0.5, s.uniform(-8, 8), score(0.05+s.uniform(0, 0.04), 110, p.score))
		}
	}
}
