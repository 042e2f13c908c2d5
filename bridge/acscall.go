package bridge

import (
	"context"
	"net/http"
	"time"

	"github.com/dtmfkit/dtmfkit/bridge/acs"
	"github.com/dtmfkit/dtmfkit/dtmf"
)

// The resultInformation of the events ACSCall sends. The messages are the
// service's, as the Azure SDKs' event-parser tests record them; the
// cancellation uses the Call Automation code for "operation was canceled"
// (8508, from the recognize event-code table), as the spec names none for
// sendDtmfTones.
var (
	resultToneReceived = acs.ResultInformation{Code: 200, SubCode: 0, Message: "DTMF tone received successfully."}
	resultStopped      = acs.ResultInformation{Code: 200, SubCode: 0, Message: "Continuous DTMF Recognition stopped successfully."}
	resultSent         = acs.ResultInformation{Code: 200, SubCode: 0, Message: "Send DTMF completed successfully."}
	resultCanceled     = acs.ResultInformation{Code: 400, SubCode: 8508, Message: "Action failed, the operation was canceled."}
)

// ACSCall plays Azure Communication Services Call Automation for one call
// whose audio the app receives itself (ACS does not recognise in-band
// DTMF): continuous DTMF recognition events for the keys the detector
// hears, and sendDtmfTones rendered as audio, with Repeatability-Request-ID
// honoured. It is safe for concurrent use.
type ACSCall struct {
	call                                      // active: recognising
	reco acs.ContinuousDtmfRecognitionRequest // the start request in force
}

// NewACSCall returns a call with recognition stopped.
func NewACSCall(cfg Config) (*ACSCall, error) {
	c := new(ACSCall)
	if err := c.init(cfg); err != nil {
		return nil, err
	}
	if c.cfg.Repeatability == nil {
		c.cfg.Repeatability = NewRepeatabilityStore(0, 0)
	}
	return c, nil
}

// StartContinuousDtmfRecognition starts recognition, as
// :startContinuousDtmfRecognition does (200, no body). Each key press is
// then sent as a ContinuousDtmfRecognitionToneReceived event carrying this
// request's operationContext, to its operationCallbackUri or the call's.
// Starting again replaces the request in force; sequenceIds go on rising
// (they never repeat within a call). An invalid request gives an *acs.Error.
func (c *ACSCall) StartContinuousDtmfRecognition(req acs.ContinuousDtmfRecognitionRequest) error {
	if err := req.Validate(); err != nil {
		return err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.reco, c.active = req, true
	return nil
}

// StopContinuousDtmfRecognition stops recognition, as
// :stopContinuousDtmfRecognition does, and sends
// ContinuousDtmfRecognitionStopped with this request's operationContext (or
// the start request's) to its callback (or the start request's, or the
// call's). Stopping when recognition is not running also succeeds and sends
// the event, so that a handler waiting for it never hangs. An invalid
// request gives an *acs.Error; a sink's refusal is returned as is.
func (c *ACSCall) StopContinuousDtmfRecognition(ctx context.Context, req acs.ContinuousDtmfRecognitionRequest) error {
	if err := req.Validate(); err != nil {
		return err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	opContext := firstOf(req.OperationContext, c.reco.OperationContext)
	url := firstOf(req.OperationCallbackURI, c.reco.OperationCallbackURI, c.cfg.CallbackURI)
	c.reco, c.active = acs.ContinuousDtmfRecognitionRequest{}, false
	return c.deliver(ctx, url, 0, c.event(acs.ContinuousDtmfRecognitionStopped, c.cfg.Clock(), opContext, resultStopped))
}

// Recognizing reports whether continuous recognition is running.
func (c *ACSCall) Recognizing() bool { return c.isActive() }

// HandleEvent turns a decoder event into a
// ContinuousDtmfRecognitionToneReceived event: a KeyDown while recognition
// runs is sent with the next sequenceId, timed at the stream start plus
// the sample offset at which the key was confirmed. KeyUp events, and
// events while recognition is stopped, produce nothing. If the sink refuses
// the event the error is returned and the sequenceId is not used up.
func (c *ACSCall) HandleEvent(ctx context.Context, ev dtmf.Event) error {
	return c.handle(ctx, ev, func(seq int64) (string, any) {
		events := c.event(acs.ContinuousDtmfRecognitionToneReceived, c.eventTime(ev), c.reco.OperationContext, resultToneReceived)
		events[0].Data.SequenceID = seq
		events[0].Data.Tone, _ = acs.ToneOf(ev.Digit) // a key always has an ACS name
		return firstOf(c.reco.OperationCallbackURI, c.cfg.CallbackURI), events
	})
}

// Repeatability holds the ACS repeatability headers of a request.
type Repeatability struct {
	RequestID string // Repeatability-Request-ID: a UUID chosen by the client
	FirstSent string // Repeatability-First-Sent: IMF-fixdate of the first attempt
}

// RepeatabilityFromHeader reads the repeatability headers.
func RepeatabilityFromHeader(h http.Header) Repeatability {
	return Repeatability{RequestID: h.Get("Repeatability-Request-ID"), FirstSent: h.Get("Repeatability-First-Sent")}
}

// SendDtmfTones starts a sendDtmfTones operation, as
// :sendDtmfTones does. It returns the SendDtmfTonesResult for the 202
// response and a Playout that renders the tones with the Encoder's
// timing; when the Playout ends, SendDtmfTonesCompleted (or, if cancelled,
// SendDtmfTonesFailed) goes to the request's operationCallbackUri or the
// call's callback.
//
// With a Repeatability-Request-ID, a request whose id this call has
// accepted before gets the first result back and a nil Playout: the tones
// are not rendered twice. The id must be a UUID, and
// Repeatability-First-Sent is then required ("must also be specified") and
// must be within the store's TTL. Header and request errors are
// *acs.Error values.
func (c *ACSCall) SendDtmfTones(ctx context.Context, req acs.SendDtmfTonesRequest, rep Repeatability) (acs.SendDtmfTonesResult, *Playout, error) {
	if err := req.Validate(); err != nil {
		return acs.SendDtmfTonesResult{}, nil, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	store, now := c.cfg.Repeatability, c.cfg.Clock()
	key, err := store.check(c.cfg.CallID, rep, now)
	if err != nil {
		return acs.SendDtmfTonesResult{}, nil, err
	}
	if key != "" {
		if res, ok := store.get(key, now); ok {
			return res, nil, nil
		}
	}
	url := firstOf(req.OperationCallbackURI, c.cfg.CallbackURI)
	p, err := c.playout(ctx, req.Keys(), 0, func(ctx context.Context, completed bool) error {
		name, result := acs.SendDtmfTonesCompleted, resultSent
		if !completed {
			name, result = acs.SendDtmfTonesFailed, resultCanceled
		}
		c.mu.Lock()
		defer c.mu.Unlock()
		return c.deliver(ctx, url, 0, c.event(name, c.cfg.Clock(), req.OperationContext, result))
	})
	if err != nil {
		return acs.SendDtmfTonesResult{}, nil, err
	}
	res := acs.SendDtmfTonesResult{OperationContext: req.OperationContext}
	if key != "" {
		store.put(key, now, res)
	}
	return res, p, nil
}

// event builds the one-event array the service POSTs.
func (c *ACSCall) event(name string, t time.Time, opContext string, result acs.ResultInformation) []acs.Event {
	return []acs.Event{acs.NewEvent(name, c.cfg.NewID(), t, acs.EventData{
		CallConnectionID:  c.cfg.CallID,
		ServerCallID:      c.cfg.ServerCallID,
		CorrelationID:     c.cfg.CorrelationID,
		OperationContext:  opContext,
		ResultInformation: &result,
	})}
}

// firstOf returns the first non-empty string.
func firstOf(ss ...string) string {
	for _, s := range ss {
		if s != "" {
			return s
		}
	}
	return ""
}
