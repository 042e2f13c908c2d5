package corpus

import (
	"path"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestMatchGlob(t *testing.T) {
	for _, tc := range []struct {
		pattern, name string
		want          bool
	}{
		{"**/*.ogg", "a.ogg", true},
		{"**/*.ogg", "usr/share/a/b/c.ogg", true},
		{"**/*.ogg", "usr/share/a/b/c.wav", false},
		{"**/*.ogg", "usr/share/a/b.ogg/c", false},
		{"sound/**/*.ogg", "sound/a.ogg", true},
		{"sound/**/*.ogg", "sound/x/y/a.ogg", true},
		{"sound/**/*.ogg", "music/a.ogg", false},
		{"sound/*/en/*.ogg", "sound/aztec/en/a.ogg", true},
		{"sound/*/en/*.ogg", "sound/aztec/cs/a.ogg", false},
		{"sound/*/en/*.ogg", "sound/share/en/x/a.ogg", false},
		{"sound/*/en/*.ogg", "sound/en/a.ogg", false},
		{"music/*.ogg", "music/a.ogg", true},
		{"music/*.ogg", "music", false},
		{"a/**", "a", true},
		{"a/**", "a/b/c", true},
		{"[", "[", false}, // malformed: matches nothing
	} {
		assert.Equal(t, tc.want, matchGlob(tc.pattern, tc.name), "%q ~ %q", tc.pattern, tc.name)
	}
}

// The selection table is well formed: known kinds, valid patterns, each
// package once.
func TestPackages(t *testing.T) {
	seen := map[string]bool{}
	kinds := map[string]int{}
	for _, p := range Packages() {
		assert.False(t, seen[p.Name], "%s twice", p.Name)
		seen[p.Name] = true
		assert.Regexp(t, packageName, p.Name)
		require.NotEmpty(t, p.Rules, p.Name)
		for _, r := range p.Rules {
			kinds[r.Kind]++
			assert.Contains(t, []string{KindSpeech, KindMusic}, r.Kind)
			for seg := range strings.SplitSeq(r.Glob, "/") {
				_, err := path.Match(seg, "x")
				assert.NoError(t, err, "%s: %q", p.Name, r.Glob)
			}
			assert.True(t, strings.HasSuffix(r.Glob, ".ogg"), "%s: %q selects Ogg files", p.Name, r.Glob)
		}
	}
	assert.Positive(t, kinds[KindSpeech])
	assert.Positive(t, kinds[KindMusic])
	assert.NotContains(t, seen, "fb-music-high", "a tracker module, not recorded audio")
}
