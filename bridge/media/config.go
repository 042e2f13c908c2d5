package media

import (
	"errors"
	"fmt"
	"io"
	"log/slog"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/dtmfkit/dtmfkit/bridge"
	"github.com/dtmfkit/dtmfkit/bridge/acs"
	"github.com/dtmfkit/dtmfkit/dtmf"
	"github.com/dtmfkit/dtmfkit/dtmf/decoder"
	"github.com/dtmfkit/dtmfkit/dtmf/encoder"
)

// Config configures a handler ([NewACS], [NewGraph]). Zero fields take the
// documented defaults.
type Config struct {
	// Sink receives every notification: a *bridge.Webhook to POST them to
	// the calls' callback URIs, or a bridge.FuncSink for a bot that takes
	// them in process. Required. It is called on a connection's reader
	// goroutine and must not block: a Webhook only queues, and its
	// bridge.ErrQueueFull is retried without holding up the audio. Give
	// a Webhook a CallQueueSize (and a QueueSize of that times MaxCalls
	// for each handler), or a call whose callback is down fills the
	// queue and the other calls' keys wait for it.
	Sink bridge.Sink
	// CallbackURI is where the notifications of a call go when its media
	// socket gives no callbackUri query parameter.
	CallbackURI string
	// RequireCallback refuses a media socket (400) when neither it nor
	// CallbackURI names a callback, as a Webhook sink cannot deliver
	// without one. dtmfwav serve sets it.
	RequireCallback bool
	// OnKey, if set, is called with every key press heard on every call,
	// whether or not the call subscribed to tones, after deduplication. It
	// runs on the connection's reader goroutine and must return quickly.
	OnKey func(Key)

	// Decoder configures the receivers; its SampleRate is replaced by the
	// stream's. Encoder shapes the tones sendDtmfTones plays (default
	// 100 ms tones, 100 ms gaps, -10 dBm0).
	Decoder decoder.Config
	Encoder encoder.Config
	// Repeatability remembers ACS sendDtmfTones results by
	// Repeatability-Request-ID for all calls. Default: a store of the
	// default size (ACS only).
	Repeatability *bridge.RepeatabilityStore

	Limits Limits

	// Logger receives the handler's logs. Default: none.
	Logger *slog.Logger
	// Registerer receives the handler's Prometheus metrics, labelled with
	// dialect="acs" or "graph" so that both handlers can share one.
	// Default: none.
	Registerer prometheus.Registerer

	// Clock and NewID are the time and id sources of the calls' events
	// (see bridge.Config); inject them for reproducible output. Defaults:
	// time.Now and random UUIDs.
	Clock func() time.Time
	NewID func() string
}

// Limits bound what one client can make the server do. A limit reached
// ends only the connection or request that reached it, with a WebSocket
// close code or an HTTP status and a message naming the limit.
type Limits struct {
	// MaxMessageBytes bounds one WebSocket message; a larger one closes
	// the socket with 1009 (message too big). Default 64 KiB: a 20 ms
	// packet at 24 kHz is 1.3 KB of JSON.
	MaxMessageBytes int64
	// MaxMessagesPerSecond bounds the messages one socket may send per
	// second, averaged over a one-second burst; more closes it with 1008.
	// A message counts once per 20 ms of audio it stands for (silence
	// included), so it bounds the audio decoded too. Default 1000: 20
	// times real time for one 20 ms stream, or an unmixed call of 20
	// speakers. Negative: no limit.
	MaxMessagesPerSecond int
	// MaxCalls bounds the media sockets open at once; one more is refused
	// with 503 before the upgrade. It bounds as well the calls kept
	// without a socket for CallLinger: past it the one kept longest is
	// forgotten. Default 1000.
	MaxCalls int
	// MaxParticipants bounds the decoders of one unmixed call. ACS
	// streams at most four dominant speakers at a time, so in a long call
	// speakers come and go: a new one takes the decoder of the one heard
	// least recently, if that one has been silent for the socket's last
	// 250 messages; else its audio closes the socket with 1008. Default 64.
	MaxParticipants int
	// IdleTimeout closes a media socket that sends nothing for this long
	// with 1008. ACS sends audio (silent packets included) every 20 ms.
	// Default 30 s.
	IdleTimeout time.Duration
	// MaxRequestBytes bounds a REST request body, after inflating a gzip
	// one; a larger one gets 413.
	// Default 64 KiB, the bridge parsers' limit.
	MaxRequestBytes int64
	// WriteTimeout bounds the sending of one outbound audio message; a
	// peer that does not take it in time is closed with 1008. Default 10 s.
	WriteTimeout time.Duration
	// MaxQueuedSends bounds the sendDtmfTones operations waiting to play
	// on one call; one more gets 429. Default 16.
	MaxQueuedSends int
	// MaxPendingKeys bounds the keys of one call waiting for the sink to
	// take them (while a Webhook's queue is full). A key beyond it is
	// logged and counted as lost. Default 256.
	MaxPendingKeys int
	// CallLinger is how long a call is kept after its media socket closes,
	// so that a reconnect continues it (sequence ids, recognition, its
	// callback). Default 2 min.
	CallLinger time.Duration
	// DrainTimeout bounds how long a closing socket keeps retrying the
	// keys the sink refused. Default 5 s.
	DrainTimeout time.Duration
}

// Defaults of [Limits].
const (
	DefaultMaxMessageBytes      = 64 << 10
	DefaultMaxMessagesPerSecond = 1000
	DefaultMaxCalls             = 1000
	DefaultMaxParticipants      = 64
	DefaultIdleTimeout          = 30 * time.Second
	DefaultMaxRequestBytes      = 64 << 10
	DefaultWriteTimeout         = 10 * time.Second
	DefaultMaxQueuedSends       = 16
	DefaultMaxPendingKeys       = 256
	DefaultCallLinger           = 2 * time.Minute
	DefaultDrainTimeout         = 5 * time.Second
)

func (l Limits) withDefaults() (Limits, error) {
	if l.MaxMessageBytes < 0 || l.MaxCalls < 0 || l.MaxParticipants < 0 || l.IdleTimeout < 0 || l.MaxRequestBytes < 0 ||
		l.WriteTimeout < 0 || l.MaxQueuedSends < 0 || l.MaxPendingKeys < 0 || l.CallLinger < 0 || l.DrainTimeout < 0 {
		return l, errors.New("media: limits must not be negative (MaxMessagesPerSecond excepted)")
	}
	l.MaxMessageBytes = orDefault(l.MaxMessageBytes, DefaultMaxMessageBytes)
	l.MaxMessagesPerSecond = orDefault(l.MaxMessagesPerSecond, DefaultMaxMessagesPerSecond)
	l.MaxCalls = orDefault(l.MaxCalls, DefaultMaxCalls)
	l.MaxParticipants = orDefault(l.MaxParticipants, DefaultMaxParticipants)
	l.IdleTimeout = orDefault(l.IdleTimeout, DefaultIdleTimeout)
	l.MaxRequestBytes = orDefault(l.MaxRequestBytes, DefaultMaxRequestBytes)
	l.WriteTimeout = orDefault(l.WriteTimeout, DefaultWriteTimeout)
	l.MaxQueuedSends = orDefault(l.MaxQueuedSends, DefaultMaxQueuedSends)
	l.MaxPendingKeys = orDefault(l.MaxPendingKeys, DefaultMaxPendingKeys)
	l.CallLinger = orDefault(l.CallLinger, DefaultCallLinger)
	l.DrainTimeout = orDefault(l.DrainTimeout, DefaultDrainTimeout)
	return l, nil
}

func orDefault[T int | int64 | time.Duration](v, def T) T {
	if v == 0 {
		return def
	}
	return v
}

func (c Config) withDefaults() (Config, error) {
	if c.Sink == nil {
		return c, errors.New("media: Config.Sink is required")
	}
	if c.CallbackURI != "" {
		if err := acs.CheckCallbackURI(c.CallbackURI); err != nil {
			return c, fmt.Errorf("media: callback URI: %w", err)
		}
	}
	var err error
	if c.Limits, err = c.Limits.withDefaults(); err != nil {
		return c, err
	}
	// Check the receiver and tone settings once, at a rate every stream
	// may have, rather than when the first call arrives.
	for _, rate := range []dtmf.SampleRate{acs.PCM16KMono, acs.PCM24KMono} {
		dc := c.Decoder
		dc.SampleRate = rate
		if _, err := decoder.New(dc); err != nil {
			return c, fmt.Errorf("media: %w", err)
		}
		ec := c.Encoder
		ec.SampleRate = rate
		if _, err := encoder.New(ec); err != nil {
			return c, fmt.Errorf("media: %w", err)
		}
	}
	if c.Logger == nil {
		c.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if c.Clock == nil {
		c.Clock = time.Now
	}
	if c.NewID == nil {
		c.NewID = bridge.NewUUID
	}
	if c.Repeatability == nil {
		c.Repeatability = bridge.NewRepeatabilityStore(0, 0)
	}
	return c, nil
}

// Source says how a key was heard.
type Source uint8

// The sources of keys.
const (
	InBand    Source = iota + 1 // found by the decoder in the call's audio
	OutOfBand                   // reported by ACS in a DtmfData message (RFC 4733)
)

// String returns "in-band" or "out-of-band".
func (s Source) String() string {
	switch s {
	case InBand:
		return "in-band"
	case OutOfBand:
		return "out-of-band"
	}
	return fmt.Sprintf("Source(%d)", uint8(s))
}

// Key is one key press on a call, as given to Config.OnKey.
type Key struct {
	CallID      string
	Participant string // participantRawID; "" for mixed audio and Graph
	Digit       dtmf.Digit
	Source      Source
	// Time is the press's onset for an in-band key (from the stream's
	// timestamps where it has them, else from arrival), and the DtmfData's
	// timestamp (else its arrival) for an out-of-band one.
	Time time.Time
}
