package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/dtmfkit/dtmfkit/audio/wavio"
	"github.com/dtmfkit/dtmfkit/internal/dtmftest"
)

// TestExplainGolden decodes with -explain one signal built for each of
// the receiver's decisions (dtmftest.RuleSignals, 8 kHz, fed as raw
// samples on standard input) and compares the lines with
// testdata/explain/NAME.txt; -update rewrites them and their README.
func TestExplainGolden(t *testing.T) {
	dir := filepath.Join("testdata", "explain")
	var readme strings.Builder
	readme.WriteString(explainReadmeHead)
	for _, s := range dtmftest.RuleSignals(8000) {
		var raw bytes.Buffer
		require.NoError(t, wavio.NewRawWriter(&raw, wavio.S16LE).Write(s.PCM))
		stdout, stderr, code := cli(t, &raw, "decode", "-explain", "-raw", "-rate", "8000", "-")
		require.Zero(t, code, stderr)
		// The fixture's verdict is there.
		want := "refused: " + s.Rule + " "
		if s.Rule == "accepted" {
			want = "  accepted at "
		}
		assert.Contains(t, stdout, want, s.Name)
		path := filepath.Join(dir, s.Name+".txt")
		fmt.Fprintf(&readme, "| %s.txt | %s | %s |\n", s.Name, s.Rule, s.Doc)
		if *update {
			require.NoError(t, os.MkdirAll(dir, 0o755))
			require.NoError(t, os.WriteFile(path, []byte(stdout), 0o644))
			continue
		}
		golden, err := os.ReadFile(path)
		require.NoError(t, err, "run go test ./cmd/dtmfwav -run TestExplainGolden -update")
		assert.Equal(t, string(golden), stdout, s.Name)
	}
	readmePath := filepath.Join(dir, "README.md")
	if *update {
		require.NoError(t, os.WriteFile(readmePath, []byte(readme.String()), 0o644))
		return
	}
	golden, err := os.ReadFile(readmePath)
	require.NoError(t, err)
	assert.Equal(t, string(golden), readme.String(), "README.md: rerun with -update")
}

const explainReadmeHead = "# dtmfwav decode -explain golden files\n\n" +
	"Made by `go test ./cmd/dtmfwav -run TestExplainGolden -update`: each file is the output of\n" +
	"`dtmfwav decode -explain -raw -rate 8000 -` on a signal synthesised by `dtmftest.RuleSignals`\n" +
	"(internal/dtmftest/explain.go), built for the receiver to accept it or to refuse it by one rule.\n" +
	"Every signal is 400 ms at 8 kHz (unless said), keys at -10 dBm0 per tone from 100 ms, unramped;\n" +
	"noise is white Gaussian from a seeded PCG. The test also checks that each file holds its verdict.\n\n" +
	"| file | verdict | signal |\n| --- | --- | --- |\n"

func TestExplainGoesWithTextOnly(t *testing.T) {
	for _, args := range [][]string{{"-format", "jsonl"}, {"-format", "graph", "-call-id", "x"}, {"-format", "acs", "-call-id", "x"}} {
		format := args[1]
		_, stderr, code := cli(t, nil, append(append([]string{"decode", "-explain"}, args...), "-")...)
		assert.Equal(t, 2, code, format)
		assert.Equal(t, "dtmfwav: decode: -explain goes with -format text\n", stderr, format)
	}
}
