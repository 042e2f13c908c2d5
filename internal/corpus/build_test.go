package corpus

import (
	"archive/zip"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/dtmfkit/dtmfkit/internal/dtmftest"
)

const testPackage, testVersion = "game-data", "1:2.0-1"

// The files of the test package: path in the package, fixture.
var testFiles = map[string]string{
	"usr/share/game/sound/en/hello.ogg":   "stereo-44100.ogg",
	"usr/share/game/sound/en/chain.ogg":   "chained-22050.ogg",
	"usr/share/game/sound/en/click.ogg":   "short-8000.ogg",
	"usr/share/game/sound/en/nothing.ogg": "empty.ogg",
	"usr/share/game/music/theme.ogg":      "mono-22050.ogg",
}

var testRules = []Package{{Name: testPackage, Rules: []Rule{
	{Kind: KindSpeech, Glob: "usr/share/game/sound/**/*.ogg"},
	{Kind: KindMusic, Glob: "usr/share/game/music/*.ogg"},
	{Kind: KindMusic, Archive: "usr/share/game/data.pk3", Glob: "sound/cdtracks/*.ogg"},
}}}

// makeTree writes the test package's files below root.
func makeTree(t *testing.T, root string) {
	t.Helper()
	for path, fixture := range testFiles {
		p := filepath.Join(root, filepath.FromSlash(path))
		require.NoError(t, os.MkdirAll(filepath.Dir(p), 0o755))
		require.NoError(t, os.WriteFile(p, readFixture(t, fixture), 0o644))
	}
	var zb bytes.Buffer
	zw := zip.NewWriter(&zb)
	w, err := zw.Create("sound/cdtracks/track.ogg")
	require.NoError(t, err)
	_, err = w.Write(readFixture(t, "mono-22050.ogg"))
	require.NoError(t, err)
	require.NoError(t, zw.Close())
	require.NoError(t, os.WriteFile(filepath.Join(root, "usr/share/game/data.pk3"), zb.Bytes(), 0o644))
	doc := filepath.Join(root, "usr/share/doc", testPackage)
	require.NoError(t, os.MkdirAll(doc, 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(doc, "copyright"), []byte("test"), 0o644))
}

// unpackedCache returns a cache in which the test package is unpacked, as
// dpkg -x would leave it, so Build needs neither apt-get nor dpkg.
func unpackedCache(t *testing.T) string {
	t.Helper()
	cache := t.TempDir()
	src := filepath.Join(cache, "src", testPackage)
	makeTree(t, src)
	require.NoError(t, writeStamp(src, srcStamp(testPackage, testVersion)))
	return cache
}

func sha(t *testing.T, fixture string) string {
	t.Helper()
	s := sha256.Sum256(readFixture(t, fixture))
	return hex.EncodeToString(s[:])
}

// testManifest writes a manifest of the test package's files that the
// corpus keeps.
func testManifest(t *testing.T) (string, []Entry) {
	t.Helper()
	entries := []Entry{
		{testPackage, testVersion, "usr/share/game/sound/en/hello.ogg", KindSpeech, 0.5, sha(t, "stereo-44100.ogg"), HalfTune},
		{testPackage, testVersion, "usr/share/game/sound/en/chain.ogg", KindSpeech, 0.5, sha(t, "chained-22050.ogg"), HalfTest},
		{testPackage, testVersion, "usr/share/game/music/theme.ogg", KindMusic, 0.3, sha(t, "mono-22050.ogg"), HalfTune},
		{testPackage, testVersion, "usr/share/game/data.pk3:sound/cdtracks/track.ogg", KindMusic, 0.3, sha(t, "mono-22050.ogg"), HalfTest},
	}
	b, err := MarshalManifest(entries)
	require.NoError(t, err)
	path := filepath.Join(t.TempDir(), "manifest.json")
	require.NoError(t, os.WriteFile(path, b, 0o644))
	return path, entries
}

func TestBuild(t *testing.T) {
	dtmftest.CheckGoroutines(t)
	cache := unpackedCache(t)
	manifest, entries := testManifest(t)
	var log bytes.Buffer
	opts := Options{CacheDir: cache, Manifest: manifest, Jobs: 3, Log: &log, Verbose: true,
		Tools: Tools{AptGet: "/nonexistent/apt-get"}} // nothing to fetch
	s, err := Build(context.Background(), opts)
	require.NoError(t, err, log.String())
	assert.Equal(t, 4, s.Checked)
	assert.Equal(t, 4, s.Converted)
	for _, e := range entries {
		for _, rate := range Rates {
			x, got := readWAV(t, e.WAVPath(cache, rate))
			assert.Equal(t, rate, got)
			assert.Len(t, x, int(e.Seconds*float64(rate)+0.5), e.Path)
		}
	}
	assert.Contains(t, log.String(), "corpus: converted game-data usr/share/game/music/theme.ogg (0.30 s)")
	assert.Contains(t, log.String(), "corpus: 4 of 4 files done")

	var out bytes.Buffer
	require.NoError(t, s.Print(&out))
	assert.Contains(t, out.String(), "corpus: 1 packages, 4 files in "+cache+": 4 checked against the manifest, 4 converted")
	assert.Contains(t, out.String(), "speech: 2 files, 0.00 h (tune 0.00 h, test 0.00 h)")
	assert.Regexp(t, `game-data\s+speech\s+2\s+0\.0\s+0\.0\s+0\.0`, out.String())
	assert.Contains(t, out.String(), "8000 Hz: 4 WAV files")

	// Again: everything is there, nothing is converted.
	s, err = Build(context.Background(), opts)
	require.NoError(t, err)
	assert.Equal(t, 4, s.Checked)
	assert.Zero(t, s.Converted)

	// A WAV file removed is made again, and only it.
	require.NoError(t, os.Remove(entries[1].WAVPath(cache, 16000)))
	s, err = Build(context.Background(), opts)
	require.NoError(t, err)
	assert.Equal(t, 1, s.Converted)
}

// Source files that differ from the manifest, or are missing, are listed
// in one error.
func TestBuildMismatch(t *testing.T) {
	cache := unpackedCache(t)
	manifest, entries := testManifest(t)
	src := filepath.Join(cache, "src", testPackage)
	require.NoError(t, os.WriteFile(filepath.Join(src, "usr/share/game/sound/en/hello.ogg"), readFixture(t, "mono-22050.ogg"), 0o644))
	require.NoError(t, os.Remove(filepath.Join(src, "usr/share/game/music/theme.ogg")))

	_, err := Build(context.Background(), Options{CacheDir: cache, Manifest: manifest, Jobs: 2})
	require.Error(t, err)
	msg := err.Error()
	assert.Contains(t, msg, "corpus: 2 of 4 source files do not match the manifest "+manifest+": ")
	assert.Contains(t, msg, "game-data usr/share/game/sound/en/hello.ogg: sha256 "+sha(t, "mono-22050.ogg")+", the manifest has "+entries[0].SHA256)
	assert.Contains(t, msg, "game-data usr/share/game/music/theme.ogg: missing from game-data 1:2.0-1")
	assert.NotContains(t, msg, "\n")
}

// A manifest whose duration the file does not decode to is an error.
func TestBuildDuration(t *testing.T) {
	cache := unpackedCache(t)
	_, entries := testManifest(t)
	entries[0].Seconds = 0.6
	b, err := MarshalManifest(entries)
	require.NoError(t, err)
	manifest := filepath.Join(t.TempDir(), "m.json")
	require.NoError(t, os.WriteFile(manifest, b, 0o644))
	_, err = Build(context.Background(), Options{CacheDir: cache, Manifest: manifest})
	assert.ErrorContains(t, err, "corpus: game-data usr/share/game/sound/en/hello.ogg: decodes to 0.50 s, but the manifest has 0.60 s")
}

func TestBuildNoManifest(t *testing.T) {
	path := filepath.Join(t.TempDir(), "manifest.json")
	_, err := Build(context.Background(), Options{CacheDir: t.TempDir(), Manifest: path})
	assert.EqualError(t, err, "corpus: no manifest at "+path+" (make one with -write-manifest)")
}

// Without apt-get, fetching fails with one line naming the package and
// version.
func TestBuildNoAptGet(t *testing.T) {
	manifest, _ := testManifest(t)
	_, err := Build(context.Background(), Options{CacheDir: t.TempDir(), Manifest: manifest,
		Tools: Tools{AptGet: "/nonexistent/apt-get"}})
	assert.EqualError(t, err, "corpus: cannot fetch game-data=1:2.0-1: /nonexistent/apt-get not found (the corpus needs apt-get and dpkg, as on Debian or Ubuntu)")
}

// fakeApt writes an apt-get that "downloads" deb for the test package at
// its version and fails as apt-get does for any other version, and an
// apt-cache whose candidate for it is that version. Both log their
// arguments to calls.
func fakeApt(t *testing.T, deb, calls string) (aptGet, aptCache string) {
	t.Helper()
	dir := t.TempDir()
	aptGet, aptCache = filepath.Join(dir, "apt-get"), filepath.Join(dir, "apt-cache")
	get := fmt.Sprintf(`#!/bin/sh
echo apt-get "$@" >> %q
[ "$1" = download ] && [ "$2" = -q ] || exit 1
case "$3" in
%s=%s) cp %q ./%s ;;
*) echo "W: Download is performed unsandboxed as root" >&2
   echo "E: Version '${3#*=}' for '${3%%%%=*}' was not found" >&2; exit 100 ;;
esac
`, calls, testPackage, testVersion, deb, debName(testPackage, testVersion))
	cache := fmt.Sprintf(`#!/bin/sh
echo apt-cache "$@" >> %q
[ "$1" = policy ] && [ "$2" = %s ] || exit 0
printf '%s:\n  Installed: (none)\n  Candidate: %s\n'
`, calls, testPackage, testPackage, testVersion)
	require.NoError(t, os.WriteFile(aptGet, []byte(get), 0o755))
	require.NoError(t, os.WriteFile(aptCache, []byte(cache), 0o755))
	return aptGet, aptCache
}

// The whole path, with dpkg-deb building a real package and a fake
// apt-get serving it: -write-manifest on an empty cache, a normal run,
// a run after the unpacked files are lost, and a version apt-get lacks.
func TestBuildFetch(t *testing.T) {
	for _, tool := range []string{"dpkg", "dpkg-deb"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("%s not found: %v", tool, err)
		}
	}
	dtmftest.CheckGoroutines(t)
	root := t.TempDir()
	makeTree(t, root)
	require.NoError(t, os.MkdirAll(filepath.Join(root, "DEBIAN"), 0o755))
	control := fmt.Sprintf("Package: %s\nVersion: %s\nArchitecture: all\nMaintainer: dtmfkit <dtmfkit@example.org>\nDescription: corpus test package\n", testPackage, testVersion)
	require.NoError(t, os.WriteFile(filepath.Join(root, "DEBIAN", "control"), []byte(control), 0o644))
	deb := filepath.Join(t.TempDir(), "game.deb")
	out, err := exec.Command("dpkg-deb", "--root-owner-group", "--build", root, deb).CombinedOutput()
	require.NoError(t, err, string(out))

	calls := filepath.Join(t.TempDir(), "calls")
	cache := filepath.Join(t.TempDir(), "cache")
	manifest := filepath.Join(t.TempDir(), "testdata", "manifest.json")
	aptGet, aptCache := fakeApt(t, deb, calls)
	opts := Options{CacheDir: cache, Manifest: manifest, WriteManifest: true, Jobs: 2,
		Tools: Tools{AptGet: aptGet, AptCache: aptCache}, Packages: testRules}
	s, err := Build(context.Background(), opts)
	require.NoError(t, err)
	assert.Len(t, s.Entries, 4)
	require.Len(t, s.Left, 2)
	assert.Equal(t, "usr/share/game/sound/en/click.ogg", s.Left[0].Path)
	assert.EqualError(t, s.Left[0].Why, "0.100 s long, under the 0.2 s kept")
	assert.Equal(t, "usr/share/game/sound/en/nothing.ogg", s.Left[1].Path)
	assert.EqualError(t, s.Left[1].Why, "no audio")

	written, err := LoadManifest(manifest)
	require.NoError(t, err)
	require.Len(t, written, 4)
	halves := map[string]string{}
	for _, e := range written {
		assert.Equal(t, testVersion, e.Version, "the candidate version")
		halves[path.Base(e.Path)] = e.Half
	}
	assert.NotEqual(t, halves["hello.ogg"], halves["chain.ogg"], "speech: one file in each half")
	assert.Equal(t, halves["theme.ogg"], halves["track.ogg"], "music: the same bytes, so the same half")
	assert.Equal(t, "usr/share/game/data.pk3:sound/cdtracks/track.ogg", written[0].Path)
	assert.Equal(t, KindMusic, written[0].Kind)
	assert.InDelta(t, 0.3, written[0].Seconds, 1e-9)
	b, err := os.ReadFile(calls)
	require.NoError(t, err)
	assert.Equal(t, "apt-cache policy game-data\napt-get download -q game-data=1:2.0-1\n", string(b), "no version pinned yet: the candidate")

	// -write-manifest again: the same manifest, nothing converted, the
	// version pinned, no download (the package is unpacked).
	first, err := os.ReadFile(manifest)
	require.NoError(t, err)
	s, err = Build(context.Background(), opts)
	require.NoError(t, err)
	assert.Zero(t, s.Converted)
	again, err := os.ReadFile(manifest)
	require.NoError(t, err)
	assert.Equal(t, string(first), string(again))

	// Without the unpacked files: unpacked again from the kept .deb,
	// without apt-get.
	require.NoError(t, os.RemoveAll(filepath.Join(cache, "src")))
	opts.WriteManifest = false
	opts.Tools.AptGet = "/nonexistent/apt-get"
	s, err = Build(context.Background(), opts)
	require.NoError(t, err)
	assert.Equal(t, 4, s.Checked)
	assert.Zero(t, s.Converted)
	b, err = os.ReadFile(calls)
	require.NoError(t, err)
	assert.Equal(t, 1, strings.Count(string(b), "download"), "apt-get download ran once")

	// A version the archive no longer has.
	written[0].Version = "1:2.0-2"
	for i := range written {
		written[i].Version = "1:2.0-2"
	}
	mb, err := MarshalManifest(written)
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(manifest, mb, 0o644))
	opts.Tools.AptGet = aptGet
	_, err = Build(context.Background(), opts)
	require.Error(t, err)
	assert.Equal(t, "corpus: apt-get download game-data=1:2.0-2 failed: E: Version '1:2.0-2' for 'game-data' was not found "+
		"(is game-data=1:2.0-2 still in the archive? try apt-get update; to take the archive's version, "+
		"delete game-data's lines from the manifest and run with -write-manifest)", err.Error())

	// No candidate: the package is not in the archive (or apt-get update
	// was never run).
	opts.WriteManifest = true
	opts.Packages = []Package{{Name: "other-data", Rules: testRules[0].Rules}}
	_, err = Build(context.Background(), opts)
	assert.EqualError(t, err, "corpus: apt-cache policy other-data: no candidate version (is other-data in the archive? try apt-get update)")
	left, err := filepath.Glob(filepath.Join(cache, "debs", ".download-*"))
	require.NoError(t, err)
	assert.Empty(t, left, "the download folder is removed")
}

// runPool runs every job once, stops at the first error and at the end of
// its context, and leaves no goroutine behind.
func TestRunPool(t *testing.T) {
	dtmftest.CheckGoroutines(t)
	var n atomic.Int64
	err := runPool(context.Background(), 3, 100, func(_ context.Context, c *converter, i int) error {
		assert.NotNil(t, c)
		n.Add(1)
		return nil
	})
	require.NoError(t, err)
	assert.EqualValues(t, 100, n.Load())

	boom := errors.New("boom")
	n.Store(0)
	err = runPool(context.Background(), 2, 10000, func(ctx context.Context, _ *converter, i int) error {
		n.Add(1)
		if i == 5 {
			return boom
		}
		return nil
	})
	require.ErrorIs(t, err, boom)
	assert.Less(t, n.Load(), int64(10000), "the rest is not started")

	ctx, cancel := context.WithCancel(context.Background())
	err = runPool(ctx, 2, 10000, func(ctx context.Context, _ *converter, i int) error {
		if i == 3 {
			cancel()
		}
		return ctx.Err()
	})
	require.ErrorIs(t, err, context.Canceled)

	require.NoError(t, runPool(context.Background(), 4, 0, nil), "no jobs")
}

// scan picks the files the rules select, by the first rule that matches,
// in plain folders and in zip archives, and leaves the rest.
func TestScan(t *testing.T) {
	dir := t.TempDir()
	for _, f := range []string{
		"usr/share/game/sound/level1/en/hello.ogg",
		"usr/share/game/sound/level1/cs/ahoj.ogg",
		"usr/share/game/sound/share/click.ogg",
		"usr/share/game/music/theme.ogg",
		"usr/share/game/music/readme.txt",
		"usr/share/doc/game/copyright",
	} {
		p := filepath.Join(dir, filepath.FromSlash(f))
		require.NoError(t, os.MkdirAll(filepath.Dir(p), 0o755))
		require.NoError(t, os.WriteFile(p, []byte(f), 0o644))
	}
	require.NoError(t, os.Symlink("theme.ogg", filepath.Join(dir, "usr/share/game/music/link.ogg")))
	zf, err := os.Create(filepath.Join(dir, "usr/share/game/data.pk3"))
	require.NoError(t, err)
	zw := zip.NewWriter(zf)
	for _, name := range []string{"sound/cdtracks/", "sound/cdtracks/a.ogg", "sound/cdtracks/b.ogg", "sound/misc/c.ogg"} {
		w, err := zw.Create(name)
		require.NoError(t, err)
		if !strings.HasSuffix(name, "/") {
			_, err = w.Write([]byte(name))
			require.NoError(t, err)
		}
	}
	require.NoError(t, zw.Close())
	require.NoError(t, zf.Close())

	p := Package{Name: "game-data", Rules: []Rule{
		{Kind: KindSpeech, Glob: "usr/share/game/sound/*/en/*.ogg"},
		{Kind: KindMusic, Glob: "usr/share/game/music/*.ogg"},
		{Kind: KindMusic, Glob: "**/*.ogg"}, // the first rule that matches wins
		{Kind: KindMusic, Archive: "usr/share/game/data.pk3", Glob: "sound/cdtracks/*.ogg"},
	}}
	got, err := scan(dir, p)
	require.NoError(t, err)
	assert.Equal(t, []selected{
		{"usr/share/game/data.pk3:sound/cdtracks/a.ogg", KindMusic},
		{"usr/share/game/data.pk3:sound/cdtracks/b.ogg", KindMusic},
		{"usr/share/game/music/theme.ogg", KindMusic},
		{"usr/share/game/sound/level1/cs/ahoj.ogg", KindMusic},
		{"usr/share/game/sound/level1/en/hello.ogg", KindSpeech},
		{"usr/share/game/sound/share/click.ogg", KindMusic},
	}, got, "no symbolic link, no directory, no other file")

	b, err := readSource(dir, "usr/share/game/data.pk3:sound/cdtracks/b.ogg")
	require.NoError(t, err)
	assert.Equal(t, "sound/cdtracks/b.ogg", string(b))
	_, err = readSource(dir, "usr/share/game/data.pk3:sound/cdtracks/x.ogg")
	assert.ErrorIs(t, err, os.ErrNotExist)
	_, err = readSource(dir, "usr/share/game/none.pk3:a.ogg")
	assert.ErrorIs(t, err, os.ErrNotExist)

	// A rule that selects nothing is an error: the package changed.
	p.Rules = append(p.Rules, Rule{Kind: KindSpeech, Glob: "usr/share/game/voices/*.ogg"})
	_, err = scan(dir, p)
	assert.ErrorContains(t, err, `no file matches "usr/share/game/voices/*.ogg"`)
}
