package decoder_test

import (
	"encoding/binary"
	"math"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/dtmfkit/dtmfkit/dtmf"
	"github.com/dtmfkit/dtmfkit/dtmf/decoder"
	"github.com/dtmfkit/dtmfkit/dtmf/encoder"
	"github.com/dtmfkit/dtmfkit/internal/dtmftest"
)

// fuzzPCM is the seed audio of the split fuzz targets: keys with gaps at
// the given rate, as little-endian bytes.
func fuzzPCM(f *testing.F, rate dtmf.SampleRate, keys string) []byte {
	f.Helper()
	enc, err := encoder.New(encoder.Config{SampleRate: rate, Tone: 45 * time.Millisecond, Gap: 45 * time.Millisecond})
	require.NoError(f, err)
	pcm, err := enc.Append(nil, keys)
	require.NoError(f, err)
	b := make([]byte, 0, 2*len(pcm))
	for _, v := range pcm {
		b = binary.LittleEndian.AppendUint16(b, uint16(v))
	}
	return b
}

// splitDecode feeds x to d in pieces of random sizes from 0 (an empty
// call) to maxPiece, drawn from seed, with decode, and flushes. The split
// points come from two integers rather than a list of sizes: the fuzzer
// minimises every new input it finds, which for a list costs many runs of
// a target this slow, and stalls it.
func splitDecode[T any](d *decoder.Decoder, x []T, seed uint64, maxPiece uint16, decode func([]dtmf.Event, []T) []dtmf.Event) []dtmf.Event {
	rng := rand.New(rand.NewPCG(seed, seed))
	limit := 1 + int(maxPiece)%4096
	var ev []dtmf.Event
	for len(x) > 0 {
		n := min(len(x), rng.IntN(limit+1))
		ev = decode(ev, x[:n])
		x = x[n:]
	}
	return d.Flush(ev)
}

// FuzzDecodeSplits decodes arbitrary samples at an arbitrary rate, whole
// and split at random points (empty calls included), as 16-bit and as
// float samples: the events keep their contract and do not depend on the
// split. (16-bit and float input need not give the same events: at rates
// that are decimated, the float path analyses the decimator's output
// unrounded, the 16-bit path rounded to 16 bits.)
func FuzzDecodeSplits(f *testing.F) {
	f.Add(uint16(0), uint64(1), uint16(159), fuzzPCM(f, 8000, "4#"))
	f.Add(uint16(8000), uint64(2), uint16(0), fuzzPCM(f, 16000, "0D"))
	f.Add(uint16(36100), uint64(3), uint16(4095), fuzzPCM(f, 44100, "*"))
	f.Add(uint16(40000), uint64(4), uint16(2), []byte{0xff, 0x7f, 0x00, 0x80, 0x01})
	f.Add(uint16(65535), uint64(5), uint16(1000), fuzzPCM(f, 192000, "B"))
	f.Fuzz(func(t *testing.T, rateSel uint16, splitSeed uint64, maxPiece uint16, data []byte) {
		data = data[:min(len(data), maxFuzzBytes)]
		rate := fuzzRate(rateSel)
		x := make([]int16, len(data)/2)
		fx := make([]float32, len(x))
		for i := range x {
			x[i] = int16(binary.LittleEndian.Uint16(data[2*i:]))
			fx[i] = float32(x[i]) / 32768
		}
		d, err := decoder.New(decoder.Config{SampleRate: rate})
		require.NoError(t, err)
		want := d.Flush(d.Decode(nil, x))
		dtmftest.CheckEvents(t, want, int64(len(x)))
		require.Equal(t, want, splitDecode(d, x, splitSeed, maxPiece, d.Decode), "split int16")
		d, err = decoder.New(decoder.Config{SampleRate: rate})
		require.NoError(t, err)
		wantFloat := d.Flush(d.DecodeFloat32(nil, fx))
		dtmftest.CheckEvents(t, wantFloat, int64(len(x)))
		require.Equal(t, wantFloat, splitDecode(d, fx, splitSeed, maxPiece, d.DecodeFloat32), "split float32")
	})
}

// FuzzDecodeFloat32 feeds arbitrary float32 bit patterns (NaN, infinities,
// subnormals, huge values) to DecodeFloat32 at an arbitrary rate: no
// panic, events keep their contract, and splitting does not change them.
func FuzzDecodeFloat32(f *testing.F) {
	le := func(v ...float32) []byte {
		var b []byte
		for _, x := range v {
			b = binary.LittleEndian.AppendUint32(b, math.Float32bits(x))
		}
		return b
	}
	nan, inf := float32(math.NaN()), float32(math.Inf(1))
	f.Add(uint16(0), uint64(1), uint16(3), le(nan, inf, -inf, 1e30, -1e30, 0.5, -0.5, math.SmallestNonzeroFloat32))
	f.Add(uint16(8000), uint64(2), uint16(4095), le(1, -1, 1, -1, 1, -1))
	f.Add(uint16(65535), uint64(3), uint16(7), le(inf, -inf, 255, -255, 1e30, -1e30))
	f.Fuzz(func(t *testing.T, rateSel uint16, splitSeed uint64, maxPiece uint16, data []byte) {
		data = data[:min(len(data), maxFuzzBytes)]
		rate := fuzzRate(rateSel)
		// Repeat short inputs, so that they reach the decoder's analysis.
		fx := make([]float32, 0, len(data)/4)
		for i := 0; i+4 <= len(data); i += 4 {
			fx = append(fx, math.Float32frombits(binary.LittleEndian.Uint32(data[i:])))
		}
		for len(fx) > 0 && len(fx) < int(rate)/10 {
			fx = append(fx, fx...)
		}
		d, err := decoder.New(decoder.Config{SampleRate: rate})
		require.NoError(t, err)
		want := d.Flush(d.DecodeFloat32(nil, fx))
		dtmftest.CheckEvents(t, want, int64(len(fx)))
		require.Equal(t, want, splitDecode(d, fx, splitSeed, maxPiece, d.DecodeFloat32))
	})
}
