package wavio_test

import (
	"bytes"
	"encoding/binary"
	"errors"
	"testing"
	"testing/iotest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/dtmfkit/dtmfkit/audio/wavio"
)

func TestReadAll(t *testing.T) {
	want := make([]int16, 20000) // more than one internal buffer
	for i := range want {
		want[i] = int16(i*7 - 30000)
	}
	raw := make([]byte, 2*len(want))
	for i, v := range want {
		binary.LittleEndian.PutUint16(raw[2*i:], uint16(v))
	}
	for _, c := range []struct {
		name    string
		max     int
		want    []int16
		tooLong bool
	}{
		{"no limit", 0, want, false},
		{"at the limit", len(want), want, false},
		{"over the limit", len(want) - 1, nil, true},
	} {
		t.Run(c.name, func(t *testing.T) {
			got, err := wavio.ReadAll(wavio.NewRawReader(iotest.HalfReader(bytes.NewReader(raw)), wavio.S16LE), c.max)
			if c.tooLong {
				require.ErrorIs(t, err, wavio.ErrTooLong)
				assert.Nil(t, got)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, c.want, got)
		})
	}
	t.Run("read error", func(t *testing.T) {
		boom := errors.New("boom")
		_, err := wavio.ReadAll(wavio.NewRawReader(iotest.ErrReader(boom), wavio.S16LE), 0)
		require.ErrorIs(t, err, boom)
	})
	t.Run("odd byte count", func(t *testing.T) {
		_, err := wavio.ReadAll(wavio.NewRawReader(bytes.NewReader(raw[:3]), wavio.S16LE), 0)
		require.Error(t, err)
	})
}
