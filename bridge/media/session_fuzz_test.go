package media

import (
	"bytes"
	"context"
	"encoding/json"
	"math"
	"sync"
	"testing"

	"github.com/coder/websocket"
	"github.com/stretchr/testify/require"

	"github.com/dtmfkit/dtmfkit/bridge"
	"github.com/dtmfkit/dtmfkit/bridge/acs"
	"github.com/dtmfkit/dtmfkit/bridge/graph"
)

// fuzzSession returns a session of the dialect as serveSocket makes it,
// without a socket: the reader's message handling, decoders, clocks,
// deduplication and hand-off to the call, whose recognition (ACS) or
// subscription (Graph) is on. It returns the sequenceIds notified.
func fuzzSession(t *testing.T, d dialect) (*session, func() []int64) {
	t.Helper()
	var mu sync.Mutex
	var seqs []int64
	sink := bridge.FuncSink(func(_ context.Context, n bridge.Notification) error {
		mu.Lock()
		defer mu.Unlock()
		if n.SequenceID != 0 {
			seqs = append(seqs, n.SequenceID)
		}
		return nil
	})
	name := dialectACS
	if d.rate != 0 {
		name = dialectGraph
	}
	h, err := newHub(Config{Sink: sink, CallbackURI: "https://bot.example/cb",
		Limits: Limits{MaxMessagesPerSecond: -1, MaxParticipants: 4}}, name)
	require.NoError(t, err)
	s := &session{h: h, d: d, rate: d.rate, log: h.log, parts: map[string]*participant{}, logged: map[string]bool{},
		wake: make(chan struct{}, 1), writerDone: make(chan struct{}), ready: make(chan struct{})}
	s.ctx, s.cancel = context.WithCancelCause(context.Background())
	t.Cleanup(func() { s.cancel(errSocketClosed) })
	s.c, err = h.attach(s, "fuzz-call", bridge.Config{SampleRate: acs.PCM16KMono, CallbackURI: h.cfg.CallbackURI}, false)
	require.NoError(t, err)
	if s.c.acs != nil { // as startRecognition does
		req := acs.ContinuousDtmfRecognitionRequest{TargetParticipant: acs.CommunicationIdentifierModel{RawID: "4:+14255550123"}}
		require.NoError(t, s.c.acs.StartContinuousDtmfRecognition(req))
		s.c.reco, s.c.target = &req, req.TargetParticipant.Raw()
	} else {
		_, err = s.c.graph.SubscribeToTone(graph.SubscribeToToneRequest{})
		require.NoError(t, err)
	}
	return s, func() []int64 {
		mu.Lock()
		defer mu.Unlock()
		return append([]int64(nil), seqs...)
	}
}

// feedMessages hands the lines of in to the session as messages of type
// typ, as its reader does, until one closes the socket; the end of the
// socket then flushes the decoders. It checks what a bot relies on: the
// sequenceIds notified run 1, 2, 3… with no gap or repeat.
func feedMessages(t *testing.T, s *session, seqs func() []int64, typ websocket.MessageType, in []byte) {
	t.Helper()
	for msg := range bytes.SplitSeq(in, []byte("\n")) {
		s.msgs++
		if cl := s.d.handle(s, typ, msg); cl != nil {
			require.NotZero(t, cl.code)
			require.LessOrEqual(t, len(truncate(cl.reason)), 123, "a close reason fits a close frame")
			break
		}
		s.flush()
	}
	for _, p := range s.parts {
		s.flushDecoder(p)
	}
	s.flush()
	for i, seq := range seqs() {
		require.Equal(t, int64(i+1), seq, "sequenceIds %v", seqs())
	}
}

// FuzzACSMessages: no sequence of media streaming messages, however
// malformed (bad JSON, timestamps out of order or far apart, participants
// coming and going, DtmfData of any text), panics the reader or breaks
// the sequenceIds.
func FuzzACSMessages(f *testing.F) {
	audio := func(participant, ts string, pcm []int16) string {
		b := make([]byte, 0, 2*len(pcm))
		for _, v := range pcm {
			b = append(b, byte(v), byte(uint16(v)>>8))
		}
		m, _ := json.Marshal(acs.StreamingMessage{Kind: acs.KindAudioData,
			AudioData: &acs.AudioData{Timestamp: ts, ParticipantRawID: participant, Data: b}})
		return string(m)
	}
	tone := make([]int16, 320)
	for i := range tone { // 697 + 1209 Hz at 16 kHz: a "1" in every packet
		tone[i] = int16(8000*math.Sin(2*math.Pi*697*float64(i)/16000) + 8000*math.Sin(2*math.Pi*1209*float64(i)/16000))
	}
	md := `{"kind":"AudioMetadata","audioMetadata":{"encoding":"PCM","sampleRate":16000,"channels":1,"length":640}}`
	f.Add([]byte(md + "\n" + audio("4:+14255550123", "2025-06-01T10:00:00.000Z", tone) + "\n" +
		audio("4:+14255550123", "2025-06-01T10:00:00.020Z", tone) + "\n" + audio("4:+14255550123", "2025-06-01T10:00:00.040Z", tone) + "\n" +
		audio("4:+14255550123", "2025-06-01T10:00:00.060Z", tone) + "\n" + audio("4:+14255550123", "2025-06-01T10:00:00.080Z", tone)))
	f.Add([]byte(md + "\n" + audio("a", "2025-06-01T10:00:00.000Z", tone) + "\n" + audio("a", "2025-06-01T10:00:05.000Z", tone) + "\n" +
		audio("a", "2024-01-01T00:00:00Z", tone) + "\n" + audio("b", "", tone) + "\n" + audio("c", "x", nil)))
	f.Add([]byte(`{"kind":"DtmfData","dtmfData":{"data":"5","participantRawID":"4:+14255550123","timestamp":"2025-06-01T10:00:00.180Z"}}` + "\n" +
		`{"kind":"DtmfData","dtmfData":{"data":"asterisk"}}` + "\n" + `{"kind":"dtmfdata","dtmfData":{"data":"5","timestamp":"0001-01-01T00:00:00Z"}}`))
	f.Add([]byte(`{"kind":"AudioData","audioData":{"silent":true}}` + "\n" + `{"kind":"TranscriptionData"}` + "\n" + `{"kind":"AudioMetadata","audioMetadata":{"encoding":"pcm","sampleRate":24000,"length":-5}}`))
	f.Add([]byte("not json\n{}\n{\"kind\":\"AudioData\",\"audioData\":{\"data\":\"AAA\"}}"))
	f.Fuzz(func(t *testing.T, in []byte) {
		s, seqs := fuzzSession(t, acsSocket)
		feedMessages(t, s, seqs, websocket.MessageText, in)
	})
}

// FuzzGraphMessages: binary relay messages of any length and content
// never panic the reader or break the sequenceIds.
func FuzzGraphMessages(f *testing.F) {
	f.Add([]byte{1, 2, 3, '\n', 4, '\n', '\n', 0xff, 0x7f})
	f.Add(bytes.Repeat([]byte{0x40, 0x1f, 0xc0, 0xe0}, 400))
	f.Fuzz(func(t *testing.T, in []byte) {
		s, seqs := fuzzSession(t, graphSocket)
		feedMessages(t, s, seqs, websocket.MessageBinary, in)
	})
}
