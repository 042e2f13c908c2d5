package corpus

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const (
	shaA = "4f2c3c8f5f5b2a4a4b6fd9b8a7c6d5e4f3a2b1c0d9e8f7a6b5c4d3e2f1a0b9c8"
	shaB = "0000000000000000000000000000000000000000000000000000000000000001"
)

var validManifest = `[
{"package":"fillets-ng-data","version":"1.0.1-1.1","path":"usr/share/games/fillets-ng/sound/aztec/en/a.ogg","kind":"speech","seconds":1.25,"sha256":"` + shaA + `","half":"tune"},
{"package":"nexuiz-music","version":"2.5.2-12","path":"usr/share/games/nexuiz/data/music.pk3:sound/cdtracks/stairs.ogg","kind":"music","seconds":185.4,"sha256":"` + shaB + `","half":"test"},
{"package":"wesnoth-1.16-music","version":"1:1.16.9-1","path":"usr/share/games/wesnoth/1.16/data/core/music/x.ogg","kind":"music","seconds":0.2,"sha256":"` + shaB + `","half":"tune"}
]
`

func TestParseManifest(t *testing.T) {
	entries, err := ParseManifest([]byte(validManifest))
	require.NoError(t, err)
	require.Len(t, entries, 3)
	assert.Equal(t, Entry{
		Package: "nexuiz-music", Version: "2.5.2-12",
		Path: "usr/share/games/nexuiz/data/music.pk3:sound/cdtracks/stairs.ogg",
		Kind: KindMusic, Seconds: 185.4, SHA256: shaB, Half: HalfTest,
	}, entries[1])
	assert.Equal(t, "1:1.16.9-1", entries[2].Version, "epochs are versions")
}

// A bad manifest gets an error that says what and where.
func TestParseManifestErrors(t *testing.T) {
	entry := func(field, value string) string {
		e := map[string]string{
			"package": `"klettres-data"`, "version": `"4:22.12.3-1"`, "path": `"usr/share/klettres/da/alpha/a-0.ogg"`,
			"kind": `"speech"`, "seconds": `5.54`, "sha256": `"` + shaA + `"`, "half": `"test"`,
		}
		var parts []string
		for _, k := range []string{"package", "version", "path", "kind", "seconds", "sha256", "half"} {
			v := e[k]
			if k == field {
				v = value
			}
			if v != "" {
				parts = append(parts, `"`+k+`":`+v)
			}
		}
		if field != "" && e[field] == "" {
			parts = append(parts, `"`+field+`":`+value)
		}
		return "{" + strings.Join(parts, ",") + "}"
	}
	one := func(field, value string) string { return "[\n" + entry(field, value) + "\n]" }
	for _, tc := range []struct {
		name, json, want string
	}{
		{"empty file", "", "empty file"},
		{"syntax", "[\n{\"package\": }\n]", "invalid JSON at line 2"},
		{"cut short", "[\n" + entry("", ""), "the file ends early"},
		{"object", `{"package":"x"}`, "invalid JSON at line 1: json: cannot unmarshal object"},
		{"wrong type", one("seconds", `"5.54"`), "invalid JSON at line 2"},
		{"unknown field", one("licence", `"GPL"`), `unknown field "licence"`},
		{"trailing data", "[\n" + entry("", "") + "\n] []", "data after the array"},
		{"no entries", "[]", "no entries"},
		{"no package", one("package", ""), `entry 1 ( usr/share/klettres/da/alpha/a-0.ogg): "package" is missing or empty`},
		{"bad package", one("package", `"Klettres Data"`), `"package" "Klettres Data" is not a Debian package name`},
		{"no version", one("version", ""), `"version" is missing or empty`},
		{"bad version", one("version", `"latest"`), `"version" "latest" is not a Debian version`},
		{"no path", one("path", `""`), `"path" is missing or empty`},
		{"absolute path", one("path", `"/usr/share/a.ogg"`), `"path" "/usr/share/a.ogg": want a relative, clean`},
		{"path up", one("path", `"usr/../../etc/passwd"`), `"path" "usr/../../etc/passwd"`},
		{"path dots", one("path", `"../a.ogg"`), `"path" "../a.ogg"`},
		{"unclean path", one("path", `"usr//a.ogg"`), `"path" "usr//a.ogg"`},
		{"backslash", one("path", `"usr\\a.ogg"`), `want a relative, clean`},
		{"two colons", one("path", `"a.pk3:b.zip:c.ogg"`), `"path" "a.pk3:b.zip:c.ogg"`},
		{"member up", one("path", `"a.pk3:../c.ogg"`), `"path" "a.pk3:../c.ogg"`},
		{"no kind", one("kind", ""), `"kind" is missing or empty`},
		{"bad kind", one("kind", `"noise"`), `"kind" "noise": want "speech" or "music"`},
		{"no seconds", one("seconds", ""), `"seconds" is missing or zero`},
		{"negative seconds", one("seconds", "-1"), `"seconds" -1: want a positive duration`},
		{"no sha256", one("sha256", ""), `"sha256" is missing or empty`},
		{"short sha256", one("sha256", `"abc"`), `"sha256" "abc": want 64 lowercase hexadecimal digits`},
		{"upper-case sha256", one("sha256", `"`+strings.ToUpper(shaA)+`"`), `want 64 lowercase hexadecimal digits`},
		{"no half", one("half", ""), `"half" is missing or empty`},
		{"bad half", one("half", `"train"`), `"half" "train": want "tune" or "test"`},
		{"twice", "[\n" + entry("", "") + ",\n" + entry("", "") + "\n]", "entry 2: klettres-data usr/share/klettres/da/alpha/a-0.ogg is listed twice"},
		{"two versions", "[\n" + entry("", "") + ",\n" + strings.Replace(entry("version", `"4:22.12.4-1"`), "a-0", "a-1", 1) + "\n]",
			"entry 2: package klettres-data at version 4:22.12.4-1, but earlier entries have 4:22.12.3-1"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			entries, err := ParseManifest([]byte(tc.json))
			require.Error(t, err, tc.json)
			assert.Nil(t, entries)
			assert.Contains(t, err.Error(), tc.want)
		})
	}
}

func TestLoadManifest(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "manifest.json")
	_, err := LoadManifest(path)
	require.ErrorIs(t, err, os.ErrNotExist)
	assert.Contains(t, err.Error(), "corpus: open "+path)

	require.NoError(t, os.WriteFile(path, []byte(`[{"package":"xy"}]`), 0o644))
	_, err = LoadManifest(path)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "corpus: manifest "+path+": entry 1 (xy ): \"version\" is missing")

	require.NoError(t, os.WriteFile(path, []byte(validManifest), 0o644))
	entries, err := LoadManifest(path)
	require.NoError(t, err)
	assert.Len(t, entries, 3)
}

// MarshalManifest writes what ParseManifest reads, one entry a line,
// sorted, with durations to 0.01 s.
func TestMarshalManifest(t *testing.T) {
	entries, err := ParseManifest([]byte(validManifest))
	require.NoError(t, err)
	shuffled := []Entry{entries[2], entries[0], entries[1]}
	shuffled[1].Seconds = 1.2549 // rounds to 1.25
	b, err := MarshalManifest(shuffled)
	require.NoError(t, err)
	assert.Equal(t, validManifest, string(b))
	assert.Equal(t, len(entries)+2, bytes.Count(b, []byte("\n")))

	_, err = MarshalManifest([]Entry{{Package: "xy"}})
	assert.ErrorContains(t, err, `corpus: xy : "version" is missing or empty`)
}

func TestWAVPath(t *testing.T) {
	e := Entry{Package: "fillets-ng-data-cs", Path: "usr/share/games/fillets-ng/sound/aztec/cs/a.ogg"}
	assert.Equal(t, filepath.FromSlash("/c/8000/fillets-ng-data-cs/usr/share/games/fillets-ng/sound/aztec/cs/a.ogg.wav"), e.WAVPath("/c", 8000))
	z := Entry{Package: "nexuiz-music", Path: "usr/share/games/nexuiz/data/music.pk3:sound/cdtracks/stairs.ogg"}
	assert.Equal(t, filepath.FromSlash("cache/16000/nexuiz-music/usr/share/games/nexuiz/data/music.pk3/sound/cdtracks/stairs.ogg.wav"), z.WAVPath("cache", 16000))
	assert.Equal(t, "nexuiz-music", z.Source())
}

func TestDefaultCacheDir(t *testing.T) {
	t.Setenv("DTMFKIT_CORPUS", "/data/corpus")
	t.Setenv("XDG_CACHE_HOME", "/xdg")
	t.Setenv("HOME", "/home/u")
	assert.Equal(t, "/data/corpus", DefaultCacheDir())

	t.Setenv("DTMFKIT_CORPUS", "")
	assert.Equal(t, filepath.FromSlash("/xdg/dtmfkit/corpus"), DefaultCacheDir())

	t.Setenv("XDG_CACHE_HOME", "relative/ignored") // the XDG spec: relative paths are invalid
	assert.Equal(t, filepath.FromSlash("/home/u/.cache/dtmfkit/corpus"), DefaultCacheDir())

	t.Setenv("XDG_CACHE_HOME", "")
	assert.Equal(t, filepath.FromSlash("/home/u/.cache/dtmfkit/corpus"), DefaultCacheDir())

	t.Setenv("HOME", "")
	assert.Equal(t, filepath.Join(os.TempDir(), "dtmfkit-corpus"), DefaultCacheDir())
}
