package main

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"io"
	"math/big"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/dtmfkit/dtmfkit/internal/dtmftest"
)

// startServe runs dtmfwav serve's server on a loopback port and returns
// its address; the test's cleanup shuts it down, which must succeed.
func startServe(t *testing.T, o serveOptions, token string) (addr string, logs *bytes.Buffer) {
	t.Helper()
	logs = new(bytes.Buffer)
	if o.shutdownTimeout == 0 {
		o.shutdownTimeout = 10 * time.Second
	}
	o.logFormat, o.logLevel = "json", "debug"
	srv, err := newServer(o, token, &lockedBuffer{b: logs})
	require.NoError(t, err)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	done := make(chan error, 1)
	go func() { done <- srv.serve(ln) }()
	t.Cleanup(func() {
		require.NoError(t, srv.shutdown())
		require.NoError(t, <-done)
	})
	return ln.Addr().String(), logs
}

// lockedBuffer is a bytes.Buffer safe for the server's goroutines.
type lockedBuffer struct {
	lockedWriter
	b *bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func get(t *testing.T, client *http.Client, url, token string) (int, string) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, url, nil)
	require.NoError(t, err)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := client.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp.StatusCode, string(b)
}

// TestServeAndStream runs serve and stream together, as make demo does:
// the stream's keys arrive at its local callback as notifications with
// sequence ids from 1, and the tones it asks the server to send come back
// in its audio, for both dialects. /healthz needs no token; /metrics does,
// and counts the keys.
func TestServeAndStream(t *testing.T) {
	dtmftest.CheckGoroutines(t)
	const token = "t0ken"
	addr, logs := startServe(t, serveOptions{listen: "127.0.0.1:0", maxCalls: 10, maxMessageBytes: 1 << 16,
		maxMessagesPerSec: -1, idleTimeout: 10 * time.Second, maxRequestBytes: 1 << 16}, token)
	t.Setenv(tokenEnv, token)
	dir := t.TempDir()
	wav := filepath.Join(dir, "keys.wav")
	_, stderr, code := cli(t, nil, "gen", "-rate", "16000", "-lead", "100ms", "-trail", "200ms", "-o", wav, "159#")
	require.Zero(t, code, stderr)

	for _, dialect := range []string{"-acs", "-graph"} {
		stdout, stderr, code := cli(t, nil, "stream", dialect, "-speed", "0", "-send", "37", "-wait", "300ms",
			"-callback-listen", "127.0.0.1:0", "ws://"+addr, wav)
		require.Zero(t, code, "%s\n%s", stderr, stdout)
		notes := regexp.MustCompile(`(?m)^notification \((?:ContinuousDtmfRecognitionToneReceived|toneInfo) (\d+) (\w+)\)`).FindAllStringSubmatch(stdout, -1)
		var got []string
		for _, n := range notes {
			got = append(got, n[1]+" "+n[2])
		}
		want := map[string][]string{"-acs": {"1 one", "2 five", "3 nine", "4 pound"}, "-graph": {"1 tone1", "2 tone5", "3 tone9", "4 pound"}}
		assert.Equal(t, want[dialect], got, stdout)
		assert.Contains(t, stdout, `keys "37"`, stdout)
		assert.Regexp(t, `notification \((SendDtmfTonesCompleted|sendDtmfTones completedSuccessfully)\)`, stdout)
	}

	status, body := get(t, http.DefaultClient, "http://"+addr+"/healthz", "")
	assert.Equal(t, http.StatusOK, status)
	assert.Equal(t, "ok\n", body)
	status, _ = get(t, http.DefaultClient, "http://"+addr+"/metrics", "")
	assert.Equal(t, http.StatusUnauthorized, status)
	status, body = get(t, http.DefaultClient, "http://"+addr+"/metrics", token)
	assert.Equal(t, http.StatusOK, status)
	assert.Contains(t, body, `dtmfkit_keys_total{dialect="acs",source="in-band"} 4`)
	assert.Contains(t, body, `dtmfkit_keys_total{dialect="graph",source="in-band"} 4`)
	assert.Contains(t, body, `dtmfkit_webhook_failures_total 0`)
	assert.Contains(t, body, `go_goroutines`)
	assert.Contains(t, logs.String(), `"msg":"media socket open"`)
}

func TestServeRefusals(t *testing.T) {
	t.Setenv(tokenEnv, "")
	_, stderr, code := cli(t, nil, "serve", "-listen", "127.0.0.1:0")
	assert.Equal(t, 2, code)
	assert.Contains(t, stderr, "DTMFKIT_TOKEN is not set")
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"-insecure", "-tls-cert", "x.pem"}, "-tls-cert and -tls-key go together"},
		{[]string{"-insecure", "-log-level", "loud"}, "unknown log level"},
		{[]string{"-insecure", "-log-format", "xml"}, "unknown log format"},
		{[]string{"-insecure", "-callback", "ftp://x"}, "not an absolute http(s) URL"},
		{[]string{"-insecure", "-max-calls", "-1"}, "must not be negative"},
		{[]string{"-insecure", "extra"}, "unexpected argument"},
	} {
		_, stderr, code := cli(t, nil, append([]string{"serve"}, tt.args...)...)
		assert.Equal(t, 2, code, "%v: %s", tt.args, stderr)
		assert.Contains(t, stderr, tt.want, tt.args)
	}
	for _, bad := range []string{"s3cret\n", " s3cret", "sé cret"} { // a client could never send it back
		t.Setenv(tokenEnv, bad)
		_, stderr, code = cli(t, nil, "serve", "-listen", "127.0.0.1:0")
		assert.Equal(t, 2, code, "%q", bad)
		assert.Contains(t, stderr, "DTMFKIT_TOKEN holds spaces, control characters or non-ASCII", "%q", bad)
	}
	t.Setenv(tokenEnv, "x")
	_, stderr, code = cli(t, nil, "serve", "-listen", "256.0.0.1:99999")
	assert.Equal(t, 1, code)
	assert.Contains(t, stderr, "serve: listen tcp")
}

// TestServeTLS serves HTTPS from -tls-cert and -tls-key.
func TestServeTLS(t *testing.T) {
	dir := t.TempDir()
	certFile, keyFile, pool := selfSigned(t, dir)
	addr, _ := startServe(t, serveOptions{listen: "127.0.0.1:0", tlsCert: certFile, tlsKey: keyFile, insecure: true,
		maxCalls: 1, maxMessageBytes: 1 << 16, maxMessagesPerSec: 100, idleTimeout: time.Second, maxRequestBytes: 1 << 16}, "")
	client := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}}
	status, body := get(t, client, "https://"+addr+"/healthz", "")
	assert.Equal(t, http.StatusOK, status)
	assert.Equal(t, "ok\n", body)
	client.CloseIdleConnections()
}

// selfSigned writes a certificate for 127.0.0.1 and its key.
func selfSigned(t *testing.T, dir string) (certFile, keyFile string, pool *x509.CertPool) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "dtmfkit test"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IPAddresses: []net.IP{net.IPv4(127, 0, 0, 1)}, KeyUsage: x509.KeyUsageDigitalSignature,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	require.NoError(t, err)
	kb, err := x509.MarshalECPrivateKey(key)
	require.NoError(t, err)
	certFile, keyFile = filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	require.NoError(t, os.WriteFile(certFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600))
	require.NoError(t, os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: kb}), 0o600))
	cert, err := x509.ParseCertificate(der)
	require.NoError(t, err)
	pool = x509.NewCertPool()
	pool.AddCert(cert)
	return certFile, keyFile, pool
}

func TestStreamRefusals(t *testing.T) {
	dir := t.TempDir()
	wav8k := filepath.Join(dir, "8k.wav")
	_, stderr, code := cli(t, nil, "gen", "-o", wav8k, "1")
	require.Zero(t, code, stderr)
	for _, tt := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"ws://x", wav8k}, 2, "give one of -acs and -graph"},
		{[]string{"-acs", "-graph", "ws://x", wav8k}, 2, "give one of -acs and -graph"},
		{[]string{"-acs", "ws://x"}, 2, "want URL and FILE"},
		{[]string{"-acs", "ftp://x", wav8k}, 2, "want a ws://"},
		{[]string{"-acs", "-speed", "-1", "ws://x", wav8k}, 2, "negative"},
		{[]string{"-acs", "-send", "12x", "ws://x", wav8k}, 2, "-send"},
		{[]string{"-graph", "-participant", "4:+1", "ws://x", wav8k}, 2, "-participant goes with -acs"},
		{[]string{"-acs", "ws://x", wav8k}, 1, "8000 Hz: ACS media streaming carries 16000 or 24000 Hz"},
		{[]string{"-graph", "ws://x", filepath.Join(dir, "none.wav")}, 1, "no such file"},
	} {
		_, stderr, code := cli(t, nil, append([]string{"stream"}, tt.args...)...)
		assert.Equal(t, tt.code, code, "%v: %s", tt.args, stderr)
		assert.Contains(t, stderr, tt.want, tt.args)
		assert.Equal(t, 1, strings.Count(stderr, "\n"), "one line")
	}
}

// TestStreamAuthRefused: a wrong token is the server's 401, said plainly.
func TestStreamAuthRefused(t *testing.T) {
	addr, _ := startServe(t, serveOptions{listen: "127.0.0.1:0", maxCalls: 1, maxMessageBytes: 1 << 16,
		maxMessagesPerSec: 100, idleTimeout: time.Second, maxRequestBytes: 1 << 16}, "right")
	wav := filepath.Join(t.TempDir(), "k.wav")
	_, stderr, code := cli(t, nil, "gen", "-rate", "16000", "-o", wav, "1")
	require.Zero(t, code, stderr)
	t.Setenv(tokenEnv, "wrong")
	_, stderr, code = cli(t, nil, "stream", "-acs", "ws://"+addr, wav)
	assert.Equal(t, 1, code)
	assert.Contains(t, stderr, "the server answered 401 Unauthorized")
}
