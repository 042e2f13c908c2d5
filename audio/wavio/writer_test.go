package wavio_test

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/dtmfkit/dtmfkit/audio/g711"
	"github.com/dtmfkit/dtmfkit/audio/wavio"
)

var encodings = []wavio.Encoding{wavio.S16LE, wavio.MuLaw, wavio.ALaw}

// TestWriterHeader compares whole files with layouts written out by hand
// from the RIFF/WAVE specification.
func TestWriterHeader(t *testing.T) {
	for _, tc := range []struct {
		name string
		cfg  wavio.WriterConfig
		pcm  []int16
		want []byte
	}{
		{"s16le", wavio.WriterConfig{Length: 3}, []int16{1, -1, 256}, cat(
			[]byte("RIFF"), le32(42), []byte("WAVEfmt "), le32(16),
			le16(1), le16(1), le32(8000), le32(16000), le16(2), le16(16),
			[]byte("data"), le32(6), []byte{1, 0, 0xFF, 0xFF, 0, 1},
		)},
		{"ulaw odd", wavio.WriterConfig{SampleRate: 16000, Encoding: wavio.MuLaw, Length: 3}, []int16{0, 1000, -1000}, cat(
			[]byte("RIFF"), le32(54), []byte("WAVEfmt "), le32(18),
			le16(7), le16(1), le32(16000), le32(16000), le16(1), le16(8), le16(0),
			[]byte("fact"), le32(4), le32(3),
			[]byte("data"), le32(3), []byte{0xFF, 0xCE, 0x4E, 0}, // and the pad byte
		)},
		{"alaw", wavio.WriterConfig{Encoding: wavio.ALaw, Length: 2}, []int16{0, 32767}, cat(
			[]byte("RIFF"), le32(52), []byte("WAVEfmt "), le32(18),
			le16(6), le16(1), le32(8000), le32(8000), le16(1), le16(8), le16(0),
			[]byte("fact"), le32(4), le32(2),
			[]byte("data"), le32(2), []byte{0xD5, 0xAA},
		)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var known bytes.Buffer
			w, err := wavio.NewWriter(&known, tc.cfg)
			require.NoError(t, err)
			require.NoError(t, w.Write(tc.pcm[:1]))
			require.NoError(t, w.Write(tc.pcm[1:]))
			require.NoError(t, w.Close())
			assert.Equal(t, tc.want, known.Bytes(), "known Length")

			// With an unknown Length the sizes are fixed on Close.
			var unknown seekBuffer
			cfg := tc.cfg
			cfg.Length = 0
			w, err = wavio.NewWriter(&unknown, cfg)
			require.NoError(t, err)
			require.NoError(t, w.Write(tc.pcm))
			require.NoError(t, w.Close())
			assert.Equal(t, tc.want, unknown.b, "unknown Length")
			assert.Equal(t, len(unknown.b), unknown.off, "Close leaves the writer at the end")
		})
	}
}

func TestWriterRoundTrip(t *testing.T) {
	for _, enc := range encodings {
		for _, n := range []int{0, 1, 1001, 10000} {
			pcm := randomPCM(n)
			want := pcm
			if enc != wavio.S16LE {
				law := g711.MuLaw
				if enc == wavio.ALaw {
					law = g711.ALaw
				}
				want = law.AppendDecode(nil, law.AppendEncode(nil, pcm))
			}
			for _, known := range []bool{true, false} {
				t.Run(fmt.Sprintf("%v/n=%d/known=%t", enc, n, known), func(t *testing.T) {
					// Start the file at an offset, as when appending to a
					// stream, to check the header is fixed in place.
					sb := &seekBuffer{b: []byte("prefix"), off: 6}
					cfg := wavio.WriterConfig{SampleRate: 16000, Encoding: enc}
					if known {
						cfg.Length = int64(n)
					}
					w, err := wavio.NewWriter(sb, cfg)
					require.NoError(t, err)
					for i := 0; i < n; i += 333 {
						require.NoError(t, w.Write(pcm[i:min(i+333, n)]))
					}
					require.NoError(t, w.Close())

					file := sb.b[6:]
					assert.Equal(t, "prefix", string(sb.b[:6]))
					assert.Zero(t, len(file)%2, "RIFF files have an even size")
					assert.Equal(t, uint32(len(file)-8), leUint32(file[4:]), "RIFF size")

					r, err := wavio.NewReader(bytes.NewReader(file), wavio.ReaderConfig{})
					require.NoError(t, err)
					bits := 16
					if enc != wavio.S16LE {
						bits = 8
					}
					assert.Equal(t, wavio.Format{Tag: tagOf(enc), Channels: 1, SampleRate: 16000, BitsPerSample: bits}, r.Format())
					got, err := readAll(t, r, 512)
					require.NoError(t, err)
					require.Len(t, got, n)
					if n > 0 {
						assert.Equal(t, want, got)
					}
				})
			}
		}
	}
}

func leUint32(b []byte) uint32 {
	return uint32(b[0]) | uint32(b[1])<<8 | uint32(b[2])<<16 | uint32(b[3])<<24
}

func tagOf(enc wavio.Encoding) uint16 {
	switch enc {
	case wavio.MuLaw:
		return wavio.TagMuLaw
	case wavio.ALaw:
		return wavio.TagALaw
	default:
		return wavio.TagPCM
	}
}

// failWriter fails every write after the first n bytes.
type failWriter struct {
	n   int
	err error
}

func (w *failWriter) Write(p []byte) (int, error) {
	if len(p) > w.n {
		m := w.n
		w.n = 0
		return m, w.err
	}
	w.n -= len(p)
	return len(p), nil
}

// pipeSeeker is an io.WriteSeeker that cannot seek, like os.Stdout on a pipe.
type pipeSeeker struct{ bytes.Buffer }

var errPipeSeek = errors.New("seek: illegal seek")

func (*pipeSeeker) Seek(int64, int) (int64, error) { return 0, errPipeSeek }

func TestNewWriterErrors(t *testing.T) {
	for _, tc := range []struct {
		name string
		w    io.Writer
		cfg  wavio.WriterConfig
		want string
	}{
		{"negative rate", &seekBuffer{}, wavio.WriterConfig{SampleRate: -1}, "wavio: sample rate -1 Hz is outside 1 to 1000000 Hz"},
		{"absurd rate", &seekBuffer{}, wavio.WriterConfig{SampleRate: 1_000_001}, "wavio: sample rate 1000001 Hz is outside 1 to 1000000 Hz"},
		{"bad encoding", &seekBuffer{}, wavio.WriterConfig{Encoding: 3}, "wavio: invalid Encoding(3)"},
		{"negative length", &seekBuffer{}, wavio.WriterConfig{Length: -5}, "wavio: negative Length -5"},
		{"s16le over 4 GiB", &bytes.Buffer{}, wavio.WriterConfig{Length: 1 << 31}, "wavio: data would exceed the 4 GiB size limit of a WAV file: Length 2147483648"},
		{"ulaw over 4 GiB", &bytes.Buffer{}, wavio.WriterConfig{Encoding: wavio.MuLaw, Length: 1<<32 - 50}, "wavio: data would exceed the 4 GiB size limit of a WAV file: Length 4294967246"},
		{"not a seeker", &bytes.Buffer{}, wavio.WriterConfig{}, "wavio: Length is unknown and the writer cannot seek to fix the header; set WriterConfig.Length or write raw samples"},
		{"seek fails", &pipeSeeker{}, wavio.WriterConfig{}, "wavio: Length is unknown and the writer cannot seek to fix the header: seek: illegal seek"},
		{"write fails", &failWriter{n: 10, err: errors.New("disk full")}, wavio.WriterConfig{Length: 1}, "disk full"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w, err := wavio.NewWriter(tc.w, tc.cfg)
			require.Error(t, err)
			assert.Nil(t, w)
			assert.Equal(t, tc.want, err.Error())
		})
	}
	// The largest Lengths that fit are accepted.
	for _, tc := range []wavio.WriterConfig{
		{Length: (1<<32 - 1 - 36) / 2},
		{Encoding: wavio.ALaw, Length: 1<<32 - 1 - 50 - 1},
	} {
		_, err := wavio.NewWriter(io.Discard, tc)
		assert.NoError(t, err, "%+v", tc)
	}
}

func TestWriterErrors(t *testing.T) {
	t.Run("more than Length", func(t *testing.T) {
		var buf bytes.Buffer
		w, err := wavio.NewWriter(&buf, wavio.WriterConfig{Length: 2})
		require.NoError(t, err)
		require.NoError(t, w.Write([]int16{1}))
		assert.EqualError(t, w.Write([]int16{2, 3}), "wavio: writing 2 more samples would exceed Length 2 by 1")
		assert.Equal(t, 44+2, buf.Len(), "nothing written")
		require.NoError(t, w.Write([]int16{2}))
		require.NoError(t, w.Close())
	})
	t.Run("fewer than Length", func(t *testing.T) {
		w, err := wavio.NewWriter(io.Discard, wavio.WriterConfig{Length: 2})
		require.NoError(t, err)
		require.NoError(t, w.Write([]int16{1}))
		assert.EqualError(t, w.Close(), "wavio: wrote 1 sample, but Length is 2")
	})
	t.Run("after Close", func(t *testing.T) {
		w, err := wavio.NewWriter(&seekBuffer{}, wavio.WriterConfig{})
		require.NoError(t, err)
		require.NoError(t, w.Close())
		require.NoError(t, w.Close(), "Close twice")
		assert.EqualError(t, w.Write([]int16{1}), "wavio: write after Close")
	})
	t.Run("write error is sticky", func(t *testing.T) {
		errFull := errors.New("disk full")
		w, err := wavio.NewWriter(&failWriter{n: 44 + 100, err: errFull}, wavio.WriterConfig{Length: 1000})
		require.NoError(t, err)
		require.NoError(t, w.Write(make([]int16, 50)))
		assert.Same(t, errFull, w.Write(make([]int16, 51)))
		assert.Same(t, errFull, w.Write(make([]int16, 1)))
		assert.Same(t, errFull, w.Close())
		assert.Same(t, errFull, w.Close())
	})
	t.Run("pad byte write error", func(t *testing.T) {
		errFull := errors.New("disk full")
		w, err := wavio.NewWriter(&failWriter{n: 58 + 1, err: errFull}, wavio.WriterConfig{Encoding: wavio.MuLaw, Length: 1})
		require.NoError(t, err)
		require.NoError(t, w.Write([]int16{0}))
		assert.Same(t, errFull, w.Close())
	})
	t.Run("seek error on Close", func(t *testing.T) {
		fs := &flakySeeker{}
		w, err := wavio.NewWriter(fs, wavio.WriterConfig{})
		require.NoError(t, err)
		require.NoError(t, w.Write([]int16{1, 2}))
		fs.fail = true
		assert.ErrorIs(t, w.Close(), errPipeSeek)
	})
}

// flakySeeker seeks until fail is set.
type flakySeeker struct {
	seekBuffer
	fail bool
}

func (f *flakySeeker) Seek(off int64, whence int) (int64, error) {
	if f.fail {
		return 0, errPipeSeek
	}
	return f.seekBuffer.Seek(off, whence)
}

func TestRawWriter(t *testing.T) {
	pcm := randomPCM(5000)
	for _, enc := range encodings {
		var buf bytes.Buffer
		w := wavio.NewRawWriter(&buf, enc)
		require.NoError(t, w.Write(pcm[:1]))
		require.NoError(t, w.Write(pcm[1:]))
		require.NoError(t, w.Write(nil))
		switch enc {
		case wavio.S16LE:
			assert.Equal(t, pcm16(pcm...), buf.Bytes())
		case wavio.MuLaw:
			assert.Equal(t, g711.MuLaw.AppendEncode(nil, pcm), buf.Bytes())
		case wavio.ALaw:
			assert.Equal(t, g711.ALaw.AppendEncode(nil, pcm), buf.Bytes())
		}
	}
	errFull := errors.New("disk full")
	w := wavio.NewRawWriter(&failWriter{n: 3, err: errFull}, wavio.S16LE)
	assert.Same(t, errFull, w.Write([]int16{1, 2}))
	assert.Same(t, errFull, w.Write(nil), "sticky")
	assert.PanicsWithValue(t, "wavio: NewRawWriter with invalid Encoding(7)", func() { wavio.NewRawWriter(io.Discard, 7) })
}

func TestWriteAllocs(t *testing.T) {
	pcm := randomPCM(4000)
	for _, enc := range encodings {
		w, err := wavio.NewWriter(io.Discard, wavio.WriterConfig{Encoding: enc, Length: 1 << 30})
		require.NoError(t, err)
		assert.Zero(t, testing.AllocsPerRun(100, func() {
			if err := w.Write(pcm); err != nil {
				t.Fatal(err)
			}
		}), "Writer %v", enc)
		rw := wavio.NewRawWriter(io.Discard, enc)
		assert.Zero(t, testing.AllocsPerRun(100, func() {
			if err := rw.Write(pcm); err != nil {
				t.Fatal(err)
			}
		}), "RawWriter %v", enc)
	}
}

func BenchmarkWriter(b *testing.B) {
	for _, enc := range encodings {
		for _, chunk := range []int{160, 4096} {
			b.Run(fmt.Sprintf("%v/chunk=%d", enc, chunk), func(b *testing.B) {
				pcm := randomPCM(chunk)
				w, err := wavio.NewWriter(io.Discard, wavio.WriterConfig{Encoding: enc, Length: 1 << 30})
				require.NoError(b, err)
				b.ReportAllocs()
				b.SetBytes(int64(2 * chunk))
				for b.Loop() {
					if err := w.Write(pcm); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}
