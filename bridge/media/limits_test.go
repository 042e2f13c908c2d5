package media_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/coder/websocket"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/dtmfkit/dtmfkit/bridge"
	"github.com/dtmfkit/dtmfkit/bridge/acs"
	"github.com/dtmfkit/dtmfkit/bridge/media"
	"github.com/dtmfkit/dtmfkit/internal/dtmftest"
)

// TestAuthRefused: without the token, or with a wrong one, REST requests
// and socket upgrades get 401; the token in the query works on a socket
// only.
func TestAuthRefused(t *testing.T) {
	dtmftest.CheckGoroutines(t)
	e := newEnv(t, 0)
	for _, h := range []http.Header{nil, {"Authorization": {"Bearer wrong"}}, {"Authorization": {"Basic " + token}}} {
		_, resp, err := e.tryDialACS(acsCall, nil, h)
		require.Error(t, err)
		require.NotNil(t, resp)
		assert.Equal(t, http.StatusUnauthorized, resp.StatusCode)
		want := `Bearer realm="dtmfkit", error="invalid_token"` // RFC 6750 §3: a token was given
		if h.Get("Authorization") == "" || strings.HasPrefix(h.Get("Authorization"), "Basic") {
			want = `Bearer realm="dtmfkit"`
		}
		assert.Equal(t, want, resp.Header.Get("WWW-Authenticate"))
	}
	_, resp, err := e.tryDialACS(acsCall, url.Values{"token": {"wrong"}}, nil)
	require.Error(t, err)
	assert.Equal(t, http.StatusUnauthorized, resp.StatusCode)
	c, _, err := e.tryDialACS(acsCall, url.Values{"token": {token}, "callbackUri": {e.rec.URL("/acs")}}, nil)
	require.NoError(t, err, "?token= on a WebSocket URL")
	defer c.closeNormally()

	for _, path := range []string{acsAction(acsCall, "startContinuousDtmfRecognition"), acsAction(acsCall, "startContinuousDtmfRecognition") + "&token=" + token} {
		// ?token= is for WebSocket handshakes only: an Upgrade header on a
		// POST does not make one.
		req, err := http.NewRequest(http.MethodPost, e.url+path, strings.NewReader(recoStart))
		require.NoError(t, err)
		req.Header.Set("Upgrade", "websocket")
		req.Header.Set("Connection", "Upgrade")
		resp, err := http.DefaultClient.Do(req)
		require.NoError(t, err)
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		assert.Equal(t, http.StatusUnauthorized, resp.StatusCode, "%s", path)
		assert.JSONEq(t, `{"error":{"code":"Unauthorized","message":"a valid bearer token is required (Authorization: Bearer <token>, or ?token= on a WebSocket URL)"}}`, string(body))
	}
}

// TestRequireTokenEmpty: an empty token is a programming error (every
// request would pass with "Authorization: Bearer "), not a setting.
func TestRequireTokenEmpty(t *testing.T) {
	assert.PanicsWithValue(t, "media: RequireToken: empty token", func() {
		media.RequireToken("", http.NotFoundHandler())
	})
}

// TestBadMessages: each kind of bad input gets its close code or status,
// and a call next to it goes on undisturbed.
func TestBadMessages(t *testing.T) {
	dtmftest.CheckGoroutines(t)
	e := newEnv(t, 0, withLimits(media.Limits{MaxMessageBytes: 4096}))
	// A good call runs through it all.
	good := e.recognizing(t, "good-call", "/good")
	goodAudio := good.packets(caller, keyAudio(t, 16000, "147", 100*time.Millisecond, 200*time.Millisecond))
	next := 0
	step := func() { // a few packets of the good call between each case
		for range 3 {
			if next < len(goodAudio) {
				good.send(t, goodAudio[next])
				next++
			}
		}
	}
	q := url.Values{"callbackUri": {e.rec.URL("/bad")}}

	t.Run("malformed messages are skipped; ten in a row close with 1007", func(t *testing.T) {
		c := e.dialACS(t, "bad-json", q)
		c.metadata(t, 16000)
		for _, m := range []string{`{"kind":`, `{"kind":"AudioData","audioData":{"data":"AAA"}}`, `{"kind":"DtmfData","dtmfData":{"data":"x"}}`} {
			require.NoError(t, c.sendText(t, m))
		}
		c.audio(t, caller, keyAudio(t, 16000, "8", 100*time.Millisecond, 200*time.Millisecond))
		keys := waitKeys(t, e, 1)
		assert.Equal(t, "bad-json", keys[len(keys)-1].CallID, "the call went on after malformed messages")
		for range 10 {
			if c.sendText(t, `not json`) != nil {
				break
			}
		}
		ce := readClose(t, c.conn)
		assert.Equal(t, websocket.StatusInvalidFramePayloadData, ce.Code)
		assert.Contains(t, ce.Reason, "10 malformed messages in a row")
		step()
	})
	t.Run("unknown kinds are skipped, however many", func(t *testing.T) {
		c := e.dialACS(t, "other-kinds", q)
		c.metadata(t, 16000)
		heard := len(e.heard())
		for range 3 * 10 { // more than the malformed messages that close a socket
			require.NoError(t, c.sendText(t, `{"kind":"TranscriptionData","transcriptionData":{"text":"hello","participantRawID":"4:+1"}}`))
		}
		c.audio(t, caller, keyAudio(t, 16000, "9", 100*time.Millisecond, 200*time.Millisecond))
		keys := waitKeys(t, e, heard+1)
		last := keys[len(keys)-1]
		assert.Equal(t, "other-kinds 9", last.CallID+" "+last.Digit.String(), "the call went on")
		assert.Equal(t, 30.0, e.metric(t, "dtmfkit_media_messages_total", map[string]string{"kind": "other"}))
		c.closeNormally()
		step()
	})
	t.Run("wrong rate closes with 1003", func(t *testing.T) {
		for _, md := range []string{
			`{"kind":"AudioMetadata","audioMetadata":{"encoding":"PCM","sampleRate":8000,"channels":1,"length":320}}`,
			`{"kind":"AudioMetadata","audioMetadata":{"encoding":"mulaw","sampleRate":16000,"channels":1}}`,
			`{"kind":"AudioMetadata","audioMetadata":{"encoding":"PCM","sampleRate":16000,"channels":2}}`,
		} {
			c := e.dialACS(t, "bad-rate", q)
			require.NoError(t, c.sendText(t, md))
			ce := readClose(t, c.conn)
			assert.Equal(t, websocket.StatusUnsupportedData, ce.Code)
			t.Log(ce.Reason)
			step()
		}
		c := e.dialACS(t, "bad-rate", q)
		c.metadata(t, 16000)
		c.audio(t, caller, make([]int16, 320))
		c.metadata(t, 24000)
		ce := readClose(t, c.conn)
		assert.Equal(t, websocket.StatusUnsupportedData, ce.Code)
		assert.Equal(t, "sample rate changed from 16000 to 24000 Hz mid-stream", ce.Reason)
	})
	t.Run("oversized message closes with 1009", func(t *testing.T) {
		c := e.dialACS(t, "big", q)
		c.metadata(t, 16000)
		_ = c.sendText(t, `{"kind":"AudioData","audioData":{"data":"`+strings.Repeat("A", 8000)+`"}}`)
		assert.Equal(t, websocket.StatusMessageTooBig, readClose(t, c.conn).Code)
		step()
	})
	t.Run("binary on ACS, text on Graph close with 1003", func(t *testing.T) {
		c := e.dialACS(t, "binary", q)
		require.NoError(t, c.conn.Write(context.Background(), websocket.MessageBinary, []byte{1, 2}))
		assert.Equal(t, websocket.StatusUnsupportedData, readClose(t, c.conn).Code)
		g := e.dialGraph(t, "text", q)
		require.NoError(t, g.conn.Write(context.Background(), websocket.MessageText, []byte("hello")))
		assert.Equal(t, websocket.StatusUnsupportedData, readClose(t, g.conn).Code)
		step()
	})
	t.Run("unknown calls get the services' 404", func(t *testing.T) {
		resp, body := e.post(t, acsAction("no-such-call", "sendDtmfTones"), `{"tones":["one"],"targetParticipant":{"rawId":"4:+1"}}`)
		assert.Equal(t, http.StatusNotFound, resp.StatusCode)
		assert.Contains(t, string(body), `{"error":{"code":"NotFound","message":"call connection \"no-such-call\" not found`)
		resp, body = e.post(t, "/communications/calls/no-such-call/sendDtmfTones", `{"tones":["tone1"]}`)
		assert.Equal(t, http.StatusNotFound, resp.StatusCode)
		assert.Contains(t, string(body), `{"error":{"code":"itemNotFound","message":"call no-such-call not found`)
		step()
	})
	t.Run("REST errors are the services'", func(t *testing.T) {
		for _, tt := range []struct {
			path, body string
			status     int
			code       string
		}{
			{"/calling/callConnections/good-call:sendDtmfTones", `{}`, 400, "MissingApiVersionParameter"},
			{"/calling/callConnections/good-call:sendDtmfTones?api-version=2023-10-15", `{}`, 400, "UnsupportedApiVersion"},
			{"/calling/callConnections/good-call:sendDtmfTones?api-version=latest", `{}`, 400, "UnsupportedApiVersion"},
			{"/calling/callConnections/good-call:sendDtmfTones?api-version=2026-13-01", `{}`, 400, "UnsupportedApiVersion"},
			// Newer versions: the default of @azure/communication-call-automation 1.6.0, and a preview.
			{"/calling/callConnections/good-call:sendDtmfTones?api-version=2026-03-12", `{}`, 400, "BadRequest"},
			{"/calling/callConnections/good-call:sendDtmfTones?api-version=2025-08-15-preview", `{}`, 400, "BadRequest"},
			{acsAction("good-call", "play"), `{}`, 404, "NotFound"},
			{acsAction("good-call", "sendDtmfTones"), `{"tones":["flash"],"targetParticipant":{"rawId":"4:+1"}}`, 400, "BadRequest"},
			{acsAction("good-call", "sendDtmfTones"), `{"tones":["one"]`, 400, "BadRequest"},
			{acsAction("good-call", "sendDtmfTones"), strings.Repeat(" ", 70<<10) + `{}`, 413, "RequestEntityTooLarge"},
			{acsAction("good-call", "startContinuousDtmfRecognition"), `{"targetParticipant":{}}`, 400, "BadRequest"},
		} {
			resp, body := e.post(t, tt.path, tt.body)
			assert.Equal(t, tt.status, resp.StatusCode, "%s: %s", tt.path, body)
			assert.Contains(t, string(body), `"code":"`+tt.code+`"`, tt.path)
			assert.Equal(t, "application/json; charset=utf-8", resp.Header.Get("Content-Type"))
		}
		step()
	})
	t.Run("no call id, no upgrade", func(t *testing.T) {
		_, resp, err := e.tryDialACS("", nil, http.Header{"Authorization": {"Bearer " + token}})
		require.Error(t, err)
		assert.Equal(t, http.StatusBadRequest, resp.StatusCode)
		resp, body := e.post(t, "/acs/media", "")
		assert.Equal(t, http.StatusNotFound, resp.StatusCode)
		assert.JSONEq(t, `{"error":{"code":"NotFound","message":"no such resource: POST /acs/media"}}`, string(body))
		req, err := http.NewRequest(http.MethodGet, e.url+"/acs/media?callConnectionId=x", nil)
		require.NoError(t, err)
		req.Header.Set("Authorization", "Bearer "+token)
		resp, err = http.DefaultClient.Do(req)
		require.NoError(t, err)
		resp.Body.Close()
		assert.Equal(t, http.StatusUpgradeRequired, resp.StatusCode)
		step()
	})

	for next < len(goodAudio) {
		step()
	}
	seqs, tones := toneEvents(t, e.rec.wait(t, "/good", 3))
	assert.Equal(t, "147", tones, "the good call lost nothing")
	assert.Equal(t, []int64{1, 2, 3}, seqs)
	assert.Positive(t, e.metric(t, "dtmfkit_rejected_total", map[string]string{"reason": "malformed"}))
	assert.Positive(t, e.metric(t, "dtmfkit_rejected_total", map[string]string{"reason": "unsupported"}))
	assert.Positive(t, e.metric(t, "dtmfkit_rejected_total", map[string]string{"reason": "too_big"}))
	good.closeNormally()
}

// TestDeadCallbackHurtsNoOne: a call whose callback never answers piles
// up notifications only within its share of the webhook's queue (a
// Webhook with CallQueueSize, as dtmfwav serve makes it); a call next to
// it gets every key through.
func TestDeadCallbackHurtsNoOne(t *testing.T) {
	dtmftest.CheckGoroutines(t)
	release := make(chan struct{})
	dead := newReceiver(t, 0)
	dead.srv.Config.Handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-release:
			dead.ServeHTTP(w, r)
		case <-r.Context().Done():
		}
	})
	e := newEnv(t, 0, withWebhook(func(c *bridge.WebhookConfig) { c.QueueSize, c.CallQueueSize = 16, 4 }))
	answer := sync.OnceFunc(func() { close(release) })
	t.Cleanup(answer) // before the env's shutdown, should the test fail first

	bad := e.dialACS(t, "bad-callback", url.Values{"callbackUri": {dead.URL("/late")}})
	bad.metadata(t, 16000)
	resp, body := e.post(t, acsAction("bad-callback", "startContinuousDtmfRecognition"), recoStart)
	require.Equal(t, http.StatusOK, resp.StatusCode, "%s", body)
	for i := range 40 { // more keys than the whole queue holds
		bad.send(t, acs.StreamingMessage{Kind: acs.KindDtmfData, DtmfData: &acs.DtmfData{
			Data: strconv.Itoa(i % 10), ParticipantRawID: caller, Timestamp: acs.FormatTimestamp(streamStart.Add(time.Duration(i) * time.Second))}})
	}
	good := e.recognizing(t, "good-call", "/good")
	good.audio(t, caller, keyAudio(t, 16000, "147", 100*time.Millisecond, 200*time.Millisecond))
	seqs, tones := toneEvents(t, e.rec.wait(t, "/good", 3))
	assert.Equal(t, "147", tones)
	assert.Equal(t, []int64{1, 2, 3}, seqs)
	good.closeNormally()

	// Once the callback answers, the keys that waited arrive, in order.
	answer()
	for i := 0; i < 500 && len(dead.got("/late")) < 40; i++ { // each message retries the waiting keys
		bad.audio(t, caller, make([]int16, 320))
		time.Sleep(2 * time.Millisecond)
	}
	seqs, _ = toneEvents(t, dead.wait(t, "/late", 40))
	assert.Equal(t, int64(40), seqs[39])
	assert.IsIncreasing(t, seqs)
	bad.closeNormally()
}

// TestCompressedBodies: a request body compressed with gzip, as the Graph
// SDKs send every body (kiota's CompressionHandler), is read; another
// encoding gets 415, on which such clients send it again uncompressed; a
// body that inflates past MaxRequestBytes gets 413, however small it was
// on the wire.
func TestCompressedBodies(t *testing.T) {
	dtmftest.CheckGoroutines(t)
	e := newEnv(t, 0, withLimits(media.Limits{MaxRequestBytes: 1024}))
	a := e.dialACS(t, acsCall, url.Values{"callbackUri": {e.rec.URL("/acs")}})
	defer a.closeNormally()
	a.metadata(t, 16000)
	g := e.dialGraph(t, graphCall, url.Values{"callbackUri": {e.rec.URL("/graph")}})
	defer g.conn.CloseNow()

	gz := func(s string) string {
		var b bytes.Buffer
		zw := gzip.NewWriter(&b)
		_, err := zw.Write([]byte(s))
		require.NoError(t, err)
		require.NoError(t, zw.Close())
		return b.String()
	}
	subscribe := "/v1.0/communications/calls/" + graphCall + "/subscribeToTone"
	start := acsAction(acsCall, "startContinuousDtmfRecognition")
	bomb := gz(`{"clientContext":"` + strings.Repeat("x", 100<<10) + `"}`)
	require.Less(t, len(bomb), 1024)
	for _, tt := range []struct {
		name, path, encoding, body string
		status                     int
		code                       string
	}{
		{"graph gzip", subscribe, "gzip", gz(`{"clientContext":"sdk"}`), http.StatusOK, ""},
		{"acs gzip", start, "GZIP", gz(recoStart), http.StatusOK, ""},
		{"identity", subscribe, "identity", `{"clientContext":"sdk"}`, http.StatusOK, ""},
		{"graph br", subscribe, "br", `{}`, http.StatusUnsupportedMediaType, `"code":"invalidRequest","message":"Content-Encoding \"br\" is not supported`},
		{"acs deflate", start, "deflate", `{}`, http.StatusUnsupportedMediaType, `"code":"UnsupportedMediaType"`},
		{"not gzip", subscribe, "gzip", `{"clientContext":"sdk"}`, http.StatusBadRequest, `"message":"request body is not valid gzip`},
		{"cut gzip", start, "gzip", gz(recoStart)[:20], http.StatusBadRequest, `"code":"BadRequest","message":"request body is not valid gzip`},
		{"graph bomb", subscribe, "gzip", bomb, http.StatusRequestEntityTooLarge, `"message":"request body is larger than the 1024 bytes allowed`},
		{"acs bomb", start, "gzip", bomb, http.StatusRequestEntityTooLarge, `"code":"RequestEntityTooLarge"`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			resp, body := e.post(t, tt.path, tt.body, "Content-Encoding", tt.encoding)
			assert.Equal(t, tt.status, resp.StatusCode, "%s", body)
			assert.Contains(t, string(body), tt.code)
		})
	}
}

// TestLimits: too many messages per second, an idle socket, too many
// participants, too many sockets and too many queued sends each end only
// what reached them.
func TestLimits(t *testing.T) {
	dtmftest.CheckGoroutines(t)
	t.Run("messages per second", func(t *testing.T) {
		e := newEnv(t, 0, withLimits(media.Limits{MaxMessagesPerSecond: 50}))
		fast := e.dialACS(t, "fast", url.Values{"callbackUri": {e.rec.URL("/x")}})
		fast.metadata(t, 16000)
		for range 1000 { // a client slowed down by a busy machine still sends 50 a second
			if fast.sendText(t, `{"kind":"AudioData","audioData":{"silent":true}}`) != nil {
				break
			}
		}
		ce := readClose(t, fast.conn)
		assert.Equal(t, websocket.StatusPolicyViolation, ce.Code)
		assert.Equal(t, "more than 50 messages or 1s of audio per second", ce.Reason)
	})
	t.Run("audio per second", func(t *testing.T) {
		// A message may stand for much more than 20 ms: a silent packet
		// of AudioMetadata's length, a timestamp gap filled with
		// silence, a long Graph message. Each 20 ms of it counts as a
		// message, so that no client makes the server decode more than
		// the limit's worth of audio a second.
		e := newEnv(t, 0, withLimits(media.Limits{MaxMessagesPerSecond: 50}))
		for _, tt := range []struct {
			name string
			send func(c *acsClient, i int) error
		}{
			{"silent packets a second long", func(c *acsClient, _ int) error {
				return c.sendText(t, `{"kind":"AudioData","audioData":{"silent":true}}`)
			}},
			{"timestamps a second apart", func(c *acsClient, i int) error {
				return c.sendText(t, `{"kind":"AudioData","audioData":{"data":"AAAAAA==","timestamp":"`+
					acs.FormatTimestamp(streamStart.Add(time.Duration(i)*time.Second))+`"}}`)
			}},
		} {
			c := e.dialACS(t, "loud-"+strings.ReplaceAll(tt.name, " ", "-"), url.Values{"callbackUri": {e.rec.URL("/x")}})
			require.NoError(t, c.sendText(t, `{"kind":"AudioMetadata","audioMetadata":{"encoding":"PCM","sampleRate":16000,"channels":1,"length":32000}}`))
			for i := range 20 { // 20 s of audio in 20 messages
				if tt.send(c, i) != nil {
					break
				}
			}
			ce := readClose(t, c.conn)
			assert.Equal(t, websocket.StatusPolicyViolation, ce.Code, tt.name)
			assert.Equal(t, "more than 50 messages or 1s of audio per second", ce.Reason, tt.name)
		}
		g := e.dialGraph(t, "loud-graph", url.Values{"callbackUri": {e.rec.URL("/x")}})
		for range 20 { // 2 s of audio a message
			if g.conn.Write(context.Background(), websocket.MessageBinary, make([]byte, 64000)) != nil {
				break
			}
		}
		assert.Equal(t, "more than 50 messages or 1s of audio per second", readClose(t, g.conn).Reason)
	})
	t.Run("idle", func(t *testing.T) {
		e := newEnv(t, 0, withLimits(media.Limits{IdleTimeout: 300 * time.Millisecond}))
		idle := e.dialACS(t, "idle", url.Values{"callbackUri": {e.rec.URL("/x")}})
		ce := readClose(t, idle.conn)
		assert.Equal(t, websocket.StatusPolicyViolation, ce.Code)
		assert.Equal(t, "no message for 300ms", ce.Reason)
	})
	e := newEnv(t, 0, withLimits(media.Limits{MaxCalls: 2, MaxQueuedSends: 1, MaxParticipants: 2}))
	q := url.Values{"callbackUri": {e.rec.URL("/x")}}
	crowd := e.dialACS(t, "crowd", q)
	crowd.metadata(t, 16000)
	crowd.audio(t, "p1", make([]int16, 320))
	crowd.audio(t, "p2", make([]int16, 320))
	crowd.audio(t, "p3", make([]int16, 320))
	assert.Equal(t, "more than 2 participants heard within 250 messages", readClose(t, crowd.conn).Reason)

	waitOpen(t, e.acs.OpenCalls, 0)
	a := e.dialACS(t, "a", q)
	a.metadata(t, 16000)
	b := e.dialGraph(t, "b", q) // the Graph handler has its own count
	c := e.dialACS(t, "c", q)
	_, resp, err := e.tryDialACS("d", q, http.Header{"Authorization": {"Bearer " + token}})
	require.Error(t, err)
	assert.Equal(t, http.StatusServiceUnavailable, resp.StatusCode)
	assert.Equal(t, "1", resp.Header.Get("Retry-After"))

	// Ten seconds of tones: the first plays, the second waits, the third
	// is refused.
	send := `{"tones":["one","two","three","four","five","six","seven","eight","nine","zero","one","two","three","four","five","six","seven","eight"],"targetParticipant":{"rawId":"4:+1"}}`
	for i, want := range []int{http.StatusAccepted, http.StatusAccepted, http.StatusTooManyRequests} {
		resp, body := e.post(t, acsAction("a", "sendDtmfTones"), send)
		require.Equal(t, want, resp.StatusCode, "send %d: %s", i, body)
		if want == http.StatusTooManyRequests {
			assert.Contains(t, string(body), `"code":"TooManyRequests"`)
		}
		if i == 0 { // it plays once its first frame comes
			_, _, err := a.conn.Read(t.Context())
			require.NoError(t, err)
		}
	}
	a.closeNormally()
	b.conn.CloseNow()
	c.closeNormally()
}

// TestLingeringCallsBounded: calls kept for a reconnect after their
// sockets close are at most MaxCalls; past it the one kept longest is
// forgotten, so that a client opening and closing sockets for new calls
// cannot grow the server's memory for CallLinger.
func TestLingeringCallsBounded(t *testing.T) {
	dtmftest.CheckGoroutines(t)
	e := newEnv(t, 0, withLimits(media.Limits{MaxCalls: 2, CallLinger: time.Hour}))
	for i := range 5 {
		c := e.dialACS(t, fmt.Sprintf("call-%d", i), url.Values{"callbackUri": {e.rec.URL("/x")}})
		c.metadata(t, 16000)
		c.closeNormally()
		waitOpen(t, e.acs.OpenCalls, 0)
	}
	for i, want := range []int{404, 404, 404, 200, 200} {
		resp, body := e.post(t, acsAction(fmt.Sprintf("call-%d", i), "startContinuousDtmfRecognition"), recoStart)
		assert.Equal(t, want, resp.StatusCode, "call-%d: %s", i, body)
	}
	assert.Equal(t, 2.0, e.metric(t, "dtmfkit_calls", map[string]string{"dialect": "acs"}))
}

// TestShutdown: open sockets are closed with 1001, their keys still
// delivered, and new ones refused.
func TestShutdown(t *testing.T) {
	dtmftest.CheckGoroutines(t)
	e := newEnv(t, 0)
	c := e.recognizing(t, acsCall, "/acs")
	// The key is still sounding at shutdown: it is confirmed, so notified.
	c.audio(t, caller, keyAudio(t, 16000, "6", 100*time.Millisecond, 0)[:16000*150/1000])
	waitKeys(t, e, 1)
	done := make(chan error, 1)
	go func() { done <- e.acs.Shutdown(context.Background()) }()
	ce := readClose(t, c.conn)
	assert.Equal(t, websocket.StatusGoingAway, ce.Code)
	require.NoError(t, <-done)
	_, tones := toneEvents(t, e.rec.wait(t, "/acs", 1))
	assert.Equal(t, "6", tones)
	_, resp, err := e.tryDialACS(acsCall, nil, http.Header{"Authorization": {"Bearer " + token}})
	require.Error(t, err)
	assert.Equal(t, http.StatusServiceUnavailable, resp.StatusCode)
}

// waitOpen waits until open() says n sockets are open.
func waitOpen(t *testing.T, open func() int, n int) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for open() != n {
		require.True(t, time.Now().Before(deadline), "%d sockets open, want %d", open(), n)
		time.Sleep(5 * time.Millisecond)
	}
}
