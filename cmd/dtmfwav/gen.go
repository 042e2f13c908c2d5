package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"strings"
	"time"

	"github.com/dtmfkit/dtmfkit/audio/wavio"
	"github.com/dtmfkit/dtmfkit/bridge"
	"github.com/dtmfkit/dtmfkit/dtmf"
	"github.com/dtmfkit/dtmfkit/dtmf/encoder"
)

type genOptions struct {
	rate        int
	tone, gap   time.Duration
	level       float64
	twist       float64
	ramp        time.Duration
	lead, trail time.Duration
	format      string
	out         string
	request     string
	callID      string
}

func (o *genOptions) flagSet() *flag.FlagSet {
	fs := flag.NewFlagSet("gen", flag.ContinueOnError)
	fs.IntVar(&o.rate, "rate", 8000, fmt.Sprintf("sample rate in `Hz`, %d to %d", encoder.MinSampleRate, encoder.MaxSampleRate))
	fs.DurationVar(&o.tone, "tone", encoder.DefaultTone, "tone length of each key, ramps included")
	fs.DurationVar(&o.gap, "gap", encoder.DefaultGap, "silence between tones (Graph's delayBetweenTonesMs)")
	fs.Float64Var(&o.level, "level", encoder.DefaultLevel, "level of the low-group tone in `dBm0` (0 dBm0 is 3.14 dB below full scale)")
	fs.Float64Var(&o.twist, "twist", 0, "high-group level minus low-group level in `dB` (negative: normal twist)")
	fs.DurationVar(&o.ramp, "ramp", encoder.DefaultRamp, "raised-cosine rise and fall of each tone; 0 for none")
	fs.DurationVar(&o.lead, "lead", 0, "silence before the first tone")
	fs.DurationVar(&o.trail, "trail", 0, "silence after the last tone")
	fs.StringVar(&o.format, "format", "wav", "output `format`: wav (16-bit PCM), wav-ulaw, wav-alaw, raw (s16le), ulaw or alaw (raw G.711)")
	fs.StringVar(&o.out, "o", "", "output `file`, - for standard output (required)")
	fs.StringVar(&o.request, "request", "", "render a Microsoft Graph or ACS sendDtmfTones request body (JSON `file`) instead of KEYS, "+
		"printing the operation's response and completion; -rate defaults to 16000")
	fs.StringVar(&o.callID, "call-id", "", "the call `id` in -request responses (default a new UUID)")
	return fs
}

func genFlags() *flag.FlagSet { return new(genOptions).flagSet() }

// outputFormat is a -format value: a container and a sample encoding.
type outputFormat struct {
	wav bool
	enc wavio.Encoding
}

var outputFormats = map[string]outputFormat{
	"wav":      {true, wavio.S16LE},
	"wav-ulaw": {true, wavio.MuLaw},
	"wav-alaw": {true, wavio.ALaw},
	"raw":      {false, wavio.S16LE},
	"ulaw":     {false, wavio.MuLaw},
	"alaw":     {false, wavio.ALaw},
}

func runGen(args []string, _ io.Reader, stdout, _ io.Writer) error {
	var o genOptions
	fs := o.flagSet()
	pos, err := parseFlags(fs, "gen", args, stdout)
	if err != nil {
		return helpOK(err)
	}
	format, ok := outputFormats[strings.ToLower(o.format)]
	if !ok {
		return usagef("gen: unknown format %q (want wav, wav-ulaw, wav-alaw, raw, ulaw or alaw)", o.format)
	}
	if o.out == "" {
		return usagef("gen: no output file; give -o FILE, or -o - for standard output")
	}
	// Zero means "the default" to the encoder and the bridge, but the flags
	// show their defaults: a 0 given here is a mistake.
	if o.rate == 0 {
		return usagef("gen: sample rate 0 Hz is outside %d-%d Hz", encoder.MinSampleRate, encoder.MaxSampleRate)
	}
	if o.tone == 0 {
		return usagef("gen: tone length 0s is shorter than one sample")
	}
	if o.request != "" {
		if len(pos) != 0 {
			return usagef("gen: give KEYS or -request, not both")
		}
		if o.out == "-" {
			return usagef("gen: -request prints JSON on standard output; write the audio to a file with -o FILE")
		}
		if !flagSet(fs, "rate") {
			o.rate = int(bridge.DefaultSampleRate)
		}
		if o.callID == "" {
			o.callID = bridge.NewUUID()
		}
		return genRequest(&o, format, stdout)
	}
	if o.callID != "" {
		return usagef("gen: -call-id goes with -request")
	}
	if len(pos) != 1 {
		return usagef("gen: want one KEYS argument, got %d", len(pos))
	}
	keys := pos[0]
	enc, err := encoder.New(o.encoderConfig())
	if err != nil {
		return usageError{err}
	}
	if err := enc.Start(keys); err != nil {
		return usageError{err}
	}
	return writeOutput(o.out, stdout, func(w io.Writer) error {
		return writeAudio(w, enc, o.rate, format)
	})
}

func (o *genOptions) encoderConfig() encoder.Config {
	cfg := encoder.Config{
		SampleRate: dtmf.SampleRate(o.rate),
		Tone:       o.tone, Gap: o.gap, Twist: o.twist, Ramp: o.ramp,
		Lead: o.lead, Trail: o.trail, Level: o.level,
	}
	if o.ramp == 0 {
		cfg.Ramp = encoder.NoRamp
	}
	if o.level == 0 {
		// The encoder reads a zero Level as "default"; the smallest
		// negative float is 0 dBm0 to any precision that matters.
		cfg.Level = -math.SmallestNonzeroFloat64
	}
	if o.gap == 0 {
		cfg.Gap = time.Nanosecond // rounds to no samples: back-to-back tones
	}
	return cfg
}

// writeAudio streams the encoder's sequence to w in 20 ms pieces.
func writeAudio(w io.Writer, enc *encoder.Encoder, rate int, f outputFormat) error {
	sink, err := newSampleSink(w, rate, enc.Len(), f)
	if err != nil {
		return err
	}
	buf := make([]int16, rate/50)
	for {
		n := enc.Fill(buf)
		if n == 0 {
			break
		}
		if err := sink.Write(buf[:n]); err != nil {
			return err
		}
	}
	return sink.Close()
}

// sampleSink writes samples in an output format; Close finishes a WAV.
type sampleSink interface {
	Write([]int16) error
	Close() error
}

type rawSink struct{ *wavio.RawWriter }

func (rawSink) Close() error { return nil }

// newSampleSink returns a sink writing length samples at rate to w.
func newSampleSink(w io.Writer, rate int, length int64, f outputFormat) (sampleSink, error) {
	if !f.wav {
		return rawSink{wavio.NewRawWriter(w, f.enc)}, nil
	}
	return wavio.NewWriter(w, wavio.WriterConfig{SampleRate: rate, Encoding: f.enc, Length: length})
}

// flagSet reports whether the flag was given on the command line.
func flagSet(fs *flag.FlagSet, name string) bool {
	set := false
	fs.Visit(func(f *flag.Flag) { set = set || f.Name == name })
	return set
}

// helpOK turns the flag.ErrHelp of a -h into success: the help was printed.
func helpOK(err error) error {
	if errors.Is(err, flag.ErrHelp) {
		return nil
	}
	return err
}
