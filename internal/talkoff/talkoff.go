package talkoff

import (
	"hash/fnv"
	"math"
)

// Clip is one synthesised talk-off signal.
type Clip struct {
	Name string  // stable, unique, lower-case-and-hyphens
	PCM  []int16 // mono samples at the rate given to [Clips]
}

// MinSampleRate is the lowest rate [Clips] accepts.
const MinSampleRate = 8000

// spec describes one clip: its length in seconds, its peak level in dBFS
// (relative to a full-scale peak of 32767) and the function that renders
// it.
type spec struct {
	name    string
	seconds float64
	peak    float64
	render  func(*synth)
}

var specs = [...]spec{
	{"organ-pipe-fmaj7-c7", 4, -6, pipeOrgan},
	{"organ-rotary-ii-v-i", 4, -3, hammond},
	{"pad-sawtooth-c7-fsharp", 5, -10, sawPad},
	{"chip-pulse-arpeggios", 4, -14, chiptune},
	{"clarinet-duet", 5, -6, clarinets},
	{"flute-and-piano", 5, -10, flute},
	{"piano-arpeggios-pedal", 5, -3, pianoArpeggios},
	{"bells-rounds", 5.5, -6, bells},
	{"band-groove", 6, -3, band},
	{"drum-fill", 4.5, -1, drumKit},
	{"noise-bursts", 5, -20, noiseBursts},
	{"sweep-sine-log", 4, -6, sineSweep},
	{"sweep-harmonic", 5, -10, harmonicSweep},
	{"siren-wail", 6, -1, sirenWail},
	{"siren-yelp", 4, -6, sirenYelp},
	{"siren-hi-lo-doppler", 6, -14, sirenHiLo},
	{"whistle-melody", 6, -6, whistleMelody},
	{"whistle-calls", 4, -3, whistleCalls},
	{"whistle-duet-thirds", 5.5, -10, whistleDuet},
	{"sung-vowels-bass", 6, -6, sungVowelsBass},
	{"sung-vowels-soprano", 6, -3, sungVowelsSoprano},
	{"sung-melody-tenor", 5.5, -10, sungMelodyTenor},
	{"sung-melody-child", 5, -14, sungMelodyChild},
	{"choir-satb", 6, -6, choir},
}

// Clips synthesises every clip at sampleRate samples per second, in a
// fixed order. The result is the same on every call; see the package
// documentation for what each clip models. It panics if sampleRate is
// below [MinSampleRate].
func Clips(sampleRate int) []Clip {
	if sampleRate < MinSampleRate {
		panic("talkoff: sample rate below 8000 Hz")
	}
	clips := make([]Clip, len(specs))
	for i, sp := range specs {
		s := newSynth(sampleRate, sp.seconds, seed(sp.name))
		sp.render(s)
		clips[i] = Clip{Name: sp.name, PCM: quantise(s.out, sp.peak)}
	}
	return clips
}

// seed derives a clip's random seed from its name, so adding or
// reordering clips leaves the others unchanged.
func seed(name string) uint64 {
	h := fnv.New64a()
	h.Write([]byte(name)) // never returns an error
	return h.Sum64()
}

// quantise scales x so that its peak is peakDB dBFS (0 dBFS being a peak
// of 32767), then rounds and clamps each sample to int16. Clamping, never
// wrapping, guards against a peak that rounding pushes past full scale.
func quantise(x []float64, peakDB float64) []int16 {
	var m float64
	for _, v := range x {
		m = max(m, math.Abs(v))
	}
	g := 0.0
	if m > 0 {
		g = 32767 * math.Pow(10, peakDB/20) / m
	}
	pcm := make([]int16, len(x))
	for i, v := range x {
		pcm[i] = int16(min(max(math.Round(v*g), -32768), 32767))
	}
	return pcm
}
