package graph_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/dtmfkit/dtmfkit/bridge/graph"
	"github.com/dtmfkit/dtmfkit/bridge/internal/wiretest"
	"github.com/dtmfkit/dtmfkit/dtmf"
)

func TestToneNames(t *testing.T) {
	// CSDL EnumType tone, in order of its numeric values.
	names := []string{"tone0", "tone1", "tone2", "tone3", "tone4", "tone5", "tone6", "tone7", "tone8", "tone9",
		"star", "pound", "a", "b", "c", "d", "flash"}
	keys := "0123456789*#ABCD!"
	for i, name := range names {
		tone := graph.Tone(keys[i])
		b, err := tone.MarshalText()
		require.NoError(t, err)
		assert.Equal(t, name, string(b))
		assert.Equal(t, name, tone.String())
		for _, variant := range []string{name, strings.ToUpper(name)} {
			var got graph.Tone
			require.NoError(t, got.UnmarshalText([]byte(variant)))
			assert.Equal(t, tone, got)
		}
	}
	var got graph.Tone
	require.Error(t, got.UnmarshalText([]byte("zero")), "ACS names are not Graph names")
	_, err := graph.Tone('x').MarshalText()
	require.Error(t, err)
}

func TestEnumsIgnoreCase(t *testing.T) {
	var s graph.OperationStatus
	for _, v := range []string{"running", "Running", "RUNNING"} {
		require.NoError(t, json.Unmarshal([]byte(`"`+v+`"`), &s))
		assert.Equal(t, graph.Running, s)
	}
	b, err := json.Marshal(graph.NotStarted)
	require.NoError(t, err)
	assert.Equal(t, `"notStarted"`, string(b), "written in the docs' camelCase")
	require.Error(t, json.Unmarshal([]byte(`"done"`), &s))

	var st graph.CallState
	require.NoError(t, json.Unmarshal([]byte(`"ringing"`), &st), "beta value accepted")
	assert.Equal(t, graph.Ringing, st)
	var r graph.CompletionReason
	require.NoError(t, json.Unmarshal([]byte(`"unknownfutureValue"`), &r), "the docs' misspelling")
	assert.Equal(t, graph.ReasonUnknownFutureValue, r)

	_, err = json.Marshal(graph.Notification{})
	require.Error(t, err, "an unset changeType does not marshal")
	assert.Equal(t, "changeType(9)", graph.ChangeType(9).String())
}

func TestParseNotificationVariants(t *testing.T) {
	ns, err := graph.ParseNotifications(wiretest.Seed(t, "graph-notifications-variants.json"))
	require.NoError(t, err)
	assert.Equal(t, "#Microsoft.Graph.Notifications", ns.ODataType, "kept as received")
	require.Len(t, ns.Value, 2)

	first := ns.Value[0]
	assert.Equal(t, graph.Deleted, first.ChangeType)
	require.Len(t, first.ResourceData, 2, "resourceData as an array")
	op := first.ResourceData[0].SendDtmfTones
	require.NotNil(t, op, "@odata.type compared without case")
	assert.Equal(t, graph.Completed, op.Status)
	assert.Equal(t, graph.CompletedSuccessfully, op.CompletionReason)
	assert.Equal(t, &graph.ResultInfo{Code: 200, Subcode: 0, Message: "Success"}, op.ResultInfo)
	assert.JSONEq(t, `{"@odata.type":"#microsoft.graph.participant","id":"p1"}`, string(first.ResourceData[1].Other))

	second := ns.Value[1]
	require.Len(t, second.ResourceData, 1, "resourceData as an object")
	call := second.ResourceData[0].Call
	require.NotNil(t, call)
	assert.Equal(t, graph.Established, call.State)
	assert.Equal(t, &graph.ToneInfo{ODataType: graph.TypeToneInfo, SequenceID: 2, Tone: graph.Tone(dtmf.DigitStar)}, call.ToneInfo)
}

// TestSeedNotificationsRoundTrip parses each notification example of the
// pages and checks that formatting it gives the example back.
func TestSeedNotificationsRoundTrip(t *testing.T) {
	for _, name := range []string{"graph-tone-notification.json", "graph-senddtmftones-completed.json",
		"graph-senddtmftones-canceled.json", "graph-senddtmftones-unknown.json"} {
		body := wiretest.Seed(t, name)
		ns, err := graph.ParseNotifications(body)
		require.NoError(t, err, name)
		out, err := json.Marshal(ns)
		require.NoError(t, err)
		assert.JSONEq(t, string(body), string(out), name)
	}
}

func TestToneNotification(t *testing.T) {
	ns := graph.ToneNotification("c1", graph.Established, 7, graph.Tone(dtmf.DigitPound))
	b, err := json.Marshal(ns)
	require.NoError(t, err)
	assert.Equal(t, `{"@odata.type":"#microsoft.graph.commsNotifications","value":[{"@odata.type":"#microsoft.graph.commsNotification",`+
		`"changeType":"updated","resourceUrl":"/communications/calls/c1","resourceData":{"@odata.type":"#microsoft.graph.call",`+
		`"state":"established","toneInfo":{"@odata.type":"#microsoft.graph.toneInfo","sequenceId":7,"tone":"pound"}}}]}`, string(b))
}

func TestParseSendDtmfTonesRequest(t *testing.T) {
	long := strings.Repeat("x", 257)
	tests := []struct {
		name, body string
		status     int
		msg        string
	}{
		{name: "seed", body: string(wiretest.Seed(t, "graph-senddtmftones-request.json"))},
		{name: "minimal", body: `{"tones":["a"]}`},
		{name: "case and unknown fields", body: `{"Tones":["TONE1","Star"],"futureField":1}`},
		{name: "delay at max", body: `{"tones":["tone1"],"delayBetweenTonesMs":10000}`},
		{name: "context at max", body: `{"tones":["tone1"],"clientContext":"` + long[:256] + `"}`},
		{name: "no tones", body: `{}`, status: 400, msg: "at least one tone"},
		{name: "empty tones", body: `{"tones":[]}`, status: 400, msg: "at least one tone"},
		{name: "unknown tone", body: `{"tones":["tone1","zero"]}`, status: 400, msg: `tones[1]: "zero"`},
		{name: "flash", body: `{"tones":["flash"]}`, status: 400, msg: "flash has no audio form"},
		{name: "tone not a string", body: `{"tones":[1]}`, status: 400, msg: "tones"},
		{name: "negative delay", body: `{"tones":["tone1"],"delayBetweenTonesMs":-1}`, status: 400, msg: "negative"},
		{name: "absurd delay", body: `{"tones":["tone1"],"delayBetweenTonesMs":10001}`, status: 400, msg: "more than the 10000"},
		{name: "delay not int32", body: `{"tones":["tone1"],"delayBetweenTonesMs":3000000000}`, status: 400, msg: "delayBetweenTonesMs"},
		{name: "fractional delay", body: `{"tones":["tone1"],"delayBetweenTonesMs":1.5}`, status: 400, msg: "delayBetweenTonesMs"},
		{name: "context too long", body: `{"tones":["tone1"],"clientContext":"` + long + `"}`, status: 400, msg: "257 characters"},
		{name: "context not ASCII", body: `{"tones":["tone1"],"clientContext":"café"}`, status: 400, msg: "ASCII"},
		{name: "not JSON", body: `{"tones":`, status: 400, msg: "not valid JSON"},
		{name: "not an object", body: `["tone1"]`, status: 400, msg: "body"},
		{name: "too large", body: `{"tones":["tone1"],"x":"` + strings.Repeat(" ", graph.MaxBodySize) + `"}`, status: 413, msg: "bytes"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req, err := graph.ParseSendDtmfTonesRequest([]byte(tt.body))
			if tt.status == 0 {
				require.NoError(t, err)
				require.NoError(t, req.Validate())
				return
			}
			var ge *graph.Error
			require.ErrorAs(t, err, &ge)
			assert.Equal(t, tt.status, ge.StatusCode)
			assert.Equal(t, graph.CodeInvalidRequest, ge.Code)
			assert.Contains(t, ge.Message, tt.msg)
		})
	}
	req, err := graph.ParseSendDtmfTonesRequest(wiretest.Seed(t, "graph-senddtmftones-request.json"))
	require.NoError(t, err)
	assert.Equal(t, "1234567890*#", req.Keys())
	assert.EqualValues(t, 1000, *req.DelayBetweenTonesMs)
}

func TestParseSubscribeToToneRequest(t *testing.T) {
	req, err := graph.ParseSubscribeToToneRequest(wiretest.Seed(t, "graph-subscribetotone-request.json"))
	require.NoError(t, err)
	assert.Equal(t, "fd1c7836-4d84-4e24-b6aa-23188688cc54", req.ClientContext)
	_, err = graph.ParseSubscribeToToneRequest(nil)
	require.NoError(t, err, "an empty body is {}")
	_, err = graph.ParseSubscribeToToneRequest([]byte(`{"clientContext":"` + strings.Repeat("x", 257) + `"}`))
	var ge *graph.Error
	require.ErrorAs(t, err, &ge)
	assert.Equal(t, http.StatusBadRequest, ge.StatusCode)
}

func TestErrorBody(t *testing.T) {
	e := &graph.Error{StatusCode: 400, Code: graph.CodeInvalidRequest, Message: "tones: required"}
	b, err := json.Marshal(e)
	require.NoError(t, err)
	assert.Equal(t, `{"error":{"code":"invalidRequest","message":"tones: required"}}`, string(b))
	var back graph.Error
	require.NoError(t, json.Unmarshal(b, &back))
	assert.Equal(t, graph.Error{Code: e.Code, Message: e.Message}, back)
	assert.Equal(t, "graph: 400 invalidRequest: tones: required", e.Error())
	require.Error(t, json.Unmarshal([]byte(`{"error":{}}`), &back))
}
