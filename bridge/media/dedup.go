package media

import (
	"time"

	"github.com/dtmfkit/dtmfkit/dtmf"
)

// Deduplication of keys heard both in band and out of band. ACS reports
// the keys it receives as RFC 4733 events in DtmfData messages; a gateway
// that passes the tones through as well makes the decoder hear the same
// press. Two reports are one press when they come from different sources,
// name the same key and participant (or one of them names none), and
// their times are within dedupWindow: the in-band press's span, from
// onset to end (open while it sounds), widened by the window, must contain
// the DtmfData's time. Each report pairs with at most one other, the
// nearest, so that a key pressed twice in quick succession is two presses.
const (
	dedupWindow = 250 * time.Millisecond
	// heardKeep is how long a report is kept for pairing after its end.
	heardKeep = 5 * time.Second
	// heardMax bounds the reports kept per socket.
	heardMax = 64
)

// heardKey is one report of a key press.
type heardKey struct {
	digit       dtmf.Digit
	participant string
	source      Source
	start, end  time.Time // end is zero while an in-band key sounds
	matched     bool      // paired with a report from the other source
}

// span returns the report's time span, widened by dedupWindow; an open
// end is far in the future.
func (k *heardKey) span() (lo, hi time.Time) {
	hi = k.end
	if hi.IsZero() {
		hi = k.start.Add(24 * time.Hour)
	}
	return k.start.Add(-dedupWindow), hi.Add(dedupWindow)
}

// heardKeys holds a socket's recent reports.
type heardKeys struct {
	keys []*heardKey
}

// add records k and reports whether it is a press already reported by the
// other source; the returned report is k's record, for its end to be set.
func (h *heardKeys) add(k heardKey) (*heardKey, bool) {
	h.prune(k.start)
	var best *heardKey
	var bestDist time.Duration
	klo, khi := k.span()
	for _, e := range h.keys {
		if e.matched || e.source == k.source || e.digit != k.digit ||
			(e.participant != k.participant && e.participant != "" && k.participant != "") {
			continue
		}
		elo, ehi := e.span()
		if khi.Before(elo) || ehi.Before(klo) {
			continue
		}
		d := k.start.Sub(e.start)
		if d < 0 {
			d = -d
		}
		if best == nil || d < bestDist {
			best, bestDist = e, d
		}
	}
	rec := &k
	if best != nil {
		best.matched, rec.matched = true, true
	}
	h.keys = append(h.keys, rec)
	return rec, best != nil
}

// prune forgets reports that ended more than heardKeep before now, and the
// oldest beyond heardMax.
func (h *heardKeys) prune(now time.Time) {
	keep := h.keys[:0]
	for _, e := range h.keys {
		if e.end.IsZero() || now.Sub(e.end) <= heardKeep {
			keep = append(keep, e)
		}
	}
	clear(h.keys[len(keep):])
	h.keys = keep
	if n := len(h.keys) - heardMax + 1; n > 0 {
		h.keys = append(h.keys[:0], h.keys[n:]...)
	}
}
