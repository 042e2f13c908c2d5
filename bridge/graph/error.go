package graph

import (
	"encoding/json"
	"errors"
	"strconv"
)

// Error codes, from the Graph error-code table
// (learn.microsoft.com/graph/errors). The request parsers of this package
// return only CodeInvalidRequest.
const (
	CodeInvalidRequest       = "invalidRequest"       // 400
	CodeItemNotFound         = "itemNotFound"         // 404
	CodeActivityLimitReached = "activityLimitReached" // 429: throttled
	CodeServiceNotAvailable  = "serviceNotAvailable"  // 503
	CodeGeneralException     = "generalException"     // 500
)

// Error is a Graph error: an HTTP status and the OData error body
// {"error":{"code":"…","message":"…"}}, which is what it marshals to.
type Error struct {
	StatusCode int // HTTP status to answer with; not part of the body
	Code       string
	Message    string
}

func (e *Error) Error() string {
	return "graph: " + strconv.Itoa(e.StatusCode) + " " + e.Code + ": " + e.Message
}

type errorBody struct {
	Error struct {
		Code    string `json:"code"`
		Message string `json:"message"`
	} `json:"error"`
}

// MarshalJSON writes the error body.
func (e *Error) MarshalJSON() ([]byte, error) {
	var b errorBody
	b.Error.Code, b.Error.Message = e.Code, e.Message
	return json.Marshal(b)
}

// UnmarshalJSON reads an error body; StatusCode is left as it was.
func (e *Error) UnmarshalJSON(data []byte) error {
	var b errorBody
	if err := json.Unmarshal(data, &b); err != nil {
		return err
	}
	if b.Error.Code == "" {
		return errors.New("graph: error body has no error.code")
	}
	e.Code, e.Message = b.Error.Code, b.Error.Message
	return nil
}
