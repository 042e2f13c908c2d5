package media_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"

	"github.com/coder/websocket"

	"github.com/dtmfkit/dtmfkit/bridge"
	"github.com/dtmfkit/dtmfkit/bridge/acs"
	"github.com/dtmfkit/dtmfkit/bridge/media"
	"github.com/dtmfkit/dtmfkit/dtmf/encoder"
)

// A Go bot that hosts the media socket itself: ACS media streaming comes
// in, and each key the caller presses comes out of the sink as the
// ContinuousDtmfRecognitionToneReceived event ACS would send.
func ExampleNewACS() {
	events := make(chan bridge.Notification, 8)
	h, err := media.NewACS(media.Config{Sink: bridge.ChanSink(events)})
	if err != nil {
		panic(err)
	}
	srv := httptest.NewServer(h)
	defer srv.Close()
	defer h.Shutdown(context.Background())

	// ACS connects to the bot's transportUrl and streams the call's audio.
	ctx := context.Background()
	conn, _, err := websocket.Dial(ctx, "ws"+strings.TrimPrefix(srv.URL, "http")+"/acs/media",
		&websocket.DialOptions{HTTPHeader: http.Header{"x-ms-call-connection-id": {"call-1"}}})
	if err != nil {
		panic(err)
	}
	defer conn.CloseNow()
	send := func(m acs.StreamingMessage) {
		b, _ := json.Marshal(m)
		if err := conn.Write(ctx, websocket.MessageText, b); err != nil {
			panic(err)
		}
	}
	send(acs.StreamingMessage{Kind: acs.KindAudioMetadata, AudioMetadata: &acs.AudioMetadata{Encoding: "PCM", SampleRate: 16000, Channels: 1, Length: 640}})

	// The bot starts recognition, as it would with ACS.
	resp, err := http.Post(srv.URL+"/calling/callConnections/call-1:startContinuousDtmfRecognition?api-version="+media.APIVersion,
		"application/json", strings.NewReader(`{"targetParticipant":{"rawId":"4:+14255550123"}}`))
	if err != nil {
		panic(err)
	}
	resp.Body.Close()
	fmt.Println("start:", resp.Status)

	// The caller presses 7 and #.
	enc, _ := encoder.New(encoder.Config{SampleRate: 16000})
	pcm, _ := enc.Append(make([]int16, 1600), "7#")
	pcm = append(pcm, make([]int16, 3200)...)
	for i := 0; i < len(pcm); i += 320 {
		var data []byte
		for _, v := range pcm[i:min(i+320, len(pcm))] {
			data = append(data, byte(v), byte(uint16(v)>>8))
		}
		send(acs.StreamingMessage{Kind: acs.KindAudioData, AudioData: &acs.AudioData{ParticipantRawID: "4:+14255550123", Data: data}})
	}
	for range 2 {
		n := <-events
		evs, _ := acs.ParseEvents(n.Body)
		fmt.Println(evs[0].Name(), evs[0].Data.SequenceID, evs[0].Data.Tone)
	}
	// Output:
	// start: 200 OK
	// ContinuousDtmfRecognitionToneReceived 1 seven
	// ContinuousDtmfRecognitionToneReceived 2 pound
}
