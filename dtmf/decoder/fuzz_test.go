package decoder_test

import (
	"encoding/binary"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/dtmfkit/dtmfkit/dtmf"
	"github.com/dtmfkit/dtmfkit/dtmf/decoder"
	"github.com/dtmfkit/dtmfkit/dtmf/encoder"
	"github.com/dtmfkit/dtmfkit/internal/dtmftest"
)

// FuzzDecode feeds arbitrary samples at an arbitrary rate in arbitrary
// chunks: the decoder must not panic, its events must keep their contract,
// and chunking must not change them.
func FuzzDecode(f *testing.F) {
	enc, _ := encoder.New(encoder.Config{Tone: 40 * time.Millisecond, Gap: 40 * time.Millisecond})
	pcm, _ := enc.Append(nil, "12#")
	seed := make([]byte, 0, 2*len(pcm))
	for _, v := range pcm {
		seed = binary.LittleEndian.AppendUint16(seed, uint16(v))
	}
	f.Add(uint16(0), uint8(0), seed)
	f.Add(uint16(8000), uint8(13), seed)
	f.Add(uint16(40000), uint8(1), []byte{0xff, 0x7f, 0x00, 0x80})
	f.Add(uint16(65535), uint8(200), seed)
	f.Fuzz(func(t *testing.T, rateSel uint16, chunk uint8, data []byte) {
		data = data[:min(len(data), maxFuzzBytes)]
		rate := fuzzRate(rateSel)
		x := make([]int16, len(data)/2)
		for i := range x {
			x[i] = int16(binary.LittleEndian.Uint16(data[2*i:]))
		}
		d, err := decoder.New(decoder.Config{SampleRate: rate})
		require.NoError(t, err)
		whole := d.Flush(d.Decode(nil, x))
		dtmftest.CheckEvents(t, whole, int64(len(x)))
		n := 1 + int(chunk)
		var pieces []dtmf.Event
		for i := 0; i < len(x); i += n {
			pieces = d.Decode(pieces, x[i:min(i+n, len(x))])
		}
		require.Equal(t, whole, d.Flush(pieces))
	})
}

// FuzzRoundTrip renders any key sequence within the documented timing and
// levels (tones and pauses of 40 ms or more, each tone between −40 and −3
// dBm0, twist within ±8 dB) at any rate and decodes it: the keys come back.
func FuzzRoundTrip(f *testing.F) {
	f.Add("159#", uint16(0), uint8(0), uint8(0), int8(0), int8(0))
	f.Add("0123456789*#ABCD", uint16(8000), uint8(255), uint8(10), int8(-8), int8(40))
	f.Add("DDDD", uint16(36100), uint8(3), uint8(200), int8(8), int8(-40))
	f.Add("*7", uint16(65535), uint8(0), uint8(0), int8(-8), int8(-1))
	f.Fuzz(func(t *testing.T, keys string, rateSel uint16, onSel, offSel uint8, twist, levelSel int8) {
		if len(keys) == 0 || len(keys) > 20 {
			return
		}
		for _, c := range keys {
			if _, err := dtmf.ParseDigit(c); err != nil {
				return
			}
		}
		rate := fuzzRate(rateSel)
		tw := float64(max(-8, min(8, twist)))
		// Level of the stronger tone from −3 down to −40 dBm0 less |twist|,
		// so that neither tone is below −40 dBm0.
		level := -3 - float64(uint8(levelSel))/255*(37-abs(tw))
		low := level
		if tw > 0 {
			low = level - tw
		}
		cfg := encoder.Config{SampleRate: rate, Level: low, Twist: tw,
			Tone: time.Duration(40+int(onSel)) * time.Millisecond, Gap: time.Duration(40+int(offSel)) * time.Millisecond,
			Lead: 5 * time.Millisecond, Trail: 5 * time.Millisecond}
		enc, err := encoder.New(cfg)
		require.NoError(t, err)
		pcm, err := enc.Append(nil, keys)
		require.NoError(t, err)
		d, err := decoder.New(decoder.Config{SampleRate: rate})
		require.NoError(t, err)
		ev := d.Flush(d.Decode(nil, pcm))
		dtmftest.CheckEvents(t, ev, int64(len(pcm)))
		want, _ := dtmf.AppendDigits(nil, keys)
		require.Equal(t, dtmf.FormatDigits(want), dtmftest.Keys(ev), "%+v", cfg)
	})
}

// maxFuzzBytes bounds the audio a decoder fuzz target decodes: 64 KiB, 4 s
// at 8 kHz, a few keys even at 192 kHz. The fuzzer lets inputs grow to
// megabytes (it duplicates bytes over generations); decoded four times in
// an instrumented build, such an input takes seconds, which stalls the
// fuzzer and, with minimisation, left workers mid-call when -fuzztime
// ran out (make fuzz failing with "context deadline exceeded", issue 11).
// A longer input finds nothing a shorter one does not: the decoder's
// state spans 40 ms.
const maxFuzzBytes = 1 << 16

// fuzzRate maps a fuzzer's rate selector onto the decoder's range: 0 to
// 40000 to 8000-48000 Hz in 1 Hz steps (as the corpus has always meant
// them), the rest to 48000-192000 Hz in steps of about 5.6 Hz.
func fuzzRate(sel uint16) dtmf.SampleRate {
	if sel <= 40000 {
		return dtmf.SampleRate(8000 + int(sel))
	}
	return dtmf.SampleRate(48000 + (int(sel)-40000)*144000/(65535-40000))
}

func abs(x float64) float64 {
	if x < 0 {
		return -x
	}
	return x
}
