package bridge

import (
	"container/list"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/dtmfkit/dtmfkit/bridge/acs"
)

// Defaults of [NewRepeatabilityStore].
const (
	// DefaultRepeatabilityCap bounds the results remembered: at some
	// 200 bytes each, 10,000 results take about 2 MB.
	DefaultRepeatabilityCap = 10000
	// DefaultRepeatabilityTTL is how long a result is remembered. Client
	// retry policies give up within minutes; an hour leaves room for a
	// client that retries after a restart.
	DefaultRepeatabilityTTL = time.Hour
)

// RepeatabilityStore remembers the results of ACS requests by
// Repeatability-Request-ID, so that a repeated request gets its first
// result without being executed again. It holds at most its capacity of
// results, each for at most its TTL, and forgets the least recently used
// first when full: a retry that arrives after its entry was pushed out is
// executed again, so size the capacity for the request rate times the TTL.
// It is safe for concurrent use.
type RepeatabilityStore struct {
	mu    sync.Mutex
	cap   int
	ttl   time.Duration
	order *list.List // of *repeatEntry, most recently used first
	items map[string]*list.Element
}

type repeatEntry struct {
	key    string
	at     time.Time
	result acs.SendDtmfTonesResult
}

// NewRepeatabilityStore returns a store that remembers up to capacity
// results for ttl each. Zero (or negative) values select
// DefaultRepeatabilityCap and DefaultRepeatabilityTTL.
func NewRepeatabilityStore(capacity int, ttl time.Duration) *RepeatabilityStore {
	if capacity <= 0 {
		capacity = DefaultRepeatabilityCap
	}
	if ttl <= 0 {
		ttl = DefaultRepeatabilityTTL
	}
	return &RepeatabilityStore{cap: capacity, ttl: ttl, order: list.New(), items: make(map[string]*list.Element)}
}

// Len returns the number of results remembered.
func (s *RepeatabilityStore) Len() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.order.Len()
}

// check validates the headers and returns the store key for them, or ""
// if the request is not repeatable.
func (s *RepeatabilityStore) check(callID string, rep Repeatability, now time.Time) (string, error) {
	if rep.RequestID == "" {
		return "", nil
	}
	if !isUUID(rep.RequestID) {
		return "", headerError("Repeatability-Request-ID", "%q is not a UUID", rep.RequestID)
	}
	if rep.FirstSent == "" {
		return "", headerError("Repeatability-First-Sent", "is required with Repeatability-Request-ID")
	}
	first, err := time.Parse(http.TimeFormat, rep.FirstSent)
	if err != nil {
		return "", headerError("Repeatability-First-Sent", "%q is not an IMF-fixdate such as %q",
			rep.FirstSent, "Sun, 06 Nov 1994 08:49:37 GMT")
	}
	if now.Sub(first) > s.ttl {
		return "", headerError("Repeatability-First-Sent", "%s is more than %v ago; the request can no longer be checked for repeats",
			rep.FirstSent, s.ttl)
	}
	return callID + "\x00" + strings.ToLower(rep.RequestID), nil
}

func (s *RepeatabilityStore) get(key string, now time.Time) (acs.SendDtmfTonesResult, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	el, ok := s.items[key]
	if !ok {
		return acs.SendDtmfTonesResult{}, false
	}
	e := el.Value.(*repeatEntry)
	if now.Sub(e.at) > s.ttl {
		s.order.Remove(el)
		delete(s.items, key)
		return acs.SendDtmfTonesResult{}, false
	}
	s.order.MoveToFront(el)
	return e.result, true
}

func (s *RepeatabilityStore) put(key string, now time.Time, result acs.SendDtmfTonesResult) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if el, ok := s.items[key]; ok {
		s.order.Remove(el)
	}
	s.items[key] = s.order.PushFront(&repeatEntry{key: key, at: now, result: result})
	for s.order.Len() > s.cap {
		last := s.order.Back()
		s.order.Remove(last)
		delete(s.items, last.Value.(*repeatEntry).key)
	}
}

func headerError(header, format string, args ...any) *acs.Error {
	err := &acs.Error{StatusCode: http.StatusBadRequest, Code: acs.CodeBadRequest, Target: header}
	err.Message = header + ": " + fmt.Sprintf(format, args...)
	return err
}

// isUUID reports whether s has the 8-4-4-4-12 hex form. The spec asks for
// a version 4 UUID; other versions are accepted, as the id is opaque.
func isUUID(s string) bool {
	if len(s) != 36 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch i {
		case 8, 13, 18, 23:
			if c != '-' {
				return false
			}
		default:
			if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F') {
				return false
			}
		}
	}
	return true
}
