package media

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/coder/websocket"

	"github.com/dtmfkit/dtmfkit/bridge"
	"github.com/dtmfkit/dtmfkit/bridge/acs"
	"github.com/dtmfkit/dtmfkit/dtmf"
)

const (
	dialectACS   = "acs"
	dialectGraph = "graph"
)

// APIVersion is the Call Automation REST API version whose shapes the ACS
// handler serves. A request may name it or any later version, GA or
// preview (the current JS SDK, @azure/communication-call-automation 1.6.0,
// sends 2026-03-12 by default): later versions only add fields to these
// operations, and unknown fields are ignored. An earlier or malformed
// version is refused (400 UnsupportedApiVersion).
const APIVersion = "2025-05-15"

// supportedAPIVersion reports whether v is APIVersion or a later one:
// YYYY-MM-DD, optionally followed by "-preview".
func supportedAPIVersion(v string) bool {
	date := strings.TrimSuffix(v, "-preview")
	t, err := time.Parse(time.DateOnly, date)
	return err == nil && t.Format(time.DateOnly) == date && date >= APIVersion
}

// The paths the handlers serve.
const (
	ACSMediaPath   = "/acs/media"
	ACSActionsPath = "/calling/callConnections/"
)

// ACS serves Azure Communication Services Call Automation to a bot whose
// audio comes through ACS media streaming: the media WebSocket ACS
// connects to (GET /acs/media, the bot's transportUrl) and the REST
// operations on the call's DTMF (POST
// /calling/callConnections/{id}:startContinuousDtmfRecognition,
// :stopContinuousDtmfRecognition and :sendDtmfTones). It is an
// http.Handler; mount it at the root of a mux or server.
type ACS struct {
	h   *hub
	mux *http.ServeMux
}

// NewACS returns the ACS handler for cfg.
func NewACS(cfg Config) (*ACS, error) {
	h, err := newHub(cfg, dialectACS)
	if err != nil {
		return nil, err
	}
	a := &ACS{h: h, mux: http.NewServeMux()}
	a.mux.HandleFunc("GET "+ACSMediaPath, a.serveMedia)
	a.mux.HandleFunc("POST "+ACSActionsPath+"{action}", a.serveAction)
	a.mux.HandleFunc("POST /", func(w http.ResponseWriter, r *http.Request) {
		writeACSError(w, &acs.Error{StatusCode: http.StatusNotFound, Code: acs.CodeNotFound,
			Message: "no such resource: " + r.Method + " " + r.URL.Path})
	})
	return a, nil
}

// ServeHTTP serves the media socket and the REST operations.
func (a *ACS) ServeHTTP(w http.ResponseWriter, r *http.Request) { a.mux.ServeHTTP(w, r) }

// Shutdown refuses new sockets, closes the open ones with 1001 (going
// away), which ends their calls, and waits for their goroutines, or until
// ctx is done. It does not close the Sink: close a Webhook after it, to
// deliver what the calls' ends queued.
func (a *ACS) Shutdown(ctx context.Context) error { return a.h.shutdown(ctx) }

// OpenCalls returns the number of media sockets open.
func (a *ACS) OpenCalls() int { return a.h.openCalls() }

var acsSocket = dialect{
	handle:  (*session).handleACS,
	encode:  acs.AppendOutboundAudio,
	msgType: websocket.MessageText,
}

// serveMedia takes a media streaming socket. The call is the
// x-ms-call-connection-id header ACS sends, or the callConnectionId query
// parameter; callbackUri and serverCallId may be given in the query.
func (a *ACS) serveMedia(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	id := r.Header.Get("x-ms-call-connection-id")
	if id == "" {
		id = q.Get("callConnectionId")
	}
	if id == "" {
		a.h.m.rejected.WithLabelValues(reasonBadRequest).Inc()
		a.h.problem("callid", "media socket refused: no call id", "remote", r.RemoteAddr)
		http.Error(w, "media: no call: ACS sends the x-ms-call-connection-id header; else give the callConnectionId query parameter", http.StatusBadRequest)
		return
	}
	callback, err := a.h.callback(r)
	if err != nil {
		a.h.m.rejected.WithLabelValues(reasonBadRequest).Inc()
		a.h.problem("callback", "media socket refused", "err", err)
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	cfg := bridge.Config{
		CallbackURI:   callback,
		ServerCallID:  q.Get("serverCallId"),
		CorrelationID: r.Header.Get("x-ms-call-correlation-id"),
		SampleRate:    acs.PCM16KMono,
	}
	a.h.serveSocket(w, r, id, cfg, acsSocket)
}

// callback returns the callback URI of a socket's call: its callbackUri
// query parameter, or the configured one.
func (h *hub) callback(r *http.Request) (string, error) {
	uri := r.URL.Query().Get("callbackUri")
	if uri == "" {
		uri = h.cfg.CallbackURI
	}
	switch {
	case uri == "" && h.cfg.RequireCallback:
		return "", errors.New("media: no callback: give the callbackUri query parameter (the server has no default)")
	case uri == "":
		return "", nil
	}
	if err := acs.CheckCallbackURI(uri); err != nil {
		return "", fmt.Errorf("media: callbackUri: %w", err)
	}
	return uri, nil
}

// handleACS takes one media streaming message.
func (s *session) handleACS(typ websocket.MessageType, b []byte) *closing {
	if typ != websocket.MessageText {
		return &closing{websocket.StatusUnsupportedData, "binary message: ACS media streaming sends JSON text", reasonUnsupported}
	}
	m, err := s.parser.Parse(b)
	if err != nil {
		s.h.m.messages.WithLabelValues("malformed").Inc()
		return s.bad(err)
	}
	var cl *closing
	switch m.Kind {
	case acs.KindAudioMetadata:
		cl = s.metadata(m.AudioMetadata)
	case acs.KindAudioData:
		cl = s.audioData(m.AudioData)
	case acs.KindDtmfData:
		cl = s.dtmfData(m.DtmfData)
	default:
		s.h.m.messages.WithLabelValues("other").Inc()
		s.problem("kind", "media messages of another kind skipped", fmt.Errorf("kind %q", truncate(m.Kind)))
		s.badRun = 0
		return nil
	}
	s.h.m.messages.WithLabelValues(m.Kind).Inc()
	return cl
}

// metadata takes AudioMetadata: PCM, mono, 16 or 24 kHz.
func (s *session) metadata(md *acs.AudioMetadata) *closing {
	rate := dtmf.SampleRate(md.SampleRate)
	switch {
	case !strings.EqualFold(md.Encoding, "PCM"):
		return &closing{websocket.StatusUnsupportedData, fmt.Sprintf("encoding %q: want PCM", truncate(md.Encoding)), reasonUnsupported}
	case md.Channels != 1 && md.Channels != 0:
		return &closing{websocket.StatusUnsupportedData, fmt.Sprintf("%d channels: want 1 (mono)", md.Channels), reasonUnsupported}
	case rate != acs.PCM16KMono && rate != acs.PCM24KMono:
		return &closing{websocket.StatusUnsupportedData, fmt.Sprintf("sample rate %d Hz: want 16000 (pcm16KMono) or 24000 (pcm24KMono)", md.SampleRate), reasonUnsupported}
	case s.audioSeen && rate != s.rate:
		return &closing{websocket.StatusUnsupportedData, fmt.Sprintf("sample rate changed from %d to %d Hz mid-stream", s.rate, rate), reasonUnsupported}
	}
	s.badRun = 0
	s.length = min(max(md.Length, 0), int(rate)*2) // at most a second
	return s.setRate(rate)
}

// setRate sets the stream's rate, and the rate of the tones
// sendDtmfTones plays into it.
func (s *session) setRate(rate dtmf.SampleRate) *closing {
	s.rate = rate
	if err := s.c.setRate(rate); err != nil {
		return &closing{websocket.StatusInternalError, "call: " + err.Error(), reasonUnsupported}
	}
	s.markReady()
	return nil
}

// audioData takes one packet of a participant's audio.
func (s *session) audioData(ad *acs.AudioData) *closing {
	if s.rate == 0 {
		s.problem("metadata", "AudioData before AudioMetadata: taking pcm16KMono", errors.New("no AudioMetadata"))
		if cl := s.setRate(acs.PCM16KMono); cl != nil {
			return cl
		}
	}
	s.audioSeen = true
	p, cl := s.participant(ad.ParticipantRawID)
	if cl != nil {
		return cl
	}
	var ts time.Time
	if ad.Timestamp != "" {
		t, err := acs.ParseTimestamp(ad.Timestamp)
		if err != nil {
			s.problem("timestamp", "AudioData timestamp ignored", err)
		} else {
			ts = t
		}
	}
	var pcm []int16
	if ad.Silent {
		n := len(ad.Data) / 2
		if n == 0 {
			n = s.length / 2
		}
		if n == 0 {
			n = int(s.rate / 50)
		}
		pcm = s.zerosN(n)
	} else {
		s.samples = appendSamples(s.samples[:0], ad.Data)
		pcm = s.samples
	}
	s.feed(p, pcm, ts)
	s.badRun = 0
	return nil
}

// dtmfData takes a key ACS received out of band.
func (s *session) dtmfData(dd *acs.DtmfData) *closing {
	d, err := dd.Digit()
	if err != nil {
		return s.bad(err)
	}
	t := s.h.cfg.Clock()
	if dd.Timestamp != "" {
		if ts, err := acs.ParseTimestamp(dd.Timestamp); err == nil {
			t = ts
		} else {
			s.problem("timestamp", "DtmfData timestamp ignored", err)
		}
	}
	s.badRun = 0
	s.outOfBand(dd.ParticipantRawID, d, t)
	return nil
}

// zerosN returns n samples of silence.
func (s *session) zerosN(n int) []int16 {
	if len(s.zeros) < n {
		s.zeros = make([]int16, n)
	}
	return s.zeros[:n]
}

// appendSamples appends the little-endian 16-bit samples in b (of even
// length) to dst.
func appendSamples(dst []int16, b []byte) []int16 {
	for i := 0; i+1 < len(b); i += 2 {
		dst = append(dst, int16(uint16(b[i])|uint16(b[i+1])<<8))
	}
	return dst
}

// serveAction serves POST /calling/callConnections/{id}:{operation}.
func (a *ACS) serveAction(w http.ResponseWriter, r *http.Request) {
	action := r.PathValue("action")
	i := strings.LastIndexByte(action, ':')
	if i <= 0 {
		writeACSError(w, &acs.Error{StatusCode: http.StatusNotFound, Code: acs.CodeNotFound,
			Message: "no such resource: want /calling/callConnections/{callConnectionId}:{operation}"})
		return
	}
	id, op := action[:i], action[i+1:]
	switch v := r.URL.Query().Get("api-version"); {
	case v == "":
		writeACSError(w, &acs.Error{StatusCode: http.StatusBadRequest, Code: "MissingApiVersionParameter",
			Message: "the api-version query parameter is required; this server has " + APIVersion})
		return
	case !supportedAPIVersion(v):
		writeACSError(w, &acs.Error{StatusCode: http.StatusBadRequest, Code: "UnsupportedApiVersion",
			Message: fmt.Sprintf("api-version %q is not supported; this server has %s and later versions", v, APIVersion)})
		return
	}
	var serve func(http.ResponseWriter, *http.Request, *call, []byte)
	switch {
	case strings.EqualFold(op, "startContinuousDtmfRecognition"):
		serve = a.startRecognition
	case strings.EqualFold(op, "stopContinuousDtmfRecognition"):
		serve = a.stopRecognition
	case strings.EqualFold(op, "sendDtmfTones"):
		serve = a.sendDtmfTones
	default:
		writeACSError(w, &acs.Error{StatusCode: http.StatusNotFound, Code: acs.CodeNotFound,
			Message: fmt.Sprintf("operation %q is not served here: this server has startContinuousDtmfRecognition, stopContinuousDtmfRecognition and sendDtmfTones", op)})
		return
	}
	c := a.h.lookup(id)
	if c == nil {
		a.h.m.rejected.WithLabelValues(reasonUnknownCall).Inc()
		a.h.problem("unknown", "request for an unknown call", "call", id, "operation", op)
		writeACSError(w, &acs.Error{StatusCode: http.StatusNotFound, Code: acs.CodeNotFound,
			Message: fmt.Sprintf("call connection %q not found: no media stream has connected for it (start media streaming first, and act on MediaStreamingStarted)", id)})
		return
	}
	body, status, msg := a.h.readBody(w, r)
	if status != 0 {
		code := acs.CodeBadRequest
		switch status {
		case http.StatusRequestEntityTooLarge:
			code = acs.CodeRequestEntityTooLarge
		case http.StatusUnsupportedMediaType:
			code = "UnsupportedMediaType"
		}
		writeACSError(w, &acs.Error{StatusCode: status, Code: code, Message: msg})
		return
	}
	serve(w, r, c, body)
}

func (a *ACS) startRecognition(w http.ResponseWriter, _ *http.Request, c *call, body []byte) {
	req, err := acs.ParseContinuousDtmfRecognitionRequest(body)
	if err == nil {
		c.mu.Lock()
		if err = c.acs.StartContinuousDtmfRecognition(req); err == nil {
			c.reco, c.target = &req, req.TargetParticipant.Raw()
		}
		c.mu.Unlock()
	}
	if err != nil {
		a.h.refuse(w, err)
		return
	}
	w.WriteHeader(http.StatusOK)
}

func (a *ACS) stopRecognition(w http.ResponseWriter, r *http.Request, c *call, body []byte) {
	req, err := acs.ParseContinuousDtmfRecognitionRequest(body)
	if err == nil {
		c.mu.Lock()
		err = c.acs.StopContinuousDtmfRecognition(r.Context(), req)
		c.reco, c.target = nil, ""
		c.mu.Unlock()
	}
	if err != nil {
		a.h.refuse(w, err)
		return
	}
	w.WriteHeader(http.StatusOK)
}

func (a *ACS) sendDtmfTones(w http.ResponseWriter, r *http.Request, c *call, body []byte) {
	req, err := acs.ParseSendDtmfTonesRequest(body)
	if err != nil {
		a.h.refuse(w, err)
		return
	}
	ctx, submit, ok := a.h.startOperation(c)
	if !ok {
		a.h.m.rejected.WithLabelValues(reasonCapacity).Inc()
		w.Header().Set("Retry-After", retryAfter)
		writeACSError(w, &acs.Error{StatusCode: http.StatusTooManyRequests, Code: "TooManyRequests",
			Message: fmt.Sprintf("the call has %d sendDtmfTones operations waiting to play", a.h.cfg.Limits.MaxQueuedSends)})
		return
	}
	c.mu.Lock()
	ac := c.acs
	c.mu.Unlock()
	res, p, err := ac.SendDtmfTones(ctx, req, bridge.RepeatabilityFromHeader(r.Header))
	submit(p)
	if err != nil {
		a.h.refuse(w, err)
		return
	}
	writeJSON(w, http.StatusAccepted, res)
}

// startOperation readies a sendDtmfTones for call c: the context its
// Playout runs under and the function that queues the Playout (nil if the
// request made none). With no socket open the context is already done, so
// that the operation fails at once. ok is false if the call's queue of
// operations is full.
func (h *hub) startOperation(c *call) (ctx context.Context, submit func(*bridge.Playout), ok bool) {
	if s := c.session(); s != nil {
		s.waitReady()
		if !s.reserve() {
			return nil, nil, false
		}
		return s.ctx, s.submit, true
	}
	ctx, cancel := context.WithCancelCause(context.Background())
	cancel(errNoMedia)
	return ctx, func(p *bridge.Playout) {
		if p != nil {
			h.fail(p, h.log.With("call", c.id))
		}
	}, true
}

// refuse answers with the service's error for err: an *acs.Error or a
// *graph.Error as it is; a sink's refusal as 503; anything else as 500.
func (h *hub) refuse(w http.ResponseWriter, err error) {
	h.m.rejected.WithLabelValues(reasonBadRequest).Inc()
	if h.dialect == dialectGraph {
		writeGraphError(w, err)
		return
	}
	writeACSError(w, err)
}

func writeACSError(w http.ResponseWriter, err error) {
	var ae *acs.Error
	if !errors.As(err, &ae) {
		ae = &acs.Error{StatusCode: http.StatusInternalServerError, Code: "InternalServerError", Message: err.Error()}
		if errors.Is(err, bridge.ErrQueueFull) || errors.Is(err, bridge.ErrClosed) {
			ae.StatusCode, ae.Code = http.StatusServiceUnavailable, "ServiceUnavailable"
			ae.Message = "the event could not be queued for the callback: " + err.Error()
			w.Header().Set("Retry-After", retryAfter)
		}
	}
	writeJSON(w, ae.StatusCode, ae)
}

// writeJSON writes v as the JSON body of a response with the status.
func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		http.Error(w, "media: "+err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write(b)
}
