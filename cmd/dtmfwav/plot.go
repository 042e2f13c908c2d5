package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"time"

	"github.com/dtmfkit/dtmfkit/audio/wavio"
	"github.com/dtmfkit/dtmfkit/internal/callplot"
)

type plotOptions struct {
	inputOptions
	out           string
	from, to      time.Duration
	width, height int
}

func (o *plotOptions) flagSet() *flag.FlagSet {
	fs := flag.NewFlagSet("plot", flag.ContinueOnError)
	o.addInputFlags(fs)
	fs.StringVar(&o.out, "o", "", "write the picture to `FILE`, PNG or SVG by its extension (.png, .svg); required")
	fs.DurationVar(&o.from, "from", 0, "show the audio from this `time` on (as 1.5s or 2m10s)")
	fs.DurationVar(&o.to, "to", 0, "show the audio up to this `time` (0: the end)")
	fs.IntVar(&o.width, "width", callplot.DefaultWidth, fmt.Sprintf("picture width in `pixels`, %d to %d (for SVG, CSS pixels)", callplot.MinSize, callplot.MaxSize))
	fs.IntVar(&o.height, "height", callplot.DefaultHeight, fmt.Sprintf("picture height in `pixels`, %d to %d", callplot.MinSize, callplot.MaxSize))
	return fs
}

func plotFlags() *flag.FlagSet { return new(plotOptions).flagSet() }

// maxPlotSamples bounds the audio plot reads into memory: 2^27 samples,
// 4.6 hours at 8 kHz, 11.6 minutes at 192 kHz.
const maxPlotSamples = 1 << 27

func runPlot(args []string, stdin io.Reader, stdout, _ io.Writer) error {
	var o plotOptions
	fs := o.flagSet()
	pos, cfg, err := o.parse(fs, "plot", args, stdout)
	if err != nil {
		return helpOK(err)
	}
	var format callplot.Format
	switch ext := strings.ToLower(filepath.Ext(o.out)); {
	case o.out == "":
		return usagef("plot: -o FILE is required (a .png or .svg file)")
	case ext == ".png":
		format = callplot.PNG
	case ext == ".svg":
		format = callplot.SVG
	default:
		return usagef("plot: -o %s: want a .png or .svg file name", o.out)
	}
	switch {
	case o.width < callplot.MinSize || o.width > callplot.MaxSize:
		return usagef("plot: width %d pixels is outside %d-%d", o.width, callplot.MinSize, callplot.MaxSize)
	case o.height < callplot.MinSize || o.height > callplot.MaxSize:
		return usagef("plot: height %d pixels is outside %d-%d", o.height, callplot.MinSize, callplot.MaxSize)
	case o.from < 0:
		return usagef("plot: -from %v is negative", o.from)
	case o.to < 0 || (o.to != 0 && o.to <= o.from):
		return usagef("plot: -to %v is not after -from %v", o.to, o.from)
	}

	src, in, name, cfg, err := o.open(pos, stdin, cfg)
	if err != nil {
		return err
	}
	defer in.Close()
	pcm, err := wavio.ReadAll(src, maxPlotSamples)
	if errors.Is(err, wavio.ErrTooLong) {
		return fmt.Errorf("%s: more than %d samples: too long to plot", name, maxPlotSamples)
	}
	if err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	if len(pcm) == 0 {
		return fmt.Errorf("%s: no audio to plot", name)
	}
	call, err := callplot.Decode(pcm, cfg)
	if err != nil {
		return fmt.Errorf("%s: %w", name, err) // the rate of a WAV file
	}
	title := filepath.Base(name)
	opts := callplot.Options{From: o.from, To: o.to, Width: o.width, Height: o.height, Format: format, Title: title}
	if err := callplot.Check(call, opts); err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	return writeOutput(o.out, stdout, func(w io.Writer) error {
		if err := callplot.Write(w, call, opts); err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		return nil
	})
}
