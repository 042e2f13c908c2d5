package wavio

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// discardSeeker accepts writes and seeks and keeps nothing.
type discardSeeker struct{}

func (discardSeeker) Write(p []byte) (int, error)    { return len(p), nil }
func (discardSeeker) Seek(int64, int) (int64, error) { return 0, nil }

// TestWriterSizeLimit checks the 4 GiB limit with an unknown Length without
// writing 4 GiB: it starts the Writer just below the limit.
func TestWriterSizeLimit(t *testing.T) {
	for _, tc := range []struct {
		enc     Encoding
		maxData int64 // the RIFF size, 2^32-1, less the header after it, made even
	}{
		{S16LE, 1<<32 - 1 - 36 - 1},
		{MuLaw, 1<<32 - 1 - 50 - 1},
	} {
		w, err := NewWriter(discardSeeker{}, WriterConfig{Encoding: tc.enc})
		require.NoError(t, err)
		require.Equal(t, tc.maxData, w.maxData)
		width := int64(tc.enc.width())
		w.written = tc.maxData/width - 2
		require.NoError(t, w.Write([]int16{1, 2}), "%v: up to the limit", tc.enc)
		assert.ErrorIs(t, w.Write([]int16{3}), errTooLong, "%v: past the limit", tc.enc)
		require.NoError(t, w.Close())
	}
}
