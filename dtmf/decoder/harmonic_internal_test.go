package decoder

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestStandsOut: a harmonic probe refuses a partial that is a peak, even
// with other partials beside it, but not a band that speech-like noise
// fills evenly around the probe.
func TestStandsOut(t *testing.T) {
	const rate, n, probe = 8000.0, 160, 1850.0
	bin := rate / n
	sine := func(x []float64, f, a float64) {
		for i := range x {
			x[i] += a * math.Sin(2*math.Pi*f*float64(i)/rate+0.3)
		}
	}
	cases := []struct {
		name     string
		partials map[float64]float64 // frequency: amplitude
		noise    float64             // white noise, RMS
		want     bool
	}{
		{"a partial in faint noise", map[float64]float64{probe: 1}, 0.01, true},
		{"a partial among a chord's others, 100 and 150 Hz off", map[float64]float64{probe: 1, probe - 2*bin: 1, probe + 3*bin: 0.8}, 0.01, true},
		{"noise alone", nil, 1, false},
		{"a partial as strong as the noise around it", map[float64]float64{probe: 0.1}, 1, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			rng := rand.New(rand.NewPCG(1, 2))
			x := make([]float64, n)
			for i := range x {
				x[i] = c.noise * rng.NormFloat64()
			}
			for f, a := range c.partials {
				sine(x, f, a)
			}
			he, ho, hePrev, hoPrev, hk := hannPairStart(n)
			for i := 0; i+1 < n; i += 2 {
				x[i] *= 0.5 - 0.5*he
				x[i+1] *= 0.5 - 0.5*ho
				he, hePrev = hk*he-hePrev, he
				ho, hoPrev = hk*ho-hoPrev, ho
			}
			var pow [1]float64
			powers(x, []float64{probe}, rate, pow[:])
			assert.Equal(t, c.want, standsOut(x, probe, pow[0], bin, rate))
		})
	}
}
