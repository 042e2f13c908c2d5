// Package bridge makes dtmfkit speak the DTMF APIs of Microsoft Graph and
// Azure Communication Services (ACS), for bots that host their own media.
//
// Graph's subscribeToTone works only for service-hosted media, and ACS does
// not recognise in-band DTMF, so a bot that receives the call's audio
// itself detects the keys with dtmfkit's decoder. This package turns those
// detections into exactly the payloads the service would have sent, so
// that the bot's handlers need no change, and renders the services'
// sendDtmfTones requests as audio for the bot to play.
//
// # APIs implemented
//
//   - Microsoft Graph v1.0 cloud communications: the call resource and its
//     toneInfo, call: subscribeToTone (returning a subscribeToToneOperation),
//     call: sendDtmfTones (returning a sendDtmfTonesOperation, then the
//     completion notification), and the commsNotifications they are
//     delivered in (wire types in package [graph]).
//   - Azure Communication Services Call Automation, REST API 2025-05-15:
//     :sendDtmfTones (SendDtmfTonesResult, then SendDtmfTonesCompleted or
//     SendDtmfTonesFailed), :startContinuousDtmfRecognition and
//     :stopContinuousDtmfRecognition (ContinuousDtmfRecognitionToneReceived,
//     ContinuousDtmfRecognitionStopped), the Repeatability-Request-ID and
//     Repeatability-First-Sent headers, and CommunicationErrorResponse
//     (wire types in package [acs]).
//   - CloudEvents 1.0, JSON event format, for the ACS events, delivered as
//     a JSON array as ACS does.
//
// # Keys into notifications
//
// A [GraphCall] or [ACSCall] is one call. Feed it the decoder's events with
// HandleEvent: each KeyDown on a call that has subscribed (Graph
// SubscribeToTone) or is recognising (ACS StartContinuousDtmfRecognition)
// becomes one notification with the next sequenceId. Sequence ids start at
// 1 per call (or after Config.LastSequenceID), rise by one per key press,
// never repeat and never skip: an id is used up only when the sink has
// taken its notification. Event positions are sample offsets; the wall
// clock time of an ACS event is Config.StreamStart plus the offset at which
// the key was confirmed. The clock, the id generator and the first
// sequence id are injectable, so the JSON is reproducible byte for byte.
//
// # Requests into audio
//
// SendDtmfTones validates a request with the service's rules and returns
// the response body with a [Playout], which renders the tones with the
// encoder into fixed-size PCM frames on demand (20 ms, 320 samples at the
// default 16 kHz). When the last frame is produced the completion goes to
// the sink; if the request's context is cancelled first, the cancellation
// does. Invalid requests give a *graph.Error or an *acs.Error, which carry
// the HTTP status and marshal to the service's error body.
//
// Decisions where the services are silent:
//   - Graph's delayBetweenTonesMs is limited to 0-10 s
//     ([graph.MaxDelayBetweenTones]), and a delay under 50 ms ([MinGap]) is
//     rendered as 50 ms so that equal keys stay separate presses; absent,
//     the Encoder's Gap (default 100 ms) applies. Tones last
//     Config.Encoder.Tone (default 100 ms). ACS gives no timing; the
//     Encoder's applies.
//   - flash is refused (400): it is a hook flash, with no tone pair.
//   - ACS's 256-character limit on operationContext is Graph's, applied to
//     both; bodies over 64 KiB get a 413.
//   - An ACS cancellation is SendDtmfTonesFailed with code 400, subCode
//     8508 ("operation was canceled", from the recognize table).
//   - Stopping ACS recognition that is not running still sends
//     ContinuousDtmfRecognitionStopped. Restarting it continues the
//     sequence ids.
//   - Repeated ACS requests are answered from a [RepeatabilityStore]
//     (10,000 results for an hour by default); only accepted requests are
//     remembered, and a First-Sent older than the TTL is refused.
//
// # Delivery
//
// Notifications go to a [Sink]: [FuncSink] and [ChanSink] hand them over in
// process; a [Webhook] POSTs them to the callback URI, at least once and in
// order per call, with bounded queueing, retries with backoff and jitter,
// and a Close that drains. Nothing is dropped silently: a full queue is an
// error to the caller, and a notification given up is reported.
package bridge
