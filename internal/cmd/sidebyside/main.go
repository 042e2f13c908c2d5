// Command sidebyside measures dtmfkit's decoder against spandsp's dtmf_rx
// on the same raw audio, in paired runs on the same machine, and prints
// the ratio of their speeds (bench/README.md, issue 11).
//
// It writes two signals as raw 16-bit PCM under -dir: dense DTMF
// (spandsp's 60 s throughput signal, 571 keys of 50 ms with 55 ms gaps at
// −10 dBm0, repeated) and call-like audio (the talk-off corpus's speech,
// each clip followed by a 2 s pause, one key in every tenth pause). It
// builds the dtmfkit driver (./driver, 20 ms chunks) and, where
// libspandsp-dev is installed, the spandsp harness (./spandsp/build.sh,
// 160-sample chunks), then decodes each 8 kHz file with both, alternating
// which goes first, -runs times. Each figure is CPU time (getrusage) per
// sample; the table gives each decoder's median and the median of the
// paired ratios spandsp/dtmfkit, so that above 1 dtmfkit is faster. The
// same signals at 16 and 48 kHz give dtmfkit's cost per second of audio
// against its 8 kHz cost.
//
//	go run ./internal/cmd/sidebyside                   # an hour of each signal at 8 kHz
//	go run ./internal/cmd/sidebyside -minutes 10 -runs 3
//	go run ./internal/cmd/sidebyside -baseline main    # also the tree at main, paired
//	go run ./internal/cmd/sidebyside -callgrind 1      # and instruction counts, a minute each
package main

import (
	"bytes"
	"encoding/binary"
	"errors"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/dtmfkit/dtmfkit/dtmf"
	"github.com/dtmfkit/dtmfkit/dtmf/encoder"
	"github.com/dtmfkit/dtmfkit/internal/talkoff"
)

func main() {
	if err := run(os.Args[1:], os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "sidebyside:", err)
		os.Exit(1)
	}
}

// options are the command's flags.
type options struct {
	dir         string
	corpus      string
	minutes     int
	rateMinutes int
	runs        int
	rates       []int
	baseline    string
	count       int
}

func run(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("sidebyside", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var o options
	fs.StringVar(&o.dir, "dir", "out/sidebyside", "where the signals and the built harnesses go")
	fs.StringVar(&o.corpus, "corpus", "testdata/talkoff", "the speech corpus")
	fs.IntVar(&o.minutes, "minutes", 60, "length of each 8 kHz signal, minutes")
	fs.IntVar(&o.rateMinutes, "rate-minutes", 10, "length of each signal at the other rates, minutes (0: skip them)")
	fs.IntVar(&o.runs, "runs", 5, "paired runs per signal")
	rates := fs.String("rates", "16000,48000", "the other rates dtmfkit's cost is measured at")
	fs.StringVar(&o.baseline, "baseline", "", "a git revision whose decoder is measured too, paired (built from git archive)")
	fs.IntVar(&o.count, "callgrind", 0, "also count instructions (valgrind --tool=callgrind) on this many minutes of each signal (0: don't)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 0 || o.minutes < 1 || o.runs < 1 || o.rateMinutes < 0 {
		return errors.New("usage: sidebyside [-minutes N] [-rate-minutes N] [-runs N] [-rates R,...] [-baseline REV] [-callgrind MIN] [-dir DIR]")
	}
	for f := range strings.SplitSeq(*rates, ",") {
		if f == "" {
			continue
		}
		r, err := strconv.Atoi(f)
		if err != nil || r < 8000 {
			return fmt.Errorf("bad rate %q", f)
		}
		o.rates = append(o.rates, r)
	}
	if err := os.MkdirAll(o.dir, 0o755); err != nil {
		return err
	}

	// The harnesses.
	driver := filepath.Join(o.dir, "driver")
	if err := command(stderr, "go", "build", "-o", driver, "./internal/cmd/sidebyside/driver"); err != nil {
		return fmt.Errorf("building the dtmfkit driver: %w", err)
	}
	var base string
	if o.baseline != "" {
		var err error
		if base, err = buildBaseline(o, stderr); err != nil {
			return fmt.Errorf("building the baseline %s: %w", o.baseline, err)
		}
	}
	rx := filepath.Join(o.dir, "rxbench")
	if err := command(stderr, "sh", "internal/cmd/sidebyside/spandsp/build.sh", rx); err != nil {
		fmt.Fprintln(stdout, "spandsp: not measured: the harness did not build (apt-get install libspandsp-dev)")
		rx = ""
	}

	fmt.Fprintf(stdout, "8 kHz, %d min of each signal: CPU time per sample (getrusage), medians of %d paired runs;\nratio = spandsp / dtmfkit (above 1: dtmfkit faster)\n", o.minutes, o.runs)
	w := tabwriter.NewWriter(stdout, 2, 8, 2, ' ', tabwriter.AlignRight)
	head := "signal\tdtmfkit ns/sample\tkeys\t"
	if rx != "" {
		head += "spandsp ns/sample\tkeys\tratio\t"
	}
	if base != "" {
		head += o.baseline + " ns/sample\tspeed-up\t"
	}
	fmt.Fprintln(w, head)
	for _, name := range []string{"dense", "call"} {
		file, err := writeSignal(o, name, 8000, o.minutes)
		if err != nil {
			return err
		}
		tools := []harness{{name: "dtmfkit", argv: []string{driver, "-repeat", "1", "-rate", "8000", file}}}
		if rx != "" {
			tools = append(tools, harness{name: "spandsp", argv: []string{rx, file, "1"}})
		}
		if base != "" {
			tools = append(tools, harness{name: "baseline", argv: []string{base, "-repeat", "1", "-rate", "8000", file}})
		}
		res, err := paired(tools, o.runs)
		if err != nil {
			return err
		}
		ours := res[0]
		row := fmt.Sprintf("%s\t%.3f\t%d\t", name, ours.median(), ours.keys)
		i := 1
		if rx != "" {
			sp := res[i]
			row += fmt.Sprintf("%.3f\t%d\t%.2f ×\t", sp.median(), sp.keys, medianRatio(sp, ours))
			i++
		}
		if base != "" {
			b := res[i]
			row += fmt.Sprintf("%.3f\t%.2f ×\t", b.median(), medianRatio(b, ours))
		}
		fmt.Fprintln(w, row)
	}
	if err := w.Flush(); err != nil {
		return err
	}
	if o.rateMinutes > 0 && len(o.rates) > 0 {
		if err := rateCosts(o, driver, base, stdout); err != nil {
			return err
		}
	}
	if o.count > 0 {
		return counts(o, driver, rx, stdout)
	}
	return nil
}

// rateCosts prints dtmfkit's cost per second of audio at each rate
// against its cost at 8 kHz, on the same signals (o.rateMinutes long)
// decoded in one rotation: each run's ratio is taken against the 8 kHz run
// of the same round, and the median of those is shown.
func rateCosts(o options, driver, base string, stdout io.Writer) error {
	fmt.Fprintf(stdout, "\nthe rates, %d min of each signal: cost per second of audio against 8 kHz, medians of %d paired runs\n", o.rateMinutes, o.runs)
	w := tabwriter.NewWriter(stdout, 2, 8, 2, ' ', tabwriter.AlignRight)
	head := "signal\trate\tdtmfkit ns/sample\tµs per s of audio\tvs 8 kHz\t"
	if base != "" {
		head += o.baseline + " µs per s\tvs 8 kHz\t"
	}
	fmt.Fprintln(w, head)
	rates := append([]int{8000}, o.rates...)
	for _, name := range []string{"dense", "call"} {
		var tools []harness
		for _, rate := range rates {
			file, err := writeSignal(o, name, rate, o.rateMinutes)
			if err != nil {
				return err
			}
			r := strconv.Itoa(rate)
			tools = append(tools, harness{name: "dtmfkit", argv: []string{driver, "-repeat", "1", "-rate", r, file}})
			if base != "" {
				tools = append(tools, harness{name: "baseline", argv: []string{base, "-repeat", "1", "-rate", r, file}})
			}
		}
		res, err := paired(tools, o.runs)
		if err != nil {
			return err
		}
		per := 1
		if base != "" {
			per = 2
		}
		for j, rate := range rates {
			row := fmt.Sprintf("%s\t%d\t", name, rate)
			for t := range per {
				r, r8 := res[per*j+t], res[t]
				perSec := r.median() * float64(rate) / 1e3
				if t == 0 {
					row += fmt.Sprintf("%.3f\t", r.median())
				}
				row += fmt.Sprintf("%.1f\t%.2f ×\t", perSec, medianRatio(r, r8)*float64(rate)/8000)
			}
			fmt.Fprintln(w, row)
		}
	}
	return w.Flush()
}

// counts prints the instructions each decoder spends per sample, counted
// by callgrind (repeatable where timings on a shared machine are not):
// the count of a decoding run less that of a run that only reads the file.
func counts(o options, driver, rx string, stdout io.Writer) error {
	if _, err := exec.LookPath("valgrind"); err != nil {
		fmt.Fprintln(stdout, "instruction counts: not measured: valgrind is not installed")
		return nil
	}
	fmt.Fprintf(stdout, "\ninstructions per sample (callgrind, %d min of each signal); ratio = spandsp / dtmfkit\n", o.count)
	w := tabwriter.NewWriter(stdout, 2, 8, 2, ' ', tabwriter.AlignRight)
	head := "signal\trate\tdtmfkit\tper s of audio\tvs 8 kHz\t"
	if rx != "" {
		head += "spandsp\tratio\t"
	}
	fmt.Fprintln(w, head)
	for _, name := range []string{"dense", "call"} {
		var perSec8 float64
		for _, rate := range append([]int{8000}, o.rates...) {
			file, err := writeSignal(o, name, rate, o.count)
			if err != nil {
				return err
			}
			r := strconv.Itoa(rate)
			ours, err := instructions(file, []string{driver, "-repeat", "1", "-rate", r, file}, []string{driver, "-decode=false", "-rate", r, file})
			if err != nil {
				return err
			}
			perSec := ours * float64(rate)
			if rate == 8000 {
				perSec8 = perSec
			}
			row := fmt.Sprintf("%s\t%d\t%.1f\t%.3g\t%.2f ×\t", name, rate, ours, perSec, perSec/perSec8)
			if rx != "" && rate == 8000 {
				sp, err := instructions(file, []string{rx, file, "1"}, []string{rx, file, "0"})
				if err != nil {
					return err
				}
				row += fmt.Sprintf("%.1f\t%.2f ×\t", sp, sp/ours)
			}
			fmt.Fprintln(w, row)
		}
	}
	return w.Flush()
}

// instructions returns the instructions per sample of file (16-bit PCM at
// rate) that run costs beyond base.
func instructions(file string, run, base []string) (float64, error) {
	st, err := os.Stat(file)
	if err != nil {
		return 0, err
	}
	a, err := callgrind(run)
	if err != nil {
		return 0, err
	}
	b, err := callgrind(base)
	if err != nil {
		return 0, err
	}
	return float64(a-b) / float64(st.Size()/2), nil
}

// callgrind returns the instructions argv executes, as callgrind counts
// them. Go's asynchronous preemption is off (its signals upset callgrind),
// and GOMAXPROCS is 1: under valgrind, which runs one thread at a time,
// idle Ps spin in the scheduler, and a count could grow fourfold from one
// run to the next.
func callgrind(argv []string) (int64, error) {
	c := exec.Command("valgrind", append([]string{"--tool=callgrind", "--callgrind-out-file=/dev/null"}, argv...)...)
	c.Env = append(os.Environ(), "GODEBUG=asyncpreemptoff=1", "GOMAXPROCS=1")
	out, err := c.CombinedOutput()
	if err != nil {
		return 0, fmt.Errorf("valgrind %s: %w: %s", argv[0], err, out)
	}
	for line := range strings.Lines(string(out)) {
		if _, refs, ok := strings.Cut(line, "refs:"); ok {
			return strconv.ParseInt(strings.ReplaceAll(strings.TrimSpace(refs), ",", ""), 10, 64)
		}
	}
	return 0, fmt.Errorf("valgrind %s: no instruction count in %q", argv[0], out)
}

// harness is one decoder's command line.
type harness struct {
	name string
	argv []string
}

// result holds one harness's figures over the paired runs.
type result struct {
	nsPerSample []float64
	keys        int
}

func (r result) median() float64 { return median(r.nsPerSample) }

// medianRatio returns the median over the runs of a's cost over b's.
func medianRatio(a, b result) float64 {
	q := make([]float64, len(a.nsPerSample))
	for i := range q {
		q[i] = a.nsPerSample[i] / b.nsPerSample[i]
	}
	return median(q)
}

func median(x []float64) float64 {
	s := slices.Sorted(slices.Values(x))
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

// paired runs every harness runs times, in an order that rotates from run
// to run so that none is always first.
func paired(tools []harness, runs int) ([]result, error) {
	res := make([]result, len(tools))
	for r := range runs {
		for j := range tools {
			i := (j + r) % len(tools)
			out, err := exec.Command(tools[i].argv[0], tools[i].argv[1:]...).CombinedOutput()
			if err != nil {
				return nil, fmt.Errorf("%s: %w: %s", tools[i].name, err, out)
			}
			// "N samples, P passes, K keys, X ns/sample"
			var n, p, k int
			var ns float64
			if _, err := fmt.Sscanf(string(out), "%d samples, %d passes, %d keys, %g ns/sample", &n, &p, &k, &ns); err != nil {
				return nil, fmt.Errorf("%s: unexpected output %q: %w", tools[i].name, out, err)
			}
			res[i].nsPerSample = append(res[i].nsPerSample, ns)
			res[i].keys = k
		}
	}
	return res, nil
}

// signalVersion names the signals' generation in their file names, so that
// files written by an earlier version of this command are not reused.
const signalVersion = "v2"

// writeSignal writes the named signal at rate, minutes long, as raw 16-bit
// little-endian PCM under o.dir (unless it is there already) and returns
// its path.
func writeSignal(o options, name string, rate, minutes int) (string, error) {
	file := filepath.Join(o.dir, fmt.Sprintf("%s-%s-%d-%dmin.raw", name, signalVersion, rate, minutes))
	if st, err := os.Stat(file); err == nil && st.Size() == int64(2*60*minutes*rate) {
		return file, nil
	}
	var unit []int16
	var err error
	switch name {
	case "dense":
		unit, err = denseDTMF(rate)
	case "call":
		unit, err = callAudio(o.corpus, rate)
	}
	if err != nil {
		return "", err
	}
	n := 60 * minutes * rate
	b := make([]byte, 0, 2*n)
	for len(b) < 2*n {
		for _, v := range unit[:min(len(unit), n-len(b)/2)] {
			b = binary.LittleEndian.AppendUint16(b, uint16(v))
		}
	}
	return file, os.WriteFile(file, b, 0o644)
}

// denseDTMF is spandsp's throughput signal as bench/ builds it: a minute of
// 571 random keys, 50 ms on and 55 ms off, −10 dBm0 per tone, 3 ms ramps,
// with 55 ms of silence after the last.
func denseDTMF(rate int) ([]int16, error) {
	// The trailing 55 ms makes the minute repeat without two tones abutting.
	e, err := encoder.New(encoder.Config{SampleRate: dtmf.SampleRate(rate), Tone: 50 * time.Millisecond, Gap: 55 * time.Millisecond, Trail: 55 * time.Millisecond})
	if err != nil {
		return nil, err
	}
	rng := rand.New(rand.NewPCG(1, 1))
	keys := make([]byte, 571)
	for i := range keys {
		keys[i] = byte(dtmf.Digits[rng.IntN(len(dtmf.Digits))])
	}
	return e.Append(nil, string(keys))
}

// callAudio is the talk-off corpus's speech with a 2 s pause after each
// clip, and in every tenth pause a key (100 ms at −10 dBm0) in the middle:
// a call leg's talk, silence and the odd key.
func callAudio(corpus string, rate int) ([]int16, error) {
	clips, err := talkoff.Speech(corpus, rate)
	if err != nil {
		return nil, err
	}
	e, err := encoder.New(encoder.Config{SampleRate: dtmf.SampleRate(rate)})
	if err != nil {
		return nil, err
	}
	pause := 2 * rate
	var pcm []int16
	for i, c := range clips {
		pcm = append(pcm, c.PCM...)
		start := len(pcm)
		pcm = append(pcm, make([]int16, pause)...)
		if i%10 == 9 {
			key := string(dtmf.Digits[i%len(dtmf.Digits)])
			tone, err := e.Append(nil, key)
			if err != nil {
				return nil, err
			}
			copy(pcm[start+pause/2:], tone)
		}
	}
	return pcm, nil
}

// buildBaseline builds the driver against the tree at o.baseline (from git
// archive, in a temporary directory) and returns its path.
func buildBaseline(o options, stderr io.Writer) (string, error) {
	tmp, err := os.MkdirTemp("", "sidebyside-base")
	if err != nil {
		return "", err
	}
	defer os.RemoveAll(tmp)
	var tar bytes.Buffer
	archive := exec.Command("git", "archive", o.baseline)
	archive.Stdout, archive.Stderr = &tar, stderr
	if err := archive.Run(); err != nil {
		return "", err
	}
	untar := exec.Command("tar", "-x", "-C", tmp)
	untar.Stdin, untar.Stderr = &tar, stderr
	if err := untar.Run(); err != nil {
		return "", err
	}
	src, err := os.ReadFile("internal/cmd/sidebyside/driver/main.go")
	if err != nil {
		return "", err
	}
	dir := filepath.Join(tmp, "internal", "cmd", "sidebyside", "driver")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	if err := os.WriteFile(filepath.Join(dir, "main.go"), src, 0o644); err != nil {
		return "", err
	}
	out, err := filepath.Abs(filepath.Join(o.dir, "driver-baseline"))
	if err != nil {
		return "", err
	}
	build := exec.Command("go", "build", "-o", out, "./internal/cmd/sidebyside/driver")
	build.Dir, build.Stdout, build.Stderr = tmp, stderr, stderr
	return out, build.Run()
}

// command runs a command, its output to w.
func command(w io.Writer, name string, args ...string) error {
	c := exec.Command(name, args...)
	c.Stdout, c.Stderr = w, w
	return c.Run()
}
