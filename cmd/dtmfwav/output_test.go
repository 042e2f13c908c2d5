//go:build unix

package main

import (
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestIssue6OutputToNamedPipe writes to a named pipe in place. -o used to
// write a temporary file and rename it over the output, which turned a
// named pipe (or, for root, /dev/null) into a regular file.
func TestIssue6OutputToNamedPipe(t *testing.T) {
	fifo := filepath.Join(t.TempDir(), "fifo")
	require.NoError(t, syscall.Mkfifo(fifo, 0o600))
	got := make(chan []byte)
	go func() {
		f, err := os.Open(fifo)
		if err != nil {
			got <- nil
			return
		}
		defer f.Close()
		b, _ := io.ReadAll(f)
		got <- b
	}()
	_, stderr, code := cli(t, nil, "gen", "-o", fifo, "159")
	require.Zero(t, code, stderr)
	wav := <-got
	require.True(t, strings.HasPrefix(string(wav), "RIFF"), "the WAV went through the pipe")
	keys, stderr, code := cli(t, strings.NewReader(string(wav)), "decode")
	require.Zero(t, code, stderr)
	assert.Equal(t, "159\n", keys)
	fi, err := os.Lstat(fifo)
	require.NoError(t, err)
	assert.Equal(t, fs.ModeNamedPipe, fi.Mode().Type(), "still a named pipe")
}

// TestIssue6OutputPermissions checks that -o makes files as os.Create
// would: a new file gets 0666 less the umask (it used to get 0600, the
// temporary file's), an existing one keeps its permissions, and a symbolic
// link is written through rather than replaced.
func TestIssue6OutputPermissions(t *testing.T) {
	old := syscall.Umask(0o022)
	defer syscall.Umask(old)
	dir := t.TempDir()
	path := func(name string) string { return filepath.Join(dir, name) }
	mode := func(name string) fs.FileMode {
		t.Helper()
		fi, err := os.Lstat(path(name))
		require.NoError(t, err)
		return fi.Mode()
	}
	gen := func(out, keys string) {
		t.Helper()
		_, stderr, code := cli(t, nil, "gen", "-o", path(out), keys)
		require.Zero(t, code, stderr)
	}
	decode := func(name string) string {
		t.Helper()
		keys, stderr, code := cli(t, nil, "decode", path(name))
		require.Zero(t, code, stderr)
		return keys
	}

	gen("new.wav", "1")
	assert.Equal(t, fs.FileMode(0o644), mode("new.wav"), "a new file")

	require.NoError(t, os.Chmod(path("new.wav"), 0o640))
	gen("new.wav", "12")
	assert.Equal(t, fs.FileMode(0o640), mode("new.wav"), "a replaced file")
	assert.Equal(t, "12\n", decode("new.wav"))

	require.NoError(t, os.Symlink("new.wav", path("link.wav")))
	gen("link.wav", "123")
	assert.Equal(t, fs.ModeSymlink, mode("link.wav").Type(), "the link is kept")
	assert.Equal(t, "123\n", decode("new.wav"), "and written through")

	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	assert.Len(t, entries, 2, "no temporary file left")
}
