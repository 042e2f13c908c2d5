package corpus

import (
	"archive/zip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Options configures [Build].
type Options struct {
	// CacheDir is the folder the corpus is fetched and converted into.
	// Empty means DefaultCacheDir().
	CacheDir string
	// Manifest is the manifest file's path. Build reads it, and with
	// WriteManifest writes it.
	Manifest string
	// Jobs is how many files are converted at once. Zero means
	// runtime.NumCPU().
	Jobs int
	// WriteManifest makes Build take the files the selection rules of
	// [Packages] pick rather than those the manifest lists, and write the
	// manifest from them: package versions pinned by the manifest stay
	// (the others are apt's candidate versions), and so do the halves of
	// the files it lists.
	WriteManifest bool
	// Log receives a line for each step (download, unpack, progress), and
	// with Verbose for each file converted. Nil means none.
	Log     io.Writer
	Verbose bool
	// Tools names apt-get, dpkg and dpkg-deb.
	Tools Tools
	// Packages is the selection WriteManifest uses; nil means Packages().
	Packages []Package
}

// A Summary describes the corpus Build left in the cache.
type Summary struct {
	CacheDir string
	Entries  []Entry
	// Checked is the number of source files checked against the manifest
	// (or, with WriteManifest, selected), and Converted how many of them
	// were converted this time.
	Checked, Converted int
	// Wrote is the manifest file written (WriteManifest only).
	Wrote string
	// Left lists the files the selection rules picked but the manifest
	// leaves out (WriteManifest only), with why.
	Left []LeftOut
	// WAVBytes is the size of the WAV files at each of Rates.
	WAVBytes [len(Rates)]int64
	Elapsed  time.Duration
}

// A LeftOut is a selected file that is not in the corpus.
type LeftOut struct {
	Package, Path string
	Why           error
}

// Build fetches the packages of the manifest (with apt-get download, into
// CacheDir/debs), unpacks them (dpkg -x, into CacheDir/src/PACKAGE),
// checks every source file's SHA256 against the manifest and converts
// each to 16-bit mono WAV at 8000 and 16000 Hz ([Entry.WAVPath]). Steps
// already done are skipped: packages unpacked at the right version, WAV
// files present. It stops at the first error; source files that do not
// match the manifest are all listed in one error.
func Build(ctx context.Context, opts Options) (*Summary, error) {
	start := time.Now()
	if opts.CacheDir == "" {
		opts.CacheDir = DefaultCacheDir()
	}
	if opts.Jobs <= 0 {
		opts.Jobs = runtime.NumCPU()
	}
	logw := opts.Log
	if logw == nil {
		logw = io.Discard
	}
	b := &builder{
		opts:  opts,
		log:   &syncWriter{w: logw},
		fetch: fetcher{cache: opts.CacheDir, tools: opts.Tools.withDefaults()},
	}
	b.fetch.log = b.log

	previous, err := LoadManifest(opts.Manifest)
	switch {
	case opts.WriteManifest && errors.Is(err, fs.ErrNotExist):
		previous = nil // the first manifest
	case errors.Is(err, fs.ErrNotExist):
		return nil, fmt.Errorf("corpus: no manifest at %s (make one with -write-manifest)", opts.Manifest)
	case err != nil:
		return nil, err
	}

	var entries []Entry
	if opts.WriteManifest {
		entries, err = b.selectFiles(ctx, previous)
	} else {
		entries, err = b.fetchAll(ctx, previous)
	}
	if err != nil {
		return nil, err
	}
	if err := b.prepareWAVDirs(entries); err != nil {
		return nil, err
	}
	results, err := b.convertAll(ctx, entries, previous)
	if err != nil {
		return nil, err
	}

	s := &Summary{CacheDir: opts.CacheDir, Checked: len(entries)}
	var kept []Entry
	var problems []string
	for i, r := range results {
		e := entries[i]
		switch {
		case r.problem != nil:
			problems = append(problems, fmt.Sprintf("%s %s: %v", e.Package, e.Path, r.problem))
		case r.left != nil:
			s.Left = append(s.Left, LeftOut{e.Package, e.Path, r.left})
		default:
			e.SHA256, e.Seconds = r.sha256, roundSeconds(r.seconds)
			kept = append(kept, e)
		}
		if r.converted {
			s.Converted++
		}
	}
	if len(problems) > 0 {
		const most = 10
		msg := strings.Join(problems[:min(most, len(problems))], "; ")
		if len(problems) > most {
			msg += fmt.Sprintf("; and %d more", len(problems)-most)
		}
		return nil, fmt.Errorf("corpus: %d of %d source files do not match the manifest %s: %s", len(problems), len(entries), opts.Manifest, msg)
	}
	if opts.WriteManifest {
		kept = AssignHalves(kept, previous)
		if err := writeManifest(opts.Manifest, kept); err != nil {
			return nil, err
		}
		s.Wrote = opts.Manifest
	}
	s.Entries = kept
	for i, rate := range Rates {
		s.WAVBytes[i] = dirSize(filepath.Join(opts.CacheDir, strconv.Itoa(rate)))
	}
	s.Elapsed = time.Since(start)
	return s, nil
}

type builder struct {
	opts  Options
	log   *syncWriter
	fetch fetcher
}

// fetchAll fetches and unpacks the packages entries name, at their
// versions.
func (b *builder) fetchAll(ctx context.Context, entries []Entry) ([]Entry, error) {
	done := map[string]bool{}
	for _, e := range entries {
		if done[e.Package] {
			continue
		}
		done[e.Package] = true
		if _, err := b.fetch.fetch(ctx, e.Package, e.Version); err != nil {
			return nil, err
		}
	}
	return entries, nil
}

// selectFiles fetches the packages of Options.Packages, at the versions previous
// pins or else the candidate versions, and returns the files their rules
// select, with Package, Version, Path and Kind set.
func (b *builder) selectFiles(ctx context.Context, previous []Entry) ([]Entry, error) {
	pinned := map[string]string{}
	for _, e := range previous {
		pinned[e.Package] = e.Version
	}
	packages := b.opts.Packages
	if packages == nil {
		packages = Packages()
	}
	var entries []Entry
	for _, p := range packages {
		version, err := b.fetch.fetch(ctx, p.Name, pinned[p.Name])
		if err != nil {
			return nil, err
		}
		files, err := scan(filepath.Join(b.opts.CacheDir, "src", p.Name), p)
		if err != nil {
			return nil, fmt.Errorf("corpus: %s %s: %w", p.Name, version, err)
		}
		for _, f := range files {
			entries = append(entries, Entry{Package: p.Name, Version: version, Path: f.path, Kind: f.kind})
		}
	}
	return entries, nil
}

type selected struct{ path, kind string }

// scan returns the files of the package unpacked in dir that p's rules
// select, each by the first rule that matches it, sorted by path. Symbolic
// links are not followed (none of the packages has one to audio). Every
// rule must select something.
func scan(dir string, p Package) ([]selected, error) {
	var files []selected
	hits := make([]int, len(p.Rules))
	take := func(name string, archive string) {
		for i, r := range p.Rules {
			if r.Archive == archive && matchGlob(r.Glob, name) {
				if archive != "" {
					name = archive + ":" + name
				}
				files = append(files, selected{name, r.Kind})
				hits[i]++
				return
			}
		}
	}
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || !d.Type().IsRegular() {
			return err
		}
		rel, err := filepath.Rel(dir, path)
		if err != nil {
			return err
		}
		take(filepath.ToSlash(rel), "")
		return nil
	})
	if err != nil {
		return nil, err
	}
	var archives []string
	for _, r := range p.Rules {
		if r.Archive != "" && !slices.Contains(archives, r.Archive) {
			archives = append(archives, r.Archive)
		}
	}
	for _, a := range archives {
		z, err := zip.OpenReader(filepath.Join(dir, filepath.FromSlash(a)))
		if err != nil {
			return nil, err
		}
		for _, f := range z.File {
			if !f.FileInfo().IsDir() {
				take(f.Name, a)
			}
		}
		z.Close()
	}
	for i, r := range p.Rules {
		if hits[i] == 0 {
			return nil, fmt.Errorf("no file matches %q%s", r.Glob, inArchive(r.Archive))
		}
	}
	slices.SortFunc(files, func(a, b selected) int { return strings.Compare(a.path, b.path) })
	return files, nil
}

func inArchive(a string) string {
	if a == "" {
		return ""
	}
	return " in " + a
}

// wavStamp is the stamp of a folder of converted files.
func wavStamp(pkg, version string, rate int) string {
	return fmt.Sprintf("converted %s %s to %d Hz, converter %s\n", pkg, version, rate, converterVersion)
}

// prepareWAVDirs empties each package's folder of WAV files converted from
// another version of the package, or by another converter, and stamps it.
func (b *builder) prepareWAVDirs(entries []Entry) error {
	done := map[string]bool{}
	for _, e := range entries {
		if done[e.Package] {
			continue
		}
		done[e.Package] = true
		for _, rate := range Rates {
			dir := filepath.Join(b.opts.CacheDir, strconv.Itoa(rate), e.Package)
			stamp := wavStamp(e.Package, e.Version, rate)
			if readStamp(dir) == stamp {
				continue
			}
			if err := os.RemoveAll(dir); err != nil {
				return fmt.Errorf("corpus: %w", err)
			}
			if err := os.MkdirAll(dir, 0o755); err != nil {
				return fmt.Errorf("corpus: %w", err)
			}
			if err := writeStamp(dir, stamp); err != nil {
				return fmt.Errorf("corpus: %w", err)
			}
		}
	}
	return nil
}

// A result is what became of one entry.
type result struct {
	sha256    string
	seconds   float64
	converted bool
	problem   error // the source does not match the manifest
	left      error // WriteManifest: why the file is left out
}

// convertAll checks and converts entries with a pool of Jobs goroutines,
// which have all returned when it does. With WriteManifest, previous
// supplies the durations of files converted already.
func (b *builder) convertAll(ctx context.Context, entries, previous []Entry) ([]result, error) {
	known := map[string]float64{} // seconds by package, path and SHA256
	for _, e := range previous {
		known[e.key()+"\x00"+e.SHA256] = e.Seconds
	}
	results := make([]result, len(entries))
	var done atomic.Int64
	tenth := max(len(entries)/10, 1)
	fmt.Fprintf(b.log, "corpus: checking %d source files, converting those not converted yet, %d at a time\n", len(entries), b.opts.Jobs)
	err := runPool(ctx, b.opts.Jobs, len(entries), func(ctx context.Context, c *converter, i int) error {
		r, err := b.process(ctx, c, entries[i], known)
		if err != nil {
			return fmt.Errorf("corpus: %s %s: %w", entries[i].Package, entries[i].Path, err)
		}
		results[i] = r
		if r.converted && b.opts.Verbose {
			fmt.Fprintf(b.log, "corpus: converted %s %s (%.2f s)\n", entries[i].Package, entries[i].Path, r.seconds)
		}
		if n := done.Add(1); n%int64(tenth) == 0 || n == int64(len(entries)) {
			fmt.Fprintf(b.log, "corpus: %d of %d files done\n", n, len(entries))
		}
		return nil
	})
	return results, err
}

// process checks one entry's source file and converts it if needed.
func (b *builder) process(ctx context.Context, c *converter, e Entry, known map[string]float64) (result, error) {
	src, err := readSource(filepath.Join(b.opts.CacheDir, "src", e.Package), e.Path)
	if errors.Is(err, fs.ErrNotExist) {
		return result{problem: fmt.Errorf("missing from %s %s", e.Package, e.Version)}, nil
	}
	if err != nil {
		return result{}, err
	}
	sum := sha256.Sum256(src)
	r := result{sha256: hex.EncodeToString(sum[:])}
	if !b.opts.WriteManifest && r.sha256 != e.SHA256 {
		r.problem = fmt.Errorf("sha256 %s, the manifest has %s", r.sha256, e.SHA256)
		return r, nil
	}
	var wavs [len(Rates)]string
	have := true
	for i, rate := range Rates {
		wavs[i] = e.WAVPath(b.opts.CacheDir, rate)
		if _, err := os.Stat(wavs[i]); err != nil {
			have = false
		}
	}
	if have {
		if !b.opts.WriteManifest {
			r.seconds = e.Seconds
			return r, nil
		}
		if s, ok := known[e.key()+"\x00"+r.sha256]; ok {
			r.seconds = s
			return r, nil
		}
	}
	r.seconds, err = c.convert(ctx, src, wavs, MinSeconds)
	if err != nil {
		return result{}, err
	}
	if r.seconds < MinSeconds {
		if !b.opts.WriteManifest {
			return result{}, fmt.Errorf("decodes to %.3f s, but the manifest has %.2f s", r.seconds, e.Seconds)
		}
		r.left = describeShort(r.seconds)
		return r, nil
	}
	r.converted = true
	if !b.opts.WriteManifest && math.Abs(roundSeconds(r.seconds)-e.Seconds) > 0.006 {
		return result{}, fmt.Errorf("decodes to %.2f s, but the manifest has %.2f s", r.seconds, e.Seconds)
	}
	return r, nil
}

// readSource returns the bytes of the file at path (as in Entry.Path) in
// the package unpacked in dir.
func readSource(dir, path string) ([]byte, error) {
	file, member, inArchive := strings.Cut(path, ":")
	name := filepath.Join(dir, filepath.FromSlash(file))
	if !inArchive {
		return os.ReadFile(name)
	}
	z, err := zip.OpenReader(name)
	if err != nil {
		return nil, err
	}
	defer z.Close()
	f, err := z.Open(member)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return io.ReadAll(f) // zip checks the member's CRC-32 at its end
}

// runPool calls work(ctx, c, i) for i in [0, n) on jobs goroutines, each
// with its own converter. The first error cancels the rest and is
// returned, as is ctx's if it ends first; every goroutine has returned
// when runPool does.
func runPool(ctx context.Context, jobs, n int, work func(context.Context, *converter, int) error) error {
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	next := make(chan int)
	var wg sync.WaitGroup
	for range min(jobs, n) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var c converter
			for i := range next {
				if ctx.Err() != nil {
					continue // drain: the feeder is stopping
				}
				if err := work(ctx, &c, i); err != nil {
					cancel(err)
				}
			}
		}()
	}
feed:
	for i := range n {
		select {
		case next <- i:
		case <-ctx.Done():
			break feed
		}
	}
	close(next)
	wg.Wait()
	if ctx.Err() != nil {
		return context.Cause(ctx)
	}
	return nil
}

// writeManifest writes entries to path, through a temporary file renamed
// into place.
func writeManifest(path string, entries []Entry) error {
	b, err := MarshalManifest(entries)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return fmt.Errorf("corpus: %w", err)
	}
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, b, 0o644); err != nil {
		return fmt.Errorf("corpus: %w", err)
	}
	if err := os.Rename(tmp, path); err != nil {
		return fmt.Errorf("corpus: %w", err)
	}
	return nil
}

// dirSize returns the total size of the regular files below dir.
func dirSize(dir string) int64 {
	var n int64
	filepath.WalkDir(dir, func(_ string, d fs.DirEntry, err error) error {
		if err == nil && d.Type().IsRegular() {
			if info, err := d.Info(); err == nil {
				n += info.Size()
			}
		}
		return nil
	})
	return n
}

// syncWriter serialises writes from the pool's goroutines.
type syncWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (s *syncWriter) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.w.Write(p)
}
