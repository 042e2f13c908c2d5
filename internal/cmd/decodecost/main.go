// Command decodecost decodes WAV files, joined, with dtmf/decoder in 20 ms chunks
// and prints what it cost per sample. It uses nothing of dtmfkit but the
// decoder's API as it has stood since issue 5 (New, Decode, Reset) and
// audio/wavio's reader, so that bench/receiver-cost.sh can build this one
// file against two versions of the tree and compare their receivers.
//
//	decodecost -min-time 300ms speech.wav   (CPU time per sample)
//	decodecost -repeat 1 speech.wav         (one pass, for callgrind)
//	decodecost -decode=false speech.wav     (reading alone: callgrind's baseline)
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"syscall"
	"time"

	"github.com/dtmfkit/dtmfkit/audio/wavio"
	"github.com/dtmfkit/dtmfkit/dtmf"
	"github.com/dtmfkit/dtmfkit/dtmf/decoder"
)

func main() {
	if err := run(os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "decodecost:", err)
		os.Exit(1)
	}
}

func run(args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("decodecost", flag.ContinueOnError)
	repeat := fs.Int("repeat", 0, "decode the file this many times (0: until -min-time of CPU time is spent)")
	minTime := fs.Duration("min-time", 300*time.Millisecond, "with -repeat 0, the CPU time to spend decoding")
	decode := fs.Bool("decode", true, "decode (false: only read the file, callgrind's baseline)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		return errors.New("usage: decodecost [flags] FILE.wav...")
	}
	var pcm []int16
	rate := 0
	for _, name := range fs.Args() {
		x, r, err := readWAV(name)
		if err != nil {
			return err
		}
		if rate != 0 && r != rate {
			return fmt.Errorf("%s: %d Hz where %s is %d Hz: the files must share a rate", name, r, fs.Arg(0), rate)
		}
		pcm, rate = append(pcm, x...), r
	}
	if !*decode {
		fmt.Fprintf(stdout, "%d samples read\n", len(pcm))
		return nil
	}
	d, err := decoder.New(decoder.Config{SampleRate: dtmf.SampleRate(rate)})
	if err != nil {
		return err
	}
	chunk := rate / 50
	if len(pcm) < chunk {
		return fmt.Errorf("%d samples: shorter than one 20 ms chunk", len(pcm))
	}
	events := make([]dtmf.Event, 0, 4096)
	passes := 0
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
	keys := 0
	for _, e := range events {
		if e.Kind == dtmf.KeyDown {
			keys++
		}
	}
	n := float64(len(pcm)/chunk*chunk) * float64(passes)
	fmt.Fprintf(stdout, "%d samples at %d Hz, %d passes, %d keys, %.3f ns/sample\n", len(pcm), rate, passes, keys, float64(used.Nanoseconds())/n)
	return nil
}

// readWAV returns the whole of a WAV file as 16-bit samples, and its rate.
func readWAV(name string) ([]int16, int, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, 0, err
	}
	defer f.Close()
	r, err := wavio.NewReader(f, wavio.ReaderConfig{})
	if err != nil {
		return nil, 0, fmt.Errorf("%s: %w", name, err)
	}
	var pcm []int16
	buf := make([]int16, 4096)
	for {
		n, err := r.Read(buf)
		pcm = append(pcm, buf[:n]...)
		if errors.Is(err, io.EOF) {
			return pcm, r.SampleRate(), nil
		}
		if err != nil {
			return nil, 0, fmt.Errorf("%s: %w", name, err)
		}
	}
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
