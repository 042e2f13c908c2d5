package main

import (
	"bytes"
	"context"
	"errors"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestUsage(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"-j", "0"}, "corpus: -j 0: want 1 or more"},
		{[]string{"-cache", ""}, "corpus: -cache: empty folder name"},
		{[]string{"extra"}, `corpus: unexpected argument "extra"`},
		{[]string{"-nope"}, "corpus: flag provided but not defined: -nope"},
	} {
		var stdout, stderr bytes.Buffer
		err := run(context.Background(), tc.args, &stdout, &stderr)
		require.Error(t, err, tc.args)
		var msg bytes.Buffer
		assert.Equal(t, 2, report(err, &msg), tc.args)
		assert.Equal(t, tc.want+"\n", msg.String())
		assert.Empty(t, stdout.String())
	}
}

func TestHelp(t *testing.T) {
	var stdout, stderr bytes.Buffer
	require.NoError(t, run(context.Background(), []string{"-h"}, &stdout, &stderr))
	for _, flag := range []string{"-cache folder", "-j N", "-manifest file", "-v", "-write-manifest"} {
		assert.Contains(t, stderr.String(), flag)
	}
}

// Failures other than usage exit with status 1 and one line.
func TestFailure(t *testing.T) {
	manifest := filepath.Join(t.TempDir(), "manifest.json")
	var stdout, stderr bytes.Buffer
	err := run(context.Background(), []string{"-cache", t.TempDir(), "-manifest", manifest}, &stdout, &stderr)
	require.Error(t, err)
	var msg bytes.Buffer
	assert.Equal(t, 1, report(err, &msg))
	assert.Equal(t, "corpus: no manifest at "+manifest+" (make one with -write-manifest)\n", msg.String())
	assert.Empty(t, stdout.String())

	assert.Equal(t, 1, report(errors.New("two\nlines"), &msg))
	assert.Contains(t, msg.String(), "corpus: two lines\n")
	assert.Equal(t, 0, report(nil, &msg))
}
