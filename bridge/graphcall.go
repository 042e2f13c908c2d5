package bridge

import (
	"context"
	"time"

	"github.com/dtmfkit/dtmfkit/bridge/graph"
	"github.com/dtmfkit/dtmfkit/dtmf"
)

// GraphCall plays the Microsoft Graph service for one call whose media the
// bot hosts itself: subscribeToTone, the toneInfo notifications of the keys
// the detector hears, and sendDtmfTones rendered as audio. It is safe for
// concurrent use: the media goroutine and the request handlers may share it.
type GraphCall struct {
	call // active: subscribed to tones
}

// NewGraphCall returns a call with no tone subscription.
func NewGraphCall(cfg Config) (*GraphCall, error) {
	c := new(GraphCall)
	if err := c.init(cfg); err != nil {
		return nil, err
	}
	return c, nil
}

// SubscribeToTone subscribes the call to tones, as POST
// /communications/calls/{id}/subscribeToTone does: from now on each key
// press is notified. The operation completes at once (status completed),
// so, as commsOperation.md says, no notification about it follows.
// Subscribing again is harmless. An invalid request gives a *graph.Error.
func (c *GraphCall) SubscribeToTone(req graph.SubscribeToToneRequest) (graph.SubscribeToToneOperation, error) {
	if err := req.Validate(); err != nil {
		return graph.SubscribeToToneOperation{}, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.active = true
	return graph.SubscribeToToneOperation{
		ODataType:     graph.TypeSubscribeToToneOperation,
		ClientContext: req.ClientContext,
		ID:            c.cfg.NewID(),
		Status:        graph.Completed,
	}, nil
}

// Subscribed reports whether SubscribeToTone has been called.
func (c *GraphCall) Subscribed() bool { return c.isActive() }

// HandleEvent turns a decoder event into a tone notification: a KeyDown on
// a subscribed call is sent to the sink with the next sequenceId. KeyUp
// events, and every event before SubscribeToTone, produce nothing: the
// service notifies only subscribed calls, once per press. If the sink
// refuses the notification the error is returned and the sequenceId is
// not used up.
func (c *GraphCall) HandleEvent(ctx context.Context, ev dtmf.Event) error {
	return c.handle(ctx, ev, func(seq int64) (string, any) {
		return c.cfg.CallbackURI, graph.ToneNotification(c.cfg.CallID, c.cfg.State, seq, graph.Tone(ev.Digit))
	})
}

// SendDtmfTones starts a sendDtmfTones operation, as POST
// /communications/calls/{id}/sendDtmfTones does. It returns the operation
// (status running) for the 200 response and a Playout that renders the
// tones; delayBetweenTonesMs sets the pause between them (raised to
// [MinGap]; absent, the Encoder's Gap). The completion notification
// (changeType deleted, status completed) goes to the sink when the Playout
// ends. An invalid request gives a *graph.Error.
func (c *GraphCall) SendDtmfTones(ctx context.Context, req graph.SendDtmfTonesRequest) (graph.SendDtmfTonesOperation, *Playout, error) {
	if err := req.Validate(); err != nil {
		return graph.SendDtmfTonesOperation{}, nil, err
	}
	var gap time.Duration
	if d := req.DelayBetweenTonesMs; d != nil {
		gap = max(time.Duration(*d)*time.Millisecond, MinGap)
	}
	op := graph.SendDtmfTonesOperation{
		ODataType:     graph.TypeSendDtmfTonesOperation,
		Status:        graph.Running,
		ClientContext: req.ClientContext,
		ID:            c.cfg.NewID(),
	}
	p, err := c.playout(ctx, req.Keys(), gap, func(ctx context.Context, completed bool) error {
		end := op
		end.Status, end.CompletionReason = graph.Completed, graph.CompletedSuccessfully
		if !completed {
			end.CompletionReason = graph.MediaOperationCanceled
		}
		c.mu.Lock()
		defer c.mu.Unlock()
		return c.deliver(ctx, c.cfg.CallbackURI, 0, graph.OperationNotification(c.cfg.CallID, end))
	})
	if err != nil {
		return graph.SendDtmfTonesOperation{}, nil, err
	}
	return op, p, nil
}
