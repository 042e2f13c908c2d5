package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// update regenerates the fixtures in testdata/wav from their manifest:
// go test ./cmd/dtmfwav -run TestFixtures -update (make fixtures).
var update = flag.Bool("update", false, "regenerate testdata/wav from its manifest")

const fixtureDir = "../../testdata/wav"

// fixture is one entry of testdata/wav/manifest.json: a file made by
// "dtmfwav gen GEN... KEYS" (when gen is given) and decoded by
// "dtmfwav decode DECODE... FILE" to keys.
type fixture struct {
	File   string   `json:"file"`
	Keys   string   `json:"keys"`
	Gen    []string `json:"gen,omitempty"`
	Decode []string `json:"decode,omitempty"`
	About  string   `json:"about"`
}

func readManifest(t *testing.T) []fixture {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(fixtureDir, "manifest.json"))
	require.NoError(t, err)
	var fs []fixture
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	require.NoError(t, dec.Decode(&fs))
	return fs
}

func TestFixtures(t *testing.T) {
	for _, f := range readManifest(t) {
		path := filepath.Join(fixtureDir, f.File)
		if f.Gen != nil {
			// The committed file is exactly what the generator makes now.
			want, stderr, code := cli(t, nil, append(append([]string{"gen"}, f.Gen...), "-o", "-", f.Keys)...)
			require.Zero(t, code, stderr)
			if *update {
				require.NoError(t, os.WriteFile(path, []byte(want), 0o644))
			}
			got, err := os.ReadFile(path)
			require.NoError(t, err, "run make fixtures")
			assert.True(t, string(got) == want, "%s differs from what %v makes; run make fixtures", f.File, f.Gen)
		}
		stdout, stderr, code := cli(t, nil, append(append([]string{"decode"}, f.Decode...), path)...)
		require.Zero(t, code, "%s: %s", f.File, stderr)
		want := ""
		if f.Keys != "" {
			want = f.Keys + "\n"
		}
		assert.Equal(t, want, stdout, "%s decoded with %v", f.File, f.Decode)
	}
	if *update {
		require.NoError(t, os.WriteFile(filepath.Join(fixtureDir, "README.md"), fixtureReadme(readManifest(t)), 0o644))
	}
}

// fixtureReadme lists every fixture with the commands that make and
// decode it.
func fixtureReadme(fs []fixture) []byte {
	var b strings.Builder
	b.WriteString(`# testdata/wav: DTMF fixtures

Made by ` + "`make fixtures`" + ` (` + "`go test ./cmd/dtmfwav -run TestFixtures -update`" + `) from
[manifest.json](manifest.json), which the tests read: each file is the output of
` + "`dtmfwav gen GEN... -o FILE KEYS`" + ` and must decode with ` + "`dtmfwav decode DECODE... FILE`" + ` to
its keys. ` + "`go test ./cmd/dtmfwav`" + ` also checks that every committed file is byte for byte what the
generator makes now. This file is generated from the manifest too.

Levels are per tone in dBm0 (G.711: a full-scale sine is +3.14 dBm0); defaults are 8000 Hz, 100 ms
tones, 100 ms gaps, -10 dBm0, no twist, 3 ms raised-cosine ramps, 16-bit PCM WAV.

| file | keys | made with | decoded with | what it is |
| --- | --- | --- | --- | --- |
`)
	for _, f := range fs {
		gen := "(as above)"
		if f.Gen != nil {
			gen = "`dtmfwav gen " + strings.Join(append(append([]string{}, f.Gen...), "-o", f.File, f.Keys), " ") + "`"
		}
		dec := "`dtmfwav decode " + strings.Join(append(append([]string{}, f.Decode...), f.File), " ") + "`"
		keys := "`" + f.Keys + "`"
		if f.Keys == "" {
			keys = "(none)"
		}
		fmt.Fprintf(&b, "| %s | %s | %s | %s | %s |\n", f.File, keys, strings.ReplaceAll(gen, "|", "\\|"), dec, f.About)
	}
	return []byte(b.String())
}
