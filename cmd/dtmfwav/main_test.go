package main

import (
	"bytes"
	"encoding/json"
	"io"
	"path/filepath"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// cli runs dtmfwav in-process and returns its output and exit status.
func cli(t *testing.T, stdin io.Reader, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	if stdin == nil {
		stdin = strings.NewReader("")
	}
	var out, errOut bytes.Buffer
	code = report(run(args, stdin, &out, &errOut), &errOut)
	return out.String(), errOut.String(), code
}

// genFormats are gen's output formats with the flags that read them back.
var genFormats = []struct {
	format string
	decode []string
}{
	{"wav", nil},
	{"wav-ulaw", nil},
	{"wav-alaw", nil},
	{"raw", []string{"-raw"}},
	{"ulaw", []string{"-raw", "-encoding", "ulaw"}},
	{"alaw", []string{"-raw", "-encoding", "alaw"}},
}

func TestGenDecodeRoundTripEveryFormat(t *testing.T) {
	dir := t.TempDir()
	for _, tt := range genFormats {
		for _, rate := range []string{"8000", "16000", "44100", "96000", "192000"} {
			path := filepath.Join(dir, tt.format+rate)
			_, stderr, code := cli(t, nil, "gen", "-rate", rate, "-format", tt.format, "-tone", "60ms", "-gap", "50ms", "-o", path, "0123456789*#ABCD")
			require.Zero(t, code, stderr)
			args := append([]string{"decode", "-rate", rate}, tt.decode...)
			stdout, stderr, code := cli(t, nil, append(args, path)...)
			require.Zero(t, code, stderr)
			assert.Equal(t, "0123456789*#ABCD\n", stdout, "%s at %s", tt.format, rate)
		}
	}
}

func TestGenToStdoutDecodeFromStdin(t *testing.T) {
	wav, stderr, code := cli(t, nil, "gen", "-o", "-", "-rate", "16000", "159#")
	require.Zero(t, code, stderr)
	require.True(t, strings.HasPrefix(wav, "RIFF"))
	// A stream that arrives a byte at a time is decoded all the same.
	stdout, stderr, code := cli(t, iotest.OneByteReader(strings.NewReader(wav)), "decode", "-")
	require.Zero(t, code, stderr)
	assert.Equal(t, "159#\n", stdout)
}

func TestDecodeJSONL(t *testing.T) {
	wav, _, code := cli(t, nil, "gen", "-o", "-", "-lead", "120ms", "-tone", "100ms", "-gap", "100ms", "5A")
	require.Zero(t, code)
	stdout, stderr, code := cli(t, strings.NewReader(wav), "decode", "-format", "jsonl")
	require.Zero(t, code, stderr)
	lines := strings.Split(strings.TrimSpace(stdout), "\n")
	require.Len(t, lines, 2)
	type key struct {
		Tone       string  `json:"tone"`
		StartMs    float64 `json:"startMs"`
		EndMs      float64 `json:"endMs"`
		DetectedMs float64 `json:"detectedMs"`
	}
	for i, want := range []key{{"5", 120, 220, 150}, {"A", 320, 420, 350}} {
		var got key
		dec := json.NewDecoder(strings.NewReader(lines[i]))
		dec.DisallowUnknownFields()
		require.NoError(t, dec.Decode(&got), lines[i])
		assert.Equal(t, want.Tone, got.Tone)
		// Onsets and ends at the 3 ms ramps' half-amplitude points.
		assert.InDelta(t, want.StartMs, got.StartMs, 3, lines[i])
		assert.InDelta(t, want.EndMs, got.EndMs, 3, lines[i])
		assert.InDelta(t, want.DetectedMs, got.DetectedMs, 6, lines[i])
		assert.Regexp(t, `^\{"tone":"[0-9A-D*#]","startMs":\d+\.\d,"endMs":\d+\.\d,"detectedMs":\d+\.\d\}$`, lines[i])
	}
}

func TestHelp(t *testing.T) {
	for _, args := range [][]string{{"help"}, {"-h"}, {"help", "gen"}, {"gen", "-h"}, {"help", "decode"}, {"decode", "-h"},
		{"help", "serve"}, {"serve", "-h"}, {"help", "stream"}, {"stream", "-h"}} {
		stdout, stderr, code := cli(t, nil, args...)
		assert.Zero(t, code, "%v", args)
		assert.Empty(t, stderr)
		assert.Contains(t, stdout, "Usage:")
	}
	gen, _, _ := cli(t, nil, "help", "gen")
	for _, flag := range []string{"-rate", "-tone", "-gap", "-level", "-twist", "-ramp", "-lead", "-trail", "-format", "-o", "-request", "-call-id"} {
		assert.Contains(t, gen, flag+" ")
	}
	decode, _, _ := cli(t, nil, "help", "decode")
	for _, flag := range []string{"-raw", "-rate", "-encoding", "-channel", "-format", "-profile", "-normal-twist", "-reverse-twist", "-min-level", "-call-id", "-callback"} {
		assert.Contains(t, decode, flag+" ")
	}
}

func TestTruncatedInputStillPrintsWhatItFound(t *testing.T) {
	wav, _, _ := cli(t, nil, "gen", "-o", "-", "1234")
	// 100 ms tones and gaps at 8 kHz; cut in the middle of the gap after
	// the third tone: three keys are whole.
	stdout, stderr, code := cli(t, strings.NewReader(wav[:44+2*(2*1600+800+400)]), "decode")
	assert.Equal(t, 1, code)
	assert.Equal(t, "123\n", stdout)
	assert.Contains(t, stderr, "truncated")
}

func TestGenOptions(t *testing.T) {
	// -gap 0 renders back-to-back tones; -ramp 0 none; the length is exact.
	stdout, stderr, code := cli(t, nil, "gen", "-format", "raw", "-gap", "0", "-ramp", "0", "-tone", "50ms", "-lead", "10ms", "-trail", "5ms", "-o", "-", "12")
	require.Zero(t, code, stderr)
	assert.Len(t, stdout, 2*(80+2*400+40))
	// -level 0 is 0 dBm0, possible with enough normal twist.
	_, stderr, code = cli(t, nil, "gen", "-level", "0", "-twist", "-8", "-o", "-", "D")
	assert.Zero(t, code, stderr)
}
