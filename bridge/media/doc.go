// Package media serves live calls: it takes a call's audio over a
// WebSocket, finds the keys with one dtmfkit decoder per participant, and
// speaks the services' own DTMF APIs to the bot, so that a bot talks to it
// exactly as it talks to Microsoft Graph or Azure Communication Services.
//
// Two http.Handlers, one per dialect:
//
//   - [ACS]: the ACS media streaming socket (GET /acs/media, the bot's
//     transportUrl; messages AudioMetadata, AudioData with base64 PCM at
//     16 or 24 kHz, mixed or unmixed, and DtmfData), and the Call
//     Automation operations :startContinuousDtmfRecognition,
//     :stopContinuousDtmfRecognition and :sendDtmfTones (api-version
//     2025-05-15). Keys become ContinuousDtmfRecognitionToneReceived
//     events; sent tones go into the call as outbound AudioData messages
//     (bidirectional streaming), then SendDtmfTonesCompleted.
//   - [Graph]: a relay socket for app-hosted media (GET
//     /graph/calls/{id}/media, binary 16 kHz 16-bit mono PCM both ways)
//     and the call actions subscribeToTone and sendDtmfTones. Keys become
//     toneInfo commsNotifications; the completion notification follows a
//     send.
//
// Notifications go to a bridge.Sink ([Config.Sink]): a bridge.Webhook POSTs
// them to each call's callback (its socket's callbackUri query parameter,
// else [Config.CallbackURI]); a bridge.FuncSink hands them to a Go bot in
// process, and [Config.OnKey] reports every key press as it is heard.
// [RequireToken] adds bearer-token authentication, [Mount] routes both
// handlers on one mux; cmd/dtmfwav's serve command wires them with TLS,
// metrics and signals.
//
// # Standards
//
// The sockets are WebSocket (RFC 6455, through github.com/coder/websocket)
// and close with its status codes (section 7.4.1): 1001 going away, 1003
// unsupported data, 1007 invalid payload, 1008 policy violation, 1009
// message too big. [RequireToken] is Bearer authentication (RFC 6750). The
// ACS events are CloudEvents 1.0 in structured JSON mode, the Graph ones
// commsNotifications; the payloads follow the services' API references
// (Call Automation 2025-05-15, Graph v1.0). Request bodies may be gzip
// (RFC 1952). The audio is 16-bit linear PCM; the keys are the ITU-T Q.23
// tones, received as Q.24 asks by dtmf/decoder.
//
// # Calls
//
// A call is known from the moment its media socket is accepted; a REST
// request for any other gets 404 (ACS NotFound, Graph itemNotFound). When
// its socket closes, keys still sounding are reported, keys the sink
// refused are retried for a while, and operations still playing fail
// (SendDtmfTonesFailed, mediaOperationCanceled); the call is then kept for
// [Limits.CallLinger] (at most [Limits.MaxCalls] calls so), so that a socket that reconnects continues its
// sequence ids, its recognition and its callback (or moves the
// notifications to the callbackUri it names, as a bot restarted behind
// a new address would). A second socket for a call that has one replaces
// it (the old one is closed with 1008).
//
// # Decisions where the services are silent
//
//   - Time. Each participant's stream keeps its own clock: the first
//     packet's timestamp (else its arrival) anchors it, and the samples
//     count from there; silent packets count as the silence they stand
//     for (their data, or AudioMetadata's length, or 20 ms). A timestamp
//     more than 40 ms ahead of the samples received means lost packets:
//     up to a second of silence is decoded in their place, so key lengths
//     and times stay true. The time of an ACS event is the wall-clock
//     time, on that clock, at which the key was confirmed.
//   - Participants. One decoder per participantRawID, created as it first
//     appears (at most [Limits.MaxParticipants]: past it, a new speaker
//     takes the decoder of one silent for 250 messages); the empty id is
//     the mixed stream. Recognition follows its targetParticipant: keys of
//     other participants are not notified, matched by raw id (a phone
//     number with or without its "+"); keys of the mixed stream and of
//     DtmfData without a participant are, as the speaker is unknown.
//   - DtmfData. A DtmfData key (a keypad character or an ACS tone name)
//     is a press like one heard in band. The same press heard both ways is
//     notified once: reports from the two sources pair when they name the
//     same key and participant and the DtmfData time lies within 250 ms of
//     the in-band press's span; each pairs at most once, with the nearest.
//   - Rates. ACS: pcm16KMono and pcm24KMono; other rates, encodings or
//     channel counts close the socket with 1003, as does a rate changed
//     mid-stream; AudioData before any AudioMetadata is taken as
//     pcm16KMono (the service's default). Graph: 16 kHz only. Outbound
//     audio is at the stream's rate, 20 ms per message.
//   - Bad input. A malformed message (not JSON, a kind without its
//     object, data that is not base64 or not whole samples, an unknown
//     key) is skipped, counted and logged once per socket; ten in a row
//     close the socket with 1007. Unknown kinds are skipped. A Graph
//     message of odd length leaves its last byte for the next.
//   - Limits ([Limits]): message size (1009), messages (and their audio,
//     20 ms a message) per second (1008), open sockets (503 before the
//     upgrade), participants (1008), idle time (1008), request body size
//     (413), queued sends (429), keys waiting for a full sink (logged and
//     counted as lost). A limit ends only what reached it.
//   - Sends. Operations on one call play one after another, each in real
//     time from its first frame; a send asked for while the call has no
//     socket is accepted and fails at once, as one cut short by the socket
//     closing does. ACS repeats (Repeatability-Request-ID) are answered
//     from one store shared by the calls and not played again.
//   - REST. ACS paths need api-version=2025-05-15 or a later version, GA
//     or preview (newer SDKs send their own), served with the 2025-05-15
//     shapes (missing: 400 MissingApiVersionParameter; earlier or
//     malformed: 400 UnsupportedApiVersion); start and stop answer 200
//     with no body, a send 202. Graph paths may carry /v1.0 or /beta and
//     the microsoft.graph. namespace; Location is the operation's
//     absolute URL under the same prefix. A body may come with
//     Content-Encoding gzip, as the Graph SDKs send every body; another
//     encoding gets 415, on which they send it again uncompressed.
//   - A sink's bridge.ErrQueueFull never stops the audio: the key waits
//     (up to [Limits.MaxPendingKeys]) and is retried with the next message,
//     in order; a stop request the sink refuses gets 503 with Retry-After.
package media
