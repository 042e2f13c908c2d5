package media_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/coder/websocket"
	"github.com/stretchr/testify/require"

	"github.com/dtmfkit/dtmfkit/bridge"
	"github.com/dtmfkit/dtmfkit/bridge/media"
)

// fuzzServer returns a handler with one call, "c", whose socket is open:
// REST requests for it reach the body parsers. Notifications are dropped.
func fuzzServer(f *testing.F, graph bool) http.Handler {
	f.Helper()
	cfg := media.Config{Sink: bridge.FuncSink(func(context.Context, bridge.Notification) error { return nil }),
		Limits: media.Limits{MaxQueuedSends: 2}}
	var h http.Handler
	var shutdown func(context.Context) error
	path := "/acs/media?callConnectionId=c"
	if graph {
		g, err := media.NewGraph(cfg)
		require.NoError(f, err)
		h, shutdown, path = g, g.Shutdown, "/graph/calls/c/media"
	} else {
		a, err := media.NewACS(cfg)
		require.NoError(f, err)
		h, shutdown = a, a.Shutdown
	}
	srv := httptest.NewServer(h)
	conn, _, err := websocket.Dial(context.Background(), "ws"+strings.TrimPrefix(srv.URL, "http")+path, nil)
	require.NoError(f, err)
	if !graph { // the stream's rate, which sends wait for
		require.NoError(f, conn.Write(context.Background(), websocket.MessageText,
			[]byte(`{"kind":"AudioMetadata","audioMetadata":{"encoding":"PCM","sampleRate":16000,"channels":1,"length":640}}`)))
	}
	read := make(chan struct{}) // takes the outbound audio until the socket closes
	go func() {
		defer close(read)
		for {
			if _, _, err := conn.Read(context.Background()); err != nil {
				return
			}
		}
	}()
	f.Cleanup(func() {
		require.NoError(f, shutdown(context.Background())) // closes the socket with 1001
		<-read
		_ = conn.CloseNow()
		srv.Close()
	})
	return h
}

// checkAnswer checks what every REST answer must be: a status the
// services use, and for an error, the service's JSON error body.
func checkAnswer(t *testing.T, rec *httptest.ResponseRecorder) {
	t.Helper()
	switch rec.Code {
	case http.StatusOK, http.StatusAccepted:
		if rec.Body.Len() > 0 {
			require.True(t, json.Valid(rec.Body.Bytes()), "%s", rec.Body)
		}
	case http.StatusMethodNotAllowed, http.StatusMovedPermanently, http.StatusTemporaryRedirect, http.StatusPermanentRedirect:
		// The mux's own answers: a method the path does not take, or an
		// unclean path ("/calling/callConnections/.").
	case http.StatusBadRequest, http.StatusNotFound, http.StatusRequestEntityTooLarge, http.StatusTooManyRequests:
		var body struct {
			Error struct {
				Code, Message string
			}
		}
		require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &body), "%s", rec.Body)
		require.NotEmpty(t, body.Error.Code)
		require.NotEmpty(t, body.Error.Message)
	default:
		t.Fatalf("status %d: %s", rec.Code, rec.Body)
	}
}

// FuzzACSAction sends any operation path and body to the ACS handler.
func FuzzACSAction(f *testing.F) {
	h := fuzzServer(f, false)
	f.Add("c:sendDtmfTones", `{"tones":["one"],"targetParticipant":{"rawId":"4:+1"}}`)
	f.Add("c:startContinuousDtmfRecognition", recoStart)
	f.Add("c:stopContinuousDtmfRecognition", `{"targetParticipant":{"communicationUser":{"id":"8:acs:x"}}}`)
	f.Add("x:sendDtmfTones", `{}`)
	f.Add(":", ``)
	f.Add("c:sendDtmfTones", `{"tones":["flash"]}`)
	f.Fuzz(func(t *testing.T, action, body string) {
		req, err := http.NewRequest(http.MethodPost, "/calling/callConnections/x?api-version="+media.APIVersion, strings.NewReader(body))
		require.NoError(t, err)
		req.URL.Path = "/calling/callConnections/" + action
		req.URL.RawPath = ""
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		checkAnswer(t, rec)
	})
}

// FuzzGraphAction sends any action body to the Graph handler.
func FuzzGraphAction(f *testing.F) {
	h := fuzzServer(f, true)
	f.Add(false, `{"clientContext":"c"}`)
	f.Add(true, `{"tones":["tone1","pound"],"delayBetweenTonesMs":50}`)
	f.Add(true, `{"tones":["flash"]}`)
	f.Add(true, `{"tones":[]}`)
	f.Fuzz(func(t *testing.T, send bool, body string) {
		path := "/communications/calls/c/subscribeToTone"
		if send {
			path = "/v1.0/communications/calls/c/sendDtmfTones"
		}
		req := httptest.NewRequest(http.MethodPost, path, strings.NewReader(body))
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		checkAnswer(t, rec)
		if rec.Code == http.StatusOK {
			require.Contains(t, rec.Header().Get("Location"), "/communications/calls/c/operations/")
		}
	})
}

// FuzzRequireToken: any Authorization header and query never pass
// without the token, and the token passes.
func FuzzRequireToken(f *testing.F) {
	ok := media.RequireToken(token, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Query().Has("token") {
			w.WriteHeader(http.StatusTeapot) // the token must be taken out of the query
			return
		}
		w.WriteHeader(http.StatusNoContent)
	}))
	f.Add("Bearer "+token, "", false)
	f.Add("bearer  "+token+" ", "", true)
	f.Add("", "token="+token, true)
	f.Add("Basic x", "token=", false)
	f.Fuzz(func(t *testing.T, auth, query string, upgrade bool) {
		req := httptest.NewRequest(http.MethodGet, "/x", nil)
		req.URL.RawQuery = query
		req.Header.Set("Authorization", auth)
		if upgrade { // a WebSocket handshake, the only request ?token= is read on
			req.Header.Set("Upgrade", "websocket")
			req.Header.Set("Connection", "Upgrade")
			req.Header.Set("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ==")
		}
		rec := httptest.NewRecorder()
		ok.ServeHTTP(rec, req)
		has := strings.Contains(auth, token) || upgrade && strings.Contains(query, "token=")
		if rec.Code == http.StatusNoContent {
			require.True(t, has, "passed without the token: %q %q", auth, query)
		} else {
			require.Equal(t, http.StatusUnauthorized, rec.Code)
		}
	})
}
