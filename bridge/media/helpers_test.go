package media_test

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/coder/websocket"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/stretchr/testify/require"

	"github.com/dtmfkit/dtmfkit/bridge"
	"github.com/dtmfkit/dtmfkit/bridge/acs"
	"github.com/dtmfkit/dtmfkit/bridge/media"
	"github.com/dtmfkit/dtmfkit/dtmf"
	"github.com/dtmfkit/dtmfkit/dtmf/decoder"
	"github.com/dtmfkit/dtmfkit/dtmf/encoder"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/golden")

const token = "s3cret-t0ken"

// receiver is a loopback callback: it records the bodies POSTed to each
// path, in arrival order, and answers 503 to a share of them (failRate),
// seeded, before recording.
type receiver struct {
	srv      *httptest.Server
	failRate float64

	mu     sync.Mutex
	rng    *rand.Rand
	bodies map[string][][]byte
	types  []string // Content-Types that were not application/json
	failed int
}

func newReceiver(t *testing.T, failRate float64) *receiver {
	t.Helper()
	r := &receiver{failRate: failRate, rng: rand.New(rand.NewPCG(1, 1)), bodies: map[string][][]byte{}}
	r.srv = httptest.NewServer(r)
	t.Cleanup(r.srv.Close)
	return r
}

func (r *receiver) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	body, err := io.ReadAll(req.Body)
	if err != nil {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.rng.Float64() < r.failRate {
		r.failed++
		w.WriteHeader(http.StatusServiceUnavailable)
		return
	}
	if ct := req.Header.Get("Content-Type"); ct != "application/json" {
		r.types = append(r.types, ct)
	}
	r.bodies[req.URL.Path] = append(r.bodies[req.URL.Path], body)
	w.WriteHeader(http.StatusNoContent)
}

func (r *receiver) URL(path string) string { return r.srv.URL + path }

// got returns the bodies received at path so far.
func (r *receiver) got(path string) [][]byte {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([][]byte(nil), r.bodies[path]...)
}

// wait returns the bodies received at path once there are n, or fails.
func (r *receiver) wait(t *testing.T, path string, n int) [][]byte {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		got := r.got(path)
		if len(got) >= n {
			return got
		}
		if time.Now().After(deadline) {
			require.FailNowf(t, "callback", "%d notifications at %s, want %d: %s", len(got), path, n, got)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// env is a server with both handlers behind RequireToken, a webhook sink
// into a receiver, injected ids and clock, and a metrics registry.
type env struct {
	url    string // http://127.0.0.1:port, or https:// withTLS
	client *http.Client
	srv    *httptest.Server
	acs    *media.ACS
	graph  *media.Graph
	rec    *receiver
	wh     *bridge.Webhook
	reg    *prometheus.Registry

	mu   sync.Mutex
	keys []media.Key
}

// envConfig is what newEnv builds: the handlers' and the webhook's
// settings.
type envConfig struct {
	media   media.Config
	webhook bridge.WebhookConfig
	tls     bool
}

type envOption func(*envConfig)

func withLimits(l media.Limits) envOption { return func(c *envConfig) { c.media.Limits = l } }

func withWebhook(f func(*bridge.WebhookConfig)) envOption {
	return func(c *envConfig) { f(&c.webhook) }
}

// withTLS serves https:// and wss:// with httptest's certificate.
func withTLS() envOption { return func(c *envConfig) { c.tls = true } }

func newEnv(t *testing.T, failRate float64, opts ...envOption) *env {
	t.Helper()
	e := &env{rec: newReceiver(t, failRate), reg: prometheus.NewRegistry()}
	ec := envConfig{webhook: bridge.WebhookConfig{
		Timeout: 5 * time.Second, MinBackoff: time.Millisecond, MaxBackoff: 10 * time.Millisecond,
		MaxAttempts: 1000, Rand: rand.New(rand.NewPCG(2, 2)),
	}}
	for _, o := range opts {
		o(&ec)
	}
	var err error
	e.wh, err = bridge.NewWebhook(context.Background(), ec.webhook)
	require.NoError(t, err)
	cfg := ec.media
	cfg.Sink, cfg.Registerer, cfg.Logger = e.wh, e.reg, testLogger(t)
	cfg.NewID, cfg.Clock = ids(), func() time.Time { return time.Date(2025, 6, 1, 10, 0, 30, 0, time.UTC) }
	cfg.OnKey = func(k media.Key) {
		e.mu.Lock()
		e.keys = append(e.keys, k)
		e.mu.Unlock()
	}
	e.acs, err = media.NewACS(cfg)
	require.NoError(t, err)
	e.graph, err = media.NewGraph(cfg)
	require.NoError(t, err)
	mux := http.NewServeMux()
	media.Mount(mux, e.acs, e.graph)
	srv := httptest.NewUnstartedServer(media.RequireToken(token, mux))
	if ec.tls {
		srv.StartTLS()
	} else {
		srv.Start()
	}
	e.url, e.client, e.srv = srv.URL, srv.Client(), srv
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		require.NoError(t, e.acs.Shutdown(ctx))
		require.NoError(t, e.graph.Shutdown(ctx))
		require.NoError(t, e.wh.Close(ctx))
		srv.Close()
	})
	return e
}

func (e *env) heard() []media.Key {
	e.mu.Lock()
	defer e.mu.Unlock()
	return append([]media.Key(nil), e.keys...)
}

// ids returns numbered UUIDs.
func ids() func() string {
	var mu sync.Mutex
	n := 0
	return func() string {
		mu.Lock()
		defer mu.Unlock()
		n++
		return fmt.Sprintf("00000000-0000-4000-8000-%012d", n)
	}
}

// testLogger logs to the test's output.
func testLogger(t *testing.T) *slog.Logger {
	return slog.New(slog.NewTextHandler(testWriter{t}, &slog.HandlerOptions{Level: slog.LevelDebug}))
}

type testWriter struct{ t *testing.T }

func (w testWriter) Write(b []byte) (int, error) {
	w.t.Log(strings.TrimSuffix(string(b), "\n"))
	return len(b), nil
}

// post sends a REST request with the token and returns the response and
// its body.
func (e *env) post(t *testing.T, path string, body string, header ...string) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, e.url+path, strings.NewReader(body))
	require.NoError(t, err)
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/json")
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := e.client.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp, b
}

// recognizing opens the media socket of call (16 kHz, notifications to
// path on the receiver) and starts recognition of the caller's keys.
func (e *env) recognizing(t *testing.T, call, path string) *acsClient {
	t.Helper()
	c := e.dialACS(t, call, url.Values{"callbackUri": {e.rec.URL(path)}})
	c.metadata(t, 16000)
	resp, body := e.post(t, acsAction(call, "startContinuousDtmfRecognition"), recoStart)
	require.Equal(t, http.StatusOK, resp.StatusCode, "%s", body)
	return c
}

// acsAction is the path of an ACS operation on a call.
func acsAction(call, op string) string {
	return "/calling/callConnections/" + call + ":" + op + "?api-version=" + media.APIVersion
}

// keyAudio renders keys as audio at rate: lead silence, then 100 ms tones
// and gaps, then trail silence.
func keyAudio(t testing.TB, rate dtmf.SampleRate, keys string, lead, trail time.Duration) []int16 {
	t.Helper()
	pcm := make([]int16, rate.N(lead))
	if keys != "" {
		enc, err := encoder.New(encoder.Config{SampleRate: rate})
		require.NoError(t, err)
		pcm, err = enc.Append(pcm, keys)
		require.NoError(t, err)
	}
	return append(pcm, make([]int16, rate.N(trail))...)
}

// decodeKeys returns the keys in pcm.
func decodeKeys(t testing.TB, rate dtmf.SampleRate, pcm []int16) string {
	t.Helper()
	dec, err := decoder.New(decoder.Config{SampleRate: rate})
	require.NoError(t, err)
	var keys []byte
	for _, ev := range dec.Flush(dec.Decode(nil, pcm)) {
		if ev.Kind == dtmf.KeyDown {
			keys = append(keys, ev.Digit.String()...)
		}
	}
	return string(keys)
}

// acsClient plays ACS media streaming into the server.
type acsClient struct {
	conn *websocket.Conn
	rate dtmf.SampleRate
	ts   map[string]time.Time // next packet's timestamp per participant
}

var streamStart = time.Date(2025, 6, 1, 10, 0, 0, 0, time.UTC)

// dialACS opens the media socket of call with the token in the header.
func (e *env) dialACS(t *testing.T, call string, query url.Values) *acsClient {
	t.Helper()
	c, resp, err := e.tryDialACS(call, query, http.Header{"Authorization": {"Bearer " + token}})
	require.NoError(t, err, "%v", resp)
	return c
}

func (e *env) tryDialACS(call string, query url.Values, h http.Header) (*acsClient, *http.Response, error) {
	if h == nil {
		h = http.Header{}
	}
	if call != "" {
		h.Set("x-ms-call-connection-id", call)
		h.Set("x-ms-call-correlation-id", "53be6977-d832-4d8c-a4d0-2b3c4d5e6f70")
	}
	u := "ws" + strings.TrimPrefix(e.url, "http") + media.ACSMediaPath
	if len(query) > 0 {
		u += "?" + query.Encode()
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	conn, resp, err := websocket.Dial(ctx, u, &websocket.DialOptions{HTTPHeader: h, HTTPClient: e.client})
	if err != nil {
		return nil, resp, err
	}
	return &acsClient{conn: conn, ts: map[string]time.Time{}}, resp, nil
}

func (c *acsClient) sendText(t *testing.T, text string) error {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	return c.conn.Write(ctx, websocket.MessageText, []byte(text))
}

func (c *acsClient) send(t *testing.T, m acs.StreamingMessage) {
	t.Helper()
	b, err := json.Marshal(m)
	require.NoError(t, err)
	require.NoError(t, c.sendText(t, string(b)))
}

func (c *acsClient) metadata(t *testing.T, rate dtmf.SampleRate) {
	t.Helper()
	c.rate = rate
	c.send(t, acs.StreamingMessage{Kind: acs.KindAudioMetadata, AudioMetadata: &acs.AudioMetadata{
		SubscriptionID: "89e8cb59-b991-48b0-b154-1db84f16a077", Encoding: "PCM",
		SampleRate: int(rate), Channels: 1, Length: int(rate) / 25}})
}

// packets returns pcm as 20 ms AudioData messages of participant, with
// timestamps that go on from the participant's last; silent packets are
// marked so.
func (c *acsClient) packets(participant string, pcm []int16) []acs.StreamingMessage {
	n := int(c.rate / 50)
	ts, ok := c.ts[participant]
	if !ok {
		ts = streamStart
	}
	var out []acs.StreamingMessage
	for i := 0; i < len(pcm); i += n {
		frame := pcm[i:min(i+n, len(pcm))]
		data := make([]byte, 0, 2*len(frame))
		silent := true
		for _, v := range frame {
			data = append(data, byte(v), byte(uint16(v)>>8))
			silent = silent && v == 0
		}
		out = append(out, acs.StreamingMessage{Kind: acs.KindAudioData, AudioData: &acs.AudioData{
			Timestamp: acs.FormatTimestamp(ts), ParticipantRawID: participant, Data: data, Silent: silent}})
		ts = ts.Add(c.rate.D(int64(len(frame))))
	}
	c.ts[participant] = ts
	return out
}

func (c *acsClient) audio(t *testing.T, participant string, pcm []int16) {
	t.Helper()
	for _, m := range c.packets(participant, pcm) {
		c.send(t, m)
	}
}

// closeNormally ends the socket with 1000.
func (c *acsClient) closeNormally() { _ = c.conn.Close(websocket.StatusNormalClosure, "done") }

// readClose reads until the server closes the socket and returns the
// close error.
func readClose(t *testing.T, conn *websocket.Conn) websocket.CloseError {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	for {
		_, _, err := conn.Read(ctx)
		if err != nil {
			var ce websocket.CloseError
			require.ErrorAs(t, err, &ce, "the server closes with a status")
			return ce
		}
	}
}

// graphClient plays a Graph media relay into the server.
type graphClient struct {
	conn *websocket.Conn
}

func (e *env) dialGraph(t *testing.T, call string, query url.Values) *graphClient {
	t.Helper()
	u := "ws" + strings.TrimPrefix(e.url, "http") + "/graph/calls/" + call + "/media"
	if len(query) > 0 {
		u += "?" + query.Encode()
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	conn, resp, err := websocket.Dial(ctx, u, &websocket.DialOptions{HTTPHeader: http.Header{"Authorization": {"Bearer " + token}}, HTTPClient: e.client})
	require.NoError(t, err, "%v", resp)
	return &graphClient{conn: conn}
}

// audio sends pcm as 640-byte binary messages.
func (c *graphClient) audio(t *testing.T, pcm []int16) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	for i := 0; i < len(pcm); i += 320 {
		frame := pcm[i:min(i+320, len(pcm))]
		b := make([]byte, 0, 2*len(frame))
		for _, v := range frame {
			b = append(b, byte(v), byte(uint16(v)>>8))
		}
		require.NoError(t, c.conn.Write(ctx, websocket.MessageBinary, b))
	}
}

// checkGolden compares the bodies, one JSON document per line as
// received, with testdata/golden/name, or rewrites it under -update.
func checkGolden(t *testing.T, name string, bodies [][]byte) {
	t.Helper()
	var got []byte
	for _, b := range bodies {
		got = append(append(got, b...), '\n')
	}
	path := filepath.Join("testdata", "golden", name)
	if *update {
		require.NoError(t, os.MkdirAll(filepath.Dir(path), 0o755))
		require.NoError(t, os.WriteFile(path, got, 0o644))
		return
	}
	want, err := os.ReadFile(path)
	require.NoError(t, err)
	require.Equal(t, string(want), string(got), "golden %s (rerun with -update if the change is intended)", name)
}

// metric returns the value of a counter or gauge with the given labels
// from the registry.
func (e *env) metric(t *testing.T, name string, labels map[string]string) float64 {
	t.Helper()
	mfs, err := e.reg.Gather()
	require.NoError(t, err)
	sum := 0.0
	for _, mf := range mfs {
		if mf.GetName() != name {
			continue
		}
	next:
		for _, m := range mf.GetMetric() {
			have := map[string]string{}
			for _, lp := range m.GetLabel() {
				have[lp.GetName()] = lp.GetValue()
			}
			for k, v := range labels {
				if have[k] != v {
					continue next
				}
			}
			switch {
			case m.GetCounter() != nil:
				sum += m.GetCounter().GetValue()
			case m.GetGauge() != nil:
				sum += m.GetGauge().GetValue()
			case m.GetHistogram() != nil:
				sum += float64(m.GetHistogram().GetSampleCount())
			}
		}
	}
	return sum
}
