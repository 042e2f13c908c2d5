package graph_test

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/dtmfkit/dtmfkit/bridge/graph"
	"github.com/dtmfkit/dtmfkit/bridge/internal/wiretest"
)

// Each fuzz target checks that arbitrary input never panics, and that what
// parses survives format → parse unchanged.

func FuzzParseNotifications(f *testing.F) {
	wiretest.AddSeeds(f, "graph-tone-notification.json", "graph-senddtmftones-completed.json", "graph-notifications-variants.json")
	f.Add([]byte(`{"value":[{"changeType":"updated","resourceData":[null,{"@odata.type":"#microsoft.graph.call"}]}]}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		ns, err := graph.ParseNotifications(body)
		if err != nil {
			return
		}
		if _, err := json.Marshal(ns); err != nil {
			return // parsed but incomplete (an unset required enum): not valid to send
		}
		wiretest.RoundTrip(t, graph.ParseNotifications, ns)
	})
}

func FuzzParseSendDtmfTonesRequest(f *testing.F) {
	wiretest.AddSeeds(f, "graph-senddtmftones-request.json")
	f.Add([]byte(`{"tones":["tone1"],"delayBetweenTonesMs":0,"clientContext":"\u00e9"}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		req, err := graph.ParseSendDtmfTonesRequest(body)
		if err != nil {
			require.ErrorAs(t, err, new(*graph.Error))
			return
		}
		require.NotEmpty(t, req.Keys())
		wiretest.RoundTrip(t, graph.ParseSendDtmfTonesRequest, req)
	})
}

func FuzzParseSubscribeToToneRequest(f *testing.F) {
	wiretest.AddSeeds(f, "graph-subscribetotone-request.json")
	f.Fuzz(func(t *testing.T, body []byte) {
		req, err := graph.ParseSubscribeToToneRequest(body)
		if err != nil {
			require.ErrorAs(t, err, new(*graph.Error))
			return
		}
		wiretest.RoundTrip(t, graph.ParseSubscribeToToneRequest, req)
	})
}

func FuzzErrorBody(f *testing.F) {
	wiretest.AddSeeds(f)
	parse := func(b []byte) (graph.Error, error) {
		var e graph.Error
		err := json.Unmarshal(b, &e)
		return e, err
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		if e, err := parse(body); err == nil {
			wiretest.RoundTrip(t, parse, e)
		}
	})
}
