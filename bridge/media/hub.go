package media

import (
	"compress/flate"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/coder/websocket"

	"github.com/dtmfkit/dtmfkit/bridge"
	"github.com/dtmfkit/dtmfkit/bridge/acs"
	"github.com/dtmfkit/dtmfkit/bridge/graph"
	"github.com/dtmfkit/dtmfkit/dtmf"
)

// errShutdown is the cause given to the calls a Shutdown ends.
var errShutdown = errors.New("media: server shutting down")

// epoch is the StreamStart of every bridge call the handlers make: keys
// are handed over at their wall-clock time, as a sample offset from it at
// the call's rate, so that the ACS event times are the keys' own however
// the call's sockets and participants came and went.
var epoch = time.Unix(0, 0).UTC()

// hub is what both dialects' handlers share: the calls, the open sockets,
// the limits and the lifecycle.
type hub struct {
	cfg     Config
	dialect string
	m       *metrics
	log     *slog.Logger
	conns   atomic.Int64 // connection numbers, for logs

	mu        sync.Mutex
	calls     map[string]*call
	sessions  map[*session]struct{}
	lingering []lingerer // calls without a socket, oldest first; at most MaxCalls
	open      int        // sockets reserved or open: at most MaxCalls
	closing   bool
	wg        sync.WaitGroup  // session goroutines and the closes they start
	logged    map[string]bool // kinds of request problem already logged at Warn
}

// problem logs a problem with requests of a kind: at Warn the first time,
// at Debug after that, so that a misconfigured or hostile client does not
// flood the log. The metrics count every one.
func (h *hub) problem(kind, msg string, args ...any) {
	h.mu.Lock()
	first := !h.logged[kind]
	h.logged[kind] = true
	h.mu.Unlock()
	if first {
		h.log.Warn(msg+" (logged once; later ones at debug level)", args...)
		return
	}
	h.log.Debug(msg, args...)
}

func newHub(cfg Config, dialect string) (*hub, error) {
	cfg, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	return &hub{
		cfg: cfg, dialect: dialect, m: newMetrics(cfg.Registerer, dialect),
		log:   cfg.Logger.With("dialect", dialect),
		calls: make(map[string]*call), sessions: make(map[*session]struct{}), logged: make(map[string]bool),
	}, nil
}

// call is one call: its bridge call, which outlives its sockets so that a
// reconnect continues its sequence ids, and the socket it has now.
type call struct {
	id  string
	h   *hub
	cfg bridge.Config // what the bridge call was made with

	mu     sync.Mutex
	bc     bridge.EventHandler // the *bridge.ACSCall or *bridge.GraphCall
	acs    *bridge.ACSCall
	graph  *bridge.GraphCall
	reco   *acs.ContinuousDtmfRecognitionRequest // ACS: the start request in force
	target string                                // ACS: its targetParticipant's raw id
	sess   *session                              // nil while no socket is open
	linger *time.Timer                           // forgets the call once it has had no socket for CallLinger
	spell  uint64                                // counts the times the call has begun to linger
}

// lingerer is a call that began to linger, and which time it was.
type lingerer struct {
	c     *call
	spell uint64
}

// newCall makes the call id with a bridge call for the rate.
func (h *hub) newCall(id string, cfg bridge.Config) (*call, error) {
	c := &call{id: id, h: h}
	cfg.CallID, cfg.Sink, cfg.Encoder = id, h.cfg.Sink, h.cfg.Encoder
	cfg.StreamStart, cfg.Clock, cfg.NewID = epoch, h.cfg.Clock, h.cfg.NewID
	cfg.Repeatability = h.cfg.Repeatability
	if err := c.build(cfg); err != nil {
		return nil, err
	}
	return c, nil
}

// build makes the bridge call for cfg; c.mu is held or c is new.
func (c *call) build(cfg bridge.Config) error {
	c.cfg = cfg
	if c.h.dialect == dialectGraph {
		gc, err := bridge.NewGraphCall(cfg)
		if err != nil {
			return err
		}
		c.graph, c.bc = gc, gc
		return nil
	}
	ac, err := bridge.NewACSCall(cfg)
	if err != nil {
		return err
	}
	if c.reco != nil {
		if err := ac.StartContinuousDtmfRecognition(*c.reco); err != nil {
			return err
		}
	}
	c.acs, c.bc = ac, ac
	return nil
}

// setRate makes the ACS bridge call render tones at the stream's rate. A
// new bridge call takes over the sequence ids and the recognition in
// force; it is made only when the rate changes (a pcm24KMono stream).
func (c *call) setRate(rate dtmf.SampleRate) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.acs == nil || c.cfg.SampleRate == rate {
		return nil
	}
	cfg := c.cfg
	cfg.SampleRate, cfg.LastSequenceID = rate, c.acs.LastSequenceID()
	return c.build(cfg)
}

// setCallback makes a new bridge call that sends to uri, and takes over
// the sequence ids, the recognition (ACS) and the subscription (Graph) in
// force; c.mu is held. Operations already playing report to the callback
// they started with.
func (c *call) setCallback(uri string) error {
	cfg := c.cfg
	cfg.CallbackURI = uri
	if c.acs != nil {
		cfg.LastSequenceID = c.acs.LastSequenceID()
		return c.build(cfg)
	}
	cfg.LastSequenceID = c.graph.LastSequenceID()
	subscribed := c.graph.Subscribed()
	if err := c.build(cfg); err != nil {
		return err
	}
	if subscribed {
		_, err := c.graph.SubscribeToTone(graph.SubscribeToToneRequest{})
		return err
	}
	return nil
}

// wants reports whether keys of participant go to the call's recognition:
// all do unless an ACS recognition names a target and both ids are known.
func (c *call) wants(participant string) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.target == "" || participant == "" || acs.SameRawID(c.target, participant)
}

// notify hands a key to the bridge call, which notifies it if the call has
// subscribed to tones (Graph) or is recognising them (ACS).
func (c *call) notify(k pendingKey) error {
	c.mu.Lock()
	bc, rate := c.bc, c.cfg.SampleRate
	c.mu.Unlock()
	at := rate.N(k.at.Sub(epoch))
	return bc.HandleEvent(context.Background(), dtmf.Event{Digit: k.digit, Kind: dtmf.KeyDown, Start: at, Detected: at})
}

// lastSequenceID returns the sequenceId of the call's last key notified.
func (c *call) lastSequenceID() int64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.acs != nil {
		return c.acs.LastSequenceID()
	}
	return c.graph.LastSequenceID()
}

// session returns the call's open socket, or nil.
func (c *call) session() *session {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.sess
}

// reserve counts a socket about to open, or says why it cannot (the
// server is closing or full: 503).
func (h *hub) reserve() error {
	h.mu.Lock()
	defer h.mu.Unlock()
	switch {
	case h.closing:
		return errors.New("the server is shutting down")
	case h.open >= h.cfg.Limits.MaxCalls:
		return fmt.Errorf("the server has its limit of %d media sockets open", h.cfg.Limits.MaxCalls)
	}
	h.open++
	h.wg.Add(1)
	return nil
}

// release gives back what reserve counted, once the socket has ended (or
// never opened).
func (h *hub) release() {
	h.mu.Lock()
	h.open--
	h.mu.Unlock()
	h.wg.Done()
}

// attach makes s the call's socket, creating the call if it is new; a
// socket the call had is closed (a reconnect that came before the old
// socket was seen to die). A reconnect whose socket names a callbackUri
// (newCallback) moves the call's notifications there.
func (h *hub) attach(s *session, id string, cfg bridge.Config, newCallback bool) (*call, error) {
	h.mu.Lock()
	if h.closing {
		h.mu.Unlock()
		return nil, errShutdown
	}
	c := h.calls[id]
	if c == nil {
		var err error
		if c, err = h.newCall(id, cfg); err != nil {
			h.mu.Unlock()
			return nil, err
		}
		h.calls[id] = c
		h.m.calls.Inc()
	}
	h.sessions[s] = struct{}{}
	h.mu.Unlock()

	c.mu.Lock()
	if newCallback && cfg.CallbackURI != c.cfg.CallbackURI {
		if err := c.setCallback(cfg.CallbackURI); err != nil {
			c.mu.Unlock()
			h.detach(s)
			return nil, err
		}
		s.log.Info("the call's notifications go to the reconnected socket's callbackUri", "callback", cfg.CallbackURI)
	}
	old := c.sess
	c.sess = s
	if c.linger != nil {
		c.linger.Stop()
		c.linger = nil
	}
	reconnect := c.acs != nil && c.acs.LastSequenceID() > 0 || c.graph != nil && c.graph.LastSequenceID() > 0
	c.mu.Unlock()
	if old != nil {
		old.closeWith(websocket.StatusPolicyViolation, "replaced by a newer connection for this call", errReplaced)
	}
	if reconnect || old != nil {
		s.log.Info("media socket reconnected; the call goes on")
	}
	return c, nil
}

var errReplaced = errors.New("media: replaced by a newer connection for the call")

// detach ends s's part in its call, which is kept for CallLinger in case
// the socket comes back.
func (h *hub) detach(s *session) {
	c := s.c
	h.mu.Lock()
	delete(h.sessions, s)
	closing := h.closing
	h.mu.Unlock()
	if c == nil {
		return
	}
	c.mu.Lock()
	if c.sess != s || closing {
		if c.sess == s {
			c.sess = nil
		}
		c.mu.Unlock()
		return
	}
	c.sess = nil
	c.spell++
	spell := c.spell
	c.linger = time.AfterFunc(h.cfg.Limits.CallLinger, func() { h.forget(c, "no socket for "+h.cfg.Limits.CallLinger.String()) })
	c.mu.Unlock()
	h.keepLingering(lingerer{c, spell})
}

// keepLingering records a call that began to linger and, while more than
// MaxCalls calls linger, forgets the one that has lingered longest: a
// client that opens and closes sockets for new calls cannot make the
// server keep more than that.
func (h *hub) keepLingering(l lingerer) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.lingering = append(h.lingering, l)
	keep := h.lingering[:0]
	for _, l := range h.lingering {
		if h.lingers(l) {
			keep = append(keep, l)
		}
	}
	clear(h.lingering[len(keep):])
	h.lingering = keep
	for len(h.lingering) > h.cfg.Limits.MaxCalls {
		h.forgetLocked(h.lingering[0].c, "more than "+itoa(h.cfg.Limits.MaxCalls)+" calls without a socket")
		h.lingering[0] = lingerer{}
		h.lingering = h.lingering[1:]
	}
}

// lingers reports whether l's call is still known and without a socket
// since that time; h.mu is held.
func (h *hub) lingers(l lingerer) bool {
	l.c.mu.Lock()
	defer l.c.mu.Unlock()
	return l.c.sess == nil && l.c.spell == l.spell && h.calls[l.c.id] == l.c
}

// forget drops a call without a socket.
func (h *hub) forget(c *call, why string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.forgetLocked(c, why)
}

// forgetLocked is forget with h.mu held.
func (h *hub) forgetLocked(c *call, why string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.sess != nil || h.calls[c.id] != c {
		return
	}
	if c.linger != nil {
		c.linger.Stop()
	}
	delete(h.calls, c.id)
	h.m.calls.Dec()
	h.log.Debug("call forgotten", "call", c.id, "why", why)
}

// lookup returns a known call, or nil.
func (h *hub) lookup(id string) *call {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.calls[id]
}

// shutdown closes every socket with 1001 (going away), which ends their
// calls: keys still sounding are reported, operations still playing fail
// (SendDtmfTonesFailed, mediaOperationCanceled). New sockets are refused.
// It returns once every connection goroutine has ended, or when ctx is
// done, having then cut the connections without a close handshake.
func (h *hub) shutdown(ctx context.Context) error {
	h.mu.Lock()
	h.closing = true
	sessions := make([]*session, 0, len(h.sessions))
	for s := range h.sessions {
		sessions = append(sessions, s)
	}
	for id, c := range h.calls { // no reconnect will come
		c.mu.Lock()
		if c.linger != nil {
			c.linger.Stop()
		}
		c.mu.Unlock()
		delete(h.calls, id)
		h.m.calls.Dec()
	}
	h.lingering = nil
	h.mu.Unlock()
	for _, s := range sessions {
		s.closeWith(websocket.StatusGoingAway, "server shutting down", errShutdown)
	}
	done := make(chan struct{})
	go func() {
		h.wg.Wait()
		close(done)
	}()
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		for _, s := range sessions {
			if conn := s.conn.Load(); conn != nil {
				_ = conn.CloseNow()
			}
		}
		<-done
		return fmt.Errorf("media: shutdown: %w", context.Cause(ctx))
	}
}

// openCalls returns the number of media sockets open.
func (h *hub) openCalls() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.open
}

// readBody reads a REST request body of at most MaxRequestBytes, inflating
// it if it came with Content-Encoding gzip (the Graph SDKs compress every
// body); the limit applies to the inflated body. On failure it returns the
// status to answer with (400, 413, or 415 for another encoding, on which
// those SDKs send the body again uncompressed) and a message.
func (h *hub) readBody(w http.ResponseWriter, r *http.Request) ([]byte, int, string) {
	limit := h.cfg.Limits.MaxRequestBytes
	var body io.Reader = http.MaxBytesReader(w, r.Body, limit)
	switch enc := strings.TrimSpace(r.Header.Get("Content-Encoding")); {
	case enc == "" || strings.EqualFold(enc, "identity"):
	case strings.EqualFold(enc, "gzip"):
		zr, err := gzip.NewReader(body)
		if err != nil {
			status, msg := bodyError(err, limit)
			return nil, status, msg
		}
		defer zr.Close()
		body = io.LimitReader(zr, limit+1)
	default:
		h.m.rejected.WithLabelValues(reasonBadRequest).Inc()
		h.problem("encoding", "request body encoding not supported", "path", r.URL.Path, "encoding", enc)
		return nil, http.StatusUnsupportedMediaType, fmt.Sprintf("Content-Encoding %q is not supported: send the body uncompressed or with gzip", enc)
	}
	b, err := io.ReadAll(body)
	if err == nil && int64(len(b)) > limit {
		err = &http.MaxBytesError{Limit: limit}
	}
	if err != nil {
		status, msg := bodyError(err, limit)
		if status == http.StatusRequestEntityTooLarge {
			h.m.rejected.WithLabelValues(reasonTooBig).Inc()
			h.problem("body", "request body too large", "path", r.URL.Path, "limit", limit)
		}
		return nil, status, msg
	}
	return b, 0, ""
}

// bodyError returns the status and message for an error reading a body.
func bodyError(err error, limit int64) (int, string) {
	var tooBig *http.MaxBytesError
	var corrupt flate.CorruptInputError
	switch {
	case errors.As(err, &tooBig):
		return http.StatusRequestEntityTooLarge, "request body is larger than the " + strconv.FormatInt(limit, 10) + " bytes allowed"
	case errors.Is(err, gzip.ErrHeader), errors.Is(err, gzip.ErrChecksum), errors.As(err, &corrupt),
		errors.Is(err, io.ErrUnexpectedEOF):
		return http.StatusBadRequest, "request body is not valid gzip: " + err.Error()
	}
	return http.StatusBadRequest, "request body could not be read: " + err.Error()
}

// retryAfter is the Retry-After, in seconds, of a 503 or 429.
const retryAfter = "1"
