package resample_test

import (
	"fmt"
	"log"
	"math"

	"github.com/dtmfkit/dtmfkit/audio/resample"
)

// Resample a second of a 1 kHz tone from 44100 Hz to 8000 Hz, in chunks,
// and a 5 kHz tone, which an 8000 Hz stream cannot hold.
func Example() {
	for _, freq := range []float64{1000, 5000} {
		r, err := resample.New(resample.Config{InRate: 44100, OutRate: 8000})
		if err != nil {
			log.Fatal(err)
		}
		var out []float64
		chunk := make([]float64, 441)
		for n := 0; n < 44100; n += len(chunk) {
			for i := range chunk {
				chunk[i] = 0.5 * math.Sin(2*math.Pi*freq*float64(n+i)/44100)
			}
			out = r.Process(out, chunk)
		}
		out = r.Flush(out)

		peak := 0.0
		for _, v := range out[400 : len(out)-400] {
			peak = max(peak, math.Abs(v))
		}
		fmt.Printf("%.0f Hz: %d samples, peak %.4f\n", freq, len(out), peak)
	}
	// Output:
	// 1000 Hz: 8000 samples, peak 0.5000
	// 5000 Hz: 8000 samples, peak 0.0000
}
