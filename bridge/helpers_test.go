package bridge_test

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/dtmfkit/dtmfkit/bridge"
	"github.com/dtmfkit/dtmfkit/bridge/graph"
	"github.com/dtmfkit/dtmfkit/dtmf"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/golden")

// recorder is a Sink that keeps what it is given.
type recorder struct {
	mu  sync.Mutex
	got []bridge.Notification
	err error // returned by Deliver, if set
}

func (r *recorder) Deliver(_ context.Context, n bridge.Notification) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.err != nil {
		return r.err
	}
	r.got = append(r.got, n)
	return nil
}

func (r *recorder) all() []bridge.Notification {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]bridge.Notification(nil), r.got...)
}

// only returns the one notification recorded.
func (r *recorder) only(t *testing.T) bridge.Notification {
	t.Helper()
	got := r.all()
	require.Len(t, got, 1)
	return got[0]
}

// ids returns the given ids in turn, then numbered UUIDs.
func ids(first ...string) func() string {
	var mu sync.Mutex
	n := 0
	return func() string {
		mu.Lock()
		defer mu.Unlock()
		n++
		if n <= len(first) {
			return first[n-1]
		}
		return fmt.Sprintf("00000000-0000-4000-8000-%012d", n)
	}
}

func clock(t time.Time) func() time.Time { return func() time.Time { return t } }

func keyDown(d dtmf.Digit, detected int64) dtmf.Event {
	return dtmf.Event{Digit: d, Kind: dtmf.KeyDown, Start: detected - 480, Detected: detected}
}

func keyUp(d dtmf.Digit, detected, end int64) dtmf.Event {
	return dtmf.Event{Digit: d, Kind: dtmf.KeyUp, Start: detected - 480, Detected: detected, End: end}
}

// playAll runs a Playout to its end and returns its frames' samples.
func playAll(t *testing.T, p *bridge.Playout) []int16 {
	t.Helper()
	frame := make([]int16, p.FrameSize())
	var pcm []int16
	for p.Next(frame) {
		pcm = append(pcm, frame...)
	}
	require.NoError(t, p.Err())
	return pcm
}

// readSeed parses a file of testdata/seed as generic JSON.
func readSeed(t *testing.T, name string) any {
	t.Helper()
	return unmarshalAny(t, readFile(t, filepath.Join("testdata", "seed", name)))
}

func readFile(t testing.TB, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	return b
}

func unmarshalAny(t *testing.T, b []byte) any {
	t.Helper()
	var v any
	require.NoError(t, json.Unmarshal(b, &v), "%s", b)
	return v
}

// checkGolden compares body, indented, with testdata/golden/name, or
// rewrites the file under -update.
func checkGolden(t *testing.T, name string, body []byte) {
	t.Helper()
	got, err := json.MarshalIndent(json.RawMessage(body), "", "  ")
	require.NoError(t, err)
	got = append(got, '\n')
	path := filepath.Join("testdata", "golden", name)
	if *update {
		require.NoError(t, os.WriteFile(path, got, 0o644))
		return
	}
	assert.Equal(t, string(readFile(t, path)), string(got), "golden %s (rerun with -update if the change is intended)", name)
}

var graphSubscribe = graph.SubscribeToToneRequest{ClientContext: "c"}

func dtmfDigit(r rune) dtmf.Digit { return dtmf.Digit(r) }
