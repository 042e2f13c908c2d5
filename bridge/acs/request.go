package acs

import (
	"fmt"
	"net/http"
	"net/url"

	"github.com/dtmfkit/dtmfkit/bridge/internal/wire"
	"github.com/dtmfkit/dtmfkit/dtmf"
)

// Limits this package enforces on requests.
const (
	// MaxTones is the most tones one sendDtmfTones may carry ("supports
	// sending a maximum of 18 tones at a time", control-mid-call-media-actions).
	MaxTones = 18
	// MaxOperationContext bounds operationContext, in characters. ACS
	// documents no limit; Graph's 256 for clientContext is applied to both
	// so that a context that works with one works with the other.
	MaxOperationContext = wire.MaxContext
	// MaxBodySize is the largest request body accepted, in bytes; larger
	// bodies get a 413.
	MaxBodySize = wire.MaxBody
)

// SendDtmfTonesRequest is the body of
// POST {endpoint}/calling/callConnections/{id}:sendDtmfTones.
type SendDtmfTonesRequest struct {
	Tones             []Tone                       `json:"tones"`
	TargetParticipant CommunicationIdentifierModel `json:"targetParticipant"`
	OperationContext  string                       `json:"operationContext,omitempty"`
	// OperationCallbackURI overrides the call's callback URI for this
	// operation's events.
	OperationCallbackURI string `json:"operationCallbackUri,omitempty"`
}

// SendDtmfTonesResult is the 202 response to sendDtmfTones.
type SendDtmfTonesResult struct {
	OperationContext string `json:"operationContext,omitempty"`
}

// ContinuousDtmfRecognitionRequest is the body of both
// :startContinuousDtmfRecognition and :stopContinuousDtmfRecognition.
type ContinuousDtmfRecognitionRequest struct {
	TargetParticipant    CommunicationIdentifierModel `json:"targetParticipant"`
	OperationContext     string                       `json:"operationContext,omitempty"`
	OperationCallbackURI string                       `json:"operationCallbackUri,omitempty"`
}

// ParseSendDtmfTonesRequest parses and validates a sendDtmfTones body.
// Unknown fields are ignored. An error is an *[Error] (400, or 413 for a
// body over [MaxBodySize]).
func ParseSendDtmfTonesRequest(body []byte) (SendDtmfTonesRequest, error) {
	var r SendDtmfTonesRequest
	if err := decode(body, &r); err != nil {
		return SendDtmfTonesRequest{}, err
	}
	return r, r.Validate()
}

// Validate checks r: 1 to 18 tones, each a name ACS defines (Tone is open
// for parsing events, but an unknown tone cannot be sent); a valid
// targetParticipant (required); the operationContext limit; an absolute
// http(s) operationCallbackUri if given. An error is an *[Error].
func (r SendDtmfTonesRequest) Validate() error {
	switch {
	case len(r.Tones) == 0:
		return badRequest("tones", "at least one tone is required")
	case len(r.Tones) > MaxTones:
		return badRequest("tones", "%d tones; at most %d may be sent at a time", len(r.Tones), MaxTones)
	}
	for i, t := range r.Tones {
		if _, err := t.Digit(); err != nil {
			return badRequest(fmt.Sprintf("tones[%d]", i),
				"%q is not a tone; use zero-nine, asterisk, pound or a-d", string(t))
		}
	}
	return checkCommon(r.TargetParticipant, r.OperationContext, r.OperationCallbackURI)
}

// Keys returns the tones as keypad characters ("0*#"), for the encoder.
// It assumes r is valid; unknown tones are skipped.
func (r SendDtmfTonesRequest) Keys() string {
	ds := make([]dtmf.Digit, 0, len(r.Tones))
	for _, t := range r.Tones {
		if d, err := t.Digit(); err == nil {
			ds = append(ds, d)
		}
	}
	return dtmf.FormatDigits(ds)
}

// ParseContinuousDtmfRecognitionRequest parses and validates a start or
// stop continuous DTMF recognition body. An error is an *[Error].
func ParseContinuousDtmfRecognitionRequest(body []byte) (ContinuousDtmfRecognitionRequest, error) {
	var r ContinuousDtmfRecognitionRequest
	if err := decode(body, &r); err != nil {
		return ContinuousDtmfRecognitionRequest{}, err
	}
	return r, r.Validate()
}

// Validate checks the targetParticipant (required), operationContext and
// operationCallbackUri as for [SendDtmfTonesRequest.Validate].
func (r ContinuousDtmfRecognitionRequest) Validate() error {
	return checkCommon(r.TargetParticipant, r.OperationContext, r.OperationCallbackURI)
}

func checkCommon(target CommunicationIdentifierModel, opContext, callback string) error {
	if err := target.Validate("targetParticipant"); err != nil {
		return err
	}
	if err := wire.CheckContext("operationContext", opContext, false); err != nil {
		return badRequest("operationContext", "%v", err)
	}
	if callback != "" {
		if err := CheckCallbackURI(callback); err != nil {
			return badRequest("operationCallbackUri", "%v", err)
		}
	}
	return nil
}

// CheckCallbackURI checks that s is an absolute http or https URL with a
// host, as a callback URI must be.
func CheckCallbackURI(s string) error {
	u, err := url.Parse(s)
	if err != nil {
		return fmt.Errorf("%q is not a URL", s)
	}
	if (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return fmt.Errorf("%q is not an absolute http(s) URL", s)
	}
	return nil
}

func decode(body []byte, v any) error {
	if status, msg := wire.Decode(body, v); status != 0 {
		code := CodeBadRequest
		if status == http.StatusRequestEntityTooLarge {
			code = CodeRequestEntityTooLarge
		}
		return &Error{StatusCode: status, Code: code, Message: msg}
	}
	return nil
}

func badRequest(target, format string, args ...any) *Error {
	return &Error{StatusCode: http.StatusBadRequest, Code: CodeBadRequest, Target: target,
		Message: target + ": " + fmt.Sprintf(format, args...)}
}
