// Command perfprobe decodes a fixed signal once, for instruction counting
// with valgrind --tool=callgrind, which is repeatable on a loaded machine
// where timings are not.
//
//	go build -o /tmp/perfprobe ./internal/cmd/perfprobe
//	valgrind --tool=callgrind /tmp/perfprobe -signal dtmf -rate 8000
package main

import (
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"syscall"
	"time"

	"github.com/dtmfkit/dtmfkit/dtmf"
	"github.com/dtmfkit/dtmfkit/dtmf/decoder"
	"github.com/dtmfkit/dtmfkit/dtmf/encoder"
	"github.com/dtmfkit/dtmfkit/internal/dtmftest"
	"github.com/dtmfkit/dtmfkit/internal/talkoff"
)

func main() {
	signal := flag.String("signal", "dtmf", "dtmf, silence, noise, speech or music")
	corpus := flag.String("corpus", "testdata/talkoff", "directory of the speech corpus")
	rate := flag.Int("rate", 8000, "sample rate")
	secs := flag.Int("seconds", 60, "length of the signal")
	decode := flag.Bool("decode", true, "decode the signal (false: only build it, for the baseline)")
	repeat := flag.Int("repeat", 1, "decode the signal this many times, reporting CPU time per sample")
	flag.Parse()
	r := dtmf.SampleRate(*rate)
	var pcm []int16
	switch *signal {
	case "dtmf":
		e, err := encoder.New(encoder.Config{SampleRate: r, Tone: 50 * time.Millisecond, Gap: 55 * time.Millisecond, Ramp: encoder.NoRamp})
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		rng := rand.New(rand.NewPCG(1, 1))
		keys := make([]byte, *secs*1000/105)
		for i := range keys {
			keys[i] = "123A456B789C*0#D"[rng.IntN(16)]
		}
		pcm, _ = e.Append(nil, string(keys))
	case "silence":
		pcm = make([]int16, *secs**rate)
	case "speech", "music":
		var clips []talkoff.Clip
		if *signal == "music" {
			clips = talkoff.Clips(*rate)
		} else {
			var err error
			if clips, err = talkoff.Speech(*corpus, *rate); err != nil {
				fmt.Fprintln(os.Stderr, err)
				os.Exit(1)
			}
		}
		for len(pcm) < *secs**rate {
			for _, c := range clips {
				pcm = append(pcm, c.PCM...)
			}
		}
		pcm = pcm[:*secs**rate]
	case "noise":
		sig := dtmftest.NewSignal(r, int64(*secs**rate))
		sig.AddNoise(rand.New(rand.NewPCG(2, 2)), dtmftest.RMS(-20))
		pcm = sig.Int16()
	}
	if !*decode {
		fmt.Println(len(pcm), "samples built")
		return
	}
	d, err := decoder.New(decoder.Config{SampleRate: r})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	chunk := *rate / 50
	var ev []dtmf.Event
	keys := 0
	start := cpuTime()
	for range *repeat {
		d.Reset()
		keys = 0
		for i := 0; i+chunk <= len(pcm); i += chunk {
			ev = d.Decode(ev[:0], pcm[i:i+chunk])
			for _, e := range ev {
				if e.Kind == dtmf.KeyUp {
					keys++
				}
			}
		}
	}
	used := cpuTime() - start
	n := float64(len(pcm)) * float64(*repeat)
	fmt.Printf("%d samples, %d keys; %.2f ns/sample of CPU time, %.3g samples/s, %.0f calls per core\n",
		len(pcm), keys, float64(used.Nanoseconds())/n, n/used.Seconds(), n/used.Seconds()/float64(*rate))
}

// cpuTime returns the process's user and system CPU time so far: on a
// machine busy with other work it measures the decoder where wall time
// would not.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
