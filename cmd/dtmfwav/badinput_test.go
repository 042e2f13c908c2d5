//go:build unix

package main

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// runMainEnv, set to 1, makes the test binary run dtmfwav's main instead of
// the tests: the bad-input table runs dtmfwav as a real process, so that
// exit codes, signals and anything printed by a panic are a real process's.
const runMainEnv = "DTMFWAV_TEST_RUN_MAIN"

// fileLimitEnv sets the largest file dtmfwav may write (RLIMIT_FSIZE), in
// bytes: a disk that fills up while it writes.
const fileLimitEnv = "DTMFWAV_TEST_FILE_LIMIT"

func TestMain(m *testing.M) {
	if os.Getenv(runMainEnv) == "1" {
		if n, err := strconv.ParseUint(os.Getenv(fileLimitEnv), 10, 64); err == nil {
			if err := syscall.Setrlimit(syscall.RLIMIT_FSIZE, &syscall.Rlimit{Cur: n, Max: n}); err != nil {
				panic(err)
			}
		}
		main() // exits
	}
	os.Exit(m.Run())
}

// stdoutKind is what a process's standard output is connected to.
type stdoutKind uint8

const (
	stdoutPipe   stdoutKind = iota // a pipe the test reads
	stdoutClosed                   // a pipe whose read end is closed
)

// process is how a run of dtmfwav ended.
type process struct {
	stdout, stderr string
	code           int // -1 if a signal ended it
}

// runner runs dtmfwav as a process: the test binary, re-executed.
type runner struct {
	exe  string
	attr *syscall.SysProcAttr
}

func newRunner(t *testing.T) runner {
	t.Helper()
	exe, err := os.Executable()
	require.NoError(t, err)
	return runner{exe: exe}
}

// unprivileged returns a runner that runs dtmfwav as user nobody if the
// test runs as root, who may write into a read-only directory. It runs a
// copy of the test binary that nobody can reach, removed when t ends.
func (r runner) unprivileged(t *testing.T) runner {
	t.Helper()
	if os.Geteuid() != 0 {
		return r
	}
	dir, err := os.MkdirTemp("", "dtmfwav-nobody")
	require.NoError(t, err)
	t.Cleanup(func() { _ = os.RemoveAll(dir) })
	require.NoError(t, os.Chmod(dir, 0o755))
	exe := filepath.Join(dir, "dtmfwav")
	require.NoError(t, copyFile(exe, r.exe, 0o755))
	return runner{exe: exe, attr: &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: nobody, Gid: nobody, NoSetGroups: true}}}
}

// nobody is the user and group id of an unprivileged run.
const nobody = 65534

// run runs dtmfwav in dir with stdin as its input, and no file it writes
// longer than fileLimit bytes (if not 0).
func (r runner) run(t *testing.T, dir string, stdin []byte, out stdoutKind, fileLimit int64, args ...string) process {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, r.exe, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), runMainEnv+"=1")
	if fileLimit > 0 {
		cmd.Env = append(cmd.Env, fileLimitEnv+"="+strconv.FormatInt(fileLimit, 10))
	}
	cmd.Stdin = bytes.NewReader(stdin)
	cmd.SysProcAttr = r.attr
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if out == stdoutClosed {
		pr, pw, err := os.Pipe()
		require.NoError(t, err)
		require.NoError(t, pr.Close())
		defer pw.Close()
		cmd.Stdout = pw
	}
	err := cmd.Run()
	if exit := (*exec.ExitError)(nil); err != nil && !errors.As(err, &exit) {
		require.NoError(t, err, "start %v", args)
	}
	require.NoError(t, ctx.Err(), "%v did not finish", args)
	return process{stdout: stdout.String(), stderr: stderr.String(), code: cmd.ProcessState.ExitCode()}
}

func copyFile(dst, src string, perm fs.FileMode) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_EXCL, perm)
	if err != nil {
		return err
	}
	_, err = io.Copy(out, in)
	return errors.Join(err, out.Close())
}

// openToAll makes dir and its parent (the test's temporary directories)
// usable by nobody.
func openToAll(t *testing.T, dir string) {
	t.Helper()
	for _, d := range []string{filepath.Dir(dir), dir} {
		require.NoError(t, os.Chmod(d, 0o777))
	}
}

// listFiles returns the paths under dir, relative to it, with the size of
// each regular file: what a run must leave as it found it.
func listFiles(t *testing.T, dir string) []string {
	t.Helper()
	var out []string
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || path == dir {
			return err
		}
		rel, _ := filepath.Rel(dir, path)
		if info, err := d.Info(); err == nil && info.Mode().IsRegular() {
			rel += fmt.Sprintf(" (%d bytes)", info.Size())
		}
		out = append(out, rel)
		return nil
	})
	require.NoError(t, err)
	sort.Strings(out)
	return out
}

// wavFile builds a WAV file from a fmt chunk's fields, a declared data
// size and the data that actually follows.
func wavFile(tag, channels uint16, rate uint32, blockAlign, bits uint16, dataSize uint32, data []byte) []byte {
	b := []byte("RIFF\x00\x00\x00\x00WAVEfmt \x10\x00\x00\x00")
	b = binary.LittleEndian.AppendUint16(b, tag)
	b = binary.LittleEndian.AppendUint16(b, channels)
	b = binary.LittleEndian.AppendUint32(b, rate)
	b = binary.LittleEndian.AppendUint32(b, rate*uint32(blockAlign))
	b = binary.LittleEndian.AppendUint16(b, blockAlign)
	b = binary.LittleEndian.AppendUint16(b, bits)
	b = append(b, "data"...)
	b = binary.LittleEndian.AppendUint32(b, dataSize)
	b = append(b, data...)
	binary.LittleEndian.PutUint32(b[4:], uint32(len(b)-8))
	return b
}

// TestBadInput runs the real dtmfwav on every kind of bad input: each run
// must exit with 2 for a usage error or 1 for a failure, print exactly one
// line on stderr that names the problem and no stack trace, and leave the
// directory as it found it: no output file, whole or partial, and no
// temporary file.
func TestBadInput(t *testing.T) {
	wav, stderr, code := cli(t, nil, "gen", "-o", "-", "1234")
	require.Zero(t, code, stderr)
	request, err := os.ReadFile(filepath.Join(seeds, "graph-senddtmftones-request.json"))
	require.NoError(t, err)
	inputs := map[string]string{
		"keys.wav":       wav,
		"empty.wav":      "",
		"notes.txt":      "these are not samples\n",
		"truncated.wav":  wav[:len(wav)/2],
		"header-cut.wav": wav[:30],
		"mp3.wav":        string(wavFile(0x0055, 1, 8000, 1, 0, 4, []byte{1, 2, 3, 4})),
		"12bit.wav":      string(wavFile(1, 1, 8000, 2, 12, 4, []byte{1, 2, 3, 4})),
		"4khz.wav":       string(wavFile(1, 1, 4000, 2, 16, 4, []byte{1, 2, 3, 4})),
		"384khz.wav":     string(wavFile(1, 1, 384000, 2, 16, 4, []byte{1, 2, 3, 4})),
		"0ch.wav":        string(wavFile(1, 0, 8000, 0, 16, 4, []byte{1, 2, 3, 4})),
		"lying.wav":      string(wavFile(1, 1, 8000, 2, 16, 0xFFFFFFF0, []byte{1, 2, 3, 4})),
		"rifx.wav":       "RIFX\x24\x00\x00\x00WAVEfmt ",
		"odd.raw":        "\x01\x02\x03",
		"request.json":   string(request),
		"notjson.json":   "tones: 1\n",
		"cut.json":       `{"tones":["tone1"`,
		"null.json":      "null",
		"badtone.json":   `{"tones":["tone1","tone12"]}`,
		"flash.json":     `{"tones":["tone1","flash"]}`,
		"many.json": `{"tones":["one","two","three","four","five","six","seven","eight","nine","zero",` +
			`"one","two","three","four","five","six","seven","eight","nine"],"targetParticipant":{"rawId":"4:+14255550123"}}`,
		"big.json":        `{"tones":["tone1"],"clientContext":"` + strings.Repeat("x", 70<<10) + `"}`,
		"dir/README":      "a directory\n",
		"file/README.txt": "",
	}
	const (
		usage   = 2
		failure = 1
	)
	tests := []struct {
		name         string
		args         []string
		stdin        string
		stdout       stdoutKind
		fileLimit    int64 // bytes, if not 0
		unprivileged bool
		code         int
		want         []string // in the line on stderr
		stdoutWant   string   // in stdout, if not ""
	}{
		// The command line.
		{name: "no command", code: usage, want: []string{"no command given"}},
		{name: "unknown command", args: []string{"play"}, code: usage, want: []string{`unknown command "play"`}},
		{name: "help on an unknown command", args: []string{"help", "play"}, code: usage, want: []string{`no help for unknown command "play"`}},
		{name: "unknown flag", args: []string{"decode", "-loud", "keys.wav"}, code: usage, want: []string{"flag provided but not defined: -loud"}},
		{name: "two inputs", args: []string{"decode", "keys.wav", "keys.wav"}, code: usage, want: []string{"at most one FILE"}},

		// Inputs that are not there or not audio.
		{name: "missing file", args: []string{"decode", "missing.wav"}, code: failure, want: []string{"missing.wav", "no such file"}},
		{name: "directory", args: []string{"decode", "dir"}, code: failure, want: []string{"dir is a directory"}},
		{name: "empty file", args: []string{"decode", "empty.wav"}, code: failure, want: []string{"empty.wav", "empty input"}},
		{name: "empty stdin", args: []string{"decode"}, code: failure, want: []string{"standard input", "empty input"}},
		{name: "not WAV", args: []string{"decode", "notes.txt"}, code: failure, want: []string{"notes.txt", "not a WAV file"}},
		{name: "truncated data", args: []string{"decode", "truncated.wav"}, code: failure, want: []string{"truncated.wav", "truncated"}},
		{name: "truncated header", args: []string{"decode", "header-cut.wav"}, code: failure, want: []string{"header-cut.wav", "truncated fmt chunk"}},
		{name: "truncated stdin", args: []string{"decode", "-"}, stdin: wav[:len(wav)-101], code: failure, want: []string{"standard input", "101 of its"}},
		{name: "size beyond the file", args: []string{"decode", "lying.wav"}, code: failure, want: []string{"lying.wav", "truncated"}},
		{name: "MP3 in WAV", args: []string{"decode", "mp3.wav"}, code: failure, want: []string{"mp3.wav", "unsupported format tag 0x0055 (MPEG Layer 3)"}},
		{name: "12-bit WAV", args: []string{"decode", "12bit.wav"}, code: failure, want: []string{"12bit.wav", "unsupported bit depth"}},
		{name: "zero channels", args: []string{"decode", "0ch.wav"}, code: failure, want: []string{"0ch.wav", "0 channels"}},
		{name: "rate below the decoder's", args: []string{"decode", "4khz.wav"}, code: failure, want: []string{"4khz.wav", "sample rate 4000 Hz"}},
		{name: "rate above the decoder's", args: []string{"decode", "384khz.wav"}, code: failure, want: []string{"384khz.wav", "sample rate 384000 Hz is outside 8000-192000 Hz"}},
		{name: "big-endian RIFX", args: []string{"decode", "rifx.wav"}, code: failure, want: []string{"rifx.wav", "RIFX"}},
		{name: "channel the file lacks", args: []string{"decode", "-channel", "3", "keys.wav"}, code: failure, want: []string{"channel 3", "1 channel"}},

		// Raw input with wrong flags.
		{name: "raw odd byte", args: []string{"decode", "-raw", "odd.raw"}, code: failure, want: []string{"odd.raw", "odd byte"}},
		{name: "raw unknown encoding", args: []string{"decode", "-raw", "-encoding", "gsm", "odd.raw"}, code: usage, want: []string{`"gsm"`}},
		{name: "raw rate 0", args: []string{"decode", "-raw", "-rate", "0", "odd.raw"}, code: usage, want: []string{"sample rate 0 Hz"}},
		{name: "raw rate too low", args: []string{"decode", "-raw", "-rate", "4000", "odd.raw"}, code: usage, want: []string{"sample rate 4000 Hz"}},
		{name: "raw rate too high", args: []string{"decode", "-raw", "-rate", "192001", "odd.raw"}, code: usage, want: []string{"sample rate 192001 Hz is outside 8000-192000 Hz"}},
		{name: "raw rate not a number", args: []string{"decode", "-raw", "-rate", "8k", "odd.raw"}, code: usage, want: []string{`"8k"`, "-rate"}},
		{name: "encoding without raw", args: []string{"decode", "-encoding", "ulaw", "odd.raw"}, code: usage, want: []string{"-encoding goes with -raw"}},
		{name: "channel with raw", args: []string{"decode", "-raw", "-channel", "1", "odd.raw"}, code: usage, want: []string{"-channel goes with WAV input"}},
		{name: "negative channel", args: []string{"decode", "-channel", "-1", "keys.wav"}, code: usage, want: []string{"channel -1"}},

		// Decoder settings.
		{name: "min level NaN", args: []string{"decode", "-min-level", "NaN", "keys.wav"}, code: usage, want: []string{"minimum level NaN"}},
		{name: "min level 0", args: []string{"decode", "-min-level", "0", "keys.wav"}, code: usage, want: []string{"minimum level 0.0"}},
		{name: "twist limit too big", args: []string{"decode", "-normal-twist", "100", "keys.wav"}, code: usage, want: []string{"normal twist limit 100.0 dB"}},
		{name: "unknown profile", args: []string{"decode", "-profile", "lax", "keys.wav"}, code: usage, want: []string{`unknown profile "lax"`}},
		{name: "unknown output format", args: []string{"decode", "-format", "xml", "keys.wav"}, code: usage, want: []string{`unknown format "xml"`}},
		{name: "graph without call id", args: []string{"decode", "-format", "graph", "keys.wav"}, code: usage, want: []string{"needs -call-id"}},
		{name: "call id with a slash", args: []string{"decode", "-format", "acs", "-call-id", "a/b", "keys.wav"}, code: usage, want: []string{`"a/b"`}},
		{name: "callback not http", args: []string{"decode", "-format", "graph", "-call-id", "c", "-callback", "ftp://host/x", "keys.wav"}, code: usage, want: []string{`"ftp://host/x"`}},

		// Keys and generator settings.
		{name: "unknown key", args: []string{"gen", "-o", "out.wav", "12E"}, code: usage, want: []string{`unknown key "E" at index 2`}},
		{name: "no keys", args: []string{"gen", "-o", "out.wav", ""}, code: usage, want: []string{"no keys"}},
		{name: "flash", args: []string{"gen", "-o", "out.wav", "1!"}, code: usage, want: []string{"flash"}},
		{name: "no output", args: []string{"gen", "123"}, code: usage, want: []string{"no output file"}},
		{name: "no keys argument", args: []string{"gen", "-o", "out.wav"}, code: usage, want: []string{"want one KEYS argument, got 0"}},
		{name: "gap negative", args: []string{"gen", "-gap", "-5ms", "-o", "out.wav", "1"}, code: usage, want: []string{"gap -5ms is negative"}},
		{name: "level 0 clips", args: []string{"gen", "-level", "0", "-o", "out.wav", "1"}, code: usage, want: []string{"would clip"}},
		{name: "huge tone", args: []string{"gen", "-tone", "2h", "-o", "out.wav", "1"}, code: usage, want: []string{"tone length 2h0m0s is longer than 1m0s"}},
		{name: "tone 0", args: []string{"gen", "-tone", "0", "-o", "out.wav", "1"}, code: usage, want: []string{"tone length 0s"}},
		{name: "huge lead", args: []string{"gen", "-lead", "1000h", "-format", "raw", "-o", "-", "1"}, code: usage, want: []string{"lead silence"}},
		{name: "rate 0", args: []string{"gen", "-rate", "0", "-o", "out.wav", "1"}, code: usage, want: []string{"sample rate 0 Hz"}},
		{name: "rate too low", args: []string{"gen", "-rate", "4000", "-o", "out.wav", "1"}, code: usage, want: []string{"sample rate 4000 Hz is outside 8000-192000 Hz"}},
		{name: "rate too high", args: []string{"gen", "-rate", "384000", "-o", "out.wav", "1"}, code: usage, want: []string{"sample rate 384000 Hz is outside 8000-192000 Hz"}},
		{name: "rate not a number", args: []string{"gen", "-rate", "fast", "-o", "out.wav", "1"}, code: usage, want: []string{`invalid value "fast" for flag -rate`}},
		{name: "rate out of int range", args: []string{"gen", "-rate", "99999999999999999999", "-o", "out.wav", "1"}, code: usage, want: []string{"-rate", "out of range"}},
		{name: "level NaN", args: []string{"gen", "-level", "NaN", "-o", "out.wav", "1"}, code: usage, want: []string{"level NaN"}},
		{name: "level +Inf", args: []string{"gen", "-level", "+Inf", "-o", "out.wav", "1"}, code: usage, want: []string{"would clip"}},
		{name: "twist NaN", args: []string{"gen", "-twist", "NaN", "-o", "out.wav", "1"}, code: usage, want: []string{"twist NaN"}},
		{name: "unknown audio format", args: []string{"gen", "-format", "mp3", "-o", "out.wav", "1"}, code: usage, want: []string{`unknown format "mp3"`}},

		// sendDtmfTones request bodies.
		{name: "request not JSON", args: []string{"gen", "-request", "notjson.json", "-o", "out.wav"}, code: failure, want: []string{"notjson.json", "not a JSON object"}},
		{name: "request cut short", args: []string{"gen", "-request", "cut.json", "-o", "out.wav"}, code: failure, want: []string{"cut.json", "unexpected end of JSON input"}},
		{name: "request null", args: []string{"gen", "-request", "null.json", "-o", "out.wav"}, code: failure, want: []string{"request refused", "tones"}, stdoutWant: `"error"`},
		{name: "request unknown tone", args: []string{"gen", "-request", "badtone.json", "-o", "out.wav"}, code: failure, want: []string{"request refused", "tone12"}, stdoutWant: `"error"`},
		{name: "request flash", args: []string{"gen", "-request", "flash.json", "-o", "out.wav"}, code: failure, want: []string{"request refused", "flash has no audio form"}, stdoutWant: `"code":"invalidRequest"`},
		{name: "ACS request of 19 tones", args: []string{"gen", "-request", "many.json", "-o", "out.wav"}, code: failure, want: []string{"request refused", "18"}, stdoutWant: `"code":"BadRequest"`},
		{name: "request and keys", args: []string{"gen", "-request", "request.json", "-o", "out.wav", "1"}, code: usage, want: []string{"give KEYS or -request, not both"}},
		{name: "request audio to stdout", args: []string{"gen", "-request", "request.json", "-o", "-"}, code: usage, want: []string{"write the audio to a file"}},
		{name: "call id without request", args: []string{"gen", "-call-id", "x", "-o", "out.wav", "1"}, code: usage, want: []string{"-call-id goes with -request"}},
		{name: "decode call id without format", args: []string{"decode", "-call-id", "x", "keys.wav"}, code: usage, want: []string{"-call-id and -callback go with -format graph or acs"}},
		{name: "server call id with graph", args: []string{"decode", "-format", "graph", "-call-id", "x", "-server-call-id", "s", "keys.wav"}, code: usage, want: []string{"-server-call-id and -correlation-id go with -format acs"}},
		{name: "request too big", args: []string{"gen", "-request", "big.json", "-o", "out.wav"}, code: failure, want: []string{"big.json is larger than 64 KiB"}},
		{name: "request missing", args: []string{"gen", "-request", "missing.json", "-o", "out.wav"}, code: failure, want: []string{"missing.json", "no such file"}},
		{name: "request is a directory", args: []string{"gen", "-request", "dir", "-o", "out.wav"}, code: failure, want: []string{"dir", "is a directory"}},

		// Outputs that cannot be written.
		{name: "read-only directory", args: []string{"gen", "-o", "ro/out.wav", "1"}, unprivileged: true, code: failure, want: []string{"ro/out.wav", "permission denied"}},
		{name: "request into read-only directory", args: []string{"gen", "-request", "request.json", "-o", "ro/out.wav"}, unprivileged: true, code: failure, want: []string{"ro/out.wav", "permission denied"}},
		{name: "missing directory", args: []string{"gen", "-o", "no/such/out.wav", "1"}, code: failure, want: []string{"no/such/out.wav", "no such file"}},
		{name: "output is a directory", args: []string{"gen", "-o", "dir", "1"}, code: failure, want: []string{"output dir is a directory"}},
		{name: "output under a file", args: []string{"gen", "-o", "notes.txt/out.wav", "1"}, code: failure, want: []string{"notes.txt/out.wav", "not a directory"}},
		{name: "full device", args: []string{"gen", "-o", "/dev/full", "1"}, code: failure, want: []string{"/dev/full", "no space left on device"}},
		{name: "disk full halfway", args: []string{"gen", "-o", "out.wav", "123456789"}, fileLimit: 10000, code: failure, want: []string{"out.wav", "file too large"}},
		{name: "disk full halfway, existing file", args: []string{"gen", "-o", "keys.wav", "123456789"}, fileLimit: 10000, code: failure, want: []string{"keys.wav", "file too large"}},
		{name: "gen to closed stdout", args: []string{"gen", "-o", "-", "123"}, stdout: stdoutClosed, code: failure, want: []string{"standard output", "broken pipe"}},
		{name: "decode to closed stdout", args: []string{"decode", "keys.wav"}, stdout: stdoutClosed, code: failure, want: []string{"standard output", "broken pipe"}},
		{name: "notifications to closed stdout", args: []string{"decode", "-format", "acs", "-call-id", "c", "keys.wav"}, stdout: stdoutClosed, code: failure, want: []string{"standard output", "broken pipe"}},
		{name: "request response to closed stdout", args: []string{"gen", "-request", "request.json", "-o", "out.wav"}, stdout: stdoutClosed, code: failure, want: []string{"standard output", "broken pipe"}},
	}
	dtmfwav := newRunner(t)
	nobodyRunner := dtmfwav.unprivileged(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if strings.Contains(strings.Join(tt.args, " "), "/dev/full") {
				if fi, err := os.Stat("/dev/full"); err != nil || fi.Mode()&fs.ModeCharDevice == 0 {
					t.Skip("no /dev/full")
				}
				t.Cleanup(func() {
					fi, err := os.Stat("/dev/full")
					require.NoError(t, err)
					assert.NotZero(t, fi.Mode()&fs.ModeCharDevice, "/dev/full is still the device")
				})
			}
			dir := t.TempDir()
			for name, content := range inputs {
				path := filepath.Join(dir, name)
				require.NoError(t, os.MkdirAll(filepath.Dir(path), 0o755))
				require.NoError(t, os.WriteFile(path, []byte(content), 0o644))
			}
			require.NoError(t, os.Mkdir(filepath.Join(dir, "ro"), 0o555))
			if tt.unprivileged && os.Geteuid() == 0 {
				openToAll(t, dir)
			}
			before := listFiles(t, dir)

			r := dtmfwav
			if tt.unprivileged {
				r = nobodyRunner
			}
			p := r.run(t, dir, []byte(tt.stdin), tt.stdout, tt.fileLimit, tt.args...)

			assert.Equal(t, tt.code, p.code, "exit status; stderr: %s", p.stderr)
			assert.True(t, strings.HasPrefix(p.stderr, "dtmfwav: "), "stderr: %q", p.stderr)
			assert.Equal(t, 1, strings.Count(p.stderr, "\n"), "one line: %q", p.stderr)
			assert.True(t, strings.HasSuffix(p.stderr, "\n"), "one line: %q", p.stderr)
			for _, want := range tt.want {
				assert.Contains(t, p.stderr, want)
			}
			for _, trace := range []string{"panic", "goroutine ", ".go:", "DATA RACE"} {
				assert.NotContains(t, p.stderr, trace, "no stack trace")
			}
			if tt.code == usage {
				assert.Empty(t, p.stdout, "a usage error prints nothing")
			}
			if tt.stdoutWant != "" {
				assert.Contains(t, p.stdout, tt.stdoutWant, "the service's error body")
			}
			assert.Equal(t, before, listFiles(t, dir), "the run left files behind or changed them")
		})
	}
}
