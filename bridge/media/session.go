package media

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"net/http"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/coder/websocket"

	"github.com/dtmfkit/dtmfkit/bridge"
	"github.com/dtmfkit/dtmfkit/bridge/acs"
	"github.com/dtmfkit/dtmfkit/bridge/internal/wire"
	"github.com/dtmfkit/dtmfkit/dtmf"
	"github.com/dtmfkit/dtmfkit/dtmf/decoder"
)

// Timekeeping of a participant's stream against its packets' timestamps.
const (
	// maxJitter is how far a packet's timestamp may stray from the time
	// the samples before it account for before the stream is re-anchored.
	maxJitter = 40 * time.Millisecond
	// maxGapFill bounds the silence put in for packets that never came (a
	// timestamp ahead of the samples); a longer gap only re-anchors.
	maxGapFill = time.Second
	// maxBadRun is how many malformed messages in a row close a socket
	// (1007); fewer are skipped, counted and logged once.
	maxBadRun = 10
	// speakerGone is how many of the socket's messages must pass without
	// a participant's audio before a new one may take its decoder: ACS
	// streams at most four dominant speakers at a time, 250 messages is at
	// least 1.25 s of their audio.
	speakerGone = 250
)

// errSocketClosed is the cause of a session's end when the peer closed it
// or the connection broke.
var errSocketClosed = errors.New("media: media socket closed")

// errNoMedia fails a sendDtmfTones on a call whose socket is closed (and
// may reconnect): there is nowhere to play the tones.
var errNoMedia = errors.New("media: the call has no media socket open")

// closing is why the reader closes its socket: the close code and reason
// sent, and the metric's reason label.
type closing struct {
	code   websocket.StatusCode
	reason string // at most 123 bytes, as the close frame allows
	metric string
}

// dialect is what a socket's handling depends on.
type dialect struct {
	handle  func(s *session, typ websocket.MessageType, b []byte) *closing
	encode  func(dst []byte, pcm []int16) []byte // an outbound audio message
	msgType websocket.MessageType
	rate    dtmf.SampleRate // the stream's rate from the start; 0: from its first message
}

// pendingKey is a key waiting for the sink.
type pendingKey struct {
	digit dtmf.Digit
	at    time.Time // when it was confirmed (in band) or reported (out of band): the ACS event time
}

// participant is one speaker's stream (the whole call when mixed): its
// decoder and the clock that maps its samples to wall-clock time.
type participant struct {
	id        string
	dec       *decoder.Decoder
	rate      dtmf.SampleRate
	events    []dtmf.Event
	pos       int64     // samples decoded
	anchor    time.Time // wall-clock time of sample anchorPos
	anchorPos int64
	anchored  bool
	open      *heardKey // the in-band key sounding now
	lastMsg   int64     // the socket's message number of its last audio
}

func (p *participant) wall(pos int64) time.Time { return p.anchor.Add(p.rate.D(pos - p.anchorPos)) }

// session is one media socket of a call: a reader (the handler's
// goroutine: parse, decode, hand keys over) and a writer (outbound audio,
// paced in real time) under one context.
type session struct {
	h    *hub
	c    *call
	d    dialect
	conn atomic.Pointer[websocket.Conn] // set once the upgrade is done
	log  *slog.Logger

	ctx    context.Context // cancelled when the socket closes: ends the writer and fails its operations
	cancel context.CancelCauseFunc

	// The reader's own state.
	rate      dtmf.SampleRate
	length    int // bytes per packet, from AudioMetadata
	parts     map[string]*participant
	heard     heardKeys
	pending   []pendingKey
	buf       bytes.Buffer
	samples   []int16
	zeros     []int16
	tokens    float64
	last      time.Time
	msgs      int64 // messages read
	decoded   int64 // samples decoded for the message being handled
	badRun    int
	logged    map[string]bool
	parser    acs.StreamingParser // ACS
	carry     byte                // Graph: the odd byte of the last message
	hasCarry  bool
	audioSeen bool
	idle      *time.Timer

	// The writer's queue of sendDtmfTones operations.
	playMu     sync.Mutex
	plays      []*bridge.Playout
	reserved   int  // REST requests between reserve and submit
	playDone   bool // the writer has ended: operations fail at once
	wake       chan struct{}
	writerDone chan struct{}
	out        []byte

	closeOnce sync.Once
	closing   atomic.Bool   // closeWith has started the close handshake
	ready     chan struct{} // closed once the stream's rate is known
	readyOnce sync.Once
}

// serveSocket runs one media socket of call id, from the upgrade to the
// end of its goroutines.
func (h *hub) serveSocket(w http.ResponseWriter, r *http.Request, id string, cfg bridge.Config, d dialect) {
	if err := wire.CheckID("call id", id); err != nil {
		h.m.rejected.WithLabelValues(reasonBadRequest).Inc()
		h.problem("callid", "media socket refused", "err", err)
		http.Error(w, "media: "+err.Error(), http.StatusBadRequest)
		return
	}
	if !isUpgrade(r) {
		h.m.rejected.WithLabelValues(reasonBadRequest).Inc()
		w.Header().Set("Upgrade", "websocket")
		http.Error(w, "media: this is a WebSocket endpoint: the request must ask for an upgrade to websocket", http.StatusUpgradeRequired)
		return
	}
	if err := h.reserve(); err != nil {
		h.m.rejected.WithLabelValues(reasonCapacity).Inc()
		h.problem("capacity", "media socket refused", "call", id, "reason", err.Error())
		w.Header().Set("Retry-After", retryAfter)
		http.Error(w, "media: "+err.Error(), http.StatusServiceUnavailable)
		return
	}
	s := &session{
		h: h, d: d, rate: d.rate,
		log:   h.log.With("call", id, "conn", h.conns.Add(1)),
		parts: make(map[string]*participant), logged: make(map[string]bool),
		wake: make(chan struct{}, 1), writerDone: make(chan struct{}), ready: make(chan struct{}),
		tokens: float64(h.cfg.Limits.MaxMessagesPerSecond), last: time.Now(),
	}
	s.ctx, s.cancel = context.WithCancelCause(context.Background())
	if d.rate != 0 {
		s.markReady()
	}
	// The call is known before the upgrade is answered, so that a bot's
	// REST request right after its socket opens finds it.
	var err error
	if s.c, err = h.attach(s, id, cfg, r.URL.Query().Get("callbackUri") != ""); err != nil {
		s.cancel(err)
		h.release()
		status := http.StatusInternalServerError
		if errors.Is(err, errShutdown) {
			status = http.StatusServiceUnavailable
		}
		s.log.Warn("media socket refused", "err", err)
		http.Error(w, "media: "+err.Error(), status)
		return
	}
	conn, err := websocket.Accept(w, r, nil)
	if err != nil { // Accept has answered
		s.log.Info("websocket upgrade failed", "err", err)
		s.cancel(errSocketClosed)
		close(s.writerDone)
		h.detach(s)
		h.release()
		return
	}
	conn.SetReadLimit(h.cfg.Limits.MaxMessageBytes)
	s.conn.Store(conn)
	if s.ctx.Err() != nil { // closed (replaced, shut down) during the upgrade
		_ = conn.Close(websocket.StatusGoingAway, truncate(context.Cause(s.ctx).Error()))
		close(s.writerDone)
		h.detach(s)
		h.release()
		return
	}
	h.m.connections.Inc()
	h.m.open.Inc()
	s.log.Info("media socket open", "remote", r.RemoteAddr)
	s.idle = time.AfterFunc(h.cfg.Limits.IdleTimeout, func() {
		h.m.rejected.WithLabelValues(reasonIdle).Inc()
		s.log.Warn("media socket idle; closing", "idle", h.cfg.Limits.IdleTimeout)
		s.closeWith(websocket.StatusPolicyViolation, "no message for "+h.cfg.Limits.IdleTimeout.String(), errSocketClosed)
	})
	go s.writeLoop()
	s.read()
	s.end()
}

// read runs the reader until the socket ends or the session closes it.
func (s *session) read() {
	limits := s.h.cfg.Limits
	for {
		typ, r, err := s.conn.Load().Reader(context.Background())
		if err == nil {
			s.buf.Reset()
			_, err = s.buf.ReadFrom(r)
		}
		if err != nil {
			s.readEnded(err)
			return
		}
		s.idle.Reset(limits.IdleTimeout)
		s.msgs++
		if !s.allow(time.Now()) {
			audio := time.Duration(limits.MaxMessagesPerSecond) * messageAudio
			s.closeFor(&closing{websocket.StatusPolicyViolation, "more than " + itoa(limits.MaxMessagesPerSecond) +
				" messages or " + audio.String() + " of audio per second", reasonTooFast})
			return
		}
		cl := s.d.handle(s, typ, s.buf.Bytes())
		s.charge()
		if cl != nil {
			s.closeFor(cl)
			return
		}
		s.flush()
	}
}

// readEnded logs why the socket ended, unless the session closed it.
func (s *session) readEnded(err error) {
	if s.ctx.Err() != nil {
		return // closeWith has logged it
	}
	switch code := websocket.CloseStatus(err); {
	case errors.Is(err, websocket.ErrMessageTooBig):
		s.h.m.rejected.WithLabelValues(reasonTooBig).Inc()
		s.log.Warn("media message too big; socket closed with 1009", "limit", s.h.cfg.Limits.MaxMessageBytes)
	case code == websocket.StatusNormalClosure || code == websocket.StatusGoingAway:
		s.log.Info("media socket closed by the peer", "code", int(code))
	default:
		s.log.Warn("media socket ended", "err", err)
	}
	s.cancel(errSocketClosed)
}

// closeFor closes the socket for a reason of the reader's.
func (s *session) closeFor(cl *closing) {
	s.h.m.rejected.WithLabelValues(cl.metric).Inc()
	s.log.Warn("closing media socket", "code", int(cl.code), "reason", cl.reason)
	s.closeWith(cl.code, cl.reason, errSocketClosed)
}

// closeWith ends the session: its context is cancelled with cause, and
// the socket is closed with code and reason by a goroutine of its own (the
// close handshake waits for the peer). Only the first call counts.
func (s *session) closeWith(code websocket.StatusCode, reason string, cause error) {
	s.closeOnce.Do(func() {
		s.closing.Store(true)
		s.cancel(cause)
		s.h.wg.Add(1)
		go func() {
			defer s.h.wg.Done()
			if conn := s.conn.Load(); conn != nil {
				_ = conn.Close(code, truncate(reason))
			}
		}()
	})
}

// end finishes the session after its reader: keys still sounding are
// reported, refused keys retried for DrainTimeout, queued operations
// failed; then the call is left to linger.
func (s *session) end() {
	s.idle.Stop()
	for _, p := range s.parts {
		s.flushDecoder(p)
	}
	s.drain()
	s.cancel(errSocketClosed)
	<-s.writerDone
	if !s.closing.Load() { // else closeWith's goroutine does the close handshake
		_ = s.conn.Load().CloseNow()
	}
	s.h.detach(s)
	s.h.m.open.Dec()
	s.log.Info("media socket done", "cause", context.Cause(s.ctx).Error())
	s.h.release()
}

// markReady records that the stream's rate is known.
func (s *session) markReady() { s.readyOnce.Do(func() { close(s.ready) }) }

// waitReady waits until the stream's rate is known (its AudioMetadata has
// been read), so that tones are rendered at it; a stream that says nothing
// for readyWait is taken to be at the default rate.
func (s *session) waitReady() {
	t := time.NewTimer(readyWait)
	defer t.Stop()
	select {
	case <-s.ready:
	case <-s.ctx.Done():
	case <-t.C:
	}
}

// readyWait bounds how long a sendDtmfTones waits for a new stream's
// AudioMetadata.
const readyWait = 2 * time.Second

// allow applies MaxMessagesPerSecond: a bucket of a second's worth of
// messages, refilled at that rate, from which charge also takes.
func (s *session) allow(now time.Time) bool {
	limit := s.h.cfg.Limits.MaxMessagesPerSecond
	if limit < 0 {
		return true
	}
	s.tokens = min(float64(limit), s.tokens+now.Sub(s.last).Seconds()*float64(limit))
	s.last = now
	if s.tokens < 1 {
		return false
	}
	s.tokens--
	return true
}

// messageAudio is the audio one message may stand for within
// MaxMessagesPerSecond: ACS and Graph media send 20 ms a message.
const messageAudio = 20 * time.Millisecond

// charge counts the audio the message just handled stood for: every
// messageAudio of it past the first costs a message more. So a message
// that stands for much more (a silent packet of AudioMetadata's length, a
// timestamp gap filled with silence, a long Graph message) cannot make the
// server decode more than the limit's worth of audio a second.
func (s *session) charge() {
	n := s.decoded
	s.decoded = 0
	if s.h.cfg.Limits.MaxMessagesPerSecond < 0 || s.rate == 0 {
		return
	}
	if extra := n/s.rate.N(messageAudio) - 1; extra > 0 {
		s.tokens -= float64(extra)
	}
}

// bad counts a malformed message, which is skipped; maxBadRun in a row
// close the socket with 1007.
func (s *session) bad(err error) *closing {
	s.h.m.rejected.WithLabelValues(reasonMalformed).Inc()
	s.problem("malformed", "malformed media message skipped", err)
	s.badRun++
	if s.badRun >= maxBadRun {
		return &closing{websocket.StatusInvalidFramePayloadData, itoa(maxBadRun) + " malformed messages in a row; last: " + err.Error(), reasonMalformed}
	}
	return nil
}

// problem logs a problem of a kind the first time the session has it
// (a Warn), and at Debug after that, so a noisy client fills no disk.
func (s *session) problem(kind, msg string, err error) {
	if s.logged[kind] {
		s.log.Debug(msg, "err", err)
		return
	}
	s.logged[kind] = true
	s.log.Warn(msg+" (logged once per connection)", "err", err)
}

// participant returns the stream of participant id, starting one if it is
// new. At MaxParticipants, a new one takes the decoder of the participant
// heard least recently, if that one has been silent for speakerGone
// messages; else the socket is closed.
func (s *session) participant(id string) (*participant, *closing) {
	if p := s.parts[id]; p != nil {
		p.lastMsg = s.msgs
		return p, nil
	}
	if max := s.h.cfg.Limits.MaxParticipants; len(s.parts) >= max {
		gone := s.leastRecent()
		if s.msgs-gone.lastMsg < speakerGone {
			return nil, &closing{websocket.StatusPolicyViolation,
				"more than " + itoa(max) + " participants heard within " + itoa(speakerGone) + " messages", reasonCapacity}
		}
		s.retire(gone)
	}
	cfg := s.h.cfg.Decoder
	cfg.SampleRate = s.rate
	dec, err := decoder.New(cfg)
	if err != nil { // the settings were checked at every rate a stream may have
		return nil, &closing{websocket.StatusInternalError, "decoder: " + err.Error(), reasonUnsupported}
	}
	p := &participant{id: id, dec: dec, rate: s.rate, lastMsg: s.msgs}
	s.parts[id] = p
	return p, nil
}

// leastRecent returns the participant whose audio came longest ago.
func (s *session) leastRecent() *participant {
	var oldest *participant
	for _, p := range s.parts {
		if oldest == nil || p.lastMsg < oldest.lastMsg {
			oldest = p
		}
	}
	return oldest
}

// retire ends a participant's stream: a key still sounding is reported,
// and its decoder is dropped. If it speaks again it starts anew.
func (s *session) retire(p *participant) {
	s.flushDecoder(p)
	delete(s.parts, p.id)
	s.log.Debug("participant silent; its decoder goes to a new one", "participant", p.id)
}

// flushDecoder reports the key still sounding in p's audio, if any.
func (s *session) flushDecoder(p *participant) {
	t0 := time.Now()
	p.events = p.dec.Flush(p.events[:0])
	s.h.m.decode.Observe(time.Since(t0).Seconds())
	s.inBand(p)
}

// feed decodes a packet of p's audio. ts, if set, is the packet's
// timestamp: the first anchors p's clock; a later one more than maxJitter
// ahead of the samples received means packets were lost, and the gap is
// decoded as silence (up to maxGapFill) so that time and key lengths stay
// true; any larger disagreement re-anchors the clock.
func (s *session) feed(p *participant, pcm []int16, ts time.Time) {
	switch {
	case !p.anchored:
		p.anchor, p.anchorPos, p.anchored = ts, p.pos, true
		if ts.IsZero() {
			p.anchor = s.h.cfg.Clock()
		}
	case !ts.IsZero():
		if gap := ts.Sub(p.wall(p.pos)); gap > maxJitter || gap < -maxJitter {
			if gap > 0 && gap <= maxGapFill {
				s.silence(p, p.rate.N(gap))
			}
			p.anchor, p.anchorPos = ts, p.pos
		}
	}
	s.decode(p, pcm)
}

// silence decodes n samples of silence.
func (s *session) silence(p *participant, n int64) {
	for n > 0 {
		if len(s.zeros) == 0 {
			s.zeros = make([]int16, 960)
		}
		k := min(n, int64(len(s.zeros)))
		s.decode(p, s.zeros[:k])
		n -= k
	}
}

func (s *session) decode(p *participant, pcm []int16) {
	t0 := time.Now()
	p.events = p.dec.Decode(p.events[:0], pcm)
	s.h.m.decode.Observe(time.Since(t0).Seconds())
	p.pos += int64(len(pcm))
	s.decoded += int64(len(pcm))
	s.h.m.audio.Add(float64(len(pcm)) / float64(p.rate))
	s.inBand(p)
}

// inBand takes the events the decoder found in p's audio.
func (s *session) inBand(p *participant) {
	for _, ev := range p.events {
		switch ev.Kind {
		case dtmf.KeyDown:
			start := p.wall(ev.Start)
			k, dup := s.heard.add(heardKey{digit: ev.Digit, participant: p.id, source: InBand, start: start})
			p.open = k
			if dup {
				s.h.m.deduplicated.Inc()
				continue
			}
			s.key(p.id, ev.Digit, InBand, start, p.wall(ev.Detected))
		case dtmf.KeyUp:
			if p.open != nil {
				p.open.end = p.wall(ev.End)
				p.open = nil
			}
		}
	}
}

// outOfBand takes a key ACS reported in a DtmfData message at time t.
func (s *session) outOfBand(participant string, d dtmf.Digit, t time.Time) {
	if _, dup := s.heard.add(heardKey{digit: d, participant: participant, source: OutOfBand, start: t, end: t}); dup {
		s.h.m.deduplicated.Inc()
		return
	}
	s.key(participant, d, OutOfBand, t, t)
}

// key takes one key press: OnKey hears it, and it waits for the sink if
// the call's recognition follows its participant.
func (s *session) key(participant string, d dtmf.Digit, src Source, onset, at time.Time) {
	s.h.m.keys.WithLabelValues(src.String()).Inc()
	if f := s.h.cfg.OnKey; f != nil {
		f(Key{CallID: s.c.id, Participant: participant, Digit: d, Source: src, Time: onset})
	}
	if !s.c.wants(participant) {
		return
	}
	if len(s.pending) >= s.h.cfg.Limits.MaxPendingKeys {
		s.h.m.lost.Inc()
		s.problem("pending", "key lost: the sink has refused the call's notifications for too long",
			errors.New(itoa(len(s.pending))+" keys waiting"))
		return
	}
	s.pending = append(s.pending, pendingKey{digit: d, at: at})
}

// flush hands the waiting keys to the call, in order, until the sink
// refuses one for now (bridge.ErrQueueFull), which is kept for the next
// flush. A key the sink refuses outright is logged and counted as lost.
func (s *session) flush() {
	i := 0
	for ; i < len(s.pending); i++ {
		before := s.c.lastSequenceID()
		err := s.c.notify(s.pending[i])
		switch {
		case errors.Is(err, bridge.ErrQueueFull):
			s.h.m.refused.Inc()
			s.pending = append(s.pending[:0], s.pending[i:]...)
			return
		case err != nil:
			s.h.m.lost.Inc()
			s.problem("notify", "key not notified", err)
		case s.c.lastSequenceID() != before:
			s.h.m.notifications.Inc()
		}
	}
	s.pending = s.pending[:0]
}

// drain retries the waiting keys for up to DrainTimeout; those left are
// lost, and said so.
func (s *session) drain() {
	deadline := time.Now().Add(s.h.cfg.Limits.DrainTimeout)
	for s.flush(); len(s.pending) > 0; s.flush() {
		if time.Now().After(deadline) {
			s.h.m.lost.Add(float64(len(s.pending)))
			s.log.Error("keys lost: the sink refused them until the socket's drain timeout", "keys", len(s.pending))
			s.pending = s.pending[:0]
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// reserve holds a place in the queue of operations for a sendDtmfTones
// request, or reports that the queue is full.
func (s *session) reserve() bool {
	s.playMu.Lock()
	defer s.playMu.Unlock()
	if !s.playDone && len(s.plays)+s.reserved >= s.h.cfg.Limits.MaxQueuedSends {
		return false
	}
	s.reserved++
	return true
}

// submit queues a reserved operation's Playout (nil: the request made
// none); if the socket has gone, it fails at once.
func (s *session) submit(p *bridge.Playout) {
	s.playMu.Lock()
	s.reserved--
	if p == nil {
		s.playMu.Unlock()
		return
	}
	if s.playDone {
		s.playMu.Unlock()
		s.h.fail(p, s.log)
		return
	}
	s.plays = append(s.plays, p)
	s.playMu.Unlock()
	select {
	case s.wake <- struct{}{}:
	default:
	}
}

// writeLoop plays the queued operations one after another; when the
// session ends it fails those left.
func (s *session) writeLoop() {
	defer close(s.writerDone)
	for {
		s.playMu.Lock()
		if err := s.ctx.Err(); err != nil {
			s.playDone = true
			left := s.plays
			s.plays = nil
			s.playMu.Unlock()
			for _, p := range left {
				s.h.fail(p, s.log)
			}
			return
		}
		var p *bridge.Playout
		if len(s.plays) > 0 {
			p = s.plays[0]
			s.plays = s.plays[1:]
		}
		s.playMu.Unlock()
		if p == nil {
			select {
			case <-s.wake:
			case <-s.ctx.Done():
			}
			continue
		}
		s.play(p)
	}
}

// play sends p's frames into the call, one per frame period from the
// first: real time. If the socket goes first, p's next frame reports the
// cancellation (SendDtmfTonesFailed, mediaOperationCanceled).
func (s *session) play(p *bridge.Playout) {
	frame := make([]int16, p.FrameSize())
	period := p.SampleRate().D(int64(p.FrameSize()))
	timer := time.NewTimer(time.Hour)
	defer timer.Stop()
	next := time.Now()
	for p.Next(frame) {
		if err := s.send(frame); err != nil {
			s.h.m.rejected.WithLabelValues(reasonTooFast).Inc()
			s.log.Warn("outbound audio not taken; closing", "err", err)
			s.closeWith(websocket.StatusPolicyViolation, "outbound audio not taken within "+s.h.cfg.Limits.WriteTimeout.String(), errSocketClosed)
		}
		next = next.Add(period)
		if d := time.Until(next); d > 0 {
			timer.Reset(d)
			select {
			case <-timer.C:
			case <-s.ctx.Done():
			}
		}
	}
	s.h.ended(p, s.log)
}

// send writes one frame as an outbound audio message.
func (s *session) send(frame []int16) error {
	if s.ctx.Err() != nil {
		return nil // closing: the next frame reports the cancellation
	}
	ctx, cancel := context.WithTimeout(s.ctx, s.h.cfg.Limits.WriteTimeout)
	defer cancel()
	s.out = s.d.encode(s.out[:0], frame)
	err := s.conn.Load().Write(ctx, s.d.msgType, s.out)
	if err != nil && s.ctx.Err() != nil {
		return nil
	}
	return err
}

// fail ends an operation that cannot play (its context is done): it
// reports the cancellation.
func (h *hub) fail(p *bridge.Playout, log *slog.Logger) {
	frame := make([]int16, p.FrameSize())
	for p.Next(frame) { // the context is done: no frame comes
	}
	h.ended(p, log)
}

// ended counts and logs an operation's end.
func (h *hub) ended(p *bridge.Playout, log *slog.Logger) {
	if err := p.Err(); err != nil {
		h.m.sends.WithLabelValues("failed").Inc()
		log.Info("sendDtmfTones ended early", "err", err)
		return
	}
	h.m.sends.WithLabelValues("completed").Inc()
}

func truncate(reason string) string {
	if len(reason) > 123 {
		return reason[:120] + "..."
	}
	return reason
}

func itoa(n int) string { return strconv.Itoa(n) }
