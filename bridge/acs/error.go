package acs

import (
	"encoding/json"
	"errors"
	"strconv"
)

// Error codes this package uses. The service's own codes are not published
// per case, so these follow the HTTP status, as other Azure APIs do.
const (
	CodeBadRequest            = "BadRequest"
	CodeRequestEntityTooLarge = "RequestEntityTooLarge"
	CodeNotFound              = "NotFound"
)

// Error is an ACS error: an HTTP status and the CommunicationErrorResponse
// body {"error":{"code","message","target"}}, which is what it marshals to.
type Error struct {
	StatusCode int // HTTP status to answer with; not part of the body
	Code       string
	Message    string
	Target     string // the offending field, if any
}

func (e *Error) Error() string {
	return "acs: " + strconv.Itoa(e.StatusCode) + " " + e.Code + ": " + e.Message
}

// CommunicationError is the error object of a CommunicationErrorResponse.
type CommunicationError struct {
	Code       string               `json:"code"`
	Message    string               `json:"message"`
	Target     string               `json:"target,omitempty"`
	Details    []CommunicationError `json:"details,omitempty"`
	InnerError *CommunicationError  `json:"innererror,omitempty"`
}

// CommunicationErrorResponse is the body of every ACS error response.
type CommunicationErrorResponse struct {
	Error CommunicationError `json:"error"`
}

// MarshalJSON writes the CommunicationErrorResponse body.
func (e *Error) MarshalJSON() ([]byte, error) {
	return json.Marshal(CommunicationErrorResponse{Error: CommunicationError{Code: e.Code, Message: e.Message, Target: e.Target}})
}

// UnmarshalJSON reads a CommunicationErrorResponse body (details and the
// inner error are read and dropped); StatusCode is left as it was.
func (e *Error) UnmarshalJSON(data []byte) error {
	var b CommunicationErrorResponse
	if err := json.Unmarshal(data, &b); err != nil {
		return err
	}
	if b.Error.Code == "" {
		return errors.New("acs: error body has no error.code")
	}
	e.Code, e.Message, e.Target = b.Error.Code, b.Error.Message, b.Error.Target
	return nil
}
