package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/dtmfkit/dtmfkit/audio/wavio"
	"github.com/dtmfkit/dtmfkit/bridge"
	"github.com/dtmfkit/dtmfkit/dtmf"
	"github.com/dtmfkit/dtmfkit/dtmf/decoder"
	"github.com/dtmfkit/dtmfkit/internal/explain"
)

// inputOptions are the flags of the audio input and the receiver, shared
// by decode and plot.
type inputOptions struct {
	raw          bool
	rate         int
	encoding     string
	channel      int
	profile      string
	normalTwist  float64
	reverseTwist float64
	minLevel     float64

	enc wavio.Encoding // -encoding, parsed by check
}

type decodeOptions struct {
	inputOptions
	format       string
	callID       string
	serverCallID string
	correlation  string
	callback     string
	explain      bool
}

func (o *decodeOptions) flagSet() *flag.FlagSet {
	fs := flag.NewFlagSet("decode", flag.ContinueOnError)
	o.addInputFlags(fs)
	fs.StringVar(&o.format, "format", "text", "output `format`: text (the keys on one line), jsonl (one JSON object per key), graph (Microsoft Graph commsNotifications with toneInfo) or acs (ACS ContinuousDtmfRecognitionToneReceived CloudEvents)")
	fs.StringVar(&o.callID, "call-id", "", "the call `id` in graph and acs notifications (Graph call id, ACS callConnectionId); required for them")
	fs.StringVar(&o.serverCallID, "server-call-id", "", "the call's serverCallId in acs notifications")
	fs.StringVar(&o.correlation, "correlation-id", "", "the call's correlationId in acs notifications")
	fs.StringVar(&o.callback, "callback", "", "POST graph or acs notifications to this `URL` instead of printing them")
	fs.BoolVar(&o.explain, "explain", false, "instead of the keys, print one line per candidate the receiver considered: its span, the key, the verdict (accepted, or the rule that refused it) and the measured values against their limits (\"!\" marks a value beyond its limit)")
	return fs
}

// addInputFlags defines the input's and the receiver's flags on fs.
func (o *inputOptions) addInputFlags(fs *flag.FlagSet) {
	fs.BoolVar(&o.raw, "raw", false, "input is headerless samples (see -rate and -encoding), not WAV")
	fs.IntVar(&o.rate, "rate", 8000, fmt.Sprintf("sample rate of -raw input in `Hz`, %d to %d", decoder.MinSampleRate, decoder.MaxSampleRate))
	fs.StringVar(&o.encoding, "encoding", "s16le", "sample `encoding` of -raw input: s16le, ulaw or alaw")
	fs.IntVar(&o.channel, "channel", 0, "channel of a multi-channel WAV to decode, from 1; 0 mixes them all")
	fs.StringVar(&o.profile, "profile", "default", "receiver profile: default (twist up to 8 dB either way) or strict (AT&T: reverse twist up to 4 dB)")
	fs.Float64Var(&o.normalTwist, "normal-twist", 0, "accept the high group up to this many `dB` below the low group (0: the profile's, 8)")
	fs.Float64Var(&o.reverseTwist, "reverse-twist", 0, "accept the high group up to this many `dB` above the low group (0: the profile's)")
	fs.Float64Var(&o.minLevel, "min-level", decoder.DefaultMinLevel, "weakest tone accepted, `dBm0` per tone")
}

func decodeFlags() *flag.FlagSet { return new(decodeOptions).flagSet() }

func runDecode(args []string, stdin io.Reader, stdout, _ io.Writer) error {
	var o decodeOptions
	fs := o.flagSet()
	pos, cfg, err := o.parse(fs, "decode", args, stdout)
	if err != nil {
		return helpOK(err)
	}
	if o.format != "graph" && o.format != "acs" && (o.callID != "" || o.callback != "") {
		return usagef("decode: -call-id and -callback go with -format graph or acs")
	}
	if (o.format == "graph" || o.format == "acs") && o.callID == "" {
		return usagef("decode: -format %s needs -call-id ID", o.format)
	}
	if o.format != "acs" && (o.serverCallID != "" || o.correlation != "") {
		return usagef("decode: -server-call-id and -correlation-id go with -format acs")
	}
	if o.explain && o.format != "text" {
		return usagef("decode: -explain goes with -format text")
	}
	out, err := newPrinter(o.format, stdout)
	if err != nil {
		return err
	}
	src, in, name, cfg, err := o.open(pos, stdin, cfg)
	if err != nil {
		return err
	}
	defer in.Close()
	dec, err := decoder.New(cfg)
	if err != nil {
		return fmt.Errorf("%s: %w", name, err) // the rate of a WAV file
	}
	out.rate = cfg.SampleRate
	var sink eventSink = out
	if o.explain {
		ep := &explainPrinter{w: stdout, rate: out.rate}
		dec.SetExplain(ep.add)
		sink = ep
	}
	if f, ferr := bridge.ParseFormat(o.format); ferr == nil {
		ids := bridge.Config{CallID: o.callID, ServerCallID: o.serverCallID, CorrelationID: o.correlation}
		if sink, err = newNotifier(f, ids, o.callback, out.rate, stdout); err != nil {
			return err
		}
	}
	err = decodeStream(src, dec, sink)
	if ferr := sink.finish(); err == nil {
		err = ferr
	}
	var serr stdoutError
	switch {
	case errors.As(err, &serr):
		return err // about the output, not the input
	case err != nil:
		return fmt.Errorf("%s: %w", name, err)
	}
	return nil
}

// parse parses args with fs for cmd, which takes at most one FILE, and
// returns the positional arguments and the receiver settings (check).
func (o *inputOptions) parse(fs *flag.FlagSet, cmd string, args []string, stdout io.Writer) ([]string, decoder.Config, error) {
	pos, err := parseFlags(fs, cmd, args, stdout)
	if err != nil {
		return nil, decoder.Config{}, err // flag.ErrHelp after -h: see helpOK
	}
	if len(pos) > 1 {
		return nil, decoder.Config{}, usagef("%s: want at most one FILE argument, got %d", cmd, len(pos))
	}
	cfg, err := o.check(fs, cmd)
	return pos, cfg, err
}

// check returns the receiver settings the input flags on fs give (cmd
// names the command), or a usage error for flags that contradict each
// other or that the decoder would refuse.
func (o *inputOptions) check(fs *flag.FlagSet, cmd string) (decoder.Config, error) {
	switch {
	case !o.raw && flagSet(fs, "encoding"):
		return decoder.Config{}, usagef("%s: -encoding goes with -raw; a WAV file names its own encoding", cmd)
	case o.raw && flagSet(fs, "channel"):
		return decoder.Config{}, usagef("%s: -channel goes with WAV input; -raw input is mono", cmd)
	case o.channel < 0:
		return decoder.Config{}, usagef("%s: channel %d is negative; channels count from 1, 0 mixes them", cmd, o.channel)
	}
	if o.raw {
		var err error
		if o.enc, err = wavio.ParseEncoding(o.encoding); err != nil {
			return decoder.Config{}, usageError{err}
		}
	}
	var prof decoder.Profile
	switch strings.ToLower(o.profile) {
	case "default":
		prof = decoder.Default
	case "strict":
		prof = decoder.Strict
	default:
		return decoder.Config{}, usagef("%s: unknown profile %q (want default or strict)", cmd, o.profile)
	}
	return o.decoderConfig(prof, cmd)
}

// open opens the input named in pos (standard input for none or "-") and
// returns its samples, the file to close, its name, and cfg with its
// sample rate.
func (o *inputOptions) open(pos []string, stdin io.Reader, cfg decoder.Config) (wavio.SampleReader, io.Closer, string, decoder.Config, error) {
	in, name, err := openInput(pos, stdin)
	if err != nil {
		return nil, nil, "", cfg, err
	}
	src, cfg, err := o.source(in, name, cfg)
	if err != nil {
		in.Close()
		return nil, nil, "", cfg, err
	}
	return src, in, name, cfg, nil
}

// source returns the samples of in (named name) as the flags describe
// them, and cfg with the input's sample rate.
func (o *inputOptions) source(in io.Reader, name string, cfg decoder.Config) (wavio.SampleReader, decoder.Config, error) {
	if o.raw {
		cfg.SampleRate = dtmf.SampleRate(o.rate)
		return wavio.NewRawReader(in, o.enc), cfg, nil
	}
	wr, err := wavio.NewReader(in, wavio.ReaderConfig{Channel: o.channel})
	if err != nil {
		return nil, cfg, fmt.Errorf("%s: %w", name, err)
	}
	cfg.SampleRate = dtmf.SampleRate(wr.Format().SampleRate)
	return wr, cfg, nil
}

// decoderConfig returns the decoder settings the flags give, and a usage
// error if the decoder would refuse them. Without -raw the sample rate is
// the input's, which is only known once it is open.
func (o *inputOptions) decoderConfig(prof decoder.Profile, cmd string) (decoder.Config, error) {
	cfg := decoder.Config{
		SampleRate: dtmf.SampleRate(o.rate), Profile: prof, MinLevel: o.minLevel,
		MaxNormalTwist: o.normalTwist, MaxReverseTwist: o.reverseTwist,
	}
	if o.minLevel == 0 {
		// The decoder reads a zero MinLevel as "default", but the flag's
		// default is shown as -47: let it refuse 0 dBm0 as out of range.
		cfg.MinLevel = math.SmallestNonzeroFloat64
	}
	check := cfg
	switch {
	case !o.raw:
		check.SampleRate = decoder.DefaultSampleRate
	case o.rate == 0:
		return cfg, usagef("%s: sample rate 0 Hz is outside %d-%d Hz", cmd, decoder.MinSampleRate, decoder.MaxSampleRate)
	}
	if _, err := decoder.New(check); err != nil {
		return cfg, usageError{err}
	}
	return cfg, nil
}

// openInput opens the file named in pos, or standard input for none or "-".
func openInput(pos []string, stdin io.Reader) (io.ReadCloser, string, error) {
	if len(pos) == 0 || pos[0] == "-" {
		return io.NopCloser(stdin), "standard input", nil
	}
	f, err := os.Open(pos[0])
	if err != nil {
		return nil, "", err
	}
	if fi, err := f.Stat(); err == nil && fi.IsDir() {
		f.Close()
		return nil, "", fmt.Errorf("%s is a directory, not an audio file", pos[0])
	}
	return f, pos[0], nil
}

// decodeStream feeds src to dec in 20 ms pieces and prints each event as
// it comes, so that a stream of unbounded length is decoded as it arrives.
// Events found before a read error are printed before it is returned.
func decodeStream(src wavio.SampleReader, dec *decoder.Decoder, out eventSink) error {
	buf := make([]int16, max(160, dec.Config().SampleRate.N(20*time.Millisecond)))
	var events []dtmf.Event
	for {
		n, err := src.Read(buf)
		events = dec.Decode(events[:0], buf[:n])
		if perr := out.print(events); perr != nil {
			return perr
		}
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			events = dec.Flush(events[:0])
			return errors.Join(err, out.print(events))
		}
	}
	return out.print(dec.Flush(events[:0]))
}

// eventSink is where decode's events go: a printer, or a notifier.
type eventSink interface {
	print(events []dtmf.Event) error
	finish() error
}

// printer writes events as text or jsonl.
type printer struct {
	w      io.Writer
	format string
	rate   dtmf.SampleRate
	keys   int
	line   []byte
}

func newPrinter(format string, w io.Writer) (*printer, error) {
	switch format {
	case "text", "jsonl", "graph", "acs":
		return &printer{w: w, format: format}, nil
	}
	return nil, usagef("decode: unknown format %q (want text, jsonl, graph or acs)", format)
}

// print writes the keys that events complete: each when it ends.
func (p *printer) print(events []dtmf.Event) error {
	for _, e := range events {
		if e.Kind != dtmf.KeyUp {
			continue
		}
		p.line = p.line[:0]
		switch p.format {
		case "text":
			p.line = append(p.line, e.Digit.String()...)
		case "jsonl":
			p.line = appendJSONL(p.line, e, p.rate)
		}
		p.keys++
		if _, err := p.w.Write(p.line); err != nil {
			return stdoutError{err}
		}
	}
	return nil
}

// finish ends the text line.
func (p *printer) finish() error {
	if p.format == "text" && p.keys > 0 {
		if _, err := io.WriteString(p.w, "\n"); err != nil {
			return stdoutError{err}
		}
	}
	return nil
}

// appendJSONL appends {"tone":"5","startMs":120.0,"endMs":220.5,"detectedMs":148.3}
// and a newline: times in milliseconds from the start of the stream, to
// a tenth; tone is the keypad character.
func appendJSONL(b []byte, e dtmf.Event, rate dtmf.SampleRate) []byte {
	b = append(b, `{"tone":`...)
	b = strconv.AppendQuote(b, e.Digit.String())
	b = append(b, `,"startMs":`...)
	b = strconv.AppendFloat(b, rate.Millis(e.Start), 'f', 1, 64)
	b = append(b, `,"endMs":`...)
	b = strconv.AppendFloat(b, rate.Millis(e.End), 'f', 1, 64)
	b = append(b, `,"detectedMs":`...)
	b = strconv.AppendFloat(b, rate.Millis(e.Detected), 'f', 1, 64)
	return append(b, "}\n"...)
}

// explainPrinter writes the decoder's decisions (-explain), one line each,
// as they are made.
type explainPrinter struct {
	w    io.Writer
	rate dtmf.SampleRate
	buf  []byte
}

// add is the decoder's explain hook: it formats x for the next print.
func (p *explainPrinter) add(x decoder.Decision) { p.buf = explain.AppendLine(p.buf, x, p.rate) }

// print writes the lines of the decisions made so far.
func (p *explainPrinter) print([]dtmf.Event) error {
	if len(p.buf) == 0 {
		return nil
	}
	_, err := p.w.Write(p.buf)
	p.buf = p.buf[:0]
	if err != nil {
		return stdoutError{err}
	}
	return nil
}

func (p *explainPrinter) finish() error { return p.print(nil) }
