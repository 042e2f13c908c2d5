package talkoff_test

import (
	"fmt"
	"math"

	"github.com/dtmfkit/dtmfkit/internal/talkoff"
)

func ExampleClips() {
	const rate = 8000
	for _, c := range talkoff.Clips(rate) {
		var peak float64
		for _, v := range c.PCM {
			peak = max(peak, math.Abs(float64(v)))
		}
		fmt.Printf("%-22s %.1f s %4.0f dBFS\n", c.Name, float64(len(c.PCM))/rate, 20*math.Log10(peak/32767))
	}
	// Output:
	// organ-pipe-fmaj7-c7    4.0 s   -6 dBFS
	// organ-rotary-ii-v-i    4.0 s   -3 dBFS
	// pad-sawtooth-c7-fsharp 5.0 s  -10 dBFS
	// chip-pulse-arpeggios   4.0 s  -14 dBFS
	// clarinet-duet          5.0 s   -6 dBFS
	// flute-and-piano        5.0 s  -10 dBFS
	// piano-arpeggios-pedal  5.0 s   -3 dBFS
	// bells-rounds           5.5 s   -6 dBFS
	// band-groove            6.0 s   -3 dBFS
	// drum-fill              4.5 s   -1 dBFS
	// noise-bursts           5.0 s  -20 dBFS
	// sweep-sine-log         4.0 s   -6 dBFS
	// sweep-harmonic         5.0 s  -10 dBFS
	// siren-wail             6.0 s   -1 dBFS
	// siren-yelp             4.0 s   -6 dBFS
	// siren-hi-lo-doppler    6.0 s  -14 dBFS
	// whistle-melody         6.0 s   -6 dBFS
	// whistle-calls          4.0 s   -3 dBFS
	// whistle-duet-thirds    5.5 s  -10 dBFS
	// sung-vowels-bass       6.0 s   -6 dBFS
	// sung-vowels-soprano    6.0 s   -3 dBFS
	// sung-melody-tenor      5.5 s  -10 dBFS
	// sung-melody-child      5.0 s  -14 dBFS
	// choir-satb             6.0 s   -6 dBFS
}
