package wire

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"unicode/utf8"
)

// MaxBody is the largest request body the parsers accept, in bytes. A valid
// ACS request is under 2 KiB (18 tones, a 256-character context, an
// identifier and a callback URI); Graph sets no limit on tones, and 64 KiB
// holds about 7,000 of them, over 20 minutes of keys at default timing.
const MaxBody = 64 << 10

// MaxContext is the longest clientContext (Graph) or operationContext (ACS)
// accepted, in characters.
const MaxContext = 256

// Enum is a table of wire names for an enum whose values are 1, 2, ...;
// the zero value means "not set" and has no name.
type Enum[T ~uint8] struct {
	Type  string   // the schema's name for the enum, for messages
	Names []string // Names[v-1] is the wire name of v
}

// String returns the wire name of v, or "Type(n)" if v has none.
func (e Enum[T]) String(v T) string {
	if v >= 1 && int(v) <= len(e.Names) {
		return e.Names[v-1]
	}
	return e.Type + "(" + strconv.Itoa(int(v)) + ")"
}

// Marshal returns the wire name of v, or an error if v has none.
func (e Enum[T]) Marshal(v T) ([]byte, error) {
	if v >= 1 && int(v) <= len(e.Names) {
		return []byte(e.Names[v-1]), nil
	}
	return nil, fmt.Errorf("%s value %d has no wire name", e.Type, v)
}

// Unmarshal sets *v to the value named text, ignoring ASCII case: the
// services' SDKs and docs disagree on case (e.g. "Running" and "running").
func (e Enum[T]) Unmarshal(v *T, text []byte) error {
	s := string(text)
	for i, n := range e.Names {
		if strings.EqualFold(n, s) {
			*v = T(i + 1)
			return nil
		}
	}
	return fmt.Errorf("unknown %s %q", e.Type, s)
}

// Decode unmarshals body into v after checking its size. On failure it
// returns the HTTP status to answer with (400, or 413 for a body over
// [MaxBody]) and a message naming the field or offset; on success, 0 and "".
func Decode(body []byte, v any) (status int, msg string) {
	if len(body) > MaxBody {
		return http.StatusRequestEntityTooLarge, fmt.Sprintf("body is %d bytes, more than the %d allowed", len(body), MaxBody)
	}
	if err := json.Unmarshal(body, v); err != nil {
		return http.StatusBadRequest, Describe(err)
	}
	return 0, ""
}

// Describe turns a JSON decoding error into a message that names the field
// or the offset, without the Go type names encoding/json puts in it.
func Describe(err error) string {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syn):
		return fmt.Sprintf("body is not valid JSON (offset %d): %s", syn.Offset, syn.Error())
	case errors.As(err, &typ):
		field := typ.Field
		if field == "" {
			field = "body"
		}
		return fmt.Sprintf("%s: a JSON %s is not valid here", field, typ.Value)
	default:
		return "body is not valid: " + err.Error()
	}
}

// CheckContext checks a clientContext or operationContext: at most
// [MaxContext] characters and, if ascii, ASCII only (Graph's CSDL declares
// clientContext Unicode="false").
func CheckContext(name, s string, ascii bool) error {
	if n := utf8.RuneCountInString(s); n > MaxContext {
		return fmt.Errorf("%s is %d characters long; the maximum is %d", name, n, MaxContext)
	}
	if !utf8.ValidString(s) {
		return fmt.Errorf("%s is not valid UTF-8", name)
	}
	if ascii {
		for i := 0; i < len(s); i++ {
			if s[i] >= utf8.RuneSelf {
				return fmt.Errorf("%s has a non-ASCII character at byte %d; it must be ASCII", name, i)
			}
		}
	}
	return nil
}

// CheckID checks an identifier that goes into a URL path or an event
// source: non-empty, at most 256 bytes, and free of '/', '?', '#', spaces
// and control characters.
func CheckID(name, s string) error {
	if s == "" {
		return fmt.Errorf("%s is empty", name)
	}
	if len(s) > 256 {
		return fmt.Errorf("%s is %d bytes long; the maximum is 256", name, len(s))
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; c <= ' ' || c == 0x7f || c == '/' || c == '?' || c == '#' {
			return fmt.Errorf("%s %q has a character not allowed in an id at byte %d", name, s, i)
		}
	}
	return nil
}
