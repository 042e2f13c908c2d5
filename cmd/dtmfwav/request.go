package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/dtmfkit/dtmfkit/bridge"
	"github.com/dtmfkit/dtmfkit/bridge/acs"
	"github.com/dtmfkit/dtmfkit/bridge/graph"
	"github.com/dtmfkit/dtmfkit/dtmf"
)

// maxRequest bounds a -request file, as the services bound request bodies.
const maxRequest = 64 << 10

// genRequest renders a Graph or ACS sendDtmfTones request body as audio,
// as the service would play it into the call, and prints the operation's
// response and then its completion, each as one line of JSON. A request the
// service would refuse prints the service's error body and fails.
func genRequest(o *genOptions, format outputFormat, stdout io.Writer) error {
	body, err := readLimited(o.request, maxRequest)
	if err != nil {
		return err
	}
	f, err := bridge.DetectFormat(body)
	if err != nil {
		return fmt.Errorf("%s: %w", o.request, err)
	}
	cfg := bridge.Config{
		CallID: o.callID, Sink: printSink(stdout),
		SampleRate: dtmf.SampleRate(o.rate), Encoder: o.encoderConfig(),
	}
	ctx := context.Background()
	var response any
	var p *bridge.Playout
	switch f {
	case bridge.Graph:
		req, perr := graph.ParseSendDtmfTonesRequest(body)
		if perr != nil {
			return refused(perr, stdout)
		}
		c, cerr := bridge.NewGraphCall(cfg)
		if cerr != nil {
			return usageError{cerr}
		}
		response, p, err = c.SendDtmfTones(ctx, req)
	case bridge.ACS:
		req, perr := acs.ParseSendDtmfTonesRequest(body)
		if perr != nil {
			return refused(perr, stdout)
		}
		c, cerr := bridge.NewACSCall(cfg)
		if cerr != nil {
			return usageError{cerr}
		}
		response, p, err = c.SendDtmfTones(ctx, req, bridge.Repeatability{})
	}
	if err != nil {
		return refused(err, stdout)
	}
	resp, err := json.Marshal(response)
	if err != nil {
		return err
	}
	if _, err := fmt.Fprintf(stdout, "%s\n", resp); err != nil {
		return stdoutError{err}
	}
	// The completion prints when the last frame is produced.
	return writeOutput(o.out, stdout, func(w io.Writer) error {
		return writePlayout(w, p, format)
	})
}

// writePlayout writes every frame of p.
func writePlayout(w io.Writer, p *bridge.Playout, f outputFormat) error {
	sink, err := newSampleSink(w, int(p.SampleRate()), p.Frames()*int64(p.FrameSize()), f)
	if err != nil {
		return err
	}
	frame := make([]int16, p.FrameSize())
	for p.Next(frame) {
		if err := sink.Write(frame); err != nil {
			return err
		}
	}
	if err := p.Err(); err != nil {
		return err
	}
	return sink.Close()
}

// refused prints the error body the service would answer with and returns
// the error.
func refused(err error, stdout io.Writer) error {
	var ge *graph.Error
	var ae *acs.Error
	var body any
	switch {
	case errors.As(err, &ge):
		body = ge
	case errors.As(err, &ae):
		body = ae
	default:
		return err
	}
	if b, merr := json.Marshal(body); merr == nil {
		fmt.Fprintf(stdout, "%s\n", b)
	}
	return fmt.Errorf("request refused: %w", err)
}

// readLimited reads a file of at most limit bytes.
func readLimited(name string, limit int64) ([]byte, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", name, err)
	}
	if int64(len(b)) > limit {
		return nil, fmt.Errorf("%s is larger than %d KiB: not a sendDtmfTones request", name, limit>>10)
	}
	return b, nil
}
