// Package wiretest holds the test helpers the graph and acs packages
// share: reading the seed examples and the parse → format → parse check of
// their fuzz targets.
package wiretest

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"
)

// Seed returns the file name of bridge/testdata/seed, read from a test in
// a package directly under bridge.
func Seed(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "testdata", "seed", name))
	require.NoError(t, err)
	return b
}

// AddSeeds adds the named seed files and a few edge cases to a fuzz
// target's corpus.
func AddSeeds(f *testing.F, names ...string) {
	f.Helper()
	for _, name := range names {
		f.Add(Seed(f, name))
	}
	for _, s := range []string{``, `{}`, `[]`, `null`, `[null]`, `"x"`, `{"error":{"code":"x"}}`, `{"error":{"code":"x","details":[{}]}}`} {
		f.Add([]byte(s))
	}
}

// RoundTrip checks that v, which parse accepted, formats to JSON that
// parse turns back into v.
func RoundTrip[T any](t testing.TB, parse func([]byte) (T, error), v T) {
	t.Helper()
	out, err := json.Marshal(&v)
	require.NoError(t, err)
	again, err := parse(out)
	require.NoError(t, err, "%s", out)
	require.Equal(t, v, again, "%s", out)
}
