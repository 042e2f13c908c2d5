package corpuseval_test

import (
	"context"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/dtmfkit/dtmfkit/dtmf"
	"github.com/dtmfkit/dtmfkit/internal/corpuseval"
	"github.com/dtmfkit/dtmfkit/internal/talkdown"
)

// keyed returns keys at −10 dBm0 per tone, 80 ms on and off, at 8 kHz.
func keyed(t *testing.T, digits string) (talkdown.Sequence, []int16) {
	t.Helper()
	s, err := talkdown.SequenceOf(rand.New(rand.NewPCG(1, 1)), 8000, digits, 80*time.Millisecond, 80*time.Millisecond, 0)
	require.NoError(t, err)
	return s, s.Tones(-10).Int16()
}

func digitsOf(keys []corpuseval.Key) string {
	var b []byte
	for _, k := range keys {
		b = append(b, byte(k.Digit))
	}
	return string(b)
}

// spandsp's harness and multimon-ng, where installed (libspandsp-dev and
// a C compiler; multimon-ng): every key, in order; spandsp's reported
// while it sounds, multimon-ng's with no positions.
func TestComparisonTools(t *testing.T) {
	tests := []struct {
		name string
		get  func(t *testing.T) (corpuseval.Receiver, error)
	}{
		{"spandsp", func(t *testing.T) (corpuseval.Receiver, error) {
			script := filepath.Join("..", "cmd", "talkoff", "spandsp", "build.sh")
			return corpuseval.BuildSpandsp(context.Background(), script, filepath.Join(t.TempDir(), "dtmfrx"))
		}},
		{"multimon-ng", func(*testing.T) (corpuseval.Receiver, error) { return corpuseval.FindMultimon() }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := tt.get(t)
			if err != nil {
				t.Skipf("%s is not available: %v", tt.name, err)
			}
			assert.Equal(t, tt.name, r.Name())
			s, pcm := keyed(t, "1590#ABCD*")
			keys, err := r.Keys(context.Background(), pcm, 8000)
			require.NoError(t, err)
			require.Equal(t, "1590#ABCD*", digitsOf(keys))
			for i, k := range keys {
				if tt.name == "multimon-ng" {
					assert.Equal(t, corpuseval.Key{Digit: k.Digit, Start: -1, End: -1}, k)
					continue
				}
				p := s.Presses[i]
				assert.GreaterOrEqual(t, k.Start, p.Start, "key %d", i)
				assert.Less(t, k.Start, p.Start+p.Len, "key %d", i)
				assert.Greater(t, k.End, p.Start+p.Len, "key %d ends after its tone", i)
			}
		})
	}
}

func TestToolFailures(t *testing.T) {
	dir := t.TempDir()
	script := filepath.Join(dir, "build.sh")
	require.NoError(t, os.WriteFile(script, []byte("echo 'dtmfrx.c:24:10: fatal error: spandsp.h: No such file or directory' >&2; exit 1\n"), 0o755))
	_, err := corpuseval.BuildSpandsp(context.Background(), script, filepath.Join(dir, "dtmfrx"))
	assert.ErrorContains(t, err, "spandsp's dtmf_rx could not be built (apt-get install libspandsp-dev)")
	assert.ErrorContains(t, err, "fatal error: spandsp.h: No such file or directory")

	fails := filepath.Join(dir, "fails")
	require.NoError(t, os.WriteFile(fails, []byte("#!/bin/sh\ncat >/dev/null; echo 'bad input' >&2; exit 3\n"), 0o755))
	_, err = corpuseval.Spandsp{Path: fails}.Keys(context.Background(), make([]int16, 100), 8000)
	assert.ErrorContains(t, err, "exit status 3: bad input")
	_, err = corpuseval.Multimon{Path: fails}.Keys(context.Background(), make([]int16, 100), 8000)
	assert.ErrorContains(t, err, "multimon-ng: ")
	assert.ErrorContains(t, err, "exit status 3: bad input")

	garbage := filepath.Join(dir, "garbage")
	require.NoError(t, os.WriteFile(garbage, []byte("#!/bin/sh\ncat >/dev/null; echo 'hello'\n"), 0o755))
	_, err = corpuseval.Spandsp{Path: fails}.Keys(context.Background(), make([]int16, 100), 16000)
	assert.ErrorContains(t, err, "the harness takes 8000 Hz")
	_, err = corpuseval.Spandsp{Path: garbage}.Keys(context.Background(), make([]int16, 100), 8000)
	assert.ErrorContains(t, err, `output line 1 "hello": want START END DIGIT`)

	_, err = corpuseval.Spandsp{Path: filepath.Join(dir, "missing")}.Keys(context.Background(), nil, dtmf.SampleRate(8000))
	assert.Error(t, err)
}
