package media

import (
	"crypto/sha256"
	"crypto/subtle"
	"net/http"
	"strings"
)

// RequireToken wraps h so that a request is served only if it carries
// token: as "Authorization: Bearer <token>", or, on a WebSocket upgrade
// only, as the query parameter token (ACS media streaming and some relays
// cannot set headers; a REST client can, and a token in a URL ends up in
// logs). The query parameter is removed before h sees the request. Tokens
// are compared in constant time, through their SHA-256 so that not even
// the length leaks. Anything else gets 401 with a WWW-Authenticate
// challenge and a JSON error body.
func RequireToken(token string, h http.Handler) http.Handler {
	want := sha256.Sum256([]byte(token))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		given, ok := bearer(r.Header.Get("Authorization"))
		if !ok && isUpgrade(r) {
			q := r.URL.Query()
			if given, ok = q.Get("token"), q.Has("token"); ok {
				q.Del("token")
				r.URL.RawQuery = q.Encode()
			}
		}
		got := sha256.Sum256([]byte(given))
		if !ok || subtle.ConstantTimeCompare(got[:], want[:]) != 1 {
			w.Header().Set("WWW-Authenticate", `Bearer realm="dtmfkit"`)
			w.Header().Set("Content-Type", "application/json; charset=utf-8")
			w.WriteHeader(http.StatusUnauthorized)
			msg := `{"error":{"code":"Unauthorized","message":"a valid bearer token is required (Authorization: Bearer <token>, or ?token= on a WebSocket URL)"}}`
			if ok {
				msg = `{"error":{"code":"Unauthorized","message":"the token is not valid"}}`
			}
			_, _ = w.Write([]byte(msg))
			return
		}
		h.ServeHTTP(w, r)
	})
}

// bearer returns the token of an "Authorization: Bearer <token>" header.
func bearer(h string) (string, bool) {
	const prefix = "bearer "
	if len(h) < len(prefix) || !strings.EqualFold(h[:len(prefix)], prefix) {
		return "", false
	}
	return strings.TrimSpace(h[len(prefix):]), true
}

func isUpgrade(r *http.Request) bool {
	return strings.EqualFold(r.Header.Get("Upgrade"), "websocket")
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
