package acs_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/dtmfkit/dtmfkit/bridge/acs"
	"github.com/dtmfkit/dtmfkit/bridge/internal/wiretest"
	"github.com/dtmfkit/dtmfkit/dtmf"
)

func TestToneNames(t *testing.T) {
	// Tone in the 2025-05-15 swagger, listed here in keypad order.
	names := map[dtmf.Digit]acs.Tone{'0': "zero", '1': "one", '2': "two", '3': "three", '4': "four", '5': "five",
		'6': "six", '7': "seven", '8': "eight", '9': "nine", '*': "asterisk", '#': "pound", 'A': "a", 'B': "b", 'C': "c", 'D': "d"}
	for d, name := range names {
		got, err := acs.ToneOf(d)
		require.NoError(t, err)
		assert.Equal(t, name, got)
		back, err := acs.Tone(strings.ToUpper(string(name))).Digit()
		require.NoError(t, err)
		assert.Equal(t, d, back)
	}
	_, err := acs.ToneOf(dtmf.Flash)
	require.Error(t, err, "ACS has no flash")
	_, err = acs.Tone("star").Digit()
	var ne *dtmf.NameError
	require.ErrorAs(t, err, &ne)
}

func TestParseEventsLegacyAndUnknown(t *testing.T) {
	evs, err := acs.ParseEvents(wiretest.Seed(t, "acs-tonereceived-legacy.json"))
	require.NoError(t, err)
	require.Len(t, evs, 2)

	first := evs[0]
	assert.True(t, first.Is(acs.ContinuousDtmfRecognitionToneReceived), "type compared without case")
	assert.Equal(t, "continuousDtmfRecognitionToneReceived", first.Name())
	assert.EqualValues(t, 7, first.Data.SequenceID, "nested toneInfo lifted")
	d, err := first.Data.Tone.Digit()
	require.NoError(t, err)
	assert.Equal(t, dtmf.DigitStar, d)
	assert.Equal(t, &acs.ResultInformation{Code: 200, SubCode: 0, Message: "DTMF tone received successfully."}, first.Data.ResultInformation)

	second := evs[1]
	assert.EqualValues(t, 8, second.Data.SequenceID)
	assert.Equal(t, acs.Tone("hash"), second.Data.Tone, "an unknown tone parses (modelAsString)")
	_, err = second.Data.Tone.Digit()
	assert.Error(t, err, "and says so when asked for its key")

	evs, err = acs.ParseEvents(wiretest.Seed(t, "acs-recognizecompleted-legacy.json"))
	require.NoError(t, err, "a single object")
	require.Len(t, evs, 1)
	assert.True(t, evs[0].Is(acs.RecognizeCompleted))
	assert.Equal(t, &acs.DtmfResult{Tones: []acs.Tone{"nine", "eight", "zero", "five", "two"}}, evs[0].Data.DtmfResult,
		"collectTonesResult lifted to dtmfResult")
	tm, err := acs.ParseTime(evs[0].Time)
	require.NoError(t, err)
	assert.Equal(t, "2023-03-01T21:38:07.0455148+00:00", acs.FormatTime(tm))
}

func TestSeedEventsRoundTrip(t *testing.T) {
	for _, name := range []string{"acs-senddtmftonescompleted.json", "acs-senddtmftonesfailed.json",
		"acs-tonereceived.json", "acs-recognitionstopped.json"} {
		body := wiretest.Seed(t, name)
		evs, err := acs.ParseEvents(body)
		require.NoError(t, err, name)
		out, err := json.Marshal(evs)
		require.NoError(t, err)
		assert.JSONEq(t, string(body), string(out), name)
	}
}

func TestNewEvent(t *testing.T) {
	at := time.Date(2025, 6, 1, 12, 30, 0, 123456789, time.FixedZone("CEST", 7200))
	e := acs.NewEvent(acs.SendDtmfTonesCompleted, "e1", at, acs.EventData{CallConnectionID: "c1"})
	b, err := json.Marshal([]acs.Event{e})
	require.NoError(t, err)
	assert.Equal(t, `[{"id":"e1","source":"calling/callConnections/c1","type":"Microsoft.Communication.SendDtmfTonesCompleted",`+
		`"data":{"callConnectionId":"c1","serverCallId":"","correlationId":""},"time":"2025-06-01T10:30:00.1234567+00:00",`+
		`"specversion":"1.0","datacontenttype":"application/json","subject":"calling/callConnections/c1"}]`, string(b))
}

func TestIdentifierValidate(t *testing.T) {
	acsUser := "8:acs:b9614373-fd0b-480c-8fd2-cb58b70eab9f_da7be3a9-8788-42a6-85c6-56b2cf784fce"
	tests := []struct {
		name   string
		json   string
		target string // "" if valid
	}{
		{"communication user", `{"kind":"communicationUser","communicationUser":{"id":"` + acsUser + `"}}`, ""},
		{"user with rawId", `{"rawId":"` + acsUser + `","communicationUser":{"id":"` + acsUser + `"}}`, ""},
		{"phone", `{"kind":"phoneNumber","rawId":"4:+14255550123","phoneNumber":{"value":"+14255550123"}}`, ""},
		{"phone, old rawId without +", `{"rawId":"4:14255550123","phoneNumber":{"value":"+14255550123"}}`, ""},
		{"anonymous phone", `{"phoneNumber":{"value":"anonymous","isAnonymous":true}}`, ""},
		{"teams user gcch", `{"kind":"microsoftTeamsUser","rawId":"8:gcch:u1","microsoftTeamsUser":{"userId":"u1","cloud":"gcch"}}`, ""},
		{"teams visitor", `{"rawId":"8:teamsvisitor:u1","microsoftTeamsUser":{"userId":"u1","isAnonymous":true}}`, ""},
		{"teams app", `{"rawId":"28:orgid:a1","microsoftTeamsApp":{"appId":"a1"}}`, ""},
		{"extension user", `{"rawId":"8:acs:r_t_u","teamsExtensionUser":{"userId":"u","tenantId":"t","resourceId":"r"}}`, ""},
		{"rawId only", `{"rawId":"4:+14255550123"}`, ""},
		{"unknown kind with rawId", `{"kind":"futureKind","rawId":"99:x"}`, ""},
		{"kind case", `{"kind":"PhoneNumber","phoneNumber":{"value":"+1"}}`, ""},
		{"empty", `{}`, "targetParticipant"},
		{"kind only", `{"kind":"phoneNumber","rawId":"4:+1"}`, "targetParticipant.kind"},
		{"two properties", `{"phoneNumber":{"value":"+1"},"communicationUser":{"id":"` + acsUser + `"}}`, "targetParticipant"},
		{"kind mismatch", `{"kind":"communicationUser","phoneNumber":{"value":"+1"}}`, "targetParticipant.kind"},
		{"rawId mismatch", `{"rawId":"4:+2","phoneNumber":{"value":"+1"}}`, "targetParticipant.rawId"},
		{"rawId with space", `{"rawId":"4:+1 2"}`, "targetParticipant.rawId"},
		{"user id not ACS", `{"communicationUser":{"id":"alice"}}`, "targetParticipant.communicationUser.id"},
		{"user id empty", `{"communicationUser":{"id":"8:acs:"}}`, "targetParticipant.communicationUser.id"},
		{"phone not E.164", `{"phoneNumber":{"value":"4255550123"}}`, "targetParticipant.phoneNumber.value"},
		{"phone too long", `{"phoneNumber":{"value":"+1234567890123456"}}`, "targetParticipant.phoneNumber.value"},
		{"phone letters", `{"phoneNumber":{"value":"+1425CALLNOW"}}`, "targetParticipant.phoneNumber.value"},
		{"teams cloud", `{"microsoftTeamsUser":{"userId":"u","cloud":"mars"}}`, "targetParticipant.microsoftTeamsUser.cloud"},
		{"teams no user", `{"microsoftTeamsUser":{"userId":""}}`, "targetParticipant.microsoftTeamsUser.userId"},
		{"app no id", `{"microsoftTeamsApp":{}}`, "targetParticipant.microsoftTeamsApp.appId"},
		{"extension no tenant", `{"teamsExtensionUser":{"userId":"u"}}`, "targetParticipant.teamsExtensionUser"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var id acs.CommunicationIdentifierModel
			require.NoError(t, json.Unmarshal([]byte(tt.json), &id))
			err := id.Validate("targetParticipant")
			if tt.target == "" {
				require.NoError(t, err)
				return
			}
			var ae *acs.Error
			require.ErrorAs(t, err, &ae)
			assert.Equal(t, http.StatusBadRequest, ae.StatusCode)
			assert.Equal(t, tt.target, ae.Target)
		})
	}
}

func TestParseSendDtmfTonesRequest(t *testing.T) {
	req, err := acs.ParseSendDtmfTonesRequest(wiretest.Seed(t, "acs-senddtmftones-request.json"))
	require.NoError(t, err)
	assert.Equal(t, "0", req.Keys())
	assert.Equal(t, "https://app.contoso.com/callback", req.OperationCallbackURI)

	phone := `"targetParticipant":{"phoneNumber":{"value":"+14255550123"}}`
	tones := func(n int) string { return `"tones":["one"` + strings.Repeat(`,"pound"`, n-1) + `]` }
	tests := []struct {
		name, body string
		status     int
		target     string
	}{
		{"eighteen tones", `{` + tones(18) + `,` + phone + `}`, 0, ""},
		{"context at max", `{` + tones(1) + `,` + phone + `,"operationContext":"` + strings.Repeat("é", 256) + `"}`, 0, ""},
		{"nineteen tones", `{` + tones(19) + `,` + phone + `}`, 400, "tones"},
		{"no tones", `{` + phone + `}`, 400, "tones"},
		{"unknown tone", `{"tones":["one","star"],` + phone + `}`, 400, "tones[1]"},
		{"flash", `{"tones":["flash"],` + phone + `}`, 400, "tones[0]"},
		{"no target", `{` + tones(1) + `}`, 400, "targetParticipant"},
		{"context too long", `{` + tones(1) + `,` + phone + `,"operationContext":"` + strings.Repeat("x", 257) + `"}`, 400, "operationContext"},
		{"callback relative", `{` + tones(1) + `,` + phone + `,"operationCallbackUri":"/cb"}`, 400, "operationCallbackUri"},
		{"callback scheme", `{` + tones(1) + `,` + phone + `,"operationCallbackUri":"ftp://h/cb"}`, 400, "operationCallbackUri"},
		{"tones not array", `{"tones":"one",` + phone + `}`, 400, ""},
		{"not JSON", `{"tones":`, 400, ""},
		{"too large", `{"x":"` + strings.Repeat(" ", acs.MaxBodySize) + `"}`, 413, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := acs.ParseSendDtmfTonesRequest([]byte(tt.body))
			if tt.status == 0 {
				require.NoError(t, err)
				return
			}
			var ae *acs.Error
			require.ErrorAs(t, err, &ae)
			assert.Equal(t, tt.status, ae.StatusCode)
			assert.Equal(t, tt.target, ae.Target)
			assert.NotEmpty(t, ae.Message)
		})
	}
}

func TestParseContinuousDtmfRecognitionRequest(t *testing.T) {
	req, err := acs.ParseContinuousDtmfRecognitionRequest([]byte(
		`{"targetParticipant":{"kind":"communicationUser","communicationUser":{"id":"8:acs:x"}},"operationContext":"c"}`))
	require.NoError(t, err)
	assert.Equal(t, "c", req.OperationContext)
	_, err = acs.ParseContinuousDtmfRecognitionRequest([]byte(`{}`))
	require.ErrorAs(t, err, new(*acs.Error))
}

func TestErrorBody(t *testing.T) {
	e := &acs.Error{StatusCode: 400, Code: acs.CodeBadRequest, Message: "tones: too many", Target: "tones"}
	b, err := json.Marshal(e)
	require.NoError(t, err)
	assert.Equal(t, `{"error":{"code":"BadRequest","message":"tones: too many","target":"tones"}}`, string(b))
	var back acs.Error
	require.NoError(t, json.Unmarshal([]byte(`{"error":{"code":"8523","message":"Invalid request.","details":[],"innererror":{"code":"x","message":"y"}}}`), &back))
	assert.Equal(t, acs.Error{Code: "8523", Message: "Invalid request."}, back)
	assert.Equal(t, "acs: 400 BadRequest: tones: too many", e.Error())
}
