package corpuseval

import (
	"context"
	"fmt"

	"github.com/dtmfkit/dtmfkit/dtmf"
	"github.com/dtmfkit/dtmfkit/dtmf/decoder"
)

// A Key is one key a receiver reported.
type Key struct {
	Digit dtmf.Digit
	// Start and End are where the receiver places the key, in samples
	// from the start of the audio: dtmfkit gives the tone's onset and end,
	// spandsp the moments it reported the key's start and end. Start is
	// −1 for a receiver that gives no positions (multimon-ng); End is −1
	// where it is unknown.
	Start, End int64
}

// Duration returns the key's length in samples, or −1 if it is unknown.
func (k Key) Duration() int64 {
	if k.Start < 0 || k.End < 0 {
		return -1
	}
	return k.End - k.Start
}

// A Receiver is a DTMF receiver under test.
type Receiver interface {
	// Name names the receiver in tables.
	Name() string
	// Keys returns the keys the receiver finds in pcm, audio at rate Hz,
	// starting from a fresh state: one receiver per call. It neither
	// keeps nor changes pcm, and may be called from several goroutines at
	// once. An error means the receiver could not be run.
	Keys(ctx context.Context, pcm []int16, rate dtmf.SampleRate) ([]Key, error)
}

// Decoder is dtmfkit's receiver (package dtmf/decoder) with Config, its
// SampleRate set to the audio's for each call; the zero value is the
// default profile.
type Decoder struct {
	Config decoder.Config
}

// Name returns "dtmfkit".
func (Decoder) Name() string { return "dtmfkit" }

// decodeChunk is how much audio Keys gives the decoder per call, as a
// stream would, and how often it looks at ctx.
const decodeChunk = 1 << 14

// Keys decodes pcm with a new decoder and returns its KeyUp events.
func (r Decoder) Keys(ctx context.Context, pcm []int16, rate dtmf.SampleRate) ([]Key, error) {
	cfg := r.Config
	cfg.SampleRate = rate
	d, err := decoder.New(cfg)
	if err != nil {
		return nil, fmt.Errorf("dtmfkit: %w", err)
	}
	var events []dtmf.Event
	for len(pcm) > 0 {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		n := min(len(pcm), decodeChunk)
		events = d.Decode(events, pcm[:n])
		pcm = pcm[n:]
	}
	events = d.Flush(events)
	var keys []Key
	for _, e := range events {
		if e.Kind == dtmf.KeyUp {
			keys = append(keys, Key{Digit: e.Digit, Start: e.Start, End: e.End})
		}
	}
	return keys, nil
}
