package corpus

import (
	"context"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"

	"github.com/dtmfkit/dtmfkit/audio/resample"
	"github.com/dtmfkit/dtmfkit/audio/wavio"
)

// MinSeconds is the shortest file the corpus keeps. Shorter ones (60 key
// clicks and blips among fillets-ng-data's English sounds, 25 of
// hedgewars' voices, 2 files of fillets-ng-data-nl with no audio at all)
// are left out of the manifest: they are clicks rather than speech, add
// seconds, not hours, and a receiver decoding them would spend most of
// each in its start-up.
const MinSeconds = 0.2

// converterVersion names the conversion below; a cache converted by
// another version is converted again. Change it whenever the WAV files
// would change.
const converterVersion = "1 (jfreymuth/vorbis 1.0.2 under this Ogg layer, mean of channels, audio/resample defaults, round and clip)"

// A converter decodes Ogg Vorbis files and writes them as 16-bit mono WAV
// files at each of Rates. It keeps its decoder, resamplers and buffers
// from file to file; it is not safe for concurrent use.
type converter struct {
	dec  monoDecoder
	rs   map[[2]int]*resample.Resampler // by input and output rate
	out  []float64
	pcm  []int16
	outs [len(Rates)]*wavOutput
}

// A wavOutput is a WAV file being written under a temporary name.
type wavOutput struct {
	final string
	f     *os.File
	w     *wavio.Writer
	r     *resample.Resampler
}

// convert decodes the Ogg Vorbis file src and writes it to the paths
// wavs[i] at Rates[i], atomically (a temporary file renamed when complete).
// It returns the decoded duration. A file shorter than minSeconds is not
// written (and its duration returned). ctx stops a conversion under way.
func (c *converter) convert(ctx context.Context, src []byte, wavs [len(Rates)]string, minSeconds float64) (seconds float64, err error) {
	defer func() {
		for i, o := range c.outs {
			if o != nil {
				o.f.Close() // after an error only; its error is moot
				os.Remove(o.f.Name())
				c.outs[i] = nil
			}
		}
	}()
	for i, path := range wavs {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			return 0, err
		}
		f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.tmp")
		if err != nil {
			return 0, err
		}
		c.outs[i] = &wavOutput{final: path, f: f}
		w, err := wavio.NewWriter(f, wavio.WriterConfig{SampleRate: Rates[i]})
		if err != nil {
			return 0, err
		}
		c.outs[i].w = w
	}

	rate, samples, err := c.dec.decode(src, func(rate int, mono []float64) error {
		if err := ctx.Err(); err != nil {
			return err
		}
		for i, o := range c.outs {
			if o.r == nil {
				r, err := c.resampler(rate, Rates[i])
				if err != nil {
					return err
				}
				o.r = r
			}
			c.out = o.r.Process(c.out[:0], mono)
			if err := c.write(o.w, c.out); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		for _, o := range c.outs {
			if o.r != nil {
				o.r.Reset()
			}
		}
		return 0, err
	}
	if samples == 0 {
		return 0, nil
	}
	seconds = float64(samples) / float64(rate)
	for _, o := range c.outs {
		c.out = o.r.Flush(c.out[:0])
		if err := c.write(o.w, c.out); err != nil {
			return 0, err
		}
	}
	if seconds < minSeconds {
		return seconds, nil
	}
	for i, o := range c.outs {
		if err := o.w.Close(); err != nil {
			return 0, err
		}
		if err := o.f.Close(); err != nil {
			return 0, err
		}
		if err := os.Rename(o.f.Name(), o.final); err != nil {
			return 0, err
		}
		c.outs[i] = nil
	}
	return seconds, nil
}

// resampler returns a Resampler from rate in to rate out, made once for
// each pair; it is reset after every file.
func (c *converter) resampler(in, out int) (*resample.Resampler, error) {
	key := [2]int{in, out}
	if r := c.rs[key]; r != nil {
		return r, nil
	}
	r, err := resample.New(resample.Config{InRate: in, OutRate: out})
	if err != nil {
		return nil, err
	}
	if c.rs == nil {
		c.rs = make(map[[2]int]*resample.Resampler)
	}
	c.rs[key] = r
	return r, nil
}

// write writes x, on the scale where ±1 is full scale, as 16-bit samples.
func (c *converter) write(w *wavio.Writer, x []float64) error {
	c.pcm = appendPCM(c.pcm[:0], x)
	return w.Write(c.pcm)
}

// appendPCM appends x as 16-bit samples: scaled by 32768 (the scale of
// libvorbis's own 16-bit output), rounded to the nearest, and clipped to
// −32768 … 32767. The level is kept as recorded: nothing is normalised.
func appendPCM(dst []int16, x []float64) []int16 {
	for _, v := range x {
		s := math.Round(v * 32768)
		switch {
		case s > math.MaxInt16:
			s = math.MaxInt16
		case s < math.MinInt16:
			s = math.MinInt16
		case s != s: // NaN: cannot come from the decoder, which clips to ±1
			s = 0
		}
		dst = append(dst, int16(s))
	}
	return dst
}

// errNoAudio reports a source file that decodes to nothing.
var errNoAudio = errors.New("no audio")

// describeShort says why a file was left out.
func describeShort(seconds float64) error {
	if seconds == 0 {
		return errNoAudio
	}
	return fmt.Errorf("%.3f s long, under the %.1f s kept", seconds, MinSeconds)
}
