package media

import (
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promauto"
)

// metrics are a handler's Prometheus collectors. With no Registerer they
// count all the same, unexported.
type metrics struct {
	connections   prometheus.Counter
	open          prometheus.Gauge
	calls         prometheus.Gauge
	messages      *prometheus.CounterVec
	rejected      *prometheus.CounterVec
	audio         prometheus.Counter
	decode        prometheus.Histogram
	keys          *prometheus.CounterVec
	deduplicated  prometheus.Counter
	lost          prometheus.Counter
	notifications prometheus.Counter
	refused       prometheus.Counter
	sends         *prometheus.CounterVec
}

// Label values of the metrics.
const (
	reasonMalformed   = "malformed"    // not JSON, or not a valid message
	reasonUnsupported = "unsupported"  // a format the server does not take (rate, encoding, message type)
	reasonTooBig      = "too_big"      // over MaxMessageBytes or MaxRequestBytes
	reasonTooFast     = "too_fast"     // over MaxMessagesPerSecond
	reasonIdle        = "idle"         // IdleTimeout
	reasonCapacity    = "capacity"     // MaxCalls, MaxParticipants, MaxQueuedSends
	reasonUnknownCall = "unknown_call" // REST request for a call with no media
	reasonBadRequest  = "bad_request"  // REST request the service would refuse
)

func newMetrics(reg prometheus.Registerer, dialect string) *metrics {
	if reg != nil {
		reg = prometheus.WrapRegistererWith(prometheus.Labels{"dialect": dialect}, reg)
	}
	f := promauto.With(reg)
	const ns = "dtmfkit"
	return &metrics{
		connections: f.NewCounter(prometheus.CounterOpts{Namespace: ns, Name: "media_connections_total",
			Help: "Media WebSockets accepted."}),
		open: f.NewGauge(prometheus.GaugeOpts{Namespace: ns, Name: "media_connections_open",
			Help: "Media WebSockets open now."}),
		calls: f.NewGauge(prometheus.GaugeOpts{Namespace: ns, Name: "calls",
			Help: "Calls known: with a media socket open, or kept for a reconnect."}),
		messages: f.NewCounterVec(prometheus.CounterOpts{Namespace: ns, Name: "media_messages_total",
			Help: "Media messages received, by kind (AudioData, AudioMetadata, DtmfData, binary, other)."}, []string{"kind"}),
		rejected: f.NewCounterVec(prometheus.CounterOpts{Namespace: ns, Name: "rejected_total",
			Help: "Messages, connections and requests refused, by reason."}, []string{"reason"}),
		audio: f.NewCounter(prometheus.CounterOpts{Namespace: ns, Name: "audio_seconds_total",
			Help: "Seconds of audio decoded, over all calls and participants."}),
		decode: f.NewHistogram(prometheus.HistogramOpts{Namespace: ns, Name: "decode_seconds",
			Help:    "Time the decoder took per media message.",
			Buckets: prometheus.ExponentialBuckets(1e-6, 4, 8)}), // 1 µs to 16 ms
		keys: f.NewCounterVec(prometheus.CounterOpts{Namespace: ns, Name: "keys_total",
			Help: "Key presses heard, by source (in-band, out-of-band), after deduplication."}, []string{"source"}),
		deduplicated: f.NewCounter(prometheus.CounterOpts{Namespace: ns, Name: "keys_deduplicated_total",
			Help: "Key presses heard both in band and in a DtmfData message, counted once in keys_total."}),
		lost: f.NewCounter(prometheus.CounterOpts{Namespace: ns, Name: "keys_lost_total",
			Help: "Key presses not notified: the sink refused them for longer than the limits allow."}),
		notifications: f.NewCounter(prometheus.CounterOpts{Namespace: ns, Name: "notifications_total",
			Help: "Key notifications handed to the sink."}),
		refused: f.NewCounter(prometheus.CounterOpts{Namespace: ns, Name: "notifications_refused_total",
			Help: "Times the sink refused a notification for now (a full webhook queue); each is retried."}),
		sends: f.NewCounterVec(prometheus.CounterOpts{Namespace: ns, Name: "send_operations_total",
			Help: "sendDtmfTones operations ended, by result (completed, failed)."}, []string{"result"}),
	}
}
