package wavio_test

import (
	"bytes"
	"encoding/binary"
	"io"
	"runtime/metrics"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/stretchr/testify/require"

	"github.com/dtmfkit/dtmfkit/audio/g711"
	"github.com/dtmfkit/dtmfkit/audio/wavio"
)

// fuzzSeeds are hand-built headers for FuzzReader, valid and not: every
// format case, and headers that lie about sizes or declare absurd formats.
func fuzzSeeds() [][]byte {
	var seeds [][]byte
	for _, tc := range formatCases() {
		seeds = append(seeds, tc.file)
	}
	s16 := ck("data", pcm16(1, -2, 3, -4))
	return append(seeds,
		riff(fmtChunk(1, 1, 8000, 16), lying("data", 0xFFFFFFF0, pcm16(1, 2))),
		riff(fmtChunk(1, 1, 8000, 16), lying("data", 0xFFFFFFFF, pcm16(1, 2, 3))),
		riff(fmtChunk(1, 1, 8000, 16), lying("data", 0x7FFFF000, pcm16(1, 2, 3))),
		riff(lying("LIST", 0xFFFFFFFF, []byte("INFO")), fmtChunk(1, 1, 8000, 16), s16),
		riff(lying("fmt ", 0xFFFFFFFE, fmtBody(1, 1, 8000, 2, 16)), s16),
		withRIFFSize(riff(fmtChunk(1, 1, 8000, 16), s16), 0xFFFFFFFF),
		riff(ck("fmt ", fmtBody(1, 0, 8000, 0, 16)), s16),
		riff(ck("fmt ", fmtBody(1, 1, 0, 2, 16)), s16),
		riff(ck("fmt ", fmtBody(1, 65535, 0xFFFFFFFF, 65535, 65535)), s16),
		riff(ck("fmt ", fmtBody(3, 1, 8000, 1, 8)), s16),
		riff(ck("fmt ", fmtBody(1, 1, 8000, 2, 12)), s16),
		riff(extFmtChunk(2, 8000, 24, 20, subFormat(1)), s16),
		riff(extFmtChunk(1, 8000, 16, 16, subFormat(0x55)), s16),
		riff(ck("fmt ", cat(fmtBody(0xFFFE, 1, 8000, 2, 16), le16(0xFFFF))), s16),
		riff(fmtChunk(3, 2, 8000, 64), ck("data", float64s(1, -1, 0.5))),
		riff(s16, fmtChunk(1, 1, 8000, 16)),
		[]byte("RIFX\x24\x00\x00\x00WAVE"),
		[]byte("RF64\xff\xff\xff\xffWAVEds64"),
		[]byte("RIFF"),
		nil,
	)
}

// maxFuzzInput bounds the bytes a fuzz target reads: eight refills of a
// Reader's buffer. The mutator grows inputs to megabytes, which read a
// byte at a time take seconds a run and stall the fuzzer.
const maxFuzzInput = 64 << 10

// FuzzReader feeds arbitrary bytes to NewReader. It must never panic or
// allocate more than a fixed amount, and a file it accepts must read to its
// end the same way whatever the chunking, with at most one sample per byte.
func FuzzReader(f *testing.F) {
	for _, seed := range fuzzSeeds() {
		f.Add(seed, uint8(0))
	}
	f.Fuzz(func(t *testing.T, data []byte, channel uint8) {
		data = data[:min(len(data), maxFuzzInput)]
		cfg := wavio.ReaderConfig{Channel: int(channel % 4)}
		checkAllocBound(t, data, cfg)

		r, err := wavio.NewReader(bytes.NewReader(data), cfg)
		if err != nil {
			checkMessage(t, err)
			return
		}
		format := r.Format()
		require.Contains(t, []uint16{wavio.TagPCM, wavio.TagFloat, wavio.TagALaw, wavio.TagMuLaw}, format.Tag)
		require.True(t, format.Channels >= 1 && format.Channels <= 32, format.String())
		require.True(t, format.SampleRate >= 1 && format.SampleRate <= 1_000_000, format.String())

		want, wantErr := readAll(t, r, 97)
		if wantErr != nil {
			checkMessage(t, wantErr)
		}
		require.LessOrEqual(t, len(want), len(data))

		r, err = wavio.NewReader(iotest.OneByteReader(bytes.NewReader(data)), cfg)
		require.NoError(t, err)
		got, gotErr := readAll(t, r, 5)
		require.Equal(t, want, got)
		require.Equal(t, errString(wantErr), errString(gotErr))
	})
}

// checkAllocBound checks that parsing data and reading all its samples
// allocates less than 1 MiB, whatever the header says. A Reader needs about
// 25 KiB; the bound is loose because the runtime counts small allocations a
// span at a time (testdata/fuzz/FuzzReader/b2e1d202ae012b69 is a file whose
// 25 KiB counted as 72 KiB against an earlier bound of 64 KiB).
func checkAllocBound(t *testing.T, data []byte, cfg wavio.ReaderConfig) {
	t.Helper()
	before := heapAllocs()
	if r, err := wavio.NewReader(bytes.NewReader(data), cfg); err == nil {
		var dst [256]int16
		for {
			if _, err := r.Read(dst[:]); err != nil {
				break
			}
		}
	}
	require.Less(t, heapAllocs()-before, uint64(1<<20))
}

// heapAllocs returns the bytes allocated on the heap so far.
func heapAllocs() uint64 {
	s := []metrics.Sample{{Name: "/gc/heap/allocs:bytes"}}
	metrics.Read(s)
	return s[0].Value.Uint64()
}

// checkMessage checks the shape of an error from a Reader over a
// bytes.Reader, which only ever fails with io.EOF.
func checkMessage(t *testing.T, err error) {
	t.Helper()
	msg := err.Error()
	require.True(t, strings.HasPrefix(msg, "wavio: "), msg)
	require.Equal(t, 1, strings.Count(msg, "wavio:"), msg)
}

func errString(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

// FuzzRawReader reads the same bytes in one piece and split where splits
// says, and checks both against a direct decoding.
func FuzzRawReader(f *testing.F) {
	f.Add([]byte{1, 2, 3, 4, 5}, []byte{0}, uint8(0))
	f.Add([]byte{0xFF, 0x7F, 0x80, 0x00}, []byte{2, 0}, uint8(1))
	f.Add([]byte{0xD5, 0x55, 0xAA}, []byte(nil), uint8(2))
	f.Add(pcm16(randomPCM(300)...), []byte{0, 2, 254, 6}, uint8(0))
	f.Fuzz(func(t *testing.T, data, splits []byte, e uint8) {
		data = data[:min(len(data), maxFuzzInput)]
		enc := wavio.Encoding(e % 3)
		var want []int16
		wantErr := ""
		switch enc {
		case wavio.S16LE:
			for i := 0; i+1 < len(data); i += 2 {
				want = append(want, int16(binary.LittleEndian.Uint16(data[i:])))
			}
			if len(data)%2 == 1 {
				wantErr = "wavio: raw s16le stream ends with an odd byte: unexpected EOF"
			}
		case wavio.MuLaw:
			want = g711.MuLaw.AppendDecode(nil, data)
		case wavio.ALaw:
			want = g711.ALaw.AppendDecode(nil, data)
		}
		chunk := 1
		if len(splits) > 0 {
			chunk += int(splits[0])
		}
		for _, src := range []io.Reader{bytes.NewReader(data), &splitReader{data: data, splits: splits}} {
			got, err := readAll(t, wavio.NewRawReader(src, enc), chunk)
			require.Equal(t, len(want), len(got))
			if len(want) > 0 {
				require.Equal(t, want, got)
			}
			require.Equal(t, wantErr, errString(err))
		}
	})
}
