package wavio_test

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
	"strings"
	"testing"
	"testing/iotest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/dtmfkit/dtmfkit/audio/g711"
	"github.com/dtmfkit/dtmfkit/audio/wavio"
)

func TestEncoding(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want wavio.Encoding
	}{
		{"s16le", wavio.S16LE}, {"S16LE", wavio.S16LE},
		{"ulaw", wavio.MuLaw}, {"mulaw", wavio.MuLaw}, {"PCMU", wavio.MuLaw}, {"uLaw", wavio.MuLaw},
		{"alaw", wavio.ALaw}, {"pcma", wavio.ALaw}, {"ALAW", wavio.ALaw},
	} {
		got, err := wavio.ParseEncoding(tc.in)
		require.NoError(t, err, tc.in)
		assert.Equal(t, tc.want, got, tc.in)
		back, err := wavio.ParseEncoding(got.String())
		require.NoError(t, err)
		assert.Equal(t, got, back)
	}
	for _, bad := range []string{"", "s16be", "pcm", "g729", "u-law"} {
		_, err := wavio.ParseEncoding(bad)
		require.Error(t, err, bad)
		assert.Equal(t, fmt.Sprintf("wavio: unknown encoding %q (want s16le, ulaw or alaw)", bad), err.Error())
	}
	assert.Equal(t, "s16le", wavio.S16LE.String())
	assert.Equal(t, "ulaw", wavio.MuLaw.String())
	assert.Equal(t, "alaw", wavio.ALaw.String())
	assert.Equal(t, "Encoding(3)", wavio.Encoding(3).String())
}

func TestFormatString(t *testing.T) {
	assert.Equal(t, "16-bit PCM, 2 channels, 8000 Hz", wavio.Format{Tag: wavio.TagPCM, Channels: 2, SampleRate: 8000, BitsPerSample: 16}.String())
	assert.Equal(t, "8-bit mu-law, 1 channel, 8000 Hz", wavio.Format{Tag: wavio.TagMuLaw, Channels: 1, SampleRate: 8000, BitsPerSample: 8}.String())
	assert.Equal(t, "8-bit A-law, 1 channel, 8000 Hz", wavio.Format{Tag: wavio.TagALaw, Channels: 1, SampleRate: 8000, BitsPerSample: 8}.String())
	assert.Equal(t, "32-bit float, 6 channels, 48000 Hz", wavio.Format{Tag: wavio.TagFloat, Channels: 6, SampleRate: 48000, BitsPerSample: 32}.String())
	assert.Equal(t, "4-bit format 0x0011, 1 channel, 8000 Hz", wavio.Format{Tag: 0x11, Channels: 1, SampleRate: 8000, BitsPerSample: 4}.String())
}

func mono(tag uint16, rate int, bits int) wavio.Format {
	return wavio.Format{Tag: tag, Channels: 1, SampleRate: rate, BitsPerSample: bits}
}

// formatCase is a valid file and the samples a Reader must return for it.
type formatCase struct {
	name   string
	file   []byte
	cfg    wavio.ReaderConfig
	format wavio.Format
	want   []int16
}

// formatCases covers every supported format and layout.
func formatCases() []formatCase {
	s16 := pcm16(1, -1, 32767, -32768, 0, 1234)
	s16want := []int16{1, -1, 32767, -32768, 0, 1234}
	stereo := pcm16(1, 2, -1, -2, 32767, 32767, -32768, -32768, 100, -100, 0, 1, 0, -1)
	st := func(bits int) wavio.Format {
		return wavio.Format{Tag: wavio.TagPCM, Channels: 2, SampleRate: 8000, BitsPerSample: bits}
	}
	floats := []float64{0, 0.5, -0.5, 1, -1, 2, -2, math.Inf(1), math.Inf(-1), 1.0 / 65536, -1.0 / 65536, 0.25 / 32768}
	floatWant := []int16{0, 16384, -16384, 32767, -32768, 32767, -32768, 32767, -32768, 1, -1, 0}
	var f32 []float32
	for _, f := range floats {
		f32 = append(f32, float32(f))
	}
	muCodes := []byte{0xFF, 0x7F, 0x80, 0x00, 0xCE}
	muWant := []int16{0, 0, 32124, -32124, 988}
	aCodes := []byte{0xD5, 0x55, 0xAA, 0x2A}
	aWant := []int16{8, -8, 32256, -32256}
	list := ck("LIST", cat([]byte("INFOISFT"), le32(6), []byte("dtmfk\x00")))
	cbSize := func(n uint16, extra int) []byte { return cat(le16(n), make([]byte, extra)) }

	ch32 := make([]int16, 64)
	ch32[31], ch32[63] = 7, -7

	return []formatCase{
		// Formats.
		{"8-bit odd with pad and trailing chunk", riff(fmtChunk(1, 1, 8000, 8), ck("data", []byte{0, 128, 255}), list),
			wavio.ReaderConfig{}, mono(1, 8000, 8), []int16{-32768, 0, 32512}},
		{"16-bit", riff(fmtChunk(1, 1, 16000, 16), ck("data", s16)), wavio.ReaderConfig{}, mono(1, 16000, 16), s16want},
		{"24-bit", riff(fmtChunk(1, 1, 8000, 24), ck("data", pcm24(0x7FFFFF, -0x800000, 0x100, -1, 0xFF, -0x100, -0x101))),
			wavio.ReaderConfig{}, mono(1, 8000, 24), []int16{32767, -32768, 1, -1, 0, -1, -2}},
		{"32-bit", riff(fmtChunk(1, 1, 8000, 32), ck("data", pcm32(0x7FFFFFFF, -0x80000000, 0x10000, -1, 0xFFFF, -0x10001))),
			wavio.ReaderConfig{}, mono(1, 8000, 32), []int16{32767, -32768, 1, -1, 0, -2}},
		{"float32", riff(fmtChunk(3, 1, 44100, 32), ck("data", float32s(f32...))), wavio.ReaderConfig{}, mono(3, 44100, 32), floatWant},
		{"float64", riff(fmtChunk(3, 1, 44100, 64), ck("data", float64s(floats...))), wavio.ReaderConfig{}, mono(3, 44100, 64), floatWant},
		{"mu-law odd", riff(fmtChunk(7, 1, 8000, 8), ck("data", muCodes)), wavio.ReaderConfig{}, mono(7, 8000, 8), muWant},
		{"A-law", riff(fmtChunk(6, 1, 8000, 8), ck("data", aCodes)), wavio.ReaderConfig{}, mono(6, 8000, 8), aWant},

		// Channels.
		{"stereo mixed", riff(fmtChunk(1, 2, 8000, 16), ck("data", stereo)), wavio.ReaderConfig{}, st(16),
			[]int16{2, -2, 32767, -32768, 0, 1, -1}},
		{"stereo left", riff(fmtChunk(1, 2, 8000, 16), ck("data", stereo)), wavio.ReaderConfig{Channel: 1}, st(16),
			[]int16{1, -1, 32767, -32768, 100, 0, 0}},
		{"stereo right", riff(fmtChunk(1, 2, 8000, 16), ck("data", stereo)), wavio.ReaderConfig{Channel: 2}, st(16),
			[]int16{2, -2, 32767, -32768, -100, 1, -1}},
		{"3 channels mixed", riff(fmtChunk(1, 3, 8000, 16), ck("data", pcm16(1, 1, 0, 1, 0, 0, -1, -1, 0, 32767, 32767, 32767, -32768, -32768, -32768))),
			wavio.ReaderConfig{}, wavio.Format{Tag: 1, Channels: 3, SampleRate: 8000, BitsPerSample: 16}, []int16{1, 0, -1, 32767, -32768}},
		{"stereo 8-bit mixed", riff(fmtChunk(1, 2, 8000, 8), ck("data", []byte{0, 255, 128, 129})), wavio.ReaderConfig{}, st(8),
			[]int16{-128, 128}},
		{"stereo float right", riff(fmtChunk(3, 2, 8000, 32), ck("data", float32s(0.5, -0.5, 0.25, 0.125))), wavio.ReaderConfig{Channel: 2},
			wavio.Format{Tag: 3, Channels: 2, SampleRate: 8000, BitsPerSample: 32}, []int16{-16384, 4096}},
		{"32 channels, channel 32", riff(fmtChunk(1, 32, 8000, 16), ck("data", pcm16(ch32...))),
			wavio.ReaderConfig{Channel: 32}, wavio.Format{Tag: 1, Channels: 32, SampleRate: 8000, BitsPerSample: 16}, []int16{7, -7}},

		// WAVE_FORMAT_EXTENSIBLE.
		{"extensible PCM", riff(extFmtChunk(1, 8000, 16, 16, subFormat(1)), ck("data", s16)), wavio.ReaderConfig{}, mono(1, 8000, 16), s16want},
		{"extensible 24 in 32 stereo", riff(extFmtChunk(2, 48000, 32, 24, subFormat(1)), ck("data", pcm32(0x7FFFFF00, -0x100, 0x100, 0x300))),
			wavio.ReaderConfig{}, wavio.Format{Tag: 1, Channels: 2, SampleRate: 48000, BitsPerSample: 32}, []int16{16383, 0}},
		{"extensible valid bits 0", riff(extFmtChunk(1, 8000, 16, 0, subFormat(1)), ck("data", s16)), wavio.ReaderConfig{}, mono(1, 8000, 16), s16want},
		{"extensible float", riff(extFmtChunk(1, 16000, 32, 32, subFormat(3)), ck("data", float32s(f32...))), wavio.ReaderConfig{}, mono(3, 16000, 32), floatWant},
		{"extensible mu-law", riff(extFmtChunk(1, 8000, 8, 8, subFormat(7)), ck("data", muCodes)), wavio.ReaderConfig{}, mono(7, 8000, 8), muWant},
		{"extensible A-law", riff(extFmtChunk(1, 8000, 8, 8, subFormat(6)), ck("data", aCodes)), wavio.ReaderConfig{}, mono(6, 8000, 8), aWant},

		// fmt chunk sizes.
		{"fmt 18", riff(ck("fmt ", cat(fmtBody(1, 1, 8000, 2, 16), cbSize(0, 0))), ck("data", s16)), wavio.ReaderConfig{}, mono(1, 8000, 16), s16want},
		{"fmt 21 odd with pad", riff(ck("fmt ", cat(fmtBody(7, 1, 8000, 1, 8), cbSize(3, 3))), ck("data", muCodes)), wavio.ReaderConfig{}, mono(7, 8000, 8), muWant},
		{"fmt 40 not extensible", riff(ck("fmt ", cat(fmtBody(1, 1, 8000, 2, 16), cbSize(22, 22))), ck("data", s16)), wavio.ReaderConfig{}, mono(1, 8000, 16), s16want},
		{"fmt 50", riff(ck("fmt ", cat(fmtBody(1, 1, 8000, 2, 16), cbSize(32, 32))), ck("data", s16)), wavio.ReaderConfig{}, mono(1, 8000, 16), s16want},
		{"extensible fmt 48", riff(ck("fmt ", cat(extFmtChunk(1, 8000, 16, 16, subFormat(1)).data, make([]byte, 8))), ck("data", s16)),
			wavio.ReaderConfig{}, mono(1, 8000, 16), s16want},

		// Other chunks.
		{"chunks before and after fmt", riff(list, ck("JUNK", []byte{1, 2, 3}), fmtChunk(7, 1, 8000, 8),
			ck("fact", le32(5)), ck("bext", make([]byte, 603)), ck("PEAK", nil), ck("data", muCodes), list),
			wavio.ReaderConfig{}, mono(7, 8000, 8), muWant},
		{"empty data chunk then LIST", riff(fmtChunk(1, 1, 8000, 16), ck("data", nil), list), wavio.ReaderConfig{}, mono(1, 8000, 16), nil},

		// Streaming sizes.
		{"data size 0xFFFFFFFF", withRIFFSize(riff(fmtChunk(1, 1, 8000, 16), chunk{id: "data", size: 0xFFFFFFFF, data: s16}), 0xFFFFFFFF),
			wavio.ReaderConfig{}, mono(1, 8000, 16), s16want},
		{"data size 0xFFFFFFFF odd bytes, 8-bit", riff(fmtChunk(1, 1, 8000, 8), chunk{id: "data", size: 0xFFFFFFFF, data: []byte{0, 128, 255}, noPad: true}),
			wavio.ReaderConfig{}, mono(1, 8000, 8), []int16{-32768, 0, 32512}},
		{"data size of SoX", withRIFFSize(riff(fmtChunk(1, 1, 8000, 16), chunk{id: "data", size: 0x7FFFF000, data: s16}), 0x7FFFF024),
			wavio.ReaderConfig{}, mono(1, 8000, 16), s16want},
		{"data size 0, RIFF size 0", withRIFFSize(riff(fmtChunk(1, 1, 8000, 16), chunk{id: "data", size: 0, data: s16}), 0),
			wavio.ReaderConfig{}, mono(1, 8000, 16), s16want},
		{"data size 0, RIFF size 36", withRIFFSize(riff(fmtChunk(1, 1, 8000, 16), chunk{id: "data", size: 0, data: s16}), 36),
			wavio.ReaderConfig{}, mono(1, 8000, 16), s16want},
	}
}

func TestReaderFormats(t *testing.T) {
	for _, tc := range formatCases() {
		t.Run(tc.name, func(t *testing.T) {
			r, err := wavio.NewReader(bytes.NewReader(tc.file), tc.cfg)
			require.NoError(t, err)
			assert.Equal(t, tc.format, r.Format())
			assert.Equal(t, tc.format.SampleRate, r.SampleRate())
			got, err := readAll(t, r, 4096)
			require.NoError(t, err)
			assert.Equal(t, tc.want, got)
		})
	}
}

// TestReaderStopsAtDataEnd checks that a Reader reads nothing after a data
// chunk of known size, so what follows stays in the stream.
func TestReaderStopsAtDataEnd(t *testing.T) {
	for _, data := range [][]byte{pcm16(1, 2, 3), {1, 2, 3, 4, 5}} { // even, and odd with a pad byte
		file := riff(fmtChunk(1, 1, 8000, 8), ck("data", data))
		src := bytes.NewReader(append(file, "trailer"...))
		r, err := wavio.NewReader(src, wavio.ReaderConfig{})
		require.NoError(t, err)
		got, err := readAll(t, r, 2)
		require.NoError(t, err)
		assert.Len(t, got, len(data))
		rest, _ := io.ReadAll(src)
		// The pad byte of an odd data chunk is not a sample and is left
		// unread, like everything after the chunk.
		assert.Equal(t, string(file[len(file)-len(data)%2:])+"trailer", string(rest))
	}
}

func TestReaderHeaderErrors(t *testing.T) {
	s16 := ck("data", pcm16(1, 2))
	junk := []chunk{fmtChunk(1, 1, 8000, 16)}
	for range 1024 {
		junk = append(junk, ck("JUNK", nil))
	}
	for _, tc := range []struct {
		name string
		file []byte
		cfg  wavio.ReaderConfig
		want string
	}{
		{"empty", nil, wavio.ReaderConfig{}, "wavio: not a WAV file: empty input"},
		{"mp3", []byte("ID3\x04\x00\x00"), wavio.ReaderConfig{}, `wavio: not a WAV file: starts with "ID3\x04"`},
		{"ogg", []byte("OggS\x00\x02"), wavio.ReaderConfig{}, `wavio: not a WAV file: starts with "OggS"`},
		{"two bytes", []byte("RI"), wavio.ReaderConfig{}, `wavio: not a WAV file: starts with "RI"`},
		{"RIFX", []byte("RIFX\x00\x00\x00\x24WAVE"), wavio.ReaderConfig{}, "wavio: big-endian RIFX is not supported"},
		{"RF64", []byte("RF64\xff\xff\xff\xffWAVEds64"), wavio.ReaderConfig{}, "wavio: RF64 is not supported"},
		{"AVI", []byte("RIFF\x00\x00\x00\x00AVI LIST"), wavio.ReaderConfig{}, `wavio: not a WAV file: RIFF form type is "AVI ", not "WAVE"`},
		{"truncated RIFF header", []byte("RIFF\x24\x00\x00\x00WA"), wavio.ReaderConfig{}, "wavio: truncated RIFF header at offset 10: unexpected EOF"},
		{"RIFF header only", []byte("RIFF\x04\x00\x00\x00WAVE"), wavio.ReaderConfig{}, "wavio: no fmt chunk"},
		{"no fmt", riff(ck("LIST", []byte("INFO"))), wavio.ReaderConfig{}, "wavio: no fmt chunk"},
		{"no data", riff(fmtChunk(1, 1, 8000, 16), ck("LIST", []byte("INFO"))), wavio.ReaderConfig{}, "wavio: no data chunk"},
		{"data before fmt", riff(s16, fmtChunk(1, 1, 8000, 16)), wavio.ReaderConfig{}, "wavio: data chunk before fmt chunk"},
		{"endless chunks", riff(append(junk, s16)...), wavio.ReaderConfig{}, "wavio: no data chunk in the first 1024 chunks"},
		{"second fmt", riff(fmtChunk(1, 1, 8000, 16), fmtChunk(1, 1, 8000, 16), s16), wavio.ReaderConfig{}, "wavio: second fmt chunk at offset 36"},
		{"truncated chunk header", append(riff(fmtChunk(1, 1, 8000, 16)), "data"...), wavio.ReaderConfig{}, "wavio: truncated chunk header at offset 40: unexpected EOF"},
		{"binary chunk ID", append(riff(fmtChunk(1, 1, 8000, 16)), "\x00\x01da\x02\x00\x00\x00"...), wavio.ReaderConfig{}, `wavio: malformed chunk ID "\x00\x01da" at offset 36`},
		{"fmt too short", riff(ck("fmt ", fmtBody(1, 1, 8000, 2, 16)[:14]), s16), wavio.ReaderConfig{}, "wavio: fmt chunk is 14 bytes, less than 16"},
		{"truncated fmt", riff(lying("fmt ", 16, fmtBody(1, 1, 8000, 2, 16)[:10])), wavio.ReaderConfig{}, "wavio: truncated fmt chunk at offset 30: unexpected EOF"},
		{"truncated fmt extra", riff(lying("fmt ", 100, cat(fmtBody(1, 1, 8000, 2, 16), le16(84), make([]byte, 30)))), wavio.ReaderConfig{},
			`wavio: truncated "fmt " chunk: 52 bytes missing at offset 68: unexpected EOF`},
		{"truncated LIST", riff(fmtChunk(1, 1, 8000, 16), lying("LIST", 1000, []byte("INFO"))), wavio.ReaderConfig{},
			`wavio: truncated "LIST" chunk: 996 bytes missing at offset 48: unexpected EOF`},
		{"LIST size near 2^32", riff(lying("LIST", 0xFFFFFFF0, []byte("INFO")), fmtChunk(1, 1, 8000, 16), s16), wavio.ReaderConfig{},
			`wavio: truncated "LIST" chunk: 4294967240 bytes missing at offset 60: unexpected EOF`},
		{"fmt size near 2^32", riff(lying("fmt ", 0xFFFFFFFF, fmtBody(1, 1, 8000, 2, 16)), s16), wavio.ReaderConfig{},
			"wavio: truncated fmt chunk at offset 48: unexpected EOF"},

		{"MP3", riff(ck("fmt ", cat(fmtBody(0x55, 2, 44100, 1, 0), le16(12), make([]byte, 12))), s16), wavio.ReaderConfig{},
			"wavio: unsupported format tag 0x0055 (MPEG Layer 3)"},
		{"MS ADPCM", riff(fmtChunk(2, 1, 8000, 4), s16), wavio.ReaderConfig{}, "wavio: unsupported format tag 0x0002 (Microsoft ADPCM)"},
		{"IMA ADPCM", riff(fmtChunk(0x11, 1, 8000, 4), s16), wavio.ReaderConfig{}, "wavio: unsupported format tag 0x0011 (IMA ADPCM)"},
		{"GSM", riff(fmtChunk(0x31, 1, 8000, 0), s16), wavio.ReaderConfig{}, "wavio: unsupported format tag 0x0031 (GSM 6.10)"},
		{"G.729A", riff(fmtChunk(0x83, 1, 8000, 0), s16), wavio.ReaderConfig{}, "wavio: unsupported format tag 0x0083 (G.729A)"},
		{"G.722", riff(fmtChunk(0x65, 1, 16000, 4), s16), wavio.ReaderConfig{}, "wavio: unsupported format tag 0x0065 (G.722 ADPCM)"},
		{"tag 0", riff(fmtChunk(0, 1, 8000, 16), s16), wavio.ReaderConfig{}, "wavio: unsupported format tag 0x0000 (unknown)"},
		{"tag 0x1234", riff(fmtChunk(0x1234, 1, 8000, 16), s16), wavio.ReaderConfig{}, "wavio: unsupported format tag 0x1234"},
		{"extensible ambisonic", riff(extFmtChunk(4, 48000, 16, 16, cat(le32(1), []byte{0x21, 0x07, 0xD3, 0x11, 0x86, 0x44, 0xC8, 0xC1, 0xCA, 0, 0, 0})), s16),
			wavio.ReaderConfig{}, "wavio: unsupported WAVE_FORMAT_EXTENSIBLE sub-format {00000001-0721-11D3-8644-C8C1CA000000}"},
		{"extensible MP3", riff(extFmtChunk(1, 8000, 16, 16, subFormat(0x55)), s16),
			wavio.ReaderConfig{}, "wavio: unsupported WAVE_FORMAT_EXTENSIBLE sub-format {00000055-0000-0010-8000-00AA00389B71} (MPEG Layer 3)"},
		{"extensible fmt 18", riff(ck("fmt ", cat(fmtBody(0xFFFE, 1, 8000, 2, 16), le16(0))), s16), wavio.ReaderConfig{},
			"wavio: WAVE_FORMAT_EXTENSIBLE fmt chunk is 18 bytes, less than 40"},
		{"extensible cbSize 0", riff(ck("fmt ", cat(fmtBody(0xFFFE, 1, 8000, 2, 16), le16(0), make([]byte, 22))), s16), wavio.ReaderConfig{},
			"wavio: WAVE_FORMAT_EXTENSIBLE cbSize is 0, less than 22"},
		{"extensible valid bits", riff(extFmtChunk(1, 8000, 16, 24, subFormat(1)), s16), wavio.ReaderConfig{},
			"wavio: WAVE_FORMAT_EXTENSIBLE has 24 valid bits in a 16-bit sample"},

		{"zero channels", riff(ck("fmt ", fmtBody(1, 0, 8000, 2, 16)), s16), wavio.ReaderConfig{}, "wavio: fmt chunk declares 0 channels"},
		{"33 channels", riff(fmtChunk(1, 33, 8000, 16), s16), wavio.ReaderConfig{}, "wavio: 33 channels, more than the 32 supported"},
		{"65535 channels", riff(ck("fmt ", fmtBody(1, 65535, 8000, 2, 16)), s16), wavio.ReaderConfig{}, "wavio: 65535 channels, more than the 32 supported"},
		{"zero rate", riff(fmtChunk(1, 1, 0, 16), s16), wavio.ReaderConfig{}, "wavio: fmt chunk declares a sample rate of 0 Hz"},
		{"absurd rate", riff(fmtChunk(1, 1, 0xFFFFFFFF, 16), s16), wavio.ReaderConfig{}, "wavio: sample rate of 4294967295 Hz is above the 1000000 Hz limit"},
		{"12-bit PCM", riff(ck("fmt ", fmtBody(1, 1, 8000, 2, 12)), s16), wavio.ReaderConfig{}, "wavio: unsupported bit depth: 12-bit PCM, 1 channel, 8000 Hz"},
		{"8-bit float", riff(fmtChunk(3, 1, 8000, 8), s16), wavio.ReaderConfig{}, "wavio: unsupported bit depth: 8-bit float, 1 channel, 8000 Hz"},
		{"16-bit mu-law", riff(fmtChunk(7, 1, 8000, 16), s16), wavio.ReaderConfig{}, "wavio: unsupported bit depth: 16-bit mu-law, 1 channel, 8000 Hz"},
		{"64-bit PCM", riff(fmtChunk(1, 1, 8000, 64), s16), wavio.ReaderConfig{}, "wavio: unsupported bit depth: 64-bit PCM, 1 channel, 8000 Hz"},
		{"65535-bit PCM", riff(ck("fmt ", fmtBody(1, 1, 8000, 2, 65535)), s16), wavio.ReaderConfig{}, "wavio: unsupported bit depth: 65535-bit PCM, 1 channel, 8000 Hz"},
		{"0-bit PCM", riff(ck("fmt ", fmtBody(1, 1, 8000, 2, 0)), s16), wavio.ReaderConfig{}, "wavio: unsupported bit depth: 0-bit PCM, 1 channel, 8000 Hz"},
		{"block align", riff(ck("fmt ", fmtBody(1, 2, 8000, 2, 16)), s16), wavio.ReaderConfig{}, "wavio: block align is 2, not 4 for 2 channels of 2 bytes"},
		{"block align 0", riff(ck("fmt ", fmtBody(1, 1, 8000, 0, 16)), s16), wavio.ReaderConfig{}, "wavio: block align is 0, not 2 for 1 channel of 2 bytes"},

		{"channel 3 of 2", riff(fmtChunk(1, 2, 8000, 16), s16), wavio.ReaderConfig{Channel: 3}, "wavio: cannot read channel 3: the file has 2 channels"},
		{"channel 2 of 1", riff(fmtChunk(1, 1, 8000, 16), s16), wavio.ReaderConfig{Channel: 2}, "wavio: cannot read channel 2: the file has 1 channel"},
		{"channel -1", riff(fmtChunk(1, 1, 8000, 16), s16), wavio.ReaderConfig{Channel: -1}, "wavio: cannot read channel -1: the file has 1 channel"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r, err := wavio.NewReader(bytes.NewReader(tc.file), tc.cfg)
			require.Error(t, err)
			assert.Nil(t, r)
			assert.Equal(t, tc.want, err.Error())
			assert.Equal(t, 1, strings.Count(err.Error(), "wavio:"), "prefix once")
			if strings.Contains(tc.want, "unexpected EOF") {
				assert.ErrorIs(t, err, io.ErrUnexpectedEOF)
			}
		})
	}
}

func TestReaderHeaderReadError(t *testing.T) {
	errBoom := errors.New("boom")
	file := riff(fmtChunk(1, 1, 8000, 16), ck("LIST", make([]byte, 100)), ck("data", pcm16(1, 2)))
	for n := range len(file) - 4 {
		src := io.MultiReader(bytes.NewReader(file[:n]), iotest.ErrReader(errBoom))
		_, err := wavio.NewReader(src, wavio.ReaderConfig{})
		require.ErrorIs(t, err, errBoom, "error after %d bytes", n)
	}
	_, err := wavio.NewReader(iotest.TimeoutReader(bytes.NewReader(file)), wavio.ReaderConfig{})
	require.ErrorIs(t, err, iotest.ErrTimeout)
}

func TestReaderDataErrors(t *testing.T) {
	t.Run("truncated data chunk", func(t *testing.T) {
		file := riff(fmtChunk(1, 1, 8000, 16), chunk{id: "data", size: 100, data: pcm16(1, 2, 3), noPad: true})
		file = append(file, 9) // half a sample more
		r, err := wavio.NewReader(bytes.NewReader(file), wavio.ReaderConfig{})
		require.NoError(t, err)
		got, err := readAll(t, r, 2)
		assert.Equal(t, []int16{1, 2, 3}, got)
		require.ErrorIs(t, err, io.ErrUnexpectedEOF)
		assert.EqualError(t, err, "wavio: data chunk truncated: 93 of its 100 bytes missing: unexpected EOF")
	})
	t.Run("odd data size", func(t *testing.T) {
		file := riff(fmtChunk(1, 1, 8000, 16), ck("data", []byte{1, 0, 2, 0, 3}))
		r, err := wavio.NewReader(bytes.NewReader(file), wavio.ReaderConfig{})
		require.NoError(t, err)
		got, err := readAll(t, r, 10)
		assert.Equal(t, []int16{1, 2}, got)
		require.ErrorIs(t, err, io.ErrUnexpectedEOF)
		assert.EqualError(t, err, "wavio: data ends with 1 stray byte, less than the 2-byte block align: unexpected EOF")
	})
	t.Run("partial stereo sample at EOF", func(t *testing.T) {
		file := riff(fmtChunk(1, 2, 8000, 16), chunk{id: "data", size: 0xFFFFFFFF, data: pcm16(1, 3, 5), noPad: true})
		r, err := wavio.NewReader(bytes.NewReader(file), wavio.ReaderConfig{})
		require.NoError(t, err)
		got, err := readAll(t, r, 10)
		assert.Equal(t, []int16{2}, got)
		assert.EqualError(t, err, "wavio: data ends with 2 stray bytes, less than the 4-byte block align: unexpected EOF")
	})
	t.Run("NaN", func(t *testing.T) {
		data := float32s(0.5, 0.25, float32(math.NaN()), 0.5)
		r, err := wavio.NewReader(bytes.NewReader(riff(fmtChunk(3, 1, 8000, 32), ck("data", data))), wavio.ReaderConfig{})
		require.NoError(t, err)
		got, err := readAll(t, r, 10)
		assert.Equal(t, []int16{16384, 8192}, got)
		assert.EqualError(t, err, "wavio: NaN float sample at sample offset 2")
	})
	t.Run("NaN in second read, stereo", func(t *testing.T) {
		data := float64s(0.5, 0.5, 0.25, 0.25, 0, 0, 0, math.NaN())
		r, err := wavio.NewReader(bytes.NewReader(riff(fmtChunk(3, 2, 8000, 64), ck("data", data))), wavio.ReaderConfig{Channel: 1})
		require.NoError(t, err)
		got, err := readAll(t, r, 2)
		assert.Equal(t, []int16{16384, 8192, 0}, got)
		assert.EqualError(t, err, "wavio: NaN float sample at sample offset 3, channel 2")
	})
	t.Run("read error", func(t *testing.T) {
		errBoom := errors.New("boom")
		file := riff(fmtChunk(1, 1, 8000, 16), ck("data", pcm16(1, 2, 3, 4)))
		r, err := wavio.NewReader(io.MultiReader(bytes.NewReader(file[:len(file)-3]), iotest.ErrReader(errBoom)), wavio.ReaderConfig{})
		require.NoError(t, err)
		got, err := readAll(t, r, 10)
		assert.Equal(t, []int16{1, 2}, got)
		assert.Same(t, errBoom, err)
	})
	t.Run("timeout", func(t *testing.T) {
		hdr := riff(fmtChunk(1, 1, 8000, 16), chunk{id: "data", size: 8, noPad: true})
		src := io.MultiReader(bytes.NewReader(hdr), iotest.TimeoutReader(bytes.NewReader(pcm16(5, 6, 7, 8))))
		r, err := wavio.NewReader(src, wavio.ReaderConfig{})
		require.NoError(t, err)
		got, err := readAll(t, r, 10)
		assert.Equal(t, []int16{5, 6, 7, 8}, got)
		assert.NoError(t, err, "the data ends before the second read")

		src = io.MultiReader(bytes.NewReader(hdr), iotest.TimeoutReader(iotest.OneByteReader(bytes.NewReader(pcm16(5, 6, 7, 8)))))
		r, err = wavio.NewReader(src, wavio.ReaderConfig{})
		require.NoError(t, err)
		_, err = readAll(t, r, 10)
		assert.ErrorIs(t, err, iotest.ErrTimeout)
	})
	t.Run("no progress", func(t *testing.T) {
		hdr := riff(fmtChunk(1, 1, 8000, 16), chunk{id: "data", size: 8, noPad: true})
		r, err := wavio.NewReader(io.MultiReader(bytes.NewReader(hdr), emptyReader{}), wavio.ReaderConfig{})
		require.NoError(t, err)
		_, err = readAll(t, r, 10)
		assert.ErrorIs(t, err, io.ErrNoProgress)
	})
	t.Run("zero-length dst", func(t *testing.T) {
		r, err := wavio.NewReader(bytes.NewReader(riff(fmtChunk(1, 1, 8000, 16), ck("data", pcm16(1)))), wavio.ReaderConfig{})
		require.NoError(t, err)
		n, err := r.Read(nil)
		assert.Zero(t, n)
		assert.NoError(t, err)
	})
}

// emptyReader returns (0, nil) forever.
type emptyReader struct{}

func (emptyReader) Read([]byte) (int, error) { return 0, nil }

// TestReaderChunking reads every format case through readers that split the
// stream differently, with reads of different sizes; the samples and the
// final error must not change.
func TestReaderChunking(t *testing.T) {
	cases := append(formatCases(),
		formatCase{name: "long stereo", file: riff(fmtChunk(1, 2, 8000, 16), ck("data", pcm16(randomPCM(20000)...)))},
		formatCase{name: "long truncated 24-bit", file: riff(fmtChunk(1, 1, 8000, 24),
			chunk{id: "data", size: 1 << 20, data: pcm24(make([]int32, 9999)...), noPad: true})},
		formatCase{name: "NaN", file: riff(fmtChunk(3, 2, 8000, 32),
			ck("data", float32s(append(make([]float32, 5000), float32(math.NaN()), 0)...)))},
	)

	wrappers := map[string]func(io.Reader) io.Reader{
		"OneByteReader": iotest.OneByteReader,
		"HalfReader":    iotest.HalfReader,
		"DataErrReader": iotest.DataErrReader,
		"split 3,1,7": func(r io.Reader) io.Reader {
			b, _ := io.ReadAll(r)
			return &splitReader{data: b, splits: []byte{2, 0, 6}}
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r, err := wavio.NewReader(bytes.NewReader(tc.file), tc.cfg)
			require.NoError(t, err)
			want, wantErr := readAll(t, r, 1<<16)
			for name, wrap := range wrappers {
				for _, chunk := range []int{1, 7, 160, 205, 4096} {
					r, err := wavio.NewReader(wrap(bytes.NewReader(tc.file)), tc.cfg)
					require.NoError(t, err)
					got, gotErr := readAll(t, r, chunk)
					require.Equal(t, want, got, "%s, chunk=%d", name, chunk)
					require.Equal(t, fmt.Sprint(wantErr), fmt.Sprint(gotErr), "%s, chunk=%d", name, chunk)
				}
			}
		})
	}
}

func TestRawReader(t *testing.T) {
	pcm := randomPCM(1001)
	for _, enc := range []wavio.Encoding{wavio.S16LE, wavio.MuLaw, wavio.ALaw} {
		t.Run(enc.String(), func(t *testing.T) {
			var raw []byte
			want := pcm
			switch enc {
			case wavio.S16LE:
				raw = pcm16(pcm...)
			case wavio.MuLaw:
				raw = g711.MuLaw.AppendEncode(nil, pcm)
				want = g711.MuLaw.AppendDecode(nil, raw)
			case wavio.ALaw:
				raw = g711.ALaw.AppendEncode(nil, pcm)
				want = g711.ALaw.AppendDecode(nil, raw)
			}
			for _, wrap := range []func(io.Reader) io.Reader{
				func(r io.Reader) io.Reader { return r }, iotest.OneByteReader, iotest.HalfReader, iotest.DataErrReader,
			} {
				for _, chunk := range []int{1, 7, 160, 4096} {
					got, err := readAll(t, wavio.NewRawReader(wrap(bytes.NewReader(raw)), enc), chunk)
					require.NoError(t, err)
					require.Equal(t, want, got)
				}
			}
			got, err := readAll(t, wavio.NewRawReader(bytes.NewReader(nil), enc), 10)
			assert.NoError(t, err)
			assert.Empty(t, got)
		})
	}
}

// TestRawReaderSplits splits an s16le stream in two at every byte offset;
// a sample cut in half is carried over, never an error.
func TestRawReaderSplits(t *testing.T) {
	pcm := randomPCM(37)
	raw := pcm16(pcm...)
	for cut := range len(raw) + 1 {
		src := io.MultiReader(bytes.NewReader(raw[:cut]), bytes.NewReader(raw[cut:]))
		got, err := readAll(t, wavio.NewRawReader(src, wavio.S16LE), 5)
		require.NoError(t, err, "cut at %d", cut)
		require.Equal(t, pcm, got, "cut at %d", cut)
	}
}

func TestRawReaderOddByte(t *testing.T) {
	for _, wrap := range []func(io.Reader) io.Reader{
		func(r io.Reader) io.Reader { return r }, iotest.OneByteReader, iotest.DataErrReader,
	} {
		got, err := readAll(t, wavio.NewRawReader(wrap(bytes.NewReader([]byte{1, 0, 2, 0, 3})), wavio.S16LE), 10)
		assert.Equal(t, []int16{1, 2}, got)
		require.ErrorIs(t, err, io.ErrUnexpectedEOF)
		assert.EqualError(t, err, "wavio: raw s16le stream ends with an odd byte: unexpected EOF")
	}
}

func TestNewRawReaderPanics(t *testing.T) {
	assert.PanicsWithValue(t, "wavio: NewRawReader with invalid Encoding(3)", func() {
		wavio.NewRawReader(bytes.NewReader(nil), 3)
	})
}

func TestReadAllocs(t *testing.T) {
	dst := make([]int16, 160)
	for _, tc := range []struct {
		name string
		fmt  chunk
		cfg  wavio.ReaderConfig
	}{
		{"s16le", fmtChunk(1, 1, 8000, 16), wavio.ReaderConfig{}},
		{"stereo mixed", fmtChunk(1, 2, 8000, 16), wavio.ReaderConfig{}},
		{"24-bit stereo right", fmtChunk(1, 2, 8000, 24), wavio.ReaderConfig{Channel: 2}},
		{"float32", fmtChunk(3, 1, 8000, 32), wavio.ReaderConfig{}},
		{"mu-law", fmtChunk(7, 1, 8000, 8), wavio.ReaderConfig{}},
	} {
		r, err := wavio.NewReader(endless(tc.fmt), tc.cfg)
		require.NoError(t, err)
		assert.Zero(t, testing.AllocsPerRun(100, func() {
			if _, err := r.Read(dst); err != nil {
				t.Fatal(err)
			}
		}), tc.name)
	}
	rr := wavio.NewRawReader(&repeatReader{b: []byte{1, 2, 3}}, wavio.S16LE)
	assert.Zero(t, testing.AllocsPerRun(100, func() {
		if _, err := rr.Read(dst); err != nil {
			t.Fatal(err)
		}
	}), "RawReader")
}

// endless returns a WAV stream of unknown length, format f, and random
// samples (that are never NaN) that do not end.
func endless(f chunk) io.Reader {
	pcm := randomPCM(1000)
	for i := range pcm {
		pcm[i] &^= 0x4000 // clear a float exponent bit: no NaN or Inf
	}
	hdr := riff(f, chunk{id: "data", size: 0xFFFFFFFF, noPad: true})
	return io.MultiReader(bytes.NewReader(hdr), &repeatReader{b: pcm16(pcm...)})
}

func BenchmarkReader(b *testing.B) {
	for _, tc := range []struct {
		name string
		fmt  chunk
	}{
		{"s16le", fmtChunk(1, 1, 8000, 16)},
		{"stereo", fmtChunk(1, 2, 8000, 16)},
		{"float32", fmtChunk(3, 1, 8000, 32)},
		{"ulaw", fmtChunk(7, 1, 8000, 8)},
	} {
		for _, chunk := range []int{160, 4096} {
			b.Run(fmt.Sprintf("%s/chunk=%d", tc.name, chunk), func(b *testing.B) {
				r, err := wavio.NewReader(endless(tc.fmt), wavio.ReaderConfig{})
				require.NoError(b, err)
				benchmarkRead(b, r, chunk)
			})
		}
	}
}

func BenchmarkRawReader(b *testing.B) {
	for _, chunk := range []int{160, 4096} {
		b.Run(fmt.Sprintf("chunk=%d", chunk), func(b *testing.B) {
			benchmarkRead(b, wavio.NewRawReader(&repeatReader{b: pcm16(randomPCM(1000)...)}, wavio.S16LE), chunk)
		})
	}
}

// benchmarkRead reads chunk samples from r per iteration, into one buffer.
func benchmarkRead(b *testing.B, r wavio.SampleReader, chunk int) {
	dst := make([]int16, chunk)
	b.ReportAllocs()
	b.SetBytes(int64(2 * chunk))
	for b.Loop() {
		for n := 0; n < chunk; {
			m, err := r.Read(dst[n:])
			if err != nil {
				b.Fatal(err)
			}
			n += m
		}
	}
}

// BenchmarkNewReader parses a header and reads 160 samples with a fresh
// Reader each time, against the shared Reader of BenchmarkReader.
func BenchmarkNewReader(b *testing.B) {
	file := riff(ck("LIST", make([]byte, 100)), fmtChunk(1, 1, 8000, 16), ck("data", pcm16(randomPCM(160)...)))
	dst := make([]int16, 160)
	b.ReportAllocs()
	b.SetBytes(2 * 160)
	for b.Loop() {
		r, err := wavio.NewReader(bytes.NewReader(file), wavio.ReaderConfig{})
		if err != nil {
			b.Fatal(err)
		}
		if n, err := r.Read(dst); n != 160 || err != nil {
			b.Fatal(n, err)
		}
	}
}

// TestIssue6HeaderNoProgress cuts a header at every byte and follows the
// cut with a reader that returns (0, nil) forever: NewReader must give up
// with io.ErrNoProgress, as Read does on the samples, instead of spinning
// forever in io.ReadFull. A reader that claims more bytes than it was given
// is an error too.
func TestIssue6HeaderNoProgress(t *testing.T) {
	file := riff(ck("LIST", make([]byte, 9)), fmtChunk(1, 1, 8000, 16), ck("data", pcm16(1, 2)))
	hdr := len(file) - 4 // up to the samples
	for n := range hdr {
		done := make(chan error, 1)
		go func() {
			_, err := wavio.NewReader(io.MultiReader(bytes.NewReader(file[:n]), emptyReader{}), wavio.ReaderConfig{})
			done <- err
		}()
		select {
		case err := <-done:
			require.ErrorIs(t, err, io.ErrNoProgress, "cut after %d bytes", n)
		case <-time.After(10 * time.Second):
			t.Fatalf("NewReader hangs on a header cut after %d bytes", n)
		}
	}
	_, err := wavio.NewReader(io.MultiReader(bytes.NewReader(file[:20]), overReader{}), wavio.ReaderConfig{})
	require.ErrorContains(t, err, "wavio: underlying reader returned")
}

// overReader claims to have read one byte more than it was given.
type overReader struct{}

func (overReader) Read(p []byte) (int, error) { return len(p) + 1, nil }
