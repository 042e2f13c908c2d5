package decoder_test

import (
	"encoding/binary"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/dtmfkit/dtmfkit/dtmf"
	"github.com/dtmfkit/dtmfkit/dtmf/decoder"
	"github.com/dtmfkit/dtmfkit/internal/talkoff"
)

// kernelEvents decodes pcm in 160-sample chunks with the filter bank on the
// named kernel, and flushes.
func kernelEvents(t testing.TB, cfg decoder.Config, kernel string, pcm []int16) []dtmf.Event {
	t.Helper()
	d, err := decoder.New(cfg)
	require.NoError(t, err)
	decoder.SetKernel(d, kernel)
	var events []dtmf.Event
	for i := 0; i < len(pcm); i += 160 {
		events = d.Decode(events, pcm[i:min(i+160, len(pcm))])
	}
	return d.Flush(events)
}

// TestKernelsAgree decodes the event dump's signals (random keys clean and
// in noise at five rates, two profiles; speech and music), the real-audio
// fixtures and the talk-off corpus with the pure-Go filter bank and with
// every vector kernel the processor runs: the events must be identical
// (issue 11: the kernels do the same arithmetic, bit for bit).
func TestKernelsAgree(t *testing.T) {
	kernels := decoder.Kernels()
	if len(kernels) == 1 {
		t.Skip("no vector kernel in this build (purego, or not amd64): nothing to compare")
	}
	type signal struct {
		name string
		cfg  decoder.Config
		pcm  []int16
	}
	var signals []signal
	for _, rate := range []dtmf.SampleRate{8000, 11025, 16000, 44100, 48000} {
		for _, snr := range []float64{99, 20, 12} {
			pcm := randomPresses(rate, snr)
			name := fmt.Sprintf("keys at %v dB SNR, %v", snr, rate)
			signals = append(signals,
				signal{name, decoder.Config{SampleRate: rate}, pcm},
				signal{name + " strict", decoder.Config{SampleRate: rate, Profile: decoder.Strict,
					MinOn: 60 * time.Millisecond, MinOff: 35 * time.Millisecond}, pcm})
		}
	}
	for _, rate := range []int{8000, 16000} {
		clips, err := talkoff.Speech("../../testdata/talkoff", rate)
		require.NoError(t, err)
		for _, c := range append(clips, talkoff.Clips(rate)...) {
			signals = append(signals, signal{c.Name, decoder.Config{SampleRate: dtmf.SampleRate(rate)}, c.PCM})
		}
	}
	names, err := filepath.Glob(filepath.Join(realDir, "*.wav"))
	require.NoError(t, err)
	require.NotEmpty(t, names)
	for _, name := range names {
		signals = append(signals, signal{filepath.Base(name), decoder.Config{}, readLaw(t, name)})
	}
	keys := 0
	for _, s := range signals {
		want := kernelEvents(t, s.cfg, "go", s.pcm)
		keys += len(want)
		for _, k := range kernels[1:] {
			require.Equal(t, want, kernelEvents(t, s.cfg, k, s.pcm), "%s, kernel %s", s.name, k)
		}
	}
	require.Greater(t, keys, 1000, "the signals hold keys")
}

// FuzzKernels decodes arbitrary 16-bit samples at an arbitrary rate with
// the pure-Go filter bank and with each vector kernel: the events must be
// identical.
func FuzzKernels(f *testing.F) {
	f.Add(uint16(0), fuzzPCM(f, 8000, "159#"))
	f.Add(uint16(3025), fuzzPCM(f, 11025, "*D"))
	f.Add(uint16(8000), []byte{0xff, 0x7f, 0x00, 0x80, 0x01, 0x80, 0xff, 0x7f})
	f.Fuzz(func(t *testing.T, rateSel uint16, data []byte) {
		kernels := decoder.Kernels()
		if len(kernels) == 1 {
			t.Skip("no vector kernel in this build")
		}
		data = data[:min(len(data), maxFuzzBytes)]
		rate := fuzzRate(rateSel)
		x := make([]int16, len(data)/2)
		for i := range x {
			x[i] = int16(binary.LittleEndian.Uint16(data[2*i:]))
		}
		cfg := decoder.Config{SampleRate: rate}
		want := kernelEvents(t, cfg, "go", x)
		for _, k := range kernels[1:] {
			require.Equal(t, want, kernelEvents(t, cfg, k, x), "kernel %s", k)
		}
	})
}
