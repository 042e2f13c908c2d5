package encoder_test

import (
	"fmt"
	"time"

	"github.com/dtmfkit/dtmfkit/dtmf/encoder"
)

func ExampleEncoder_Append() {
	e, err := encoder.New(encoder.Config{SampleRate: 8000, Tone: 50 * time.Millisecond, Gap: 50 * time.Millisecond})
	if err != nil {
		fmt.Println(err)
		return
	}
	pcm, err := e.Append(nil, "159#")
	if err != nil {
		fmt.Println(err)
		return
	}
	// Four 400-sample tones with three 400-sample gaps.
	fmt.Println(len(pcm), "samples,", time.Duration(len(pcm))*time.Second/8000)
	// Output: 2800 samples, 350ms
}

func ExampleEncoder_Fill() {
	// Stream 20 ms frames of 320 samples at 16 kHz, the size Teams and ACS
	// media use, without holding the whole sequence in memory.
	e, err := encoder.New(encoder.Config{SampleRate: 16000})
	if err != nil {
		fmt.Println(err)
		return
	}
	if err := e.Start("0123456789"); err != nil {
		fmt.Println(err)
		return
	}
	frame := make([]int16, 320)
	frames := 0
	for {
		n := e.Fill(frame)
		if n == 0 {
			break
		}
		clear(frame[n:]) // pad the last frame with silence
		frames++
	}
	fmt.Println(frames, "frames")
	// Output: 95 frames
}
