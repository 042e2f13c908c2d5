package bridge_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/dtmfkit/dtmfkit/bridge"
	"github.com/dtmfkit/dtmfkit/internal/dtmftest"
)

// note is what the test servers record of a request.
type note struct {
	Call string `json:"call"`
	Seq  int64  `json:"seq"`
}

func notification(call string, seq int64, url string) bridge.Notification {
	body, _ := json.Marshal(note{Call: call, Seq: seq})
	return bridge.Notification{CallID: call, URL: url, SequenceID: seq, Body: body}
}

func fastConfig(url string) bridge.WebhookConfig {
	return bridge.WebhookConfig{URL: url, Timeout: 2 * time.Second, MinBackoff: time.Millisecond,
		MaxBackoff: 5 * time.Millisecond, Rand: rand.New(rand.NewPCG(1, 1))}
}

func TestWebhookDelivers(t *testing.T) {
	dtmftest.CheckGoroutines(t)
	var mu sync.Mutex
	var got []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		mu.Lock()
		got = append(got, r.Method+" "+r.URL.Path+" "+r.Header.Get("Content-Type")+" "+string(body))
		mu.Unlock()
		w.WriteHeader(http.StatusAccepted)
	}))
	defer srv.Close()

	wh, err := bridge.NewWebhook(context.Background(), fastConfig(srv.URL+"/default"))
	require.NoError(t, err)
	require.NoError(t, wh.Deliver(context.Background(), notification("a", 1, "")))
	require.NoError(t, wh.Deliver(context.Background(), notification("a", 2, srv.URL+"/op")))
	require.NoError(t, wh.Close(context.Background()))
	assert.Equal(t, []string{
		`POST /default application/json {"call":"a","seq":1}`,
		`POST /op application/json {"call":"a","seq":2}`,
	}, got)
	assert.ErrorIs(t, wh.Deliver(context.Background(), notification("a", 3, "")), bridge.ErrClosed)
	assert.NoError(t, wh.Close(context.Background()), "Close twice")
}

// TestWebhookFailsStallsRecovers runs a callback that answers 500, then
// stalls past the attempt timeout, then recovers, with random failures
// throughout: every notification must arrive, in order per call (a retry
// may repeat the latest one), and Close must leave nothing behind.
func TestWebhookFailsStallsRecovers(t *testing.T) {
	dtmftest.CheckGoroutines(t)
	const calls, perCall = 4, 40
	rng := rand.New(rand.NewPCG(1, 1))
	var mu sync.Mutex
	requests := 0
	received := map[string][]int64{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var n note
		if err := json.NewDecoder(r.Body).Decode(&n); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		mu.Lock()
		requests++
		k, roll := requests, rng.Float64()
		mu.Unlock()
		switch {
		case k <= 20 || roll < 0.15: // failing, at first and now and then
			w.WriteHeader(http.StatusServiceUnavailable)
		case k <= 30 || roll < 0.2: // stalling: takes the request, never answers in time
			mu.Lock()
			received[n.Call] = append(received[n.Call], n.Seq)
			mu.Unlock()
			select {
			case <-r.Context().Done():
			case <-time.After(5 * time.Second):
			}
		default: // recovered
			mu.Lock()
			received[n.Call] = append(received[n.Call], n.Seq)
			mu.Unlock()
			w.WriteHeader(http.StatusOK)
		}
	}))
	defer srv.Close()

	cfg := fastConfig(srv.URL)
	cfg.Timeout = 50 * time.Millisecond
	cfg.MaxAttempts = 1000
	var failures []error
	cfg.OnError = func(_ bridge.Notification, err error) {
		mu.Lock()
		failures = append(failures, err)
		mu.Unlock()
	}
	wh, err := bridge.NewWebhook(context.Background(), cfg)
	require.NoError(t, err)

	var wg sync.WaitGroup
	for c := range calls {
		wg.Add(1)
		go func() {
			defer wg.Done()
			call := fmt.Sprintf("call-%d", c)
			for seq := int64(1); seq <= perCall; seq++ {
				assert.NoError(t, wh.Deliver(context.Background(), notification(call, seq, "")))
			}
		}()
	}
	wg.Wait()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	require.NoError(t, wh.Close(ctx))
	assert.Zero(t, wh.Pending())

	mu.Lock()
	defer mu.Unlock()
	assert.Empty(t, failures)
	assert.Greater(t, requests, calls*perCall, "the server did fail and stall")
	for c := range calls {
		got := received[fmt.Sprintf("call-%d", c)]
		// A receiver drops a sequence id it has had. A repeat may come
		// after later ones (an attempt that timed out at the sender can be
		// handled, on its own connection, after the retry and what
		// followed); first arrivals come in order.
		var dedup []int64
		seen := map[int64]bool{}
		for _, s := range got {
			if !seen[s] {
				seen[s] = true
				dedup = append(dedup, s)
			}
		}
		want := make([]int64, perCall)
		for i := range want {
			want[i] = int64(i + 1)
		}
		assert.Equal(t, want, dedup, "call %d: every notification, once deduplicated", c)
	}
}

// blockingServer holds every request until release is closed.
func blockingServer(t *testing.T) (srv *httptest.Server, release func(), count func() int) {
	t.Helper()
	ch := make(chan struct{})
	var once sync.Once
	var mu sync.Mutex
	n := 0
	srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		n++
		mu.Unlock()
		select {
		case <-ch:
		case <-r.Context().Done():
		}
	}))
	release = func() { once.Do(func() { close(ch) }) }
	t.Cleanup(func() { release(); srv.Close() })
	return srv, release, func() int { mu.Lock(); defer mu.Unlock(); return n }
}

func TestWebhookQueueFull(t *testing.T) {
	dtmftest.CheckGoroutines(t)
	srv, release, count := blockingServer(t)
	cfg := fastConfig(srv.URL)
	cfg.QueueSize = 3
	wh, err := bridge.NewWebhook(context.Background(), cfg)
	require.NoError(t, err)
	for i := range 3 {
		require.NoError(t, wh.Deliver(context.Background(), notification("a", int64(i+1), "")))
	}
	err = wh.Deliver(context.Background(), notification("b", 1, ""))
	require.ErrorIs(t, err, bridge.ErrQueueFull, "overflow is the caller's to handle")
	assert.Equal(t, 3, wh.Pending())
	release()
	require.NoError(t, wh.Close(context.Background()))
	assert.Equal(t, 3, count())
}

// TestWebhookCallQueueSize: a call whose callback hangs fills only its
// own share of the queue; the other calls' notifications are still taken
// and delivered.
func TestWebhookCallQueueSize(t *testing.T) {
	dtmftest.CheckGoroutines(t)
	stuck, release, _ := blockingServer(t)
	var mu sync.Mutex
	var got []int64
	ok := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var n note
		_ = json.NewDecoder(r.Body).Decode(&n)
		mu.Lock()
		got = append(got, n.Seq)
		mu.Unlock()
	}))
	defer ok.Close()
	cfg := fastConfig("")
	cfg.QueueSize, cfg.CallQueueSize = 8, 3
	wh, err := bridge.NewWebhook(context.Background(), cfg)
	require.NoError(t, err)
	taken := 0
	for i := range 10 {
		if err = wh.Deliver(context.Background(), notification("stuck", int64(i+1), stuck.URL)); err == nil {
			taken++
		}
	}
	require.ErrorIs(t, err, bridge.ErrQueueFull)
	assert.Contains(t, err.Error(), `3 notifications pending for call "stuck"`)
	assert.Equal(t, 3, taken)
	for i := range 5 { // one at a time: "fine" has a share of 3 as well
		require.NoError(t, wh.Deliver(context.Background(), notification("fine", int64(i+1), ok.URL)), "seq %d", i+1)
		require.Eventually(t, func() bool { mu.Lock(); defer mu.Unlock(); return len(got) == i+1 }, 5*time.Second, time.Millisecond)
	}
	release()
	require.NoError(t, wh.Close(context.Background()))
	assert.Equal(t, []int64{1, 2, 3, 4, 5}, got)
}

func TestWebhookGivesUpAndReports(t *testing.T) {
	for _, tt := range []struct {
		name     string
		status   int
		attempts int
	}{
		{"5xx retried until MaxAttempts", http.StatusInternalServerError, 3},
		{"429 retried", http.StatusTooManyRequests, 3},
		{"4xx not retried", http.StatusNotFound, 1},
	} {
		t.Run(tt.name, func(t *testing.T) {
			dtmftest.CheckGoroutines(t)
			var mu sync.Mutex
			hits := 0
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				mu.Lock()
				hits++
				mu.Unlock()
				w.WriteHeader(tt.status)
			}))
			defer srv.Close()
			cfg := fastConfig(srv.URL)
			cfg.MaxAttempts = 3
			var given []bridge.Notification
			var errs []error
			cfg.OnError = func(n bridge.Notification, err error) { given, errs = append(given, n), append(errs, err) }
			wh, err := bridge.NewWebhook(context.Background(), cfg)
			require.NoError(t, err)
			require.NoError(t, wh.Deliver(context.Background(), notification("a", 1, "")))
			require.NoError(t, wh.Deliver(context.Background(), notification("a", 2, "")))
			err = wh.Close(context.Background())
			require.Error(t, err)
			assert.Contains(t, err.Error(), "2 notifications not delivered")
			var se *bridge.StatusError
			require.ErrorAs(t, err, &se)
			assert.Equal(t, tt.status, se.StatusCode)
			require.Len(t, given, 2, "each failure reported")
			assert.Equal(t, []int64{1, 2}, []int64{given[0].SequenceID, given[1].SequenceID})
			assert.Equal(t, 2*tt.attempts, hits)
			var de *bridge.DeliveryError
			require.ErrorAs(t, errs[0], &de)
			assert.Equal(t, tt.attempts, de.Attempts)
			assert.False(t, de.Abandoned)
			assert.Equal(t, srv.URL, de.URL)
			assert.NotContains(t, err.Error(), "bridge: webhook: POST", "one package prefix")
		})
	}
}

func TestWebhookCloseDeadline(t *testing.T) {
	dtmftest.CheckGoroutines(t)
	srv, _, count := blockingServer(t)
	cfg := fastConfig(srv.URL)
	cfg.Timeout = time.Minute
	var mu sync.Mutex
	var abandoned []error
	cfg.OnError = func(_ bridge.Notification, err error) { mu.Lock(); abandoned = append(abandoned, err); mu.Unlock() }
	wh, err := bridge.NewWebhook(context.Background(), cfg)
	require.NoError(t, err)
	for i := range 5 {
		require.NoError(t, wh.Deliver(context.Background(), notification("a", int64(i+1), "")))
	}
	require.NoError(t, wh.Deliver(context.Background(), notification("b", 1, "")))
	require.Eventually(t, func() bool { return count() == 2 }, 5*time.Second, time.Millisecond)

	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	start := time.Now()
	err = wh.Close(ctx)
	require.Error(t, err)
	assert.Less(t, time.Since(start), 5*time.Second)
	assert.Contains(t, err.Error(), "6 notifications not delivered")
	assert.Len(t, abandoned, 6, "nothing dropped silently")
	var de *bridge.DeliveryError
	require.ErrorAs(t, abandoned[0], &de)
	assert.True(t, de.Abandoned)
	assert.Zero(t, wh.Pending())
}

func TestWebhookContextEndsIt(t *testing.T) {
	dtmftest.CheckGoroutines(t)
	srv, _, count := blockingServer(t)
	ctx, cancel := context.WithCancel(context.Background())
	var mu sync.Mutex
	var abandoned int
	cfg := fastConfig(srv.URL)
	cfg.OnError = func(bridge.Notification, error) { mu.Lock(); abandoned++; mu.Unlock() }
	wh, err := bridge.NewWebhook(ctx, cfg)
	require.NoError(t, err)
	require.NoError(t, wh.Deliver(context.Background(), notification("a", 1, "")))
	require.NoError(t, wh.Deliver(context.Background(), notification("a", 2, "")))
	require.Eventually(t, func() bool { return count() == 1 }, 5*time.Second, time.Millisecond)
	cancel()
	require.Eventually(t, func() bool { return wh.Pending() == 0 }, 5*time.Second, time.Millisecond)
	assert.ErrorIs(t, wh.Deliver(context.Background(), notification("a", 3, "")), bridge.ErrClosed)
	err = wh.Close(context.Background())
	require.ErrorIs(t, err, context.Canceled)
	assert.Equal(t, 2, abandoned)
}

func TestWebhookConfigErrors(t *testing.T) {
	_, err := bridge.NewWebhook(context.Background(), bridge.WebhookConfig{URL: "not a url"})
	assert.Error(t, err)
	_, err = bridge.NewWebhook(context.Background(), bridge.WebhookConfig{QueueSize: -1})
	assert.Error(t, err)
	_, err = bridge.NewWebhook(context.Background(), bridge.WebhookConfig{MaxConnsPerHost: -1})
	assert.Error(t, err)
	wh, err := bridge.NewWebhook(context.Background(), bridge.WebhookConfig{})
	require.NoError(t, err)
	assert.Error(t, wh.Deliver(context.Background(), notification("a", 1, "")), "no URL anywhere")
	require.NoError(t, wh.Close(context.Background()))
}

// TestWebhookWithCalls wires a call to a webhook end to end: keys pressed
// on two calls reach the callback in order with their sequence ids.
func TestWebhookWithCalls(t *testing.T) {
	dtmftest.CheckGoroutines(t)
	var mu sync.Mutex
	got := map[string][]string{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		mu.Lock()
		got[r.URL.Path] = append(got[r.URL.Path], string(body))
		mu.Unlock()
	}))
	defer srv.Close()
	wh, err := bridge.NewWebhook(context.Background(), fastConfig(""))
	require.NoError(t, err)
	ctx := context.Background()
	for _, id := range []string{"g1", "g2"} {
		c, err := bridge.NewGraphCall(bridge.Config{CallID: id, CallbackURI: srv.URL + "/" + id, Sink: wh})
		require.NoError(t, err)
		_, err = c.SubscribeToTone(graphSubscribe)
		require.NoError(t, err)
		for i, d := range "159#" {
			require.NoError(t, c.HandleEvent(ctx, keyDown(dtmfDigit(d), int64(i)*8000)))
		}
	}
	require.NoError(t, wh.Close(ctx))
	for _, id := range []string{"g1", "g2"} {
		require.Len(t, got["/"+id], 4)
		for i, body := range got["/"+id] {
			seq, _ := seqTone(t, bridge.Notification{Body: []byte(body)})
			assert.EqualValues(t, i+1, seq)
		}
	}
}

// TestIssue6WebhookReusesConnections delivers a burst over many calls: the
// Webhook's own client keeps its connections for the next notification.
// It used to keep net/http's default of two idle connections per host, so
// a burst opened and closed about one connection per notification.
func TestIssue6WebhookReusesConnections(t *testing.T) {
	for _, tt := range []struct {
		maxConns, want int
	}{
		{0, bridge.DefaultMaxConnsPerHost},
		{3, 3},
	} {
		t.Run(fmt.Sprint("MaxConnsPerHost=", tt.maxConns), func(t *testing.T) {
			dtmftest.CheckGoroutines(t)
			var conns atomic.Int64
			srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				time.Sleep(100 * time.Microsecond) // long enough for the calls to contend
			}))
			srv.Config.ConnState = func(_ net.Conn, s http.ConnState) {
				if s == http.StateNew {
					conns.Add(1)
				}
			}
			srv.Start()
			defer srv.Close()
			cfg := fastConfig(srv.URL)
			cfg.MaxConnsPerHost = tt.maxConns
			wh, err := bridge.NewWebhook(context.Background(), cfg)
			require.NoError(t, err)
			const calls, perCall = 200, 3
			for seq := range int64(perCall) {
				for c := range calls {
					require.NoError(t, wh.Deliver(context.Background(), notification(fmt.Sprint("call-", c), seq+1, "")))
				}
			}
			require.NoError(t, wh.Close(context.Background()))
			assert.LessOrEqual(t, conns.Load(), int64(tt.want), "connections for %d notifications", calls*perCall)
		})
	}
}
