package corpus

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// Tools names the Debian tools the corpus is fetched with; empty fields
// mean the commands of those names on $PATH. They are looked up only when
// something must be fetched or unpacked.
type Tools struct {
	AptGet   string // apt-get, to download a package
	AptCache string // apt-cache, to find a package's candidate version
	Dpkg     string // dpkg, to unpack one (dpkg -x: nothing is installed)
	DpkgDeb  string // dpkg-deb, to read a package's name and version
}

func (t Tools) withDefaults() Tools {
	if t.AptGet == "" {
		t.AptGet = "apt-get"
	}
	if t.AptCache == "" {
		t.AptCache = "apt-cache"
	}
	if t.Dpkg == "" {
		t.Dpkg = "dpkg"
	}
	if t.DpkgDeb == "" {
		t.DpkgDeb = "dpkg-deb"
	}
	return t
}

// stampFile marks a completed step inside the folder it describes.
const stampFile = ".dtmfkit-corpus"

// readStamp returns the stamp in dir, or "" if there is none.
func readStamp(dir string) string {
	b, err := os.ReadFile(filepath.Join(dir, stampFile))
	if err != nil {
		return ""
	}
	return string(b)
}

func writeStamp(dir, stamp string) error {
	return os.WriteFile(filepath.Join(dir, stampFile), []byte(stamp), 0o644)
}

// srcStamp is the stamp of a package unpacked by dpkg -x.
func srcStamp(pkg, version string) string {
	return fmt.Sprintf("unpacked %s %s\n", pkg, version)
}

// A fetcher downloads and unpacks packages into a cache folder.
type fetcher struct {
	cache string
	tools Tools
	log   io.Writer // apt-get's and dpkg's output, and what is done; never nil
}

// unpacked returns the folder package pkg at version is unpacked in, if it
// is there already.
func (f *fetcher) unpacked(pkg, version string) (string, bool) {
	dir := filepath.Join(f.cache, "src", pkg)
	return dir, version != "" && readStamp(dir) == srcStamp(pkg, version)
}

// fetch makes sure package pkg at version (the candidate version if
// version is "") is unpacked in cache/src/pkg, downloading it into
// cache/debs first if needed. It returns the version.
func (f *fetcher) fetch(ctx context.Context, pkg, version string) (string, error) {
	if version == "" {
		v, err := f.candidate(ctx, pkg)
		if err != nil {
			return "", err
		}
		version = v
	}
	if _, ok := f.unpacked(pkg, version); ok {
		return version, nil
	}
	deb, err := f.download(ctx, pkg, version)
	if err != nil {
		return "", err
	}
	return version, f.unpack(ctx, pkg, version, deb)
}

// candidate returns the version of pkg apt-get would download, from
// apt-cache policy.
func (f *fetcher) candidate(ctx context.Context, pkg string) (string, error) {
	tool, err := exec.LookPath(f.tools.AptCache)
	if err != nil {
		return "", fmt.Errorf("corpus: cannot find the version of %s to fetch: %s not found (the corpus needs apt-get and dpkg, as on Debian or Ubuntu)", pkg, f.tools.AptCache)
	}
	var stderr bytes.Buffer
	cmd := exec.CommandContext(ctx, tool, "policy", pkg)
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		if ctx.Err() != nil {
			return "", ctx.Err()
		}
		return "", fmt.Errorf("corpus: apt-cache policy %s failed: %s", pkg, aptError(stderr.String(), err))
	}
	for line := range strings.SplitSeq(string(out), "\n") {
		if v, ok := strings.CutPrefix(strings.TrimSpace(line), "Candidate:"); ok {
			if v = strings.TrimSpace(v); v != "" && v != "(none)" {
				return v, nil
			}
		}
	}
	return "", fmt.Errorf("corpus: apt-cache policy %s: no candidate version (is %s in the archive? try apt-get update)", pkg, pkg)
}

// debName is the file a package is kept in, named as apt-get names it.
func debName(pkg, version string) string {
	return pkg + "_" + strings.ReplaceAll(version, ":", "%3a") + ".deb"
}

// download returns the .deb of pkg at version in cache/debs, calling
// apt-get download if it is not there.
func (f *fetcher) download(ctx context.Context, pkg, version string) (string, error) {
	debs := filepath.Join(f.cache, "debs")
	deb := filepath.Join(debs, debName(pkg, version))
	if _, err := os.Stat(deb); err == nil {
		return deb, nil
	}
	want := pkg + "=" + version
	apt, err := exec.LookPath(f.tools.AptGet)
	if err != nil {
		return "", fmt.Errorf("corpus: cannot fetch %s: %s not found (the corpus needs apt-get and dpkg, as on Debian or Ubuntu)", want, f.tools.AptGet)
	}
	if err := os.MkdirAll(debs, 0o755); err != nil {
		return "", fmt.Errorf("corpus: %w", err)
	}
	tmp, err := os.MkdirTemp(debs, ".download-")
	if err != nil {
		return "", fmt.Errorf("corpus: %w", err)
	}
	defer os.RemoveAll(tmp)

	fmt.Fprintf(f.log, "corpus: apt-get download %s\n", want)
	var out bytes.Buffer
	cmd := exec.CommandContext(ctx, apt, "download", "-q", want)
	cmd.Dir = tmp
	cmd.Stdout = &out
	cmd.Stderr = &out
	if err := cmd.Run(); err != nil {
		if ctx.Err() != nil {
			return "", ctx.Err()
		}
		return "", fmt.Errorf("corpus: apt-get download %s failed: %s (is %s still in the archive? try apt-get update; "+
			"to take the archive's version, delete %s's lines from the manifest and run with -write-manifest)",
			want, aptError(out.String(), err), want, pkg)
	}
	found, err := filepath.Glob(filepath.Join(tmp, "*.deb"))
	if err != nil || len(found) != 1 {
		return "", fmt.Errorf("corpus: apt-get download %s left %d .deb files, want 1: %s", want, len(found), lastLine(out.String()))
	}
	name, got, err := f.debInfo(ctx, found[0])
	if err != nil {
		return "", err
	}
	if name != pkg || got != version {
		return "", fmt.Errorf("corpus: apt-get download %s gave %s %s", want, name, got)
	}
	if err := os.Rename(found[0], deb); err != nil {
		return "", fmt.Errorf("corpus: %w", err)
	}
	return deb, nil
}

// debInfo returns the package name and version in a .deb's control file.
func (f *fetcher) debInfo(ctx context.Context, deb string) (name, version string, err error) {
	tool, err := exec.LookPath(f.tools.DpkgDeb)
	if err != nil {
		return "", "", fmt.Errorf("corpus: cannot read %s: %s not found", filepath.Base(deb), f.tools.DpkgDeb)
	}
	var stderr bytes.Buffer
	cmd := exec.CommandContext(ctx, tool, "-f", deb, "Package", "Version")
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return "", "", fmt.Errorf("corpus: dpkg-deb -f %s: %s", filepath.Base(deb), aptError(stderr.String(), err))
	}
	for line := range strings.SplitSeq(string(out), "\n") {
		k, v, _ := strings.Cut(line, ":")
		switch k {
		case "Package":
			name = strings.TrimSpace(v)
		case "Version":
			version = strings.TrimSpace(v)
		}
	}
	if name == "" || version == "" {
		return "", "", fmt.Errorf("corpus: %s has no Package or Version field", filepath.Base(deb))
	}
	return name, version, nil
}

// unpack extracts deb with dpkg -x into cache/src/pkg, replacing what was
// there once the extraction is complete.
func (f *fetcher) unpack(ctx context.Context, pkg, version, deb string) error {
	tool, err := exec.LookPath(f.tools.Dpkg)
	if err != nil {
		return fmt.Errorf("corpus: cannot unpack %s %s: %s not found (the corpus needs apt-get and dpkg, as on Debian or Ubuntu)", pkg, version, f.tools.Dpkg)
	}
	src := filepath.Join(f.cache, "src")
	if err := os.MkdirAll(src, 0o755); err != nil {
		return fmt.Errorf("corpus: %w", err)
	}
	tmp, err := os.MkdirTemp(src, "."+pkg+".unpack-")
	if err != nil {
		return fmt.Errorf("corpus: %w", err)
	}
	defer os.RemoveAll(tmp) // gone after the rename, unless something failed

	fmt.Fprintf(f.log, "corpus: dpkg -x %s\n", filepath.Base(deb))
	var out bytes.Buffer
	cmd := exec.CommandContext(ctx, tool, "-x", deb, tmp)
	cmd.Stdout = &out
	cmd.Stderr = &out
	if err := cmd.Run(); err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		return fmt.Errorf("corpus: dpkg -x %s failed: %s", filepath.Base(deb), aptError(out.String(), err))
	}
	if err := writeStamp(tmp, srcStamp(pkg, version)); err != nil {
		return fmt.Errorf("corpus: %w", err)
	}
	dir := filepath.Join(src, pkg)
	if err := os.RemoveAll(dir); err != nil {
		return fmt.Errorf("corpus: %w", err)
	}
	if err := os.Rename(tmp, dir); err != nil {
		return fmt.Errorf("corpus: %w", err)
	}
	return nil
}

// aptError picks the error lines ("E: ...", "dpkg-deb: error: ...") out of
// a tool's output, else its last line, else the exit status.
func aptError(out string, err error) string {
	var msgs []string
	for line := range strings.SplitSeq(out, "\n") {
		line = strings.TrimSpace(line)
		if strings.HasPrefix(line, "E: ") || strings.Contains(line, "error:") {
			msgs = append(msgs, line)
		}
	}
	if len(msgs) > 0 {
		return strings.Join(msgs, "; ")
	}
	if l := lastLine(out); l != "" {
		return l
	}
	var exit *exec.ExitError
	if errors.As(err, &exit) {
		return exit.String()
	}
	return err.Error()
}

func lastLine(s string) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	return strings.TrimSpace(lines[len(lines)-1])
}
