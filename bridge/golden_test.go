package bridge_test

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/dtmfkit/dtmfkit/bridge"
	"github.com/dtmfkit/dtmfkit/bridge/acs"
	"github.com/dtmfkit/dtmfkit/bridge/graph"
	"github.com/dtmfkit/dtmfkit/dtmf"
)

// Ids and times taken from the seed pages' examples (testdata/seed), so that
// the payloads can be compared with them field for field, ids included.
const (
	seedToneCall      = "57dab8b1-894c-409a-b240-bd8beae78896" // call-subscribetotone.md
	seedSubscribeOp   = "0fe0623f-d628-42ed-b4bd-8ac290072cc5"
	seedSendCall      = "481f3600-983e-4276-9b59-c1b30ec8d125" // call-senddtmftones.md
	seedSendOp        = "d36fe651-9f50-484d-bd4b-1e6415eae448"
	seedACSCall       = "18dea47f-b081-4107-9a5c-4300819d2c6c" // CallMedia_SendDtmfTones
	constructedCall   = "401f3500-62cd-4b1a-9a6f-4d2a7c3e8b10" // testdata/seed/acs-*.json (constructed)
	constructedServer = "aHR0cHM6Ly9hcGkuZXhhbXBsZS5jb20vY29udi8x"
	constructedCorr   = "53be6977-d832-4d8c-a4d0-2b3c4d5e6f70"
	constructedEvent  = "8a1c2f3e-5b6d-4c7e-9f80-112233445566"
)

var constructedTime = time.Date(2025, 6, 1, 10, 0, 0, 0, time.UTC)

func constructedACS(rec *recorder) bridge.Config {
	return bridge.Config{CallID: constructedCall, ServerCallID: constructedServer, CorrelationID: constructedCorr,
		Sink: rec, NewID: ids(constructedEvent), Clock: clock(constructedTime)}
}

var target = acs.CommunicationIdentifierModel{Kind: "phoneNumber", PhoneNumber: &acs.PhoneNumberIdentifierModel{Value: "+14255550123"}}

// TestGolden renders each payload through the bridge, compares it with its
// golden file byte for byte and with the seed page's example field for
// field.
func TestGolden(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name   string
		golden string
		seed   string // "" where the pages give no example
		render func(t *testing.T) []byte
	}{{
		name: "graph tone notification", golden: "graph-tone-notification.json", seed: "graph-tone-notification.json",
		render: func(t *testing.T) []byte {
			rec := &recorder{}
			c, err := bridge.NewGraphCall(bridge.Config{CallID: seedToneCall, Sink: rec})
			require.NoError(t, err)
			_, err = c.SubscribeToTone(graph.SubscribeToToneRequest{})
			require.NoError(t, err)
			require.NoError(t, c.HandleEvent(ctx, keyDown(dtmf.Digit1, 800)))
			return rec.only(t).Body
		},
	}, {
		name: "graph subscribeToTone response", golden: "graph-subscribetotone-response.json", seed: "graph-subscribetotone-response.json",
		render: func(t *testing.T) []byte {
			c, err := bridge.NewGraphCall(bridge.Config{CallID: seedToneCall, Sink: &recorder{}, NewID: ids(seedSubscribeOp)})
			require.NoError(t, err)
			// The page's response echoes a placeholder, not its request's context.
			op, err := c.SubscribeToTone(graph.SubscribeToToneRequest{ClientContext: "clientContext-value"})
			require.NoError(t, err)
			return marshal(t, op)
		},
	}, {
		name: "graph sendDtmfTones response", golden: "graph-senddtmftones-response.json", seed: "graph-senddtmftones-response.json",
		render: func(t *testing.T) []byte {
			op, _, _ := graphSend(t, ctx)
			return marshal(t, op)
		},
	}, {
		name: "graph sendDtmfTones completed", golden: "graph-senddtmftones-completed.json", seed: "graph-senddtmftones-completed.json",
		render: func(t *testing.T) []byte {
			_, p, rec := graphSend(t, ctx)
			playAll(t, p)
			return rec.only(t).Body
		},
	}, {
		name: "graph sendDtmfTones canceled", golden: "graph-senddtmftones-canceled.json", seed: "graph-senddtmftones-canceled.json",
		render: func(t *testing.T) []byte {
			cctx, cancel := context.WithCancel(ctx)
			_, p, rec := graphSend(t, cctx)
			frame := make([]int16, p.FrameSize())
			require.True(t, p.Next(frame))
			cancel()
			require.False(t, p.Next(frame))
			require.ErrorIs(t, p.Err(), context.Canceled)
			return rec.only(t).Body
		},
	}, {
		name: "graph error", golden: "graph-error.json",
		render: func(t *testing.T) []byte {
			_, err := graph.ParseSendDtmfTonesRequest([]byte(`{"tones":["tone1","flash"]}`))
			var ge *graph.Error
			require.ErrorAs(t, err, &ge)
			return marshal(t, ge)
		},
	}, {
		name: "acs sendDtmfTones result", golden: "acs-senddtmftones-result.json", seed: "acs-senddtmftones-result.json",
		render: func(t *testing.T) []byte {
			req, err := acs.ParseSendDtmfTonesRequest(readFile(t, "testdata/seed/acs-senddtmftones-request.json"))
			require.NoError(t, err)
			c, err := bridge.NewACSCall(bridge.Config{CallID: seedACSCall, Sink: &recorder{}})
			require.NoError(t, err)
			res, p, err := c.SendDtmfTones(ctx, req, bridge.Repeatability{})
			require.NoError(t, err)
			require.NotNil(t, p)
			return marshal(t, res)
		},
	}, {
		name: "acs SendDtmfTonesCompleted", golden: "acs-senddtmftonescompleted.json", seed: "acs-senddtmftonescompleted.json",
		render: func(t *testing.T) []byte {
			p, rec := acsSend(t, ctx)
			playAll(t, p)
			n := rec.only(t)
			assert.Equal(t, "https://app.contoso.com/callback", n.URL, "operationCallbackUri overrides the call's")
			return n.Body
		},
	}, {
		name: "acs SendDtmfTonesFailed", golden: "acs-senddtmftonesfailed.json", seed: "acs-senddtmftonesfailed.json",
		render: func(t *testing.T) []byte {
			cctx, cancel := context.WithCancel(ctx)
			p, rec := acsSend(t, cctx)
			cancel()
			require.False(t, p.Next(make([]int16, p.FrameSize())))
			return rec.only(t).Body
		},
	}, {
		name: "acs ContinuousDtmfRecognitionToneReceived", golden: "acs-tonereceived.json", seed: "acs-tonereceived.json",
		render: func(t *testing.T) []byte {
			rec := &recorder{}
			cfg := constructedACS(rec)
			cfg.LastSequenceID = 2                              // the example shows the third key of the call
			cfg.StreamStart = constructedTime.Add(-time.Second) // key confirmed 1 s into the stream
			c, err := bridge.NewACSCall(cfg)
			require.NoError(t, err)
			require.NoError(t, c.StartContinuousDtmfRecognition(acs.ContinuousDtmfRecognitionRequest{
				TargetParticipant: target, OperationContext: "dtmf-reco-on-c2"}))
			require.NoError(t, c.HandleEvent(ctx, keyDown(dtmf.DigitPound, 16000)))
			return rec.only(t).Body
		},
	}, {
		name: "acs ContinuousDtmfRecognitionStopped", golden: "acs-recognitionstopped.json", seed: "acs-recognitionstopped.json",
		render: func(t *testing.T) []byte {
			rec := &recorder{}
			c, err := bridge.NewACSCall(constructedACS(rec))
			require.NoError(t, err)
			req := acs.ContinuousDtmfRecognitionRequest{TargetParticipant: target, OperationContext: "dtmf-reco-on-c2"}
			require.NoError(t, c.StartContinuousDtmfRecognition(req))
			require.NoError(t, c.StopContinuousDtmfRecognition(ctx, acs.ContinuousDtmfRecognitionRequest{TargetParticipant: target}))
			return rec.only(t).Body
		},
	}, {
		name: "acs error", golden: "acs-error.json",
		render: func(t *testing.T) []byte {
			_, err := acs.ParseSendDtmfTonesRequest([]byte(`{"tones":["one","flash"],"targetParticipant":{"rawId":"4:+14255550123"}}`))
			var ae *acs.Error
			require.ErrorAs(t, err, &ae)
			return marshal(t, ae)
		},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			body := tt.render(t)
			checkGolden(t, tt.golden, body)
			if tt.seed != "" {
				assert.Equal(t, readSeed(t, tt.seed), unmarshalAny(t, body), "payload differs from the seed example")
			}
		})
	}
}

// TestErrorShapes checks the error bodies field for field against the
// services' schemas: Graph's OData error and ACS's CommunicationErrorResponse.
func TestErrorShapes(t *testing.T) {
	g := unmarshalAny(t, readFile(t, "testdata/golden/graph-error.json")).(map[string]any)
	require.Len(t, g, 1)
	ge := g["error"].(map[string]any)
	assert.ElementsMatch(t, []string{"code", "message"}, keys(ge))
	assert.Equal(t, graph.CodeInvalidRequest, ge["code"])

	a := unmarshalAny(t, readFile(t, "testdata/golden/acs-error.json")).(map[string]any)
	require.Len(t, a, 1)
	ae := a["error"].(map[string]any)
	assert.ElementsMatch(t, []string{"code", "message", "target"}, keys(ae))
	assert.Equal(t, "tones[1]", ae["target"])
}

func keys(m map[string]any) []string {
	var ks []string
	for k := range m {
		ks = append(ks, k)
	}
	return ks
}

func marshal(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	require.NoError(t, err)
	return b
}

// graphSend starts the seed page's sendDtmfTones request on the seed call.
func graphSend(t *testing.T, ctx context.Context) (graph.SendDtmfTonesOperation, *bridge.Playout, *recorder) {
	t.Helper()
	req, err := graph.ParseSendDtmfTonesRequest(readFile(t, "testdata/seed/graph-senddtmftones-request.json"))
	require.NoError(t, err)
	rec := &recorder{}
	c, err := bridge.NewGraphCall(bridge.Config{CallID: seedSendCall, Sink: rec, NewID: ids(seedSendOp),
		CallbackURI: "https://bot.contoso.com/api/calls"})
	require.NoError(t, err)
	op, p, err := c.SendDtmfTones(ctx, req)
	require.NoError(t, err)
	return op, p, rec
}

// acsSend starts the seed page's sendDtmfTones request, with the
// constructed example's context, on the constructed call.
func acsSend(t *testing.T, ctx context.Context) (*bridge.Playout, *recorder) {
	t.Helper()
	req, err := acs.ParseSendDtmfTonesRequest(readFile(t, "testdata/seed/acs-senddtmftones-request.json"))
	require.NoError(t, err)
	req.OperationContext = "dtmfs-to-ivr"
	rec := &recorder{}
	c, err := bridge.NewACSCall(constructedACS(rec))
	require.NoError(t, err)
	_, p, err := c.SendDtmfTones(ctx, req, bridge.Repeatability{})
	require.NoError(t, err)
	return p, rec
}
