// Command driver decodes a raw 16-bit little-endian PCM file with
// dtmf/decoder in 20 ms chunks and prints its CPU cost per sample. It
// imports nothing of dtmfkit but the decoder's API as it has stood since
// issue 5 (New, Decode, Reset), so that sidebyside can build this one file
// against two versions of the tree and compare them.
//
//	driver -rate 8000 -min-time 300ms speech.raw
//	driver -rate 8000 -repeat 1 speech.raw      (for callgrind)
//	driver -rate 8000 -decode=false speech.raw  (callgrind's baseline)
package main

import (
	"encoding/binary"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"syscall"
	"time"

	"github.com/dtmfkit/dtmfkit/dtmf"
	"github.com/dtmfkit/dtmfkit/dtmf/decoder"
)

func main() {
	if err := run(os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "driver:", err)
		os.Exit(1)
	}
}

func run(args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("driver", flag.ContinueOnError)
	rate := fs.Int("rate", 8000, "the file's sample rate")
	repeat := fs.Int("repeat", 0, "decode the file this many times (0: until min-time of CPU time is spent)")
	minTime := fs.Duration("min-time", 300*time.Millisecond, "with -repeat 0, the CPU time to spend decoding")
	decode := fs.Bool("decode", true, "decode (false: only read the file, callgrind's baseline)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return errors.New("usage: driver [flags] FILE.raw")
	}
	b, err := os.ReadFile(fs.Arg(0))
	if err != nil {
		return err
	}
	if len(b)%2 != 0 {
		return fmt.Errorf("%s: odd byte count %d: not 16-bit PCM", fs.Arg(0), len(b))
	}
	pcm := make([]int16, len(b)/2)
	for i := range pcm {
		pcm[i] = int16(binary.LittleEndian.Uint16(b[2*i:]))
	}
	if !*decode {
		fmt.Fprintf(stdout, "%d samples read\n", len(pcm))
		return nil
	}
	d, err := decoder.New(decoder.Config{SampleRate: dtmf.SampleRate(*rate)})
	if err != nil {
		return err
	}
	chunk := *rate / 50
	events := make([]dtmf.Event, 0, 4096)
	keys, passes := 0, 0
	start := cpuTime()
	for *repeat == 0 && cpuTime()-start < *minTime || passes < *repeat {
		events = events[:0]
		for i := 0; i+chunk <= len(pcm); i += chunk {
			events = d.Decode(events, pcm[i:i+chunk])
		}
		d.Reset()
		passes++
	}
	used := cpuTime() - start
	for _, e := range events {
		if e.Kind == dtmf.KeyDown {
			keys++
		}
	}
	n := float64(len(pcm)/chunk*chunk) * float64(passes)
	fmt.Fprintf(stdout, "%d samples, %d passes, %d keys, %.3f ns/sample\n", len(pcm), passes, keys, float64(used.Nanoseconds())/n)
	return nil
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
