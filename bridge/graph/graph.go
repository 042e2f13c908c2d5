package graph

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/dtmfkit/dtmfkit/bridge/internal/wire"
	"github.com/dtmfkit/dtmfkit/dtmf"
)

// The @odata.type strings of the payloads in this package.
const (
	TypeNotifications            = "#microsoft.graph.commsNotifications"
	TypeNotification             = "#microsoft.graph.commsNotification"
	TypeCall                     = "#microsoft.graph.call"
	TypeToneInfo                 = "#microsoft.graph.toneInfo"
	TypeSendDtmfTonesOperation   = "#microsoft.graph.sendDtmfTonesOperation"
	TypeSubscribeToToneOperation = "#microsoft.graph.subscribeToToneOperation"
)

// Tone is a key as Graph names it: "tone0"-"tone9", "star", "pound",
// "a"-"d" and "flash" (CSDL EnumType tone, whose numeric values are the
// RFC 4733 event codes). Convert with Tone(d) and dtmf.Digit(t).
type Tone dtmf.Digit

// MarshalText returns the Graph name of t.
func (t Tone) MarshalText() ([]byte, error) {
	name, err := dtmf.Digit(t).Name(dtmf.Graph)
	if err != nil {
		return nil, fmt.Errorf("graph: %w", err)
	}
	return []byte(name), nil
}

// UnmarshalText parses a Graph tone name, ignoring case.
func (t *Tone) UnmarshalText(text []byte) error {
	d, err := dtmf.ParseName(dtmf.Graph, string(text))
	if err != nil {
		return fmt.Errorf("graph: %w", err)
	}
	*t = Tone(d)
	return nil
}

// String returns the Graph name of t, or the Digit's String if it has none.
func (t Tone) String() string {
	if name, err := dtmf.Digit(t).Name(dtmf.Graph); err == nil {
		return name
	}
	return dtmf.Digit(t).String()
}

// ChangeType is the CSDL changeType of a notification. The zero value is
// unset and does not marshal.
type ChangeType uint8

// The changeType values.
const (
	Created ChangeType = iota + 1
	Updated
	Deleted
)

var changeTypes = wire.Enum[ChangeType]{Type: "changeType", Names: []string{"created", "updated", "deleted"}}

func (c ChangeType) String() string                { return changeTypes.String(c) }
func (c ChangeType) MarshalText() ([]byte, error)  { return changeTypes.Marshal(c) }
func (c *ChangeType) UnmarshalText(b []byte) error { return changeTypes.Unmarshal(c, b) }

// OperationStatus is the status of a commsOperation. The CSDL and the Go SDK
// spell it in PascalCase, the docs and every example in camelCase; it parses
// either way and is written in the docs' form ("running", "completed").
type OperationStatus uint8

// The operationStatus values.
const (
	NotStarted OperationStatus = iota + 1
	Running
	Completed
	Failed
)

var statuses = wire.Enum[OperationStatus]{Type: "operationStatus", Names: []string{"notStarted", "running", "completed", "failed"}}

func (s OperationStatus) String() string                { return statuses.String(s) }
func (s OperationStatus) MarshalText() ([]byte, error)  { return statuses.Marshal(s) }
func (s *OperationStatus) UnmarshalText(b []byte) error { return statuses.Unmarshal(s, b) }

// CompletionReason is a sendDtmfTonesOperation's sendDtmfCompletionReason.
// The zero value is unset and is omitted from JSON.
type CompletionReason uint8

// The sendDtmfCompletionReason values (CSDL spelling of the last one).
const (
	ReasonUnknown CompletionReason = iota + 1
	CompletedSuccessfully
	MediaOperationCanceled
	ReasonUnknownFutureValue
)

var reasons = wire.Enum[CompletionReason]{Type: "sendDtmfCompletionReason",
	Names: []string{"unknown", "completedSuccessfully", "mediaOperationCanceled", "unknownFutureValue"}}

func (r CompletionReason) String() string                { return reasons.String(r) }
func (r CompletionReason) MarshalText() ([]byte, error)  { return reasons.Marshal(r) }
func (r *CompletionReason) UnmarshalText(b []byte) error { return reasons.Unmarshal(r, b) }

// CallState is a call's callState. "ringing" is in the beta schema and the
// v1.0 docs but not the v1.0 CSDL; it is accepted.
type CallState uint8

// The callState values.
const (
	Incoming CallState = iota + 1
	Establishing
	Established
	Hold
	Transferring
	TransferAccepted
	Redirecting
	Terminating
	Terminated
	CallStateUnknownFutureValue
	Ringing
)

var callStates = wire.Enum[CallState]{Type: "callState", Names: []string{
	"incoming", "establishing", "established", "hold", "transferring", "transferAccepted",
	"redirecting", "terminating", "terminated", "unknownFutureValue", "ringing"}}

func (s CallState) String() string                { return callStates.String(s) }
func (s CallState) MarshalText() ([]byte, error)  { return callStates.Marshal(s) }
func (s *CallState) UnmarshalText(b []byte) error { return callStates.Unmarshal(s, b) }

// Notifications is the commsNotifications body POSTed to a bot's callback.
type Notifications struct {
	ODataType string         `json:"@odata.type"`
	Value     []Notification `json:"value"`
}

// Notification is one commsNotification.
type Notification struct {
	ODataType    string     `json:"@odata.type"`
	ChangeType   ChangeType `json:"changeType"`
	ResourceURL  string     `json:"resourceUrl"`
	ResourceData Resources  `json:"resourceData,omitempty"`
}

// Resources is a notification's resourceData: "either an entity or a
// collection of entities" (commsnotification.md). One resource is written as
// an object, as in the docs' examples, and more as an array; both forms
// parse.
type Resources []Resource

// MarshalJSON writes one resource as an object and several as an array.
func (rs Resources) MarshalJSON() ([]byte, error) {
	if len(rs) == 1 {
		return json.Marshal(rs[0])
	}
	return json.Marshal([]Resource(rs))
}

// UnmarshalJSON accepts an object, an array of objects, or null. Null
// entries are dropped, so [] and [null] give nil.
func (rs *Resources) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	switch {
	case bytes.Equal(b, []byte("null")):
		*rs = nil
		return nil
	case len(b) > 0 && b[0] == '[':
		var all []Resource
		if err := json.Unmarshal(b, &all); err != nil {
			return err
		}
		*rs = nil // null entries, and so [], are no resource
		for _, r := range all {
			if !r.empty() {
				*rs = append(*rs, r)
			}
		}
		return nil
	}
	var one Resource
	if err := json.Unmarshal(b, &one); err != nil {
		return err
	}
	*rs = Resources{one}
	return nil
}

// Resource is one entity in resourceData, told apart by its @odata.type
// (compared without regard to case). Exactly one field is set; an entity
// of any other type is kept, as received, in Other.
type Resource struct {
	Call            *Call
	SendDtmfTones   *SendDtmfTonesOperation
	SubscribeToTone *SubscribeToToneOperation
	Other           json.RawMessage
}

var errEmptyResource = errors.New("graph: empty resource")

func (r Resource) empty() bool {
	return r.Call == nil && r.SendDtmfTones == nil && r.SubscribeToTone == nil && len(r.Other) == 0
}

// MarshalJSON writes whichever field is set.
func (r Resource) MarshalJSON() ([]byte, error) {
	switch {
	case r.Call != nil:
		return json.Marshal(r.Call)
	case r.SendDtmfTones != nil:
		return json.Marshal(r.SendDtmfTones)
	case r.SubscribeToTone != nil:
		return json.Marshal(r.SubscribeToTone)
	case len(r.Other) > 0:
		return r.Other, nil
	}
	return nil, errEmptyResource
}

// UnmarshalJSON reads the entity's @odata.type and decodes it accordingly.
func (r *Resource) UnmarshalJSON(b []byte) error {
	*r = Resource{}
	if bytes.Equal(bytes.TrimSpace(b), []byte("null")) {
		return nil
	}
	var head struct {
		ODataType string `json:"@odata.type"`
	}
	if err := json.Unmarshal(b, &head); err != nil {
		return err
	}
	switch {
	case strings.EqualFold(head.ODataType, TypeCall):
		r.Call = new(Call)
		return json.Unmarshal(b, r.Call)
	case strings.EqualFold(head.ODataType, TypeSendDtmfTonesOperation):
		r.SendDtmfTones = new(SendDtmfTonesOperation)
		return json.Unmarshal(b, r.SendDtmfTones)
	case strings.EqualFold(head.ODataType, TypeSubscribeToToneOperation):
		r.SubscribeToTone = new(SubscribeToToneOperation)
		return json.Unmarshal(b, r.SubscribeToTone)
	}
	// Keep it in the form json.Marshal writes (compact, HTML-escaped), so
	// that formatting and parsing again gives the same bytes.
	other, err := json.Marshal(json.RawMessage(b))
	if err != nil {
		return err
	}
	r.Other = other
	return nil
}

// Call is the part of the call resource a tone notification carries.
type Call struct {
	ODataType string    `json:"@odata.type"`
	State     CallState `json:"state,omitempty"`
	ToneInfo  *ToneInfo `json:"toneInfo,omitempty"`
}

// ToneInfo is a key press: sequenceId (Edm.Int64) is "an incremental
// identifier used for ordering DTMF events".
type ToneInfo struct {
	ODataType  string `json:"@odata.type"`
	SequenceID int64  `json:"sequenceId"`
	Tone       Tone   `json:"tone"`
}

// ResultInfo is a commsOperation's resultInfo. Note "subcode" with a
// lower-case c, unlike ACS's subCode.
type ResultInfo struct {
	Code    int32  `json:"code"`
	Message string `json:"message,omitempty"`
	Subcode int32  `json:"subcode"`
}

// SendDtmfTonesOperation is the operation sendDtmfTones returns (status
// running) and the resource of its completion notification (status
// completed, with a completionReason).
type SendDtmfTonesOperation struct {
	ODataType        string           `json:"@odata.type"`
	Status           OperationStatus  `json:"status"`
	CompletionReason CompletionReason `json:"completionReason,omitempty"`
	ClientContext    string           `json:"clientContext,omitempty"`
	ID               string           `json:"id"`
	ResultInfo       *ResultInfo      `json:"resultInfo,omitempty"`
}

// SubscribeToToneOperation is what subscribeToTone returns. Its resultInfo
// is written even when null, as in the docs' example.
type SubscribeToToneOperation struct {
	ODataType     string          `json:"@odata.type"`
	ClientContext string          `json:"clientContext,omitempty"`
	ID            string          `json:"id"`
	ResultInfo    *ResultInfo     `json:"resultInfo"`
	Status        OperationStatus `json:"status"`
}

// CallURL returns the resourceUrl of call id: /communications/calls/{id}.
func CallURL(callID string) string { return "/communications/calls/" + callID }

// OperationURL returns the resourceUrl of an operation of a call.
func OperationURL(callID, opID string) string { return CallURL(callID) + "/operations/" + opID }

// ToneNotification returns the notification Graph sends when a subscribed
// call hears a key: changeType updated, the call as resource, its toneInfo.
func ToneNotification(callID string, state CallState, seq int64, t Tone) Notifications {
	return single(Notification{
		ODataType:   TypeNotification,
		ChangeType:  Updated,
		ResourceURL: CallURL(callID),
		ResourceData: Resources{{Call: &Call{
			ODataType: TypeCall,
			State:     state,
			ToneInfo:  &ToneInfo{ODataType: TypeToneInfo, SequenceID: seq, Tone: t},
		}}},
	})
}

// OperationNotification returns the notification that ends a
// sendDtmfTones operation: changeType deleted, the operation as resource.
func OperationNotification(callID string, op SendDtmfTonesOperation) Notifications {
	return single(Notification{
		ODataType:    TypeNotification,
		ChangeType:   Deleted,
		ResourceURL:  OperationURL(callID, op.ID),
		ResourceData: Resources{{SendDtmfTones: &op}},
	})
}

func single(n Notification) Notifications {
	return Notifications{ODataType: TypeNotifications, Value: []Notification{n}}
}

// ParseNotifications parses a commsNotifications body. The outer and inner
// @odata.type are kept as received and not checked.
func ParseNotifications(body []byte) (Notifications, error) {
	var n Notifications
	if _, msg := wire.Decode(body, &n); msg != "" {
		return Notifications{}, errors.New("graph: " + msg)
	}
	return n, nil
}
