package bridge_test

import (
	"context"
	"testing"

	"github.com/dtmfkit/dtmfkit/bridge"
	"github.com/dtmfkit/dtmfkit/bridge/acs"
	"github.com/dtmfkit/dtmfkit/bridge/graph"
	"github.com/dtmfkit/dtmfkit/dtmf"
)

// BenchmarkKeyToJSON measures a decoder event becoming a delivered JSON
// notification (sink excluded: it only counts), in notifications/s.
func BenchmarkKeyToJSON(b *testing.B) {
	ctx := context.Background()
	var bytes int
	sink := bridge.FuncSink(func(_ context.Context, n bridge.Notification) error { bytes += len(n.Body); return nil })
	cfg := bridge.Config{CallID: "57dab8b1-894c-409a-b240-bd8beae78896", ServerCallID: "aHR0cHM6Ly9hcGkuZXhhbXBsZS5jb20vY29udi8x",
		CorrelationID: "53be6977-d832-4d8c-a4d0-2b3c4d5e6f70", Sink: sink, NewID: ids()}
	g, err := bridge.NewGraphCall(cfg)
	if err != nil {
		b.Fatal(err)
	}
	if _, err := g.SubscribeToTone(graph.SubscribeToToneRequest{}); err != nil {
		b.Fatal(err)
	}
	a, err := bridge.NewACSCall(cfg)
	if err != nil {
		b.Fatal(err)
	}
	if err := a.StartContinuousDtmfRecognition(acs.ContinuousDtmfRecognitionRequest{TargetParticipant: target, OperationContext: "bench"}); err != nil {
		b.Fatal(err)
	}
	for _, bc := range []struct {
		name string
		call interface {
			HandleEvent(context.Context, dtmf.Event) error
		}
	}{{"format=graph", g}, {"format=acs", a}} {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			n := 0
			for b.Loop() {
				if err := bc.call.HandleEvent(ctx, keyDown(dtmf.Digits[n%16], int64(n)*1600)); err != nil {
					b.Fatal(err)
				}
				n++
			}
			b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "notifications/s")
		})
	}
}

// BenchmarkPlayout measures rendering a request into 20 ms frames; MB/s
// counts bytes of 16-bit PCM.
func BenchmarkPlayout(b *testing.B) {
	ctx := context.Background()
	sink := bridge.FuncSink(func(context.Context, bridge.Notification) error { return nil })
	c, err := bridge.NewGraphCall(bridge.Config{CallID: "c", Sink: sink})
	if err != nil {
		b.Fatal(err)
	}
	req, err := graph.ParseSendDtmfTonesRequest([]byte(`{"tones":["tone1","tone2","tone3","tone4","tone5","tone6","tone7","tone8","tone9","tone0","star","pound"]}`))
	if err != nil {
		b.Fatal(err)
	}
	_, p, err := c.SendDtmfTones(ctx, req)
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(2 * p.Frames() * int64(p.FrameSize()))
	b.ReportAllocs()
	frame := make([]int16, p.FrameSize())
	for b.Loop() {
		_, p, err := c.SendDtmfTones(ctx, req)
		if err != nil {
			b.Fatal(err)
		}
		for p.Next(frame) {
		}
	}
}

func BenchmarkParse(b *testing.B) {
	graphBody := readFile(b, "testdata/seed/graph-senddtmftones-request.json")
	acsBody := readFile(b, "testdata/seed/acs-tonereceived.json")
	b.Run("graph=sendDtmfTones", func(b *testing.B) {
		b.ReportAllocs()
		b.SetBytes(int64(len(graphBody)))
		for b.Loop() {
			if _, err := graph.ParseSendDtmfTonesRequest(graphBody); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("acs=events", func(b *testing.B) {
		b.ReportAllocs()
		b.SetBytes(int64(len(acsBody)))
		for b.Loop() {
			if _, err := acs.ParseEvents(acsBody); err != nil {
				b.Fatal(err)
			}
		}
	})
}
