package media_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/coder/websocket"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/dtmfkit/dtmfkit/bridge/acs"
	"github.com/dtmfkit/dtmfkit/bridge/graph"
	"github.com/dtmfkit/dtmfkit/bridge/media"
	"github.com/dtmfkit/dtmfkit/dtmf"
	"github.com/dtmfkit/dtmfkit/internal/dtmftest"
)

const (
	acsCall   = "401f3500-62cd-4b1a-9a6f-4d2a7c3e8b10"
	graphCall = "57dab8b1-894c-409a-b240-bd8beae78896"
	caller    = "4:+14255550123"
	recoStart = `{"targetParticipant":{"kind":"phoneNumber","phoneNumber":{"value":"+14255550123"}},"operationContext":"dtmf-reco-on-c2"}`
)

// TestACSKeysToCallback plays ACS media streaming with recognition on:
// each key becomes a ContinuousDtmfRecognitionToneReceived at the
// callback, timed by the stream's timestamps, then the stop's event,
// byte for byte as in the golden file.
func TestACSKeysToCallback(t *testing.T) {
	dtmftest.CheckGoroutines(t)
	e := newEnv(t, 0)
	c := e.dialACS(t, acsCall, url.Values{"callbackUri": {e.rec.URL("/acs")}, "serverCallId": {"aHR0cHM6Ly9hcGkuZXhhbXBsZS5jb20vY29udi8x"}})
	c.metadata(t, 16000)
	c.audio(t, caller, keyAudio(t, 16000, "", 100*time.Millisecond, 0))
	resp, body := e.post(t, acsAction(acsCall, "startContinuousDtmfRecognition"), recoStart)
	require.Equal(t, http.StatusOK, resp.StatusCode, "%s", body)
	assert.Empty(t, body)

	c.audio(t, caller, keyAudio(t, 16000, "159#", 100*time.Millisecond, 200*time.Millisecond))
	e.rec.wait(t, "/acs", 4)
	resp, body = e.post(t, acsAction(acsCall, "stopContinuousDtmfRecognition"), recoStart)
	require.Equal(t, http.StatusOK, resp.StatusCode, "%s", body)
	got := e.rec.wait(t, "/acs", 5)
	c.closeNormally()

	checkGolden(t, "acs-keys.jsonl", got)
	var tones []string
	for i, b := range got[:4] {
		evs, err := acs.ParseEvents(b)
		require.NoError(t, err)
		require.Len(t, evs, 1)
		assert.True(t, evs[0].Is(acs.ContinuousDtmfRecognitionToneReceived))
		assert.Equal(t, int64(i+1), evs[0].Data.SequenceID)
		tones = append(tones, string(evs[0].Data.Tone))
	}
	assert.Equal(t, []string{"one", "five", "nine", "pound"}, tones)
	evs, err := acs.ParseEvents(got[4])
	require.NoError(t, err)
	assert.True(t, evs[0].Is(acs.ContinuousDtmfRecognitionStopped))
	assert.Empty(t, e.rec.types, "every POST is application/json")
	assert.Equal(t, 4.0, e.metric(t, "dtmfkit_notifications_total", map[string]string{"dialect": "acs"}))
}

// TestGraphKeysToCallback plays a Graph relay after subscribeToTone: each
// key becomes a toneInfo commsNotification with the next sequenceId.
func TestGraphKeysToCallback(t *testing.T) {
	dtmftest.CheckGoroutines(t)
	e := newEnv(t, 0)
	c := e.dialGraph(t, graphCall, url.Values{"callbackUri": {e.rec.URL("/graph")}})
	c.audio(t, keyAudio(t, 16000, "", 20*time.Millisecond, 0))
	resp, body := e.post(t, "/v1.0/communications/calls/"+graphCall+"/subscribeToTone", `{"clientContext":"fd1c7836-4d84-4e24-b6aa-23188688cc54"}`)
	require.Equal(t, http.StatusOK, resp.StatusCode, "%s", body)
	assert.Equal(t, e.url+"/v1.0/communications/calls/"+graphCall+"/operations/00000000-0000-4000-8000-000000000001", resp.Header.Get("Location"))
	checkGolden(t, "graph-subscribetotone-response.json", [][]byte{body})

	c.audio(t, keyAudio(t, 16000, "14*D", 100*time.Millisecond, 200*time.Millisecond))
	got := e.rec.wait(t, "/graph", 4)
	_ = c.conn.Close(websocket.StatusNormalClosure, "")
	checkGolden(t, "graph-keys.jsonl", got)
	var tones []string
	for i, b := range got {
		n, err := graph.ParseNotifications(b)
		require.NoError(t, err)
		ti := n.Value[0].ResourceData[0].Call.ToneInfo
		assert.Equal(t, int64(i+1), ti.SequenceID)
		tones = append(tones, ti.Tone.String())
	}
	assert.Equal(t, []string{"tone1", "tone4", "star", "d"}, tones)
}

// TestACSSendDtmfTones: sendDtmfTones plays the tones into the call as
// outbound AudioData messages, in real time, which decode to the
// requested keys; then SendDtmfTonesCompleted reaches the callback.
func TestACSSendDtmfTones(t *testing.T) {
	dtmftest.CheckGoroutines(t)
	for _, rate := range []dtmf.SampleRate{16000, 24000} {
		t.Run(rate.String(), func(t *testing.T) {
			e := newEnv(t, 0)
			c := e.dialACS(t, acsCall, url.Values{"callbackUri": {e.rec.URL("/acs")}})
			c.metadata(t, rate)
			c.audio(t, caller, keyAudio(t, rate, "", 20*time.Millisecond, 0))
			start := time.Now()
			resp, body := e.post(t, acsAction(acsCall, "sendDtmfTones"),
				`{"tones":["one","two","pound"],"targetParticipant":{"rawId":"4:+14255550123"},"operationContext":"dtmfs-to-ivr"}`)
			require.Equal(t, http.StatusAccepted, resp.StatusCode, "%s", body)
			assert.JSONEq(t, `{"operationContext":"dtmfs-to-ivr"}`, string(body))

			var pcm []int16
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			for done := false; !done; {
				typ, b, err := c.conn.Read(ctx)
				require.NoError(t, err)
				require.Equal(t, websocket.MessageText, typ)
				m, err := acs.ParseOutboundMessage(b)
				require.NoError(t, err)
				require.Equal(t, acs.KindAudioData, m.Kind)
				require.Len(t, m.AudioData.Data, 2*int(rate)/50, "20 ms per message")
				for i := 0; i < len(m.AudioData.Data); i += 2 {
					pcm = append(pcm, int16(uint16(m.AudioData.Data[i])|uint16(m.AudioData.Data[i+1])<<8))
				}
				done = len(pcm) >= int(rate.N(500*time.Millisecond)) // 3 tones, 2 gaps
			}
			elapsed := time.Since(start)
			assert.Equal(t, "12#", decodeKeys(t, rate, pcm))
			// Paced in real time: the last frame leaves no sooner than the
			// audio before it lasts.
			assert.GreaterOrEqual(t, elapsed, rate.D(int64(len(pcm)))-20*time.Millisecond)

			got := e.rec.wait(t, "/acs", 1)
			evs, err := acs.ParseEvents(got[0])
			require.NoError(t, err)
			assert.True(t, evs[0].Is(acs.SendDtmfTonesCompleted), "%s", got[0])
			assert.Equal(t, "dtmfs-to-ivr", evs[0].Data.OperationContext)
			c.closeNormally()
		})
	}
}

// TestGraphSendDtmfTones: the tones come back over the relay as binary
// PCM, and the completion notification follows.
func TestGraphSendDtmfTones(t *testing.T) {
	dtmftest.CheckGoroutines(t)
	e := newEnv(t, 0)
	c := e.dialGraph(t, graphCall, url.Values{"callbackUri": {e.rec.URL("/graph")}})
	c.audio(t, keyAudio(t, 16000, "", 20*time.Millisecond, 0))
	resp, body := e.post(t, "/communications/calls/"+graphCall+"/microsoft.graph.sendDtmfTones",
		`{"tones":["tone9","a","pound"],"delayBetweenTonesMs":60,"clientContext":"e0be71f1-a14f-4cec-b65a-e7aba5db7c53"}`)
	require.Equal(t, http.StatusOK, resp.StatusCode, "%s", body)
	var op graph.SendDtmfTonesOperation
	require.NoError(t, json.Unmarshal(body, &op))
	assert.Equal(t, graph.Running, op.Status)
	assert.Equal(t, e.url+"/communications/calls/"+graphCall+"/operations/"+op.ID, resp.Header.Get("Location"))

	var pcm []int16
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	for len(pcm) < 16000*420/1000 { // 3 tones of 100 ms, 2 gaps of 60
		typ, b, err := c.conn.Read(ctx)
		require.NoError(t, err)
		require.Equal(t, websocket.MessageBinary, typ)
		require.Len(t, b, 640)
		for i := 0; i < len(b); i += 2 {
			pcm = append(pcm, int16(uint16(b[i])|uint16(b[i+1])<<8))
		}
	}
	assert.Equal(t, "9A#", decodeKeys(t, 16000, pcm))
	got := e.rec.wait(t, "/graph", 1)
	n, err := graph.ParseNotifications(got[0])
	require.NoError(t, err)
	done := n.Value[0].ResourceData[0].SendDtmfTones
	require.NotNil(t, done, "%s", got[0])
	assert.Equal(t, graph.Deleted, n.Value[0].ChangeType)
	assert.Equal(t, graph.CompletedSuccessfully, done.CompletionReason)
	assert.Equal(t, op.ID, done.ID)
	_ = c.conn.Close(websocket.StatusNormalClosure, "")
}

// TestSendFailsWhenSocketGoes: an operation still playing when the socket
// closes ends with SendDtmfTonesFailed; one asked for while the call has
// no socket fails at once.
func TestSendFailsWhenSocketGoes(t *testing.T) {
	dtmftest.CheckGoroutines(t)
	e := newEnv(t, 0)
	c := e.dialACS(t, acsCall, url.Values{"callbackUri": {e.rec.URL("/acs")}})
	c.metadata(t, 16000)
	c.audio(t, caller, keyAudio(t, 16000, "", 20*time.Millisecond, 0))
	resp, body := e.post(t, acsAction(acsCall, "sendDtmfTones"),
		`{"tones":["one","two","three","four","five","six","seven","eight","nine","zero"],"targetParticipant":{"rawId":"4:+14255550123"},"operationContext":"long"}`)
	require.Equal(t, http.StatusAccepted, resp.StatusCode, "%s", body)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_, _, err := c.conn.Read(ctx) // it has started
	require.NoError(t, err)
	c.closeNormally()
	got := e.rec.wait(t, "/acs", 1)
	evs, err := acs.ParseEvents(got[0])
	require.NoError(t, err)
	assert.True(t, evs[0].Is(acs.SendDtmfTonesFailed), "%s", got[0])
	assert.Equal(t, int32(8508), evs[0].Data.ResultInformation.SubCode)

	// The call lingers without a socket: the next send fails at once.
	resp, body = e.post(t, acsAction(acsCall, "sendDtmfTones"),
		`{"tones":["one"],"targetParticipant":{"rawId":"4:+14255550123"},"operationContext":"orphan"}`)
	require.Equal(t, http.StatusAccepted, resp.StatusCode, "%s", body)
	got = e.rec.wait(t, "/acs", 2)
	evs, err = acs.ParseEvents(got[1])
	require.NoError(t, err)
	assert.True(t, evs[0].Is(acs.SendDtmfTonesFailed), "%s", got[1])
	assert.Equal(t, "orphan", evs[0].Data.OperationContext)
	assert.Equal(t, 2.0, e.metric(t, "dtmfkit_send_operations_total", map[string]string{"result": "failed"}))
}

// TestRecognitionStartStop: keys before the start and after the stop are
// not notified; those between are, with sequence ids from 1.
func TestRecognitionStartStop(t *testing.T) {
	dtmftest.CheckGoroutines(t)
	e := newEnv(t, 0)
	c := e.dialACS(t, acsCall, url.Values{"callbackUri": {e.rec.URL("/acs")}})
	c.metadata(t, 16000)
	c.audio(t, caller, keyAudio(t, 16000, "11", 100*time.Millisecond, 200*time.Millisecond))
	waitKeys(t, e, 2)
	resp, body := e.post(t, acsAction(acsCall, "startContinuousDtmfRecognition"), recoStart)
	require.Equal(t, http.StatusOK, resp.StatusCode, "%s", body)
	c.audio(t, caller, keyAudio(t, 16000, "23", 0, 200*time.Millisecond))
	e.rec.wait(t, "/acs", 2)
	resp, body = e.post(t, acsAction(acsCall, "stopContinuousDtmfRecognition"), `{"targetParticipant":{"rawId":"4:+14255550123"}}`)
	require.Equal(t, http.StatusOK, resp.StatusCode, "%s", body)
	c.audio(t, caller, keyAudio(t, 16000, "45", 0, 200*time.Millisecond))
	waitKeys(t, e, 6)
	c.closeNormally()
	e.rec.wait(t, "/acs", 3)
	time.Sleep(50 * time.Millisecond) // nothing more comes
	got := e.rec.got("/acs")
	require.Len(t, got, 3, "two keys and the stop")
	var tones []string
	for i, b := range got[:2] {
		evs, err := acs.ParseEvents(b)
		require.NoError(t, err)
		assert.Equal(t, int64(i+1), evs[0].Data.SequenceID)
		tones = append(tones, string(evs[0].Data.Tone))
	}
	assert.Equal(t, []string{"two", "three"}, tones)
	evs, err := acs.ParseEvents(got[2])
	require.NoError(t, err)
	assert.True(t, evs[0].Is(acs.ContinuousDtmfRecognitionStopped))
	assert.Equal(t, "dtmf-reco-on-c2", evs[0].Data.OperationContext, "the start's context")
	assert.Equal(t, 6.0, e.metric(t, "dtmfkit_keys_total", map[string]string{"source": "in-band"}))
}

// waitKeys waits until OnKey has heard n keys.
func waitKeys(t *testing.T, e *env, n int) []media.Key {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		keys := e.heard()
		if len(keys) >= n {
			return keys
		}
		if time.Now().After(deadline) {
			require.FailNowf(t, "keys", "heard %d keys, want %d: %v", len(keys), n, keys)
		}
		time.Sleep(5 * time.Millisecond)
	}
}
