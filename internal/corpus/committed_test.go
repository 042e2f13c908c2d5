package corpus

import (
	"math"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The committed manifest parses, lists only files the selection rules pick
// (with their kinds), and splits each package's speech and music evenly.
func TestCommittedManifest(t *testing.T) {
	entries, err := LoadManifest(filepath.Join("..", "..", "testdata", "corpus", "manifest.json"))
	require.NoError(t, err)
	rules := map[string][]Rule{}
	for _, p := range Packages() {
		rules[p.Name] = p.Rules
	}
	for _, e := range entries {
		rs, ok := rules[e.Package]
		require.True(t, ok, "%s is not in Packages()", e.Package)
		kind := ""
		for _, r := range rs {
			file, member, _ := strings.Cut(e.Path, ":")
			if r.Archive == "" && member == "" && matchGlob(r.Glob, file) ||
				r.Archive != "" && r.Archive == file && matchGlob(r.Glob, member) {
				kind = r.Kind
				break
			}
		}
		require.Equal(t, kind, e.Kind, "%s %s: the rules select it as %q", e.Package, e.Path, kind)
		require.GreaterOrEqual(t, e.Seconds, MinSeconds, "%s %s", e.Package, e.Path)
	}
	for k, h := range halfSeconds(entries) {
		tune, test := h[HalfTune], h[HalfTest]
		assert.Less(t, math.Abs(tune-test)/(tune+test), 0.03, "%s: tune %.1f s, test %.1f s", k, tune, test)
	}
}
