package media

import (
	"crypto/sha256"
	"crypto/subtle"
	"net/http"
	"strings"
)

// RequireToken wraps h so that a request is served only if it carries
// token: as "Authorization: Bearer <token>", or, on a WebSocket handshake
// only (a GET asking to upgrade, with its Sec-WebSocket-Key), as the query
// parameter token (ACS media streaming and some relays cannot set headers;
// a REST client can, and a token in a URL ends up in logs). The query
// parameter is removed before h sees the request. Tokens are compared in
// constant time, through their SHA-256 so that not even the length leaks.
// Anything else gets 401 with a WWW-Authenticate challenge (RFC 6750) and
// a JSON error body. An empty token panics: every request would pass.
func RequireToken(token string, h http.Handler) http.Handler {
	if token == "" {
		panic("media: RequireToken: empty token")
	}
	want := sha256.Sum256([]byte(token))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		given, ok := bearer(r.Header.Get("Authorization"))
		if !ok && isHandshake(r) {
			q := r.URL.Query()
			if given, ok = q.Get("token"), q.Has("token"); ok {
				q.Del("token")
				r.URL.RawQuery = q.Encode()
			}
		}
		got := sha256.Sum256([]byte(given))
		if !ok || subtle.ConstantTimeCompare(got[:], want[:]) != 1 {
			unauthorized(w, ok)
			return
		}
		h.ServeHTTP(w, r)
	})
}

// unauthorized answers 401; tokenGiven says whether the request carried a
// token (a wrong one), which RFC 6750 §3 reports as error="invalid_token".
func unauthorized(w http.ResponseWriter, tokenGiven bool) {
	challenge := `Bearer realm="dtmfkit"`
	msg := `{"error":{"code":"Unauthorized","message":"a valid bearer token is required (Authorization: Bearer <token>, or ?token= on a WebSocket URL)"}}`
	if tokenGiven {
		challenge += `, error="invalid_token"`
		msg = `{"error":{"code":"Unauthorized","message":"the token is not valid"}}`
	}
	w.Header().Set("WWW-Authenticate", challenge)
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(http.StatusUnauthorized)
	_, _ = w.Write([]byte(msg))
}

// bearer returns the token of an "Authorization: Bearer <token>" header.
func bearer(h string) (string, bool) {
	const prefix = "bearer "
	if len(h) < len(prefix) || !strings.EqualFold(h[:len(prefix)], prefix) {
		return "", false
	}
	return strings.TrimSpace(h[len(prefix):]), true
}

// isUpgrade reports whether r asks for an upgrade to WebSocket.
func isUpgrade(r *http.Request) bool {
	return strings.EqualFold(r.Header.Get("Upgrade"), "websocket")
}

// isHandshake reports whether r is a WebSocket opening handshake (RFC 6455
// §4.1): a GET with Upgrade: websocket, Connection: upgrade and a
// Sec-WebSocket-Key.
func isHandshake(r *http.Request) bool {
	if r.Method != http.MethodGet || !isUpgrade(r) || r.Header.Get("Sec-WebSocket-Key") == "" {
		return false
	}
	for _, v := range r.Header.Values("Connection") {
		for opt := range strings.SplitSeq(v, ",") {
			if strings.EqualFold(strings.TrimSpace(opt), "upgrade") {
				return true
			}
		}
	}
	return false
}

// Mount routes the paths of the ACS and Graph handlers on mux; either may
// be nil. The ACS handler takes /acs/ and /calling/; the Graph handler
// /graph/, /communications/, /v1.0/communications/ and
// /beta/communications/.
func Mount(mux *http.ServeMux, a *ACS, g *Graph) {
	if a != nil {
		mux.Handle("/acs/", a)
		mux.Handle("/calling/", a)
	}
	if g != nil {
		for _, p := range []string{"/graph/", "/communications/", "/v1.0/communications/", "/beta/communications/"} {
			mux.Handle(p, g)
		}
	}
}
