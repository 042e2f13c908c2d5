package main

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/dtmfkit/dtmfkit/internal/corpuseval"
	"github.com/dtmfkit/dtmfkit/internal/dtmftest"
)

// talkoff runs the command as main does and returns its exit status and
// output.
func talkoff(t *testing.T, args ...string) (status int, stdout, stderr string) {
	t.Helper()
	var out, errOut strings.Builder
	err := run(context.Background(), args, &out, &errOut)
	status = report(err, &errOut)
	return status, out.String(), errOut.String()
}

// lastLine returns the last line of s.
func lastLine(s string) string {
	lines := strings.Split(strings.TrimSuffix(s, "\n"), "\n")
	return lines[len(lines)-1]
}

func TestUsageErrors(t *testing.T) {
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"-half", "all"}, `talkoff: -half "all": want tune, test or both`},
		{[]string{"-formats", "8k,alaw"}, `talkoff: -formats: unknown format "alaw": want 8k, 16k, ulaw or all`},
		{[]string{"-j", "0"}, "talkoff: -j 0: want 1 or more"},
		{[]string{"-max-false", "-1"}, "talkoff: -max-false -1: want 0 or more"},
		{[]string{"-worst", "-2"}, "talkoff: -worst -2: want 0 or more"},
		{[]string{"-check", "-half", "tune"}, "talkoff: -check scores the test half: use -half test or both"},
		{[]string{"extra"}, `talkoff: unexpected argument "extra"`},
		{[]string{"-bogus"}, "talkoff: flag provided but not defined: -bogus"},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			status, stdout, stderr := talkoff(t, tt.args...)
			assert.Equal(t, 2, status)
			assert.Empty(t, stdout)
			assert.Equal(t, tt.want, lastLine(stderr))
		})
	}
	status, _, stderr := talkoff(t, "-h")
	assert.Equal(t, 0, status)
	assert.Contains(t, stderr, "-compare")
}

// corpusDir writes the synthetic corpus (40 s of speech a half) into a
// temporary folder and returns its manifest and cache.
func corpusDir(t *testing.T) (manifest, cache string) {
	t.Helper()
	manifest, cache, err := corpuseval.WriteSyntheticCorpus(t.TempDir(), 40*time.Second)
	require.NoError(t, err)
	return manifest, cache
}

func TestMissingCorpus(t *testing.T) {
	manifest, _ := corpusDir(t)
	empty := t.TempDir()
	status, stdout, stderr := talkoff(t, "-manifest", manifest, "-cache", empty, "-out", t.TempDir())
	assert.Equal(t, 1, status)
	assert.Empty(t, stdout)
	assert.Equal(t, "talkoff: the corpus is not in "+empty+" (no WAV file of the manifest is there): run make corpus\n", stderr)

	status, _, stderr = talkoff(t, "-manifest", filepath.Join(empty, "manifest.json"))
	assert.Equal(t, 1, status)
	assert.Contains(t, stderr, "manifest.json: no such file or directory")
}

func TestRunSynthetic(t *testing.T) {
	dtmftest.CheckGoroutines(t)
	manifest, cache := corpusDir(t)
	out := t.TempDir()
	args := []string{"-manifest", manifest, "-cache", cache, "-out", out, "-formats", "8k", "-j", "2"}

	status, stdout, stderr := talkoff(t, args...)
	require.Equal(t, 0, status, stderr)
	for _, want := range []string{"TALK-OFF", "WORST FILES", "TALK-DOWN", "MISS CLASSES", "TIMES"} {
		assert.Contains(t, stdout, want)
	}
	assert.NotContains(t, stdout, "COMPARISON")
	assert.Regexp(t, `test  total +2 +0\.01 +1 +83\.72\n`, stdout)
	assert.Contains(t, stderr, "talkoff: talk-off, 8 kHz, 4 files")
	report, err := os.ReadFile(filepath.Join(out, "report.txt"))
	require.NoError(t, err)
	assert.Equal(t, stdout, string(report))
	keys, err := os.ReadFile(filepath.Join(out, "falsekeys.txt"))
	require.NoError(t, err)
	lines := strings.Split(strings.TrimSuffix(string(keys), "\n"), "\n")
	require.Len(t, lines, 2)
	assert.True(t, strings.HasPrefix(lines[1], "8k\ttest\tdtmfkit-synthetic/music/test.ogg\t1.0"), lines[1])

	// -check fails on the one false key, after printing the tables.
	status, stdout, stderr = talkoff(t, append(args, "-check")...)
	assert.Equal(t, 1, status)
	assert.Contains(t, stdout, "TALK-OFF")
	assert.Equal(t, "talkoff: check failed: false keys on the test half: 1 at 8 kHz (bound 0)", lastLine(stderr))

	status, stdout, _ = talkoff(t, append(args, "-check", "-max-false", "1", "-half", "test")...)
	assert.Equal(t, 0, status)
	assert.Equal(t, "check passed: false keys on the test half: 1 at 8 kHz (bound 1)", lastLine(stdout))
	assert.NotContains(t, stdout, "tune  total")
}

// Comparison tools that are missing are named in the table; the run goes on.
func TestCompareWithoutTools(t *testing.T) {
	manifest, cache := corpusDir(t)
	dir := t.TempDir()
	script := filepath.Join(dir, "build.sh")
	require.NoError(t, os.WriteFile(script, []byte("echo 'fatal error: spandsp.h: No such file or directory' >&2; exit 1\n"), 0o755))
	sh, err := exec.LookPath("sh")
	require.NoError(t, err)
	require.NoError(t, os.Symlink(sh, filepath.Join(dir, "sh")))
	t.Setenv("PATH", dir) // sh, and no multimon-ng
	status, stdout, stderr := talkoff(t, "-manifest", manifest, "-cache", cache, "-out", t.TempDir(),
		"-formats", "ulaw", "-half", "test", "-compare", "-spandsp-build", script)
	require.Equal(t, 0, status, stderr)
	assert.Contains(t, stdout, "COMPARISON at 8 kHz")
	assert.Regexp(t, `talk-off, test half \(0\.\d\d h\) +1 \(\d+\.\d\d/h\) +n/a +n/a\n`, stdout)
	assert.Contains(t, stdout, "spandsp: not in the comparison: spandsp's dtmf_rx could not be built (apt-get install libspandsp-dev): "+script+": exit status 1: fatal error: spandsp.h: No such file or directory\n")
	assert.Contains(t, stdout, "multimon-ng: not in the comparison: multimon-ng is not installed (apt-get install multimon-ng)")
	assert.Contains(t, stderr, "talkoff: multimon-ng left out of the comparison")
}
