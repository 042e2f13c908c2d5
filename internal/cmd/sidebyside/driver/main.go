// Command driver decodes audio with dtmf/decoder in 20 ms chunks and
// prints its CPU cost per sample: a raw 16-bit little-endian PCM file at
// -rate, or WAV files (joined; their rate). It imports nothing of dtmfkit
// but the decoder's API as it has stood since issue 5 (New, Decode, Reset)
// and audio/wavio's reader, so that sidebyside and bench/receiver-cost.sh
// can build this one file against two versions of the tree and compare
// them.
//
//	driver -rate 8000 -min-time 300ms speech.raw
//	driver -rate 8000 -repeat 1 speech.raw      (for callgrind)
//	driver -rate 8000 -decode=false speech.raw  (callgrind's baseline)
//	driver -repeat 1 a.wav b.wav                (WAV, joined)
package main

import (
	"encoding/binary"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"syscall"
	"time"

	"github.com/dtmfkit/dtmfkit/audio/wavio"
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
	rate := fs.Int("rate", 8000, "the raw file's sample rate (WAV files give theirs)")
	repeat := fs.Int("repeat", 0, "decode the file this many times (0: until min-time of CPU time is spent)")
	minTime := fs.Duration("min-time", 300*time.Millisecond, "with -repeat 0, the CPU time to spend decoding")
	decode := fs.Bool("decode", true, "decode (false: only read the file, callgrind's baseline)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		return errors.New("usage: driver [flags] FILE.raw | FILE.wav...")
	}
	pcm, err := readAll(fs.Args(), rate)
	if err != nil {
		return err
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

// readAll returns the samples of the files: WAV files (by their name)
// joined, setting *rate to theirs, which they must share; else one raw
// 16-bit little-endian file at *rate.
func readAll(names []string, rate *int) ([]int16, error) {
	if !strings.HasSuffix(strings.ToLower(names[0]), ".wav") {
		if len(names) != 1 {
			return nil, errors.New("one raw file at a time")
		}
		b, err := os.ReadFile(names[0])
		if err != nil {
			return nil, err
		}
		if len(b)%2 != 0 {
			return nil, fmt.Errorf("%s: odd byte count %d: not 16-bit PCM", names[0], len(b))
		}
		pcm := make([]int16, len(b)/2)
		for i := range pcm {
			pcm[i] = int16(binary.LittleEndian.Uint16(b[2*i:]))
		}
		return pcm, nil
	}
	var pcm []int16
	for i, name := range names {
		x, r, err := readWAV(name)
		if err != nil {
			return nil, err
		}
		if i > 0 && r != *rate {
			return nil, fmt.Errorf("%s: %d Hz where %s is %d Hz: the files must share a rate", name, r, names[0], *rate)
		}
		pcm, *rate = append(pcm, x...), r
	}
	return pcm, nil
}

// readWAV returns the whole of a WAV file as 16-bit samples, and its rate.
// (Its own loop over wavio.Reader: the driver must build against older
// trees, which have no helper it could share.)
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
