package main

import (
	"bytes"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestRun(t *testing.T) {
	in := `goos: linux
BenchmarkDecode/signal=dtmf/rate=8000-2   	     984	   4553774 ns/op	 210.46 MB/s	     13154 calls/core	 105231408 samples/s	      49 B/op	       0 allocs/op
BenchmarkLatency/rate=8000-2                    	       1	  11552269 ns/op	        34.75 max-ms	         2.000 onset-max-ms
PASS
`
	var out bytes.Buffer
	require.NoError(t, run(strings.NewReader(in), &out))
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	require.Len(t, lines, 3)
	assert.Contains(t, lines[1], "Decode/signal=dtmf/rate=8000")
	assert.Contains(t, lines[1], "13154 calls/core   1.05e+08 samples/s   0 allocs/op")
	assert.NotContains(t, lines[1], "ns/op")
	assert.Contains(t, lines[2], "34.8 max-ms   2 onset-max-ms")
}

func TestRunErrors(t *testing.T) {
	var out bytes.Buffer
	assert.ErrorContains(t, run(strings.NewReader("PASS\n"), &out), "no benchmark results")
	assert.ErrorContains(t, run(strings.NewReader("--- FAIL: BenchmarkX\n"), &out), "failed")
}
