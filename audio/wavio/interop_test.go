package wavio_test

// go-audio/wav v1.1.0 is an independent WAV implementation, used here as an
// oracle in both directions. Its known flaws (see
// shared/reference/go-audio-notes.md) shape the tests: it returns G.711 codes
// and 8-bit samples as unsigned bytes without expanding them, and it decodes
// the pad byte of an odd data chunk as a sample, so the G.711 files here have
// an even number of samples and its 8-bit input has the 128 bias added by
// hand.

import (
	"bytes"
	"fmt"
	"testing"

	goaudio "github.com/go-audio/audio"
	"github.com/go-audio/wav"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/dtmfkit/dtmfkit/audio/g711"
	"github.com/dtmfkit/dtmfkit/audio/wavio"
)

// TestGoAudioReadsWriter writes files with Writer and reads them with
// go-audio/wav's Decoder, at rates up to the 192 kHz of studio recorders.
func TestGoAudioReadsWriter(t *testing.T) {
	pcm := randomPCM(2000)
	for _, rate := range []int{16000, 88200, 96000, 176400, 192000} {
		for _, enc := range encodings {
			for _, known := range []bool{true, false} {
				t.Run(fmt.Sprintf("rate=%d/%v/known=%t", rate, enc, known), func(t *testing.T) {
					var sb seekBuffer
					cfg := wavio.WriterConfig{SampleRate: rate, Encoding: enc}
					if known {
						cfg.Length = int64(len(pcm))
					}
					w, err := wavio.NewWriter(&sb, cfg)
					require.NoError(t, err)
					require.NoError(t, w.Write(pcm))
					require.NoError(t, w.Close())

					d := wav.NewDecoder(bytes.NewReader(sb.b))
					buf, err := d.FullPCMBuffer()
					require.NoError(t, err)
					assert.Equal(t, uint32(rate), d.SampleRate)
					assert.Equal(t, uint16(1), d.NumChans)
					assert.Equal(t, tagOf(enc), d.WavAudioFormat)

					want := make([]int, len(pcm))
					switch enc {
					case wavio.S16LE:
						assert.Equal(t, uint16(16), d.BitDepth)
						for i, s := range pcm {
							want[i] = int(s)
						}
					default: // go-audio returns the G.711 codes as they are
						assert.Equal(t, uint16(8), d.BitDepth)
						law := g711.MuLaw
						if enc == wavio.ALaw {
							law = g711.ALaw
						}
						for i, c := range law.AppendEncode(nil, pcm) {
							want[i] = int(c)
						}
					}
					assert.Equal(t, uint32(rate)*uint32(d.BitDepth)/8, d.AvgBytesPerSec, "byte rate")
					require.Equal(t, want, buf.Data)
				})
			}
		}
	}
}

// TestReaderReadsGoAudio writes files with go-audio/wav's Encoder and reads
// them with Reader, at telephone, media and studio rates.
func TestReaderReadsGoAudio(t *testing.T) {
	pcm := randomPCM(3000) // 1500 stereo samples
	for _, tc := range []struct {
		bits     int
		channels int
		cfg      wavio.ReaderConfig
		in       func(s int16) int // the value go-audio is given
		want     func(i int) int16 // the sample Reader must return
	}{
		{16, 1, wavio.ReaderConfig{}, func(s int16) int { return int(s) }, func(i int) int16 { return pcm[i] }},
		{16, 2, wavio.ReaderConfig{}, func(s int16) int { return int(s) }, func(i int) int16 { return mean(pcm[2*i], pcm[2*i+1]) }},
		{16, 2, wavio.ReaderConfig{Channel: 1}, func(s int16) int { return int(s) }, func(i int) int16 { return pcm[2*i] }},
		{16, 2, wavio.ReaderConfig{Channel: 2}, func(s int16) int { return int(s) }, func(i int) int16 { return pcm[2*i+1] }},
		// go-audio writes uint8(v): the caller must add the 128 bias.
		{8, 1, wavio.ReaderConfig{}, func(s int16) int { return int(s>>8) + 128 }, func(i int) int16 { return pcm[i] &^ 0xFF }},
		{24, 1, wavio.ReaderConfig{}, func(s int16) int { return int(s)<<8 | 0x7F }, func(i int) int16 { return pcm[i] }},
		{32, 2, wavio.ReaderConfig{Channel: 2}, func(s int16) int { return int(s) << 16 }, func(i int) int16 { return pcm[2*i+1] }},
	} {
		for _, rate := range []int{8000, 96000, 192000} {
			t.Run(fmt.Sprintf("rate=%d/bits=%d/channels=%d/channel=%d", rate, tc.bits, tc.channels, tc.cfg.Channel), func(t *testing.T) {
				data := make([]int, len(pcm))
				for i, s := range pcm {
					data[i] = tc.in(s)
				}
				var sb seekBuffer
				e := wav.NewEncoder(&sb, rate, tc.bits, tc.channels, 1)
				require.NoError(t, e.Write(&goaudio.IntBuffer{
					Format:         &goaudio.Format{NumChannels: tc.channels, SampleRate: rate},
					Data:           data,
					SourceBitDepth: tc.bits,
				}))
				require.NoError(t, e.Close())

				r, err := wavio.NewReader(bytes.NewReader(sb.b), tc.cfg)
				require.NoError(t, err)
				assert.Equal(t, wavio.Format{Tag: wavio.TagPCM, Channels: tc.channels, SampleRate: rate, BitsPerSample: tc.bits}, r.Format())
				got, err := readAll(t, r, 160)
				require.NoError(t, err)
				want := make([]int16, len(pcm)/tc.channels)
				for i := range want {
					want[i] = tc.want(i)
				}
				require.Equal(t, want, got)
			})
		}
	}
}

// mean is the rounded average of two samples, halves away from zero.
func mean(a, b int16) int16 {
	s := int(a) + int(b)
	if s < 0 {
		return int16(-((-s + 1) / 2))
	}
	return int16((s + 1) / 2)
}
