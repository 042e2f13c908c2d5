package goertzel_test

import (
	"fmt"
	"math"

	"github.com/dtmfkit/dtmfkit/dsp/goertzel"
)

func ExamplePower() {
	// 20 ms of a 1000 Hz sine of amplitude 1000 at 8 kHz.
	x := make([]float64, 160)
	for i := range x {
		x[i] = 1000 * math.Sin(2*math.Pi*1000*float64(i)/8000)
	}
	fmt.Printf("at 1000 Hz: %.1f\n", math.Sqrt(2*goertzel.Power(x, 1000, 8000)))
	fmt.Printf("at 1500 Hz: %.1f\n", math.Sqrt(2*goertzel.Power(x, 1500, 8000)))
	// Output:
	// at 1000 Hz: 1000.0
	// at 1500 Hz: 0.0
}

func ExampleFilter_Power() {
	// A filter fed in 20-sample pieces: the row tone of key "5" (770 Hz)
	// at amplitude 5000, sampled at 16 kHz.
	f := goertzel.New(770, 16000)
	piece := make([]float64, 20)
	for start := 0; start < 640; start += len(piece) {
		for i := range piece {
			piece[i] = 5000 * math.Sin(2*math.Pi*770*float64(start+i)/16000)
		}
		f.Update(piece)
	}
	// 40 ms is not a whole number of half periods of 770 Hz, so the
	// reading is within 1/(N·sin ω) of 5000 rather than exact.
	fmt.Printf("%d samples, amplitude %.0f\n", f.Len(), f.Amplitude())
	// Output:
	// 640 samples, amplitude 5000
}
