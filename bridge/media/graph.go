package media

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/coder/websocket"

	"github.com/dtmfkit/dtmfkit/bridge"
	"github.com/dtmfkit/dtmfkit/bridge/graph"
	"github.com/dtmfkit/dtmfkit/dtmf"
)

// GraphRate is the rate of the Graph relay's audio: Teams app-hosted
// media's 16 kHz, 16-bit mono (Pcm16K), 640 bytes per 20 ms.
const GraphRate dtmf.SampleRate = 16000

// GraphMediaPath is the pattern of the Graph relay's media socket.
const GraphMediaPath = "/graph/calls/{id}/media"

// Graph serves Microsoft Graph cloud communications to a bot with
// app-hosted media, which relays its call's audio: the relay WebSocket
// (GET /graph/calls/{id}/media, binary messages of 16 kHz 16-bit mono
// PCM, the tones of sendDtmfTones sent back the same way) and the REST
// actions POST /communications/calls/{id}/subscribeToTone and
// .../sendDtmfTones (also under /v1.0 and /beta, and in the
// namespace-qualified form .../microsoft.graph.sendDtmfTones), so that the
// bot's Graph client can be pointed at it. It is an http.Handler.
type Graph struct {
	h   *hub
	mux *http.ServeMux
}

// NewGraph returns the Graph handler for cfg.
func NewGraph(cfg Config) (*Graph, error) {
	h, err := newHub(cfg, dialectGraph)
	if err != nil {
		return nil, err
	}
	g := &Graph{h: h, mux: http.NewServeMux()}
	g.mux.HandleFunc("GET "+GraphMediaPath, g.serveMedia)
	for _, version := range []string{"", "/v1.0", "/beta"} {
		for _, ns := range []string{"", "microsoft.graph."} {
			base := "POST " + version + "/communications/calls/{id}/" + ns
			g.mux.HandleFunc(base+"subscribeToTone", g.subscribeToTone)
			g.mux.HandleFunc(base+"sendDtmfTones", g.sendDtmfTones)
		}
	}
	g.mux.HandleFunc("POST /", func(w http.ResponseWriter, r *http.Request) {
		writeGraphError(w, &graph.Error{StatusCode: http.StatusNotFound, Code: graph.CodeItemNotFound,
			Message: "no such resource: " + r.Method + " " + r.URL.Path})
	})
	return g, nil
}

// ServeHTTP serves the relay socket and the REST actions.
func (g *Graph) ServeHTTP(w http.ResponseWriter, r *http.Request) { g.mux.ServeHTTP(w, r) }

// Shutdown is [ACS.Shutdown] for Graph calls.
func (g *Graph) Shutdown(ctx context.Context) error { return g.h.shutdown(ctx) }

// OpenCalls returns the number of relay sockets open.
func (g *Graph) OpenCalls() int { return g.h.openCalls() }

var graphSocket = dialect{
	handle:  (*session).handleGraph,
	encode:  appendPCM,
	msgType: websocket.MessageBinary,
	rate:    GraphRate,
}

func (g *Graph) serveMedia(w http.ResponseWriter, r *http.Request) {
	callback, err := g.h.callback(r)
	if err != nil {
		g.h.m.rejected.WithLabelValues(reasonBadRequest).Inc()
		g.h.problem("callback", "media socket refused", "err", err)
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	g.h.serveSocket(w, r, r.PathValue("id"), bridge.Config{CallbackURI: callback, SampleRate: GraphRate}, graphSocket)
}

// handleGraph takes one relay message: PCM of any length. A message of odd
// length leaves its last byte for the next one, as a byte stream would.
func (s *session) handleGraph(typ websocket.MessageType, b []byte) *closing {
	if typ != websocket.MessageBinary {
		return &closing{websocket.StatusUnsupportedData, "text message: the Graph relay sends binary 16 kHz 16-bit PCM", reasonUnsupported}
	}
	s.h.m.messages.WithLabelValues("binary").Inc()
	s.samples = s.samples[:0]
	if s.hasCarry && len(b) > 0 {
		s.samples = append(s.samples, int16(uint16(s.carry)|uint16(b[0])<<8))
		b, s.hasCarry = b[1:], false
	}
	even := len(b) &^ 1
	s.samples = appendSamples(s.samples, b[:even])
	if even < len(b) {
		s.carry, s.hasCarry = b[even], true
	}
	p, cl := s.participant("")
	if cl != nil {
		return cl
	}
	s.feed(p, s.samples, time.Time{}) // no timestamps: the samples keep time
	return nil
}

// appendPCM appends pcm as little-endian 16-bit samples.
func appendPCM(dst []byte, pcm []int16) []byte {
	for _, v := range pcm {
		dst = append(dst, byte(v), byte(uint16(v)>>8))
	}
	return dst
}

// graphCall returns the call of the request's id, or answers 404.
func (g *Graph) graphCall(w http.ResponseWriter, r *http.Request) (*call, []byte, bool) {
	id := r.PathValue("id")
	c := g.h.lookup(id)
	if c == nil {
		g.h.m.rejected.WithLabelValues(reasonUnknownCall).Inc()
		g.h.problem("unknown", "request for an unknown call", "call", id, "path", r.URL.Path)
		writeGraphError(w, &graph.Error{StatusCode: http.StatusNotFound, Code: graph.CodeItemNotFound,
			Message: "call " + id + " not found: no media relay has connected for it (open /graph/calls/" + id + "/media first)"})
		return nil, nil, false
	}
	body, status, msg := g.h.readBody(w, r)
	if status != 0 {
		writeGraphError(w, &graph.Error{StatusCode: status, Code: graph.CodeInvalidRequest, Message: msg})
		return nil, nil, false
	}
	return c, body, true
}

func (g *Graph) subscribeToTone(w http.ResponseWriter, r *http.Request) {
	c, body, ok := g.graphCall(w, r)
	if !ok {
		return
	}
	req, err := graph.ParseSubscribeToToneRequest(body)
	if err != nil {
		g.h.refuse(w, err)
		return
	}
	c.mu.Lock() // the bridge call is replaced when a reconnect moves the callback
	op, err := c.graph.SubscribeToTone(req)
	c.mu.Unlock()
	if err != nil {
		g.h.refuse(w, err)
		return
	}
	w.Header().Set("Location", operationLocation(r, c.id, op.ID))
	writeJSON(w, http.StatusOK, op)
}

func (g *Graph) sendDtmfTones(w http.ResponseWriter, r *http.Request) {
	c, body, ok := g.graphCall(w, r)
	if !ok {
		return
	}
	req, err := graph.ParseSendDtmfTonesRequest(body)
	if err != nil {
		g.h.refuse(w, err)
		return
	}
	ctx, submit, ok := g.h.startOperation(c)
	if !ok {
		g.h.m.rejected.WithLabelValues(reasonCapacity).Inc()
		w.Header().Set("Retry-After", retryAfter)
		writeGraphError(w, &graph.Error{StatusCode: http.StatusTooManyRequests, Code: graph.CodeActivityLimitReached,
			Message: "the call has " + itoa(g.h.cfg.Limits.MaxQueuedSends) + " sendDtmfTones operations waiting to play"})
		return
	}
	c.mu.Lock()
	gc := c.graph
	c.mu.Unlock()
	op, p, err := gc.SendDtmfTones(ctx, req)
	submit(p)
	if err != nil {
		g.h.refuse(w, err)
		return
	}
	w.Header().Set("Location", operationLocation(r, c.id, op.ID))
	writeJSON(w, http.StatusOK, op)
}

// operationLocation is the absolute URL of an operation, under the
// version prefix the request used, as Graph's Location header gives it.
func operationLocation(r *http.Request, callID, opID string) string {
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	prefix, _, _ := strings.Cut(r.URL.Path, "/communications/")
	return scheme + "://" + r.Host + prefix + graph.OperationURL(callID, opID)
}

func writeGraphError(w http.ResponseWriter, err error) {
	var ge *graph.Error
	if !errors.As(err, &ge) {
		ge = &graph.Error{StatusCode: http.StatusInternalServerError, Code: graph.CodeGeneralException, Message: err.Error()}
		if errors.Is(err, bridge.ErrQueueFull) || errors.Is(err, bridge.ErrClosed) {
			ge.StatusCode, ge.Code = http.StatusServiceUnavailable, graph.CodeServiceNotAvailable
			ge.Message = "the notification could not be queued for the callback: " + err.Error()
			w.Header().Set("Retry-After", retryAfter)
		}
	}
	writeJSON(w, ge.StatusCode, ge)
}
