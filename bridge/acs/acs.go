package acs

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/dtmfkit/dtmfkit/bridge/internal/wire"
	"github.com/dtmfkit/dtmfkit/dtmf"
)

// Tone is a key as ACS names it: "zero"-"nine", "asterisk", "pound",
// "a"-"d". It is a string, not a closed enum, because the spec marks the
// enum modelAsString: values added later must parse.
type Tone string

// ToneOf returns the ACS name of d. Flash has none.
func ToneOf(d dtmf.Digit) (Tone, error) {
	name, err := d.Name(dtmf.ACS)
	if err != nil {
		return "", fmt.Errorf("acs: %w", err)
	}
	return Tone(name), nil
}

// Digit returns the key t names, ignoring case, or a *dtmf.NameError for a
// name ACS does not (yet) define.
func (t Tone) Digit() (dtmf.Digit, error) { return dtmf.ParseName(dtmf.ACS, string(t)) }

// TypePrefix begins the type of every Call Automation event.
const TypePrefix = "Microsoft.Communication."

// Names of the events this package builds; an event's type is TypePrefix
// followed by the name.
const (
	SendDtmfTonesCompleted                = "SendDtmfTonesCompleted"
	SendDtmfTonesFailed                   = "SendDtmfTonesFailed"
	ContinuousDtmfRecognitionToneReceived = "ContinuousDtmfRecognitionToneReceived"
	ContinuousDtmfRecognitionToneFailed   = "ContinuousDtmfRecognitionToneFailed"
	ContinuousDtmfRecognitionStopped      = "ContinuousDtmfRecognitionStopped"
	RecognizeCompleted                    = "RecognizeCompleted"
)

// Event is a Call Automation callback event: a CloudEvents 1.0 envelope
// (structured mode, JSON) around the event's data. Time is kept as the
// RFC 3339 text it arrived as; see [FormatTime].
type Event struct {
	ID              string    `json:"id"`
	Source          string    `json:"source"`
	Type            string    `json:"type"`
	Data            EventData `json:"data"`
	Time            string    `json:"time,omitempty"`
	SpecVersion     string    `json:"specversion"`
	DataContentType string    `json:"datacontenttype,omitempty"`
	Subject         string    `json:"subject,omitempty"`
}

// Name returns the event's type without [TypePrefix] (matched without
// regard to case), or the whole type if it lacks the prefix.
func (e Event) Name() string {
	if len(e.Type) >= len(TypePrefix) && strings.EqualFold(e.Type[:len(TypePrefix)], TypePrefix) {
		return e.Type[len(TypePrefix):]
	}
	return e.Type
}

// Is reports whether the event is of the named type, ignoring case.
func (e Event) Is(name string) bool { return strings.EqualFold(e.Name(), name) }

// EventData is the data of the events this package speaks: the fields every
// Call Automation event has, the tone fields of
// ContinuousDtmfRecognitionToneReceived, and the DTMF result of
// RecognizeCompleted. Fields an event does not have are left empty and
// omitted.
type EventData struct {
	SequenceID        int64              `json:"sequenceId,omitempty"` // spec: int32, read-only
	Tone              Tone               `json:"tone,omitempty"`
	RecognitionType   string             `json:"recognitionType,omitempty"`
	DtmfResult        *DtmfResult        `json:"dtmfResult,omitempty"`
	CallConnectionID  string             `json:"callConnectionId"`
	ServerCallID      string             `json:"serverCallId"`
	CorrelationID     string             `json:"correlationId"`
	OperationContext  string             `json:"operationContext,omitempty"`
	ResultInformation *ResultInformation `json:"resultInformation,omitempty"`
}

// DtmfResult is RecognizeCompleted's dtmfResult.
type DtmfResult struct {
	Tones []Tone `json:"tones"`
}

// ResultInformation is an event's outcome: code, subCode (capital C) and
// message.
type ResultInformation struct {
	Code    int32  `json:"code"`
	SubCode int32  `json:"subCode"`
	Message string `json:"message"`
}

type eventData EventData // EventData without its methods

// UnmarshalJSON reads the current flat shape and lifts the legacy ones: a
// nested "toneInfo": {"sequenceId", "tone"} (early SDKs) and
// "collectTonesResult" in place of "dtmfResult".
func (d *EventData) UnmarshalJSON(b []byte) error {
	var v struct {
		eventData
		ToneInfo *struct {
			SequenceID int64 `json:"sequenceId"`
			Tone       Tone  `json:"tone"`
		} `json:"toneInfo"`
		CollectTonesResult *DtmfResult `json:"collectTonesResult"`
	}
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	if ti := v.ToneInfo; ti != nil {
		if v.SequenceID == 0 {
			v.SequenceID = ti.SequenceID
		}
		if v.Tone == "" {
			v.Tone = ti.Tone
		}
	}
	if v.DtmfResult == nil {
		v.DtmfResult = v.CollectTonesResult
	}
	*d = EventData(v.eventData)
	return nil
}

// NewEvent returns an event of the named type (e.g. [SendDtmfTonesCompleted])
// with CloudEvent id and time, as the service would send it: source and
// subject "calling/callConnections/{data.CallConnectionID}", specversion
// "1.0", JSON data.
func NewEvent(name, id string, t time.Time, data EventData) Event {
	src := "calling/callConnections/" + data.CallConnectionID
	return Event{
		ID:              id,
		Source:          src,
		Type:            TypePrefix + name,
		Data:            data,
		Time:            FormatTime(t),
		SpecVersion:     "1.0",
		DataContentType: "application/json",
		Subject:         src,
	}
}

// FormatTime writes t as the service does (a .NET DateTimeOffset "o"
// string): UTC, seven fractional digits, "+00:00".
func FormatTime(t time.Time) string {
	return t.UTC().Format("2006-01-02T15:04:05.0000000-07:00")
}

// ParseTime parses an event time in any RFC 3339 form.
func ParseTime(s string) (time.Time, error) { return time.Parse(time.RFC3339Nano, s) }

// ParseEvents parses a callback body: a JSON array of events, as the
// service POSTs them, or a single event object. Unknown event types are
// kept and unknown fields ignored, never an error; an element that is
// neither an object nor null is.
func ParseEvents(body []byte) ([]Event, error) {
	trimmed := bytes.TrimSpace(body)
	if len(trimmed) > 0 && trimmed[0] == '{' {
		var e Event
		if _, msg := wire.Decode(body, &e); msg != "" {
			return nil, errors.New("acs: " + msg)
		}
		return []Event{e}, nil
	}
	var es []Event
	if _, msg := wire.Decode(body, &es); msg != "" {
		return nil, errors.New("acs: " + msg)
	}
	return es, nil
}
