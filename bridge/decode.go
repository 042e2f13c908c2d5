package bridge

import (
	"context"
	"fmt"

	"github.com/dtmfkit/dtmfkit/dtmf"
	"github.com/dtmfkit/dtmfkit/dtmf/decoder"
)

// EventHandler takes decoder events; [GraphCall] and [ACSCall] are both.
type EventHandler interface {
	HandleEvent(ctx context.Context, ev dtmf.Event) error
}

// Detector runs a decoder over a call's audio and hands each event to the
// call, which turns key presses into notifications. A Detector is not safe
// for concurrent use; use one per audio stream.
type Detector struct {
	dec     *decoder.Decoder
	h       EventHandler
	pending []dtmf.Event // events not yet handed over
}

// NewDetector returns a Detector for audio decoded with cfg (its rate is
// the call's media rate; the zero Config is the default receiver at 8 kHz),
// feeding h.
func NewDetector(h EventHandler, cfg decoder.Config) (*Detector, error) {
	dec, err := decoder.New(cfg)
	if err != nil {
		return nil, fmt.Errorf("bridge: %w", err)
	}
	return &Detector{dec: dec, h: h}, nil
}

// Decode decodes pcm, of any length, and hands the events it completes to
// the call. If the call returns an error, Decode returns it; the events not
// yet handed over are kept and go first on the next Decode or Flush, so a
// caller that retries loses no key. Decode does not retain pcm.
func (d *Detector) Decode(ctx context.Context, pcm []int16) error {
	d.pending = d.dec.Decode(d.pending, pcm)
	return d.handOver(ctx)
}

// Flush ends the stream: a key still sounding is reported, and the decoder
// is reset for a new stream.
func (d *Detector) Flush(ctx context.Context) error {
	d.pending = d.dec.Flush(d.pending)
	d.dec.Reset()
	return d.handOver(ctx)
}

func (d *Detector) handOver(ctx context.Context) error {
	for i, ev := range d.pending {
		if err := d.h.HandleEvent(ctx, ev); err != nil {
			d.pending = append(d.pending[:0], d.pending[i:]...)
			return err
		}
	}
	d.pending = d.pending[:0]
	return nil
}
