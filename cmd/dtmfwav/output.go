package main

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
)

// stdoutError is a failed write to standard output: a full disk, or a
// closed pipe ("broken pipe").
type stdoutError struct{ err error }

func (e stdoutError) Error() string { return "write standard output: " + pathErrorCause(e.err).Error() }
func (e stdoutError) Unwrap() error { return e.err }

// writeOutput runs write on the output named by path: standard output for
// "-"; a device or named pipe (such as /dev/stdout) written in place; else a
// temporary file in the same directory that is renamed to path only once
// write and the file's Close have succeeded, so that a failure never leaves
// a half-written file behind. A symbolic link is written through, and an
// existing file keeps its permissions.
func writeOutput(path string, stdout io.Writer, write func(io.Writer) error) error {
	if path == "-" {
		if err := writeBuffered(stdout, write); err != nil {
			return stdoutError{err}
		}
		return nil
	}
	fi, err := os.Stat(path)
	switch {
	case err == nil && fi.IsDir():
		return fmt.Errorf("output %s is a directory", path)
	case err == nil && !fi.Mode().IsRegular():
		// Not a file to replace: renaming over /dev/null would swap the
		// device for a file (given the permission to).
		return writeInPlace(path, write)
	}
	perm := fs.FileMode(0o666) // less the umask, as os.Create
	if err == nil {
		perm = fi.Mode().Perm()
		if target, err := filepath.EvalSymlinks(path); err == nil {
			path = target
		}
	}
	tmp, err := createTemp(path, perm)
	if err != nil {
		return fmt.Errorf("create %s: %w", path, pathErrorCause(err))
	}
	err = writeBuffered(tmp, write)
	if err == nil && perm != 0o666 {
		err = tmp.Chmod(perm)
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), path)
	}
	if err != nil {
		return errors.Join(fmt.Errorf("write %s: %w", path, pathErrorCause(err)), removeQuietly(tmp.Name()))
	}
	return nil
}

// writeInPlace writes to an existing device or named pipe.
func writeInPlace(path string, write func(io.Writer) error) error {
	f, err := os.OpenFile(path, os.O_WRONLY, 0)
	if err != nil {
		return fmt.Errorf("open output: %w", err)
	}
	err = writeBuffered(f, write)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("write %s: %w", path, pathErrorCause(err))
	}
	return nil
}

// writeBuffered runs write on w through a buffer, and flushes it.
func writeBuffered(w io.Writer, write func(io.Writer) error) error {
	bw := bufio.NewWriter(w)
	if err := write(bw); err != nil {
		return err
	}
	return bw.Flush()
}

// createTemp creates a new file with the given permissions (less the umask)
// next to path, named after it.
func createTemp(path string, perm fs.FileMode) (*os.File, error) {
	dir, base := filepath.Split(path)
	var err error
	for range 100 {
		name := filepath.Join(dir, "."+base+".tmp"+strconv.FormatUint(rand.Uint64(), 36))
		var f *os.File
		if f, err = os.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, perm); !errors.Is(err, fs.ErrExist) {
			return f, err
		}
	}
	return nil, err
}

// pathErrorCause strips the *fs.PathError around err, whose path is the
// temporary file's, or /dev/stdout, rather than the output the user named.
func pathErrorCause(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// removeQuietly removes a temporary file; a file already gone is fine.
func removeQuietly(name string) error {
	if err := os.Remove(name); err != nil && !errors.Is(err, os.ErrNotExist) {
		return err
	}
	return nil
}
