package graph

import (
	"fmt"
	"net/http"
	"time"

	"github.com/dtmfkit/dtmfkit/bridge/internal/wire"
	"github.com/dtmfkit/dtmfkit/dtmf"
)

// Limits this package enforces on requests.
const (
	// MaxClientContext is the documented limit on clientContext, in
	// characters (both actions: "Can have a maximum of 256 characters").
	MaxClientContext = wire.MaxContext
	// MaxBodySize is the largest request body accepted, in bytes; larger
	// bodies get a 413. Graph documents no limit on the number of tones;
	// 64 KiB holds some 7,000, over 20 minutes of keys.
	MaxBodySize = wire.MaxBody
	// MaxDelayBetweenTones bounds delayBetweenTonesMs. Graph documents
	// none (the parameter is an Int32, so up to 24 days); a pause longer
	// than 10 s outlasts every IVR inter-digit timeout in common use, so
	// the far end would take the keys as separate entries, and a larger
	// value is far more likely a unit slip (seconds read as milliseconds)
	// than an intent.
	MaxDelayBetweenTones = 10 * time.Second
)

// SendDtmfTonesRequest is the body of POST /communications/calls/{id}/sendDtmfTones.
// The docs' table calls tones a "ToneInfo collection"; the CSDL and the
// example make it an array of tone names, which is what this parses.
type SendDtmfTonesRequest struct {
	Tones []Tone `json:"tones"`
	// DelayBetweenTonesMs is the pause between two tones in milliseconds;
	// nil means the renderer's default.
	DelayBetweenTonesMs *int32 `json:"delayBetweenTonesMs,omitempty"`
	ClientContext       string `json:"clientContext,omitempty"`
}

// SubscribeToToneRequest is the body of POST /communications/calls/{id}/subscribeToTone.
type SubscribeToToneRequest struct {
	ClientContext string `json:"clientContext,omitempty"`
}

// ParseSendDtmfTonesRequest parses and validates a sendDtmfTones body.
// Unknown fields are ignored. An error is an *[Error] (400, or 413 for a
// body over [MaxBodySize]) that says which field is wrong.
func ParseSendDtmfTonesRequest(body []byte) (SendDtmfTonesRequest, error) {
	var raw struct {
		Tones               []string `json:"tones"`
		DelayBetweenTonesMs *int32   `json:"delayBetweenTonesMs"`
		ClientContext       *string  `json:"clientContext"`
	}
	if err := decode(body, &raw); err != nil {
		return SendDtmfTonesRequest{}, err
	}
	r := SendDtmfTonesRequest{DelayBetweenTonesMs: raw.DelayBetweenTonesMs}
	if raw.ClientContext != nil {
		r.ClientContext = *raw.ClientContext
	}
	for i, name := range raw.Tones {
		d, err := dtmf.ParseName(dtmf.Graph, name)
		if err != nil {
			return SendDtmfTonesRequest{}, badRequest("tones[%d]: %q is not a tone; use tone0-tone9, star, pound or a-d", i, name)
		}
		r.Tones = append(r.Tones, Tone(d))
	}
	if err := r.Validate(); err != nil {
		return SendDtmfTonesRequest{}, err
	}
	return r, nil
}

// Validate checks r against the service's rules and what in-band audio can
// carry: at least one tone; no flash (a switch-hook action, with no tone
// pair to render); a delay from 0 to [MaxDelayBetweenTones]; an ASCII
// clientContext of at most 256 characters. An error is an *[Error].
func (r SendDtmfTonesRequest) Validate() error {
	if len(r.Tones) == 0 {
		return badRequest("tones: at least one tone is required")
	}
	for i, t := range r.Tones {
		d := dtmf.Digit(t)
		if d == dtmf.Flash {
			return badRequest("tones[%d]: flash has no audio form and cannot be sent in-band", i)
		}
		if !d.IsKey() {
			return badRequest("tones[%d]: %v is not a tone", i, d)
		}
	}
	if p := r.DelayBetweenTonesMs; p != nil {
		if *p < 0 {
			return badRequest("delayBetweenTonesMs: %d is negative", *p)
		}
		if time.Duration(*p)*time.Millisecond > MaxDelayBetweenTones {
			return badRequest("delayBetweenTonesMs: %d is more than the %d allowed", *p, MaxDelayBetweenTones.Milliseconds())
		}
	}
	return checkContext(r.ClientContext)
}

// Keys returns the tones as keypad characters ("123*"), for the encoder.
func (r SendDtmfTonesRequest) Keys() string {
	ds := make([]dtmf.Digit, len(r.Tones))
	for i, t := range r.Tones {
		ds[i] = dtmf.Digit(t)
	}
	return dtmf.FormatDigits(ds)
}

// ParseSubscribeToToneRequest parses and validates a subscribeToTone body.
// An empty body is taken as {}. An error is an *[Error].
func ParseSubscribeToToneRequest(body []byte) (SubscribeToToneRequest, error) {
	var r SubscribeToToneRequest
	if len(body) == 0 {
		return r, nil
	}
	var raw struct {
		ClientContext *string `json:"clientContext"`
	}
	if err := decode(body, &raw); err != nil {
		return r, err
	}
	if raw.ClientContext != nil {
		r.ClientContext = *raw.ClientContext
	}
	return r, r.Validate()
}

// Validate checks the clientContext: ASCII, at most 256 characters.
func (r SubscribeToToneRequest) Validate() error { return checkContext(r.ClientContext) }

func checkContext(s string) error {
	if err := wire.CheckContext("clientContext", s, true); err != nil {
		return badRequest("%v", err)
	}
	return nil
}

func decode(body []byte, v any) error {
	if status, msg := wire.Decode(body, v); status != 0 {
		return &Error{StatusCode: status, Code: CodeInvalidRequest, Message: msg}
	}
	return nil
}

func badRequest(format string, args ...any) *Error {
	return &Error{StatusCode: http.StatusBadRequest, Code: CodeInvalidRequest, Message: fmt.Sprintf(format, args...)}
}
