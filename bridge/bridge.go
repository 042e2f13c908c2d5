package bridge

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/dtmfkit/dtmfkit/bridge/acs"
	"github.com/dtmfkit/dtmfkit/bridge/graph"
	"github.com/dtmfkit/dtmfkit/bridge/internal/wire"
	"github.com/dtmfkit/dtmfkit/dtmf"
	"github.com/dtmfkit/dtmfkit/dtmf/encoder"
)

// Format is a cloud API's wire dialect.
type Format uint8

// The dialects.
const (
	Graph Format = iota + 1 // Microsoft Graph cloud communications
	ACS                     // Azure Communication Services Call Automation
)

// String returns "graph" or "acs".
func (f Format) String() string {
	switch f {
	case Graph:
		return "graph"
	case ACS:
		return "acs"
	}
	return fmt.Sprintf("Format(%d)", uint8(f))
}

// ParseFormat parses "graph" or "acs", ignoring case.
func ParseFormat(s string) (Format, error) {
	switch strings.ToLower(s) {
	case "graph":
		return Graph, nil
	case "acs":
		return ACS, nil
	}
	return 0, fmt.Errorf("bridge: unknown format %q (want graph or acs)", s)
}

// DetectFormat tells a Graph sendDtmfTones body from an ACS one by its
// fields: targetParticipant, operationContext or operationCallbackUri, or a
// tone only ACS names ("zero", "asterisk"…), make it ACS; anything else
// (delayBetweenTonesMs, clientContext, "tone0", "star"…) is taken as Graph.
// It only looks; parse the body with the dialect's parser to validate it.
func DetectFormat(body []byte) (Format, error) {
	var fields map[string]json.RawMessage
	if len(body) > wire.MaxBody {
		return 0, errors.New("bridge: request body too large")
	}
	if err := json.Unmarshal(body, &fields); err != nil {
		return 0, fmt.Errorf("bridge: request is not a JSON object: %w", err)
	}
	for k, v := range fields {
		switch strings.ToLower(k) {
		case "targetparticipant", "operationcontext", "operationcallbackuri":
			return ACS, nil
		case "tones":
			var tones []string
			_ = json.Unmarshal(v, &tones) // a malformed list is the parser's to report
			for _, t := range tones {
				if _, err := dtmf.ParseName(dtmf.Graph, t); err != nil {
					if _, err := dtmf.ParseName(dtmf.ACS, t); err == nil {
						return ACS, nil
					}
				}
			}
		}
	}
	return Graph, nil
}

// Notification is one payload for a callback: the JSON body the service
// would POST, the callback URI it goes to and the call it belongs to.
type Notification struct {
	CallID     string // Graph call id or ACS callConnectionId: sinks keep order per CallID
	URL        string // callback URI; "" means the sink's default
	SequenceID int64  // the tone's sequenceId for a key notification; 0 otherwise
	Body       []byte // JSON, owned by the receiver of the Notification
}

// Defaults of [Config].
const (
	DefaultSampleRate dtmf.SampleRate = 16000 // Teams app-hosted media and ACS pcm16KMono
	// MinGap is the shortest pause rendered between two tones. A pause
	// below the Q.24 minimum (40 ms; US generator practice is 45 ms) can
	// join two equal keys into one press, so shorter delays are raised to
	// 50 ms.
	MinGap = 50 * time.Millisecond
)

// Config describes one call. Zero fields take the documented defaults.
type Config struct {
	// CallID is the Graph call id, or the ACS callConnectionId. Required;
	// it must not contain '/', '?', '#' or spaces, as it goes into URLs.
	CallID string
	// CallbackURI is where notifications go: the Graph call's callbackUri,
	// or the callback URI given at ACS CreateCall/AnswerCall. An ACS
	// operationCallbackUri overrides it per operation. "" leaves the
	// choice to the sink.
	CallbackURI string
	// ServerCallID and CorrelationID fill the ACS events' fields of those
	// names (ACS only).
	ServerCallID, CorrelationID string
	// State is the call state written in Graph tone notifications
	// (Graph only). Default established.
	State graph.CallState

	// Sink receives every notification. Required.
	Sink Sink

	// SampleRate is the call's media rate, for the audio the detector
	// hears and the tones SendDtmfTones renders. Default 16000 Hz.
	SampleRate dtmf.SampleRate
	// FrameSize is the number of samples in each frame a Playout
	// produces. Default 20 ms at SampleRate (320 at 16 kHz).
	FrameSize int
	// Encoder shapes the rendered tones (length, level, twist, ramps).
	// Its SampleRate is replaced by the one above, and its Gap by
	// delayBetweenTonesMs when a Graph request gives one.
	Encoder encoder.Config

	// StreamStart is the wall-clock time of sample 0 of the detector's
	// stream; an event's time is StreamStart plus its Detected offset.
	// Default: Clock() when the call is created.
	StreamStart time.Time
	// Clock gives the time of events that do not come from audio (ACS
	// only; Graph notifications carry no time). Default time.Now.
	Clock func() time.Time
	// NewID returns a fresh id for operations and CloudEvents. Default: a
	// random (version 4) UUID.
	NewID func() string
	// LastSequenceID is the sequenceId of the last key already notified
	// on this call, for a call taken over from another process; the next
	// key gets LastSequenceID+1. Default 0: the first key gets 1.
	LastSequenceID int64

	// Repeatability remembers ACS sendDtmfTones results by
	// Repeatability-Request-ID; share one store among the calls of a
	// resource. Default: a store of this call's own with the default
	// capacity (ACS only).
	Repeatability *RepeatabilityStore
}

// call is what GraphCall and ACSCall share: settings, the sequence counter
// and the lock that keeps notifications in sequence order.
type call struct {
	cfg    Config
	mu     sync.Mutex
	seq    int64 // last sequenceId handed to the sink
	active bool  // Graph: subscribed to tones; ACS: recognising
}

func (c *call) init(cfg Config) error {
	if err := wire.CheckID("call id", cfg.CallID); err != nil {
		return fmt.Errorf("bridge: %w", err)
	}
	if cfg.CallbackURI != "" {
		if err := acs.CheckCallbackURI(cfg.CallbackURI); err != nil {
			return fmt.Errorf("bridge: callback URI: %w", err)
		}
	}
	if cfg.Sink == nil {
		return errors.New("bridge: Config.Sink is required")
	}
	if cfg.LastSequenceID < 0 {
		return fmt.Errorf("bridge: last sequence id %d is negative", cfg.LastSequenceID)
	}
	if cfg.SampleRate == 0 {
		cfg.SampleRate = DefaultSampleRate
	}
	cfg.Encoder.SampleRate = cfg.SampleRate
	if _, err := encoder.New(cfg.Encoder); err != nil {
		return fmt.Errorf("bridge: %w", err)
	}
	if cfg.FrameSize == 0 {
		cfg.FrameSize = int(cfg.SampleRate / 50)
	}
	if cfg.FrameSize < 0 {
		return fmt.Errorf("bridge: frame size %d is negative", cfg.FrameSize)
	}
	if cfg.State == 0 {
		cfg.State = graph.Established
	}
	if cfg.Clock == nil {
		cfg.Clock = time.Now
	}
	if cfg.NewID == nil {
		cfg.NewID = NewUUID
	}
	if cfg.StreamStart.IsZero() {
		cfg.StreamStart = cfg.Clock()
	}
	c.cfg = cfg
	c.seq = cfg.LastSequenceID
	return nil
}

// LastSequenceID returns the sequenceId of the last key notified.
func (c *call) LastSequenceID() int64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.seq
}

// deliver marshals v and hands it to the sink.
func (c *call) deliver(ctx context.Context, url string, seq int64, v any) error {
	body, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("bridge: %w", err)
	}
	return c.cfg.Sink.Deliver(ctx, Notification{CallID: c.cfg.CallID, URL: url, SequenceID: seq, Body: body})
}

// handle turns a KeyDown on an active call into the notification build
// makes for the next sequenceId, and delivers it to build's URL. The id is
// used up only once the sink has taken the notification, so ids reach
// receivers without gaps even when a delivery is refused. Other events,
// and events on an inactive call, produce nothing.
func (c *call) handle(ctx context.Context, ev dtmf.Event, build func(seq int64) (url string, v any)) error {
	if ev.Kind != dtmf.KeyDown {
		return nil
	}
	if !ev.Digit.IsKey() {
		return fmt.Errorf("bridge: event has no key: %v", ev.Digit)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.active {
		return nil
	}
	seq := c.seq + 1
	url, v := build(seq)
	if err := c.deliver(ctx, url, seq, v); err != nil {
		return err
	}
	c.seq = seq
	return nil
}

func (c *call) isActive() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.active
}

// eventTime is the wall-clock time at which a key was confirmed.
func (c *call) eventTime(ev dtmf.Event) time.Time {
	return c.cfg.StreamStart.Add(c.cfg.SampleRate.D(ev.Detected))
}

// playout starts rendering keys with the given gap (0: the configured one).
func (c *call) playout(ctx context.Context, keys string, gap time.Duration, finish func(context.Context, bool) error) (*Playout, error) {
	ecfg := c.cfg.Encoder
	if gap != 0 {
		ecfg.Gap = max(gap, MinGap)
	}
	enc, err := encoder.New(ecfg)
	if err != nil {
		return nil, fmt.Errorf("bridge: %w", err)
	}
	if err := enc.Start(keys); err != nil {
		return nil, fmt.Errorf("bridge: %w", err)
	}
	return &Playout{ctx: ctx, enc: enc, size: c.cfg.FrameSize, finish: finish}, nil
}

// NewUUID returns a random (version 4) UUID in its 36-character form.
func NewUUID() string {
	var b [16]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails (Go 1.24)
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}
