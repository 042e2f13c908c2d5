// Command talkoff measures the DTMF receiver on the real-audio corpus of
// issue 9 (make talkoff; README.md says how to read what it prints):
//
//   - talk-off: every corpus file decoded at 8 kHz, 16 kHz and 8 kHz μ-law,
//     one decoder per file, false keys per source and per hour, per half;
//   - talk-down: sequences of keys mixed under each half's speech at +6,
//     +3, 0, −3 and −7 dB, scored as keys found and exact sequences;
//   - the miss classes of issue 9: keys over loud talk, a radio encoder's
//     40/20 ms timing, hand-keyed 30-43 ms tones, clipped keys;
//   - with -compare, spandsp's dtmf_rx and multimon-ng on the same audio at
//     8 kHz, where they are installed.
//
// Usage:
//
//	go run ./internal/cmd/talkoff [-cache DIR] [-half tune|test|both] [-formats 8k,16k,ulaw]
//	    [-out DIR] [-compare] [-j N] [-check [-max-false N]]
//
// The tables go to standard output and to OUT/report.txt, every false key
// to OUT/falsekeys.txt (and OUT/falsekeys-RECEIVER.txt for the others),
// progress to standard error. With -check the command fails (status 1)
// when the test half has more than -max-false false keys in any format.
// A corpus not in the cache is an error that says to run make corpus.
// Usage errors exit with status 2.
package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"

	"github.com/dtmfkit/dtmfkit/internal/corpus"
	"github.com/dtmfkit/dtmfkit/internal/corpuseval"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(report(err, os.Stderr))
}

// report prints err as one line on stderr and returns the exit status.
func report(err error, stderr io.Writer) int {
	if err == nil {
		return 0
	}
	fmt.Fprintln(stderr, "talkoff: "+strings.ReplaceAll(err.Error(), "\n", " "))
	if errors.As(err, new(usageError)) {
		return 2
	}
	return 1
}

// usageError is a mistake in the command line: status 2.
type usageError struct{ error }

// config is the parsed command line.
type config struct {
	manifest, cache, out, spandspBuild string
	halves                             []string
	formats                            []corpuseval.Format
	compare, check                     bool
	maxFalse, jobs, worst              int
}

func parseArgs(args []string, stderr io.Writer) (*config, error) {
	fs := flag.NewFlagSet("talkoff", flag.ContinueOnError)
	fs.SetOutput(stderr)
	c := &config{}
	var half, formats string
	fs.StringVar(&c.cache, "cache", corpus.DefaultCacheDir(), "the `folder` make corpus converted the corpus into")
	fs.StringVar(&c.manifest, "manifest", "testdata/corpus/manifest.json", "the corpus manifest `file`")
	fs.StringVar(&half, "half", "both", "the `half` to measure: tune, test or both")
	fs.StringVar(&formats, "formats", "8k,16k,ulaw", "the `formats` to decode, comma-separated: 8k, 16k, ulaw (8 kHz through G.711 μ-law), or all")
	fs.StringVar(&c.out, "out", filepath.Join("out", "talkoff"), "the `folder` for report.txt and the lists of false keys")
	fs.BoolVar(&c.compare, "compare", false, "compare with spandsp's dtmf_rx and multimon-ng at 8 kHz, where installed")
	fs.StringVar(&c.spandspBuild, "spandsp-build", filepath.Join("internal", "cmd", "talkoff", "spandsp", "build.sh"), "the `script` that builds the spandsp harness")
	fs.IntVar(&c.jobs, "j", runtime.NumCPU(), "decode `N` files at once")
	fs.BoolVar(&c.check, "check", false, "fail (status 1) if the test half has more than -max-false false keys in any format")
	fs.IntVar(&c.maxFalse, "max-false", 0, "the most false keys -check accepts on the test half, per format (`N`)")
	fs.IntVar(&c.worst, "worst", 10, "list the keys of the `N` files with the most false keys")
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	switch half {
	case "both":
		c.halves = []string{corpus.HalfTune, corpus.HalfTest}
	case corpus.HalfTune, corpus.HalfTest:
		c.halves = []string{half}
	default:
		return nil, fmt.Errorf("-half %q: want tune, test or both", half)
	}
	var err error
	if c.formats, err = corpuseval.ParseFormats(formats); err != nil {
		return nil, fmt.Errorf("-formats: %w", err)
	}
	switch {
	case fs.NArg() > 0:
		return nil, fmt.Errorf("unexpected argument %q", fs.Arg(0))
	case c.jobs < 1:
		return nil, fmt.Errorf("-j %d: want 1 or more", c.jobs)
	case c.maxFalse < 0:
		return nil, fmt.Errorf("-max-false %d: want 0 or more", c.maxFalse)
	case c.worst < 0:
		return nil, fmt.Errorf("-worst %d: want 0 or more", c.worst)
	case c.check && half == corpus.HalfTune:
		return nil, errors.New("-check scores the test half: use -half test or both")
	}
	return c, nil
}

// run is the command with its arguments and output streams.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	c, err := parseArgs(args, stderr)
	if errors.Is(err, flag.ErrHelp) {
		return nil
	}
	if err != nil {
		return usageError{err}
	}
	entries, err := corpus.LoadManifest(c.manifest)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(c.out, 0o755); err != nil {
		return err
	}
	opts := corpuseval.Options{
		Entries: entries, CacheDir: c.cache, Halves: c.halves, Formats: c.formats,
		Jobs: c.jobs, Log: stderr,
	}
	if c.compare {
		opts.Compare = comparands(ctx, c, stderr)
	}
	rep, err := corpuseval.Run(ctx, opts)
	if err != nil {
		return err
	}

	var buf bytes.Buffer
	names := make([]string, len(c.formats))
	for i, f := range c.formats {
		names[i] = f.Label
	}
	fmt.Fprintf(&buf, "dtmfkit talkoff: receiver dtmf/decoder, default profile; corpus %s (%s); halves: %s; formats: %s\n\n",
		c.cache, c.manifest, strings.Join(c.halves, ", "), strings.Join(names, ", "))
	if err := rep.Print(&buf, c.worst); err != nil {
		return err
	}
	var verdict string
	var checkErr error
	if c.check {
		verdict, checkErr = rep.Check(c.maxFalse)
		if checkErr == nil {
			fmt.Fprintln(&buf, verdict)
		}
	}
	if _, err := stdout.Write(buf.Bytes()); err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(c.out, "report.txt"), buf.Bytes(), 0o666); err != nil {
		return err
	}
	var keys bytes.Buffer
	if err := rep.WriteFalseKeys(&keys); err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(c.out, "falsekeys.txt"), keys.Bytes(), 0o666); err != nil {
		return err
	}
	for _, cmp := range rep.Compare[min(1, len(rep.Compare)):] {
		keys.Reset()
		if ok, err := rep.WriteComparandFalseKeys(&keys, cmp.Receiver); err != nil || !ok {
			continue
		}
		if err := os.WriteFile(filepath.Join(c.out, "falsekeys-"+cmp.Receiver+".txt"), keys.Bytes(), 0o666); err != nil {
			return err
		}
	}
	fmt.Fprintf(stderr, "talkoff: tables in %s, every false key in %s\n",
		filepath.Join(c.out, "report.txt"), filepath.Join(c.out, "falsekeys*.txt"))
	return checkErr
}

// comparands returns spandsp (its harness built into the output folder)
// and multimon-ng, each with why it is unavailable if it is.
func comparands(ctx context.Context, c *config, stderr io.Writer) []corpuseval.Comparand {
	var out []corpuseval.Comparand
	sp, err := corpuseval.BuildSpandsp(ctx, c.spandspBuild, filepath.Join(c.out, "bin", "dtmfrx"))
	if err != nil {
		fmt.Fprintf(stderr, "talkoff: spandsp left out of the comparison: %v\n", err)
		out = append(out, corpuseval.Comparand{Name: "spandsp", Err: err})
	} else {
		out = append(out, corpuseval.Comparand{Name: "spandsp", Receiver: sp})
	}
	mm, err := corpuseval.FindMultimon()
	if err != nil {
		fmt.Fprintf(stderr, "talkoff: multimon-ng left out of the comparison: %v\n", err)
		out = append(out, corpuseval.Comparand{Name: "multimon-ng", Err: err})
	} else {
		out = append(out, corpuseval.Comparand{Name: "multimon-ng", Receiver: mm})
	}
	return out
}
