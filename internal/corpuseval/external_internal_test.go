package corpuseval

import (
	"encoding/binary"
	"io"
	"math"
	"testing"
	"testing/iotest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/dtmfkit/dtmfkit/audio/resample"
)

func TestPCMReader(t *testing.T) {
	pcm := []int16{0, 1, -1, 32767, -32768, 1234}
	want := make([]byte, 0, 2*len(pcm))
	for _, v := range pcm {
		want = binary.LittleEndian.AppendUint16(want, uint16(v))
	}
	require.NoError(t, iotest.TestReader(newPCMReader(pcm), want))
	b, err := io.ReadAll(iotest.OneByteReader(newPCMReader(pcm)))
	require.NoError(t, err)
	assert.Equal(t, want, b)
	b, err = io.ReadAll(newPCMReader(nil))
	require.NoError(t, err)
	assert.Empty(t, b)
}

// The bytes multimon-ng gets are the resampler's output, rounded and
// clipped, whatever sizes they are read in.
func TestResampledReader(t *testing.T) {
	pcm := make([]int16, 8000+123)
	for i := range pcm {
		pcm[i] = int16(30000 * math.Sin(2*math.Pi*1000*float64(i)/8000))
	}
	pcm[4000] = 32767 // an overshoot to clip
	cfg := resample.Config{InRate: 8000, OutRate: MultimonRate, Passband: 0.8, Attenuation: 60}
	rs, err := resample.New(cfg)
	require.NoError(t, err)
	in := make([]float64, len(pcm))
	for i, v := range pcm {
		in[i] = float64(v)
	}
	out := rs.Flush(rs.Process(nil, in))
	require.EqualValues(t, rs.OutputLen(int64(len(pcm))), len(out))
	var want []byte
	for _, v := range out {
		want = binary.LittleEndian.AppendUint16(want, uint16(int16(math.Round(max(-32768, min(32767, v))))))
	}
	rs2, err := resample.New(cfg)
	require.NoError(t, err)
	require.NoError(t, iotest.TestReader(newResampledReader(rs2, pcm), want))
	// A few samples, less than the filter's delay, still come out whole.
	rs2.Reset()
	b, err := io.ReadAll(newResampledReader(rs2, pcm[:5]))
	require.NoError(t, err)
	assert.Len(t, b, 2*int(rs2.OutputLen(5)))
}

func TestParseTools(t *testing.T) {
	keys, err := parseSpandsp([]byte("1840 2448 1\n13056 -1 #\n"))
	require.NoError(t, err)
	assert.Equal(t, []Key{{'1', 1840, 2448}, {'#', 13056, -1}}, keys)
	for _, bad := range []string{"1840 2448\n", "a 2448 1\n", "1 2 X\n", "1 2 12\n"} {
		_, err := parseSpandsp([]byte(bad))
		assert.ErrorContains(t, err, "want START END DIGIT", "%q", bad)
	}
	keys, err = parseMultimon([]byte("DTMF: 1\n\nDTMF: *\n"))
	require.NoError(t, err)
	assert.Equal(t, []Key{{'1', -1, -1}, {'*', -1, -1}}, keys)
	for _, bad := range []string{"ZVEI1: 1\n", "DTMF: 12\n", "DTMF: X\n"} {
		_, err := parseMultimon([]byte(bad))
		assert.ErrorContains(t, err, `want "DTMF: D"`, "%q", bad)
	}
}
