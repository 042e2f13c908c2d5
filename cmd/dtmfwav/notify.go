package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/dtmfkit/dtmfkit/bridge"
	"github.com/dtmfkit/dtmfkit/bridge/acs"
	"github.com/dtmfkit/dtmfkit/bridge/graph"
	"github.com/dtmfkit/dtmfkit/dtmf"
)

// webhookDrain bounds how long decode waits, at the end, for the webhook
// to deliver what it has queued.
const webhookDrain = 30 * time.Second

// anonymousCaller is the participant whose keys an ACS recognition
// follows: the CLI decodes one stream, whoever it is.
var anonymousCaller = acs.CommunicationIdentifierModel{RawID: "4:anonymous"}

// notifier turns decoder events into the notifications Microsoft Graph or
// ACS would send for them, printed one per line or POSTed to a callback.
type notifier struct {
	ctx     context.Context
	call    bridge.EventHandler
	stop    func() error // ends recognition (ACS: sends the Stopped event)
	webhook *bridge.Webhook
}

// newNotifier returns a notifier for the call whose ids are in ids.
func newNotifier(format bridge.Format, ids bridge.Config, callback string, rate dtmf.SampleRate, stdout io.Writer) (*notifier, error) {
	ctx := context.Background()
	n := &notifier{ctx: ctx}
	var sink bridge.Sink = printSink(stdout)
	if callback != "" {
		wh, err := bridge.NewWebhook(ctx, bridge.WebhookConfig{URL: callback})
		if err != nil {
			return nil, usageError{err}
		}
		n.webhook, sink = wh, wh
	}
	cfg := bridge.Config{CallID: ids.CallID, ServerCallID: ids.ServerCallID, CorrelationID: ids.CorrelationID,
		CallbackURI: callback, Sink: sink, SampleRate: rate}
	switch format {
	case bridge.Graph:
		c, err := bridge.NewGraphCall(cfg)
		if err != nil {
			return nil, usageError{err}
		}
		if _, err := c.SubscribeToTone(graph.SubscribeToToneRequest{}); err != nil {
			return nil, err
		}
		n.call, n.stop = c, func() error { return nil }
	case bridge.ACS:
		c, err := bridge.NewACSCall(cfg)
		if err != nil {
			return nil, usageError{err}
		}
		req := acs.ContinuousDtmfRecognitionRequest{TargetParticipant: anonymousCaller}
		if err := c.StartContinuousDtmfRecognition(req); err != nil {
			return nil, err
		}
		n.call, n.stop = c, func() error { return c.StopContinuousDtmfRecognition(ctx, req) }
	}
	return n, nil
}

// print hands each event to the call: a KeyDown becomes a notification as
// soon as the key is confirmed.
func (n *notifier) print(events []dtmf.Event) error {
	for _, e := range events {
		if err := n.call.HandleEvent(n.ctx, e); err != nil {
			return err
		}
	}
	return nil
}

// finish ends recognition and, with a webhook, waits for it to deliver
// everything: a notification given up is an error.
func (n *notifier) finish() error {
	err := n.stop()
	if n.webhook != nil {
		ctx, cancel := context.WithTimeout(n.ctx, webhookDrain)
		defer cancel()
		err = errors.Join(err, n.webhook.Close(ctx))
	}
	return err
}

// printSink prints each notification's body as one line on stdout.
func printSink(stdout io.Writer) bridge.FuncSink {
	return func(_ context.Context, n bridge.Notification) error {
		if _, err := fmt.Fprintf(stdout, "%s\n", n.Body); err != nil {
			return stdoutError{err}
		}
		return nil
	}
}
