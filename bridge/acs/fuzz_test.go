package acs_test

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/dtmfkit/dtmfkit/bridge/acs"
	"github.com/dtmfkit/dtmfkit/bridge/internal/wiretest"
)

// Each fuzz target checks that arbitrary input never panics, and that what
// parses survives format → parse unchanged.

func FuzzParseEvents(f *testing.F) {
	wiretest.AddSeeds(f, "acs-tonereceived.json", "acs-tonereceived-legacy.json", "acs-recognizecompleted-legacy.json",
		"acs-senddtmftonescompleted.json")
	f.Add([]byte(`[{"data":null}]`))
	f.Add([]byte(`{"data":{"toneInfo":{"sequenceId":2,"tone":"x"}}}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		evs, err := acs.ParseEvents(body)
		if err != nil {
			return
		}
		for _, e := range evs {
			_, _ = e.Data.Tone.Digit() // an unknown tone is an error value, never a panic
			_ = e.Name()
		}
		if len(evs) == 0 {
			evs = nil // [] and null both format as null
		}
		wiretest.RoundTrip(t, acs.ParseEvents, evs)
	})
}

func FuzzParseSendDtmfTonesRequest(f *testing.F) {
	wiretest.AddSeeds(f, "acs-senddtmftones-request.json")
	f.Add([]byte(`{"tones":["one"],"targetParticipant":{"rawId":"4:+1"}}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		req, err := acs.ParseSendDtmfTonesRequest(body)
		if err != nil {
			require.ErrorAs(t, err, new(*acs.Error))
			return
		}
		require.Len(t, req.Keys(), len(req.Tones))
		wiretest.RoundTrip(t, acs.ParseSendDtmfTonesRequest, req)
	})
}

func FuzzParseContinuousDtmfRecognitionRequest(f *testing.F) {
	wiretest.AddSeeds(f)
	f.Add([]byte(`{"targetParticipant":{"phoneNumber":{"value":"+1"}},"operationContext":"c"}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		req, err := acs.ParseContinuousDtmfRecognitionRequest(body)
		if err != nil {
			require.ErrorAs(t, err, new(*acs.Error))
			return
		}
		wiretest.RoundTrip(t, acs.ParseContinuousDtmfRecognitionRequest, req)
	})
}

func FuzzErrorBody(f *testing.F) {
	wiretest.AddSeeds(f)
	parse := func(b []byte) (acs.Error, error) {
		var e acs.Error
		err := json.Unmarshal(b, &e)
		return e, err
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		if e, err := parse(body); err == nil {
			wiretest.RoundTrip(t, parse, e)
		}
	})
}
