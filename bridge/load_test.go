package bridge_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/dtmfkit/dtmfkit/bridge"
	"github.com/dtmfkit/dtmfkit/bridge/acs"
	"github.com/dtmfkit/dtmfkit/dtmf"
	"github.com/dtmfkit/dtmfkit/internal/dtmftest"
)

// flakyReceiver is a loopback callback receiver that is slow (each request
// takes up to maxDelay), answers a share of requests with 503, takes a
// share and then drops the connection without an answer, and can be
// restarted on the same address. It records the sequenceIds it takes per
// call (the URL path), in arrival order.
type flakyReceiver struct {
	failRate float64 // answered 503
	loseRate float64 // taken, then the connection is closed unanswered
	maxDelay time.Duration

	mu       sync.Mutex
	rng      *rand.Rand
	addr     string
	srv      *http.Server
	served   chan struct{} // closed when srv's Serve returns
	gen      int           // incremented by each start
	accepted []int         // per generation
	requests int
	conns    atomic.Int64 // connections accepted
	got      map[string][]int64
	bad      []string // bodies that are not one tone notification
	onCount  func(accepted int)
}

func newFlakyReceiver(t *testing.T, failRate, loseRate float64, maxDelay time.Duration) *flakyReceiver {
	t.Helper()
	r := &flakyReceiver{failRate: failRate, loseRate: loseRate, maxDelay: maxDelay,
		rng: rand.New(rand.NewPCG(6, 6)), got: map[string][]int64{}}
	require.NoError(t, r.start())
	t.Cleanup(r.stop)
	return r
}

// start serves on r.addr, or a new loopback port the first time.
func (r *flakyReceiver) start() error {
	addr := r.addr
	if addr == "" {
		addr = "127.0.0.1:0"
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	ln = &countingListener{Listener: ln, n: &r.conns}
	srv := &http.Server{Handler: r, ReadHeaderTimeout: 10 * time.Second}
	served := make(chan struct{})
	go func() {
		defer close(served)
		_ = srv.Serve(ln)
	}()
	r.mu.Lock()
	defer r.mu.Unlock()
	r.addr, r.srv, r.served = ln.Addr().String(), srv, served
	r.gen++
	r.accepted = append(r.accepted, 0)
	return nil
}

// stop closes the listener and every connection, answered or not.
func (r *flakyReceiver) stop() {
	r.mu.Lock()
	srv, served := r.srv, r.served
	r.mu.Unlock()
	_ = srv.Close()
	<-served
}

// restart stops the receiver and starts it again on the same address
// after down: connections in flight break, and new ones are refused.
func (r *flakyReceiver) restart(down time.Duration) error {
	r.stop()
	time.Sleep(down)
	return r.start()
}

func (r *flakyReceiver) URL(call string) string { return "http://" + r.addr + "/" + call }

func (r *flakyReceiver) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	body, err := io.ReadAll(req.Body)
	if err != nil {
		return // the client went away
	}
	seq, _, perr := toneOf(body)
	call := strings.TrimPrefix(req.URL.Path, "/")
	r.mu.Lock()
	r.requests++
	roll := r.rng.Float64()
	fail, lose := roll < r.failRate, roll >= 1-r.loseRate
	delay := time.Duration(r.rng.Int64N(int64(r.maxDelay) + 1))
	var accepted int
	switch {
	case perr != nil:
		r.bad = append(r.bad, fmt.Sprintf("%s: %v", body, perr))
		fail = true
	case !fail:
		// Taken before the delay: if the answer is lost (a timeout, the
		// restart), the retry is a duplicate, as a real receiver sees.
		r.got[call] = append(r.got[call], seq)
		r.accepted[r.gen-1]++
		for _, n := range r.accepted {
			accepted += n
		}
	}
	onCount := r.onCount
	r.mu.Unlock()
	if !fail && onCount != nil {
		onCount(accepted)
	}
	time.Sleep(delay)
	switch {
	case fail:
		w.WriteHeader(http.StatusServiceUnavailable)
	case lose:
		if conn, _, err := http.NewResponseController(w).Hijack(); err == nil {
			_ = conn.Close()
		}
	default:
		w.WriteHeader(http.StatusNoContent)
	}
}

// TestWebhookUnderLoad runs 1,000 calls, half Graph and half ACS, each
// pressing a burst of 5 keys all at once, through one Webhook into a
// loopback receiver that is slow, fails 30% of requests, loses the answer
// to 2% more, and restarts once. The Webhook's queue holds a third of the
// burst: overflow must come back to the caller as ErrQueueFull, which the
// caller retries, as a Detector does. Every notification must arrive, in
// order per call with no gap in sequenceIds, repeated only as a retry can
// repeat it (the same sequenceId again); the queue, the heap, the
// connections and the requests must stay bounded, nothing may be given up,
// and every goroutine must end. Backoff and timeouts are cut to
// milliseconds so that it takes a few seconds.
func TestWebhookUnderLoad(t *testing.T) {
	dtmftest.CheckGoroutines(t)
	const (
		calls     = 1000
		keys      = 5
		total     = calls * keys
		queueSize = total / 3
	)
	recv := newFlakyReceiver(t, 0.3, 0.02, 2*time.Millisecond)

	runtime.GC()
	var before runtime.MemStats
	runtime.ReadMemStats(&before)
	sampler := startSampler()

	var failures atomic.Int64
	cfg := bridge.WebhookConfig{
		Timeout:     5 * time.Second,
		QueueSize:   queueSize,
		MaxAttempts: 1000, // 0.3^1000: no notification is given up by chance
		MinBackoff:  time.Millisecond,
		MaxBackoff:  20 * time.Millisecond,
		Rand:        rand.New(rand.NewPCG(1, 1)),
		OnError:     func(bridge.Notification, error) { failures.Add(1) },
	}
	wh, err := bridge.NewWebhook(context.Background(), cfg)
	require.NoError(t, err)

	// Restart the receiver once a third of the notifications are in.
	third := make(chan struct{})
	var once sync.Once
	recv.mu.Lock()
	recv.onCount = func(n int) {
		if n >= total/3 {
			once.Do(func() { close(third) })
		}
	}
	recv.mu.Unlock()
	type restart struct {
		pending int // notifications pending at the restart
		err     error
	}
	restarted := make(chan restart, 1)
	done := make(chan struct{})
	defer close(done)
	go func() {
		select {
		case <-third:
		case <-done:
			return
		}
		pending := wh.Pending()
		restarted <- restart{pending, recv.restart(20 * time.Millisecond)}
	}()

	var (
		full     atomic.Int64 // ErrQueueFull answers
		maxQueue atomic.Int64
		wg       sync.WaitGroup
		start    = make(chan struct{})
	)
	ctx := context.Background()
	deadline := time.Now().Add(time.Minute)
	for i := range calls {
		c := newLoadCall(t, i, recv.URL(fmt.Sprintf("call-%d", i)), wh)
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			for k := range keys {
				ev := dtmf.Event{Digit: dtmf.Digit("0123456789*#ABCD"[(i+k)%16]), Kind: dtmf.KeyDown, Start: int64(k) * 1600, Detected: int64(k)*1600 + 400}
				for {
					err := c.HandleEvent(ctx, ev)
					if err == nil {
						break
					}
					if !errors.Is(err, bridge.ErrQueueFull) || time.Now().After(deadline) {
						t.Errorf("call %d, key %d: %v", i, k, err)
						return
					}
					full.Add(1)
					time.Sleep(time.Millisecond) // the queue drains at the receiver's pace
				}
				for n := int64(wh.Pending()); ; {
					if m := maxQueue.Load(); n <= m || maxQueue.CompareAndSwap(m, n) {
						break
					}
				}
			}
		}()
	}
	close(start)
	wg.Wait()
	closeCtx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	require.NoError(t, wh.Close(closeCtx), "nothing given up")
	rs := <-restarted
	require.NoError(t, rs.err, "restart")
	pendingAtRestart := rs.pending
	peak := sampler.stop()
	recv.stop()

	recv.mu.Lock()
	defer recv.mu.Unlock()
	assert.Empty(t, recv.bad, "every body is one tone notification")
	assert.Zero(t, failures.Load(), "OnError")
	assert.Positive(t, full.Load(), "the queue overflowed, and said so")
	assert.LessOrEqual(t, maxQueue.Load(), int64(queueSize), "the queue bound")
	assert.Positive(t, pendingAtRestart, "the restart came mid-delivery")
	require.Len(t, recv.accepted, 2)
	assert.Positive(t, recv.accepted[1], "delivery went on after the restart")
	assert.Less(t, recv.requests, 2*total, "retries are bounded: about 1/0.68 requests per notification")
	// Connections are kept and reused: one per lost answer, and at most
	// DefaultMaxConnsPerHost before and after the restart.
	assert.LessOrEqual(t, recv.conns.Load(), int64(2*bridge.DefaultMaxConnsPerHost+recv.requests/20), "connections")
	duplicates := 0 // at least one per lost answer
	for i := range calls {
		call := fmt.Sprintf("call-%d", i)
		got := recv.got[call]
		var dedup []int64
		for j, seq := range got {
			if j > 0 && seq == got[j-1] {
				duplicates++ // a retry of a notification whose answer was lost
				continue
			}
			dedup = append(dedup, seq)
		}
		if !assert.Equal(t, []int64{1, 2, 3, 4, 5}, dedup, "%s: every key once, in order (as received: %v)", call, got) {
			break
		}
	}
	assert.Positive(t, duplicates, "lost answers were retried")

	runtime.GC()
	var after runtime.MemStats
	runtime.ReadMemStats(&after)
	t.Logf("%d connections, %d requests for %d notifications, %d duplicates, %d ErrQueueFull, %d pending at the restart; peak %d goroutines, heap +%.1f MB at peak, %+.1f MB after",
		recv.conns.Load(), recv.requests, total, duplicates, full.Load(), pendingAtRestart, peak.goroutines,
		mb(peak.heap-before.HeapAlloc), mb(after.HeapAlloc-before.HeapAlloc))
	// What is left is what the test itself keeps (the receiver's record);
	// the Webhook keeps nothing once closed.
	assert.Less(t, int64(after.HeapAlloc)-int64(before.HeapAlloc), int64(4<<20), "heap after Close")
	assert.Less(t, peak.heap-before.HeapAlloc, uint64(256<<20), "heap at peak")
}

func mb(n uint64) float64 { return float64(int64(n)) / (1 << 20) }

// newLoadCall returns call i, a Graph call subscribed to tones (even i) or
// an ACS call recognising them (odd i), notifying url through sink.
func newLoadCall(t *testing.T, i int, url string, sink bridge.Sink) bridge.EventHandler {
	t.Helper()
	cfg := bridge.Config{CallID: fmt.Sprintf("call-%d", i), CallbackURI: url, Sink: sink, NewID: ids(), Clock: clock(time.Unix(0, 0))}
	if i%2 == 0 {
		c, err := bridge.NewGraphCall(cfg)
		require.NoError(t, err)
		_, err = c.SubscribeToTone(graphSubscribe)
		require.NoError(t, err)
		return c
	}
	c, err := bridge.NewACSCall(cfg)
	require.NoError(t, err)
	require.NoError(t, c.StartContinuousDtmfRecognition(acs.ContinuousDtmfRecognitionRequest{TargetParticipant: target}))
	return c
}

// sampler records the peak heap and goroutine count until stopped.
type sampler struct {
	stopc chan struct{}
	done  chan peakUse
}

type peakUse struct {
	heap       uint64
	goroutines int
}

func startSampler() *sampler {
	s := &sampler{stopc: make(chan struct{}), done: make(chan peakUse)}
	go func() {
		var peak peakUse
		var ms runtime.MemStats
		tick := time.NewTicker(20 * time.Millisecond)
		defer tick.Stop()
		for {
			runtime.ReadMemStats(&ms)
			peak.heap = max(peak.heap, ms.HeapAlloc)
			peak.goroutines = max(peak.goroutines, runtime.NumGoroutine())
			select {
			case <-tick.C:
			case <-s.stopc:
				s.done <- peak
				return
			}
		}
	}()
	return s
}

func (s *sampler) stop() peakUse {
	close(s.stopc)
	return <-s.done
}

type countingListener struct {
	net.Listener
	n *atomic.Int64
}

func (l *countingListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err == nil {
		l.n.Add(1)
	}
	return c, err
}
