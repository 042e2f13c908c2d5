// Command corpus builds the real-audio corpus of issue 9 (make corpus):
// it fetches the Debian packages testdata/corpus/manifest.json lists with
// apt-get download, unpacks them with dpkg -x, checks every source file's
// SHA256 against the manifest and converts each to 16-bit mono WAV at 8000
// and 16000 Hz in a cache folder outside git. Steps already done are
// skipped, so a second run takes seconds.
//
//	go run ./internal/cmd/corpus [-cache DIR] [-j N] [-v]
//	go run ./internal/cmd/corpus -write-manifest    rebuild the manifest
//
// -write-manifest takes the files the selection rules of package
// internal/corpus pick, converts them, and writes the manifest from them;
// the versions and halves the old manifest records are kept. The cache is
// $DTMFKIT_CORPUS, else $XDG_CACHE_HOME/dtmfkit/corpus, else
// ~/.cache/dtmfkit/corpus; testdata/corpus/README.md describes it.
//
// The summary goes to standard output, progress to standard error. Usage
// errors exit with status 2, other failures with status 1, each with a
// one-line message.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime"
	"strings"
	"syscall"

	"github.com/dtmfkit/dtmfkit/internal/corpus"
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
	msg := strings.ReplaceAll(err.Error(), "\n", " ")
	if !strings.HasPrefix(msg, "corpus: ") {
		msg = "corpus: " + msg
	}
	fmt.Fprintln(stderr, msg)
	if errors.As(err, new(usageError)) {
		return 2
	}
	return 1
}

// usageError is a mistake in the command line: status 2.
type usageError struct{ error }

// run is the command with its arguments and output streams.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("corpus", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var opts corpus.Options
	fs.StringVar(&opts.CacheDir, "cache", corpus.DefaultCacheDir(), "the cache `folder` the corpus is fetched and converted into")
	fs.StringVar(&opts.Manifest, "manifest", "testdata/corpus/manifest.json", "the manifest `file`")
	fs.IntVar(&opts.Jobs, "j", runtime.NumCPU(), "convert `N` files at once")
	fs.BoolVar(&opts.WriteManifest, "write-manifest", false, "select the files by the rules of internal/corpus and write the manifest")
	fs.BoolVar(&opts.Verbose, "v", false, "print each file converted")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil
		}
		return usageError{err}
	}
	switch {
	case fs.NArg() > 0:
		return usageError{fmt.Errorf("unexpected argument %q", fs.Arg(0))}
	case opts.Jobs < 1:
		return usageError{fmt.Errorf("-j %d: want 1 or more", opts.Jobs)}
	case opts.CacheDir == "":
		return usageError{errors.New("-cache: empty folder name")}
	}
	opts.Log = stderr
	s, err := corpus.Build(ctx, opts)
	if err != nil {
		return err
	}
	return s.Print(stdout)
}
