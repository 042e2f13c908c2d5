package wavio_test

import (
	"encoding/binary"
	"errors"
	"io"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/dtmfkit/dtmfkit/audio/wavio"
)

// chunk is one RIFF chunk of a hand-built file. size is the size written in
// its header, which may lie about len(data); a pad byte follows odd-sized
// data unless noPad is set.
type chunk struct {
	id    string
	size  uint32
	data  []byte
	noPad bool
}

func ck(id string, data []byte) chunk { return chunk{id: id, size: uint32(len(data)), data: data} }

// lying is a chunk whose header declares size, whatever len(data) is, and
// that has no pad byte.
func lying(id string, size uint32, data []byte) chunk {
	return chunk{id: id, size: size, data: data, noPad: true}
}

// riff builds a RIFF/WAVE file from chunks with a correct RIFF size.
func riff(chunks ...chunk) []byte {
	var body []byte
	for _, c := range chunks {
		body = append(body, c.id...)
		body = binary.LittleEndian.AppendUint32(body, c.size)
		body = append(body, c.data...)
		if len(c.data)%2 == 1 && !c.noPad {
			body = append(body, 0)
		}
	}
	out := append([]byte("RIFF"), le32(uint32(4+len(body)))...)
	out = append(out, "WAVE"...)
	return append(out, body...)
}

// withRIFFSize returns a copy of file with its RIFF size replaced.
func withRIFFSize(file []byte, size uint32) []byte {
	out := append([]byte(nil), file...)
	binary.LittleEndian.PutUint32(out[4:], size)
	return out
}

func le16(v uint16) []byte { return binary.LittleEndian.AppendUint16(nil, v) }
func le32(v uint32) []byte { return binary.LittleEndian.AppendUint32(nil, v) }

func cat(parts ...[]byte) []byte {
	var out []byte
	for _, p := range parts {
		out = append(out, p...)
	}
	return out
}

// fmtBody is a 16-byte WAVEFORMAT with a consistent byte rate and the given
// block align.
func fmtBody(tag, channels uint16, rate uint32, blockAlign, bits uint16) []byte {
	return cat(le16(tag), le16(channels), le32(rate), le32(rate*uint32(blockAlign)), le16(blockAlign), le16(bits))
}

// fmtChunk is a plain fmt chunk with a correct block align.
func fmtChunk(tag, channels uint16, rate uint32, bits uint16) chunk {
	return ck("fmt ", fmtBody(tag, channels, rate, channels*bits/8, bits))
}

// subFormat returns the KSDATAFORMAT_SUBTYPE GUID, as stored, of a format
// tag: {0000XXXX-0000-0010-8000-00AA00389B71}.
func subFormat(tag uint16) []byte {
	return cat(le16(tag), []byte{0, 0, 0, 0, 0x10, 0x00, 0x80, 0x00, 0x00, 0xAA, 0x00, 0x38, 0x9B, 0x71})
}

// extFmtChunk is a 40-byte WAVE_FORMAT_EXTENSIBLE fmt chunk.
func extFmtChunk(channels uint16, rate uint32, bits, valid uint16, guid []byte) chunk {
	return ck("fmt ", cat(fmtBody(0xFFFE, channels, rate, channels*bits/8, bits),
		le16(22), le16(valid), le32(uint32(1)<<channels-1), guid))
}

// appendAll encodes each value with put.
func appendAll[T any](vals []T, put func([]byte, T) []byte) []byte {
	var out []byte
	for _, v := range vals {
		out = put(out, v)
	}
	return out
}

// pcm16, pcm24, pcm32, float32s and float64s encode samples as stored in a
// WAV file, little-endian.
func pcm16(s ...int16) []byte {
	return appendAll(s, func(b []byte, v int16) []byte { return binary.LittleEndian.AppendUint16(b, uint16(v)) })
}

func pcm24(s ...int32) []byte {
	return appendAll(s, func(b []byte, v int32) []byte { return append(b, byte(v), byte(v>>8), byte(v>>16)) })
}

func pcm32(s ...int32) []byte {
	return appendAll(s, func(b []byte, v int32) []byte { return binary.LittleEndian.AppendUint32(b, uint32(v)) })
}

func float32s(s ...float32) []byte {
	return appendAll(s, func(b []byte, v float32) []byte { return binary.LittleEndian.AppendUint32(b, math.Float32bits(v)) })
}

func float64s(s ...float64) []byte {
	return appendAll(s, func(b []byte, v float64) []byte { return binary.LittleEndian.AppendUint64(b, math.Float64bits(v)) })
}

// randomPCM returns n seeded random samples spanning the full range.
func randomPCM(n int) []int16 {
	rng := rand.New(rand.NewPCG(1, 1))
	pcm := make([]int16, n)
	for i := range pcm {
		pcm[i] = int16(rng.IntN(1 << 16))
	}
	return pcm
}

// readAll reads r to its end with reads of chunk samples and returns the
// samples and the error that ended them (nil for io.EOF). It checks the
// SampleReader contract on the way: no (0, nil) reads, and the ending error
// is sticky.
func readAll(t testing.TB, r wavio.SampleReader, chunk int) ([]int16, error) {
	t.Helper()
	var out []int16
	dst := make([]int16, chunk)
	for {
		n, err := r.Read(dst)
		if err != nil {
			require.Zero(t, n, "n with an error")
			n2, err2 := r.Read(dst)
			require.Zero(t, n2, "read after the end")
			require.Equal(t, err, err2, "error is not sticky")
			if errors.Is(err, io.EOF) && !errors.Is(err, io.ErrUnexpectedEOF) {
				return out, nil
			}
			return out, err
		}
		// Checked without testify, which would cost more than the read:
		// the fuzz targets make a read per sample.
		if n <= 0 || n > chunk {
			t.Fatalf("Read returned (%d, nil) for %d samples", n, chunk)
		}
		out = append(out, dst[:n]...)
	}
}

// seekBuffer is an in-memory io.WriteSeeker.
type seekBuffer struct {
	b   []byte
	off int
}

func (s *seekBuffer) Write(p []byte) (int, error) {
	if end := s.off + len(p); end > len(s.b) {
		s.b = append(s.b, make([]byte, end-len(s.b))...)
	}
	s.off += copy(s.b[s.off:], p)
	return len(p), nil
}

func (s *seekBuffer) Seek(offset int64, whence int) (int64, error) {
	switch whence {
	case io.SeekStart:
	case io.SeekCurrent:
		offset += int64(s.off)
	case io.SeekEnd:
		offset += int64(len(s.b))
	}
	if offset < 0 {
		return 0, errors.New("seekBuffer: negative offset")
	}
	s.off = int(offset)
	return offset, nil
}

// repeatReader returns its bytes over and over, without allocating.
type repeatReader struct {
	b   []byte
	off int
}

func (r *repeatReader) Read(p []byte) (int, error) {
	n := 0
	for n < len(p) {
		m := copy(p[n:], r.b[r.off:])
		n += m
		r.off = (r.off + m) % len(r.b)
	}
	return n, nil
}

// splitReader returns its data in reads of the sizes in splits, cycling,
// which lets fuzzing choose where every read boundary falls.
type splitReader struct {
	data   []byte
	splits []byte
	i      int
}

func (r *splitReader) Read(p []byte) (int, error) {
	if len(r.data) == 0 {
		return 0, io.EOF
	}
	n := len(p)
	if len(r.splits) > 0 {
		n = min(n, int(r.splits[r.i%len(r.splits)])+1)
		r.i++
	}
	n = copy(p, r.data[:min(n, len(r.data))])
	r.data = r.data[n:]
	return n, nil
}
