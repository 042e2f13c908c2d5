package bridge_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"time"

	"github.com/dtmfkit/dtmfkit/bridge"
	"github.com/dtmfkit/dtmfkit/bridge/acs"
	"github.com/dtmfkit/dtmfkit/bridge/graph"
	"github.com/dtmfkit/dtmfkit/dtmf"
)

// A Graph bot with app-hosted media subscribes to tones and feeds the
// decoder's events to its call; it receives the toneInfo notifications
// subscribeToTone would have produced.
func Example() {
	ctx := context.Background()
	sink := bridge.FuncSink(func(_ context.Context, n bridge.Notification) error {
		fmt.Printf("%s\n", n.Body)
		return nil
	})
	call, err := bridge.NewGraphCall(bridge.Config{CallID: "57dab8b1-894c-409a-b240-bd8beae78896", Sink: sink})
	if err != nil {
		fmt.Println(err)
		return
	}
	if _, err := call.SubscribeToTone(graph.SubscribeToToneRequest{}); err != nil {
		fmt.Println(err)
		return
	}
	// What the decoder reports for a press of 1 (positions at 16 kHz).
	events := []dtmf.Event{
		{Digit: dtmf.Digit1, Kind: dtmf.KeyDown, Start: 1600, Detected: 2080},
		{Digit: dtmf.Digit1, Kind: dtmf.KeyUp, Start: 1600, Detected: 2080, End: 3200},
	}
	for _, ev := range events {
		if err := call.HandleEvent(ctx, ev); err != nil {
			fmt.Println(err)
		}
	}
	// Output:
	// {"@odata.type":"#microsoft.graph.commsNotifications","value":[{"@odata.type":"#microsoft.graph.commsNotification","changeType":"updated","resourceUrl":"/communications/calls/57dab8b1-894c-409a-b240-bd8beae78896","resourceData":{"@odata.type":"#microsoft.graph.call","state":"established","toneInfo":{"@odata.type":"#microsoft.graph.toneInfo","sequenceId":1,"tone":"tone1"}}}]}
}

// An ACS app starts continuous recognition; each key becomes a
// ContinuousDtmfRecognitionToneReceived event timed from the stream start.
func ExampleACSCall_HandleEvent() {
	ctx := context.Background()
	sink := bridge.FuncSink(func(_ context.Context, n bridge.Notification) error {
		events, err := acs.ParseEvents(n.Body)
		if err != nil {
			return err
		}
		for _, e := range events {
			fmt.Println(e.Name(), e.Data.SequenceID, e.Data.Tone, e.Time)
		}
		return nil
	})
	start := time.Date(2025, 6, 1, 10, 0, 0, 0, time.UTC)
	call, err := bridge.NewACSCall(bridge.Config{CallID: "401f3500", Sink: sink, StreamStart: start, Clock: func() time.Time { return start }})
	if err != nil {
		fmt.Println(err)
		return
	}
	who := acs.CommunicationIdentifierModel{PhoneNumber: &acs.PhoneNumberIdentifierModel{Value: "+14255550123"}}
	if err := call.StartContinuousDtmfRecognition(acs.ContinuousDtmfRecognitionRequest{TargetParticipant: who}); err != nil {
		fmt.Println(err)
		return
	}
	for i, d := range []dtmf.Digit{dtmf.DigitStar, dtmf.Digit0} {
		ev := dtmf.Event{Digit: d, Kind: dtmf.KeyDown, Detected: int64(i+1) * 8000}
		if err := call.HandleEvent(ctx, ev); err != nil {
			fmt.Println(err)
		}
	}
	if err := call.StopContinuousDtmfRecognition(ctx, acs.ContinuousDtmfRecognitionRequest{TargetParticipant: who}); err != nil {
		fmt.Println(err)
	}
	// Output:
	// ContinuousDtmfRecognitionToneReceived 1 asterisk 2025-06-01T10:00:00.5000000+00:00
	// ContinuousDtmfRecognitionToneReceived 2 zero 2025-06-01T10:00:01.0000000+00:00
	// ContinuousDtmfRecognitionStopped 0  2025-06-01T10:00:00.0000000+00:00
}

// A Graph sendDtmfTones request becomes 20 ms frames of 16 kHz audio, then
// the completion notification.
func ExampleGraphCall_SendDtmfTones() {
	body := []byte(`{"tones":["tone1","pound"],"delayBetweenTonesMs":200,"clientContext":"c-1"}`)
	req, err := graph.ParseSendDtmfTonesRequest(body)
	if err != nil {
		fmt.Println(err) // a *graph.Error: StatusCode, and json.Marshal gives the error body
		return
	}
	sink := bridge.FuncSink(func(_ context.Context, n bridge.Notification) error {
		ns, err := graph.ParseNotifications(n.Body)
		if err != nil {
			return err
		}
		op := ns.Value[0].ResourceData[0].SendDtmfTones
		fmt.Println(ns.Value[0].ChangeType, op.Status, op.CompletionReason)
		return nil
	})
	call, err := bridge.NewGraphCall(bridge.Config{CallID: "call-1", Sink: sink, NewID: func() string { return "op-1" }})
	if err != nil {
		fmt.Println(err)
		return
	}
	op, playout, err := call.SendDtmfTones(context.Background(), req)
	if err != nil {
		fmt.Println(err)
		return
	}
	resp, _ := json.Marshal(op)
	fmt.Printf("%s\n", resp)

	frame := make([]int16, playout.FrameSize())
	frames := 0
	for playout.Next(frame) {
		frames++ // send frame to the call's media here
	}
	if err := playout.Err(); err != nil {
		fmt.Println(err)
	}
	fmt.Println(frames, "frames of", playout.FrameSize(), "samples")
	// Output:
	// {"@odata.type":"#microsoft.graph.sendDtmfTonesOperation","status":"running","clientContext":"c-1","id":"op-1"}
	// deleted completed completedSuccessfully
	// 20 frames of 320 samples
}

// An ACS request repeated with the same Repeatability-Request-ID gets the
// first result and is not played again.
func ExampleACSCall_SendDtmfTones() {
	req, err := acs.ParseSendDtmfTonesRequest([]byte(`{"tones":["one","two"],"operationContext":"ivr",
		"targetParticipant":{"kind":"phoneNumber","phoneNumber":{"value":"+14255550123"}}}`))
	if err != nil {
		fmt.Println(err)
		return
	}
	now := time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)
	call, err := bridge.NewACSCall(bridge.Config{CallID: "c", Sink: bridge.FuncSink(func(context.Context, bridge.Notification) error { return nil }),
		Clock: func() time.Time { return now }})
	if err != nil {
		fmt.Println(err)
		return
	}
	h := http.Header{}
	h.Set("Repeatability-Request-ID", "f1d2c3b4-a5e6-4f70-8a91-b2c3d4e5f607")
	h.Set("Repeatability-First-Sent", now.Format(http.TimeFormat))
	for range 2 {
		res, playout, err := call.SendDtmfTones(context.Background(), req, bridge.RepeatabilityFromHeader(h))
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Println(res.OperationContext, playout != nil)
	}
	// Output:
	// ivr true
	// ivr false
}

// A Webhook POSTs notifications to the callback, in order per call, and
// Close waits until they are delivered.
func ExampleWebhook() {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		fmt.Println(r.Header.Get("Content-Type"), string(body))
	}))
	defer srv.Close()

	ctx := context.Background()
	wh, err := bridge.NewWebhook(ctx, bridge.WebhookConfig{URL: srv.URL})
	if err != nil {
		fmt.Println(err)
		return
	}
	for i := range 2 {
		n := bridge.Notification{CallID: "c", Body: []byte(fmt.Sprintf(`{"n":%d}`, i))}
		if err := wh.Deliver(ctx, n); err != nil {
			fmt.Println(err) // bridge.ErrQueueFull when the queue is full
		}
	}
	if err := wh.Close(ctx); err != nil {
		fmt.Println(err)
	}
	// Output:
	// application/json {"n":0}
	// application/json {"n":1}
}

func ExampleDetectFormat() {
	for _, body := range []string{
		`{"tones":["tone1","star"],"clientContext":"x"}`,
		`{"tones":["zero"],"targetParticipant":{"rawId":"4:+14255550123"}}`,
	} {
		f, err := bridge.DetectFormat([]byte(body))
		fmt.Println(f, err)
	}
	// Output:
	// graph <nil>
	// acs <nil>
}
