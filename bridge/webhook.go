package bridge

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/dtmfkit/dtmfkit/bridge/acs"
)

// Errors a Webhook's Deliver returns; callers branch on them (for example
// to shed load on ErrQueueFull).
var (
	ErrQueueFull = errors.New("bridge: webhook queue is full")
	ErrClosed    = errors.New("bridge: webhook is closed")
)

// Defaults of [WebhookConfig].
const (
	DefaultQueueSize       = 1024
	DefaultTimeout         = 10 * time.Second
	DefaultMaxAttempts     = 6
	DefaultMinBackoff      = 250 * time.Millisecond
	DefaultMaxBackoff      = 30 * time.Second
	DefaultMaxConnsPerHost = 64
)

// WebhookConfig configures a [Webhook]. Zero fields take the defaults.
type WebhookConfig struct {
	// URL is the callback URI for notifications that name none.
	URL string
	// Client sends the requests. Default: a client of the Webhook's own,
	// whose idle connections Close closes.
	Client *http.Client
	// MaxConnsPerHost bounds the connections the Webhook's own client
	// keeps open to one callback host, busy or idle; further requests wait
	// for one of them (within Timeout). Default 64. It does not apply to a
	// Client given above.
	MaxConnsPerHost int
	// Timeout bounds each attempt, response included. Default 10 s.
	Timeout time.Duration
	// QueueSize bounds the notifications taken and not yet delivered or
	// given up, over all calls. Default 1024.
	QueueSize int
	// CallQueueSize bounds those of one call, so that a call whose
	// callback is down or slow cannot fill the queue for the others (a
	// server whose clients choose their callbacks wants it, and a
	// QueueSize of CallQueueSize times the calls). Default: QueueSize, no
	// bound of its own.
	CallQueueSize int
	// MaxAttempts is how often one notification is tried before it is
	// given up. Default 6.
	MaxAttempts int
	// MinBackoff and MaxBackoff bound the wait before a retry: it doubles
	// from MinBackoff up to MaxBackoff, and a random half of it is jitter.
	// Defaults 250 ms and 30 s.
	MinBackoff, MaxBackoff time.Duration
	// Rand draws the jitter; inject a seeded one for reproducible tests.
	// Default: the math/rand/v2 global source.
	Rand *rand.Rand
	// OnError, if set, is called (from a delivery goroutine) with each
	// notification given up, after its last attempt or at shutdown, and its
	// *DeliveryError. Either way Close reports the count.
	OnError func(Notification, error)
}

// StatusError is a callback's non-2xx answer, as the Err of a
// [DeliveryError].
type StatusError struct {
	StatusCode int
}

func (e *StatusError) Error() string {
	return "callback answered " + strconv.Itoa(e.StatusCode) + " " + http.StatusText(e.StatusCode)
}

// DeliveryError reports a notification the Webhook gave up on: after
// MaxAttempts, after an answer not worth retrying, or at shutdown
// (Abandoned).
type DeliveryError struct {
	URL       string
	Attempts  int
	Abandoned bool  // the Webhook's context ended, or Close's deadline passed
	Err       error // the last attempt's error: a *StatusError, a transport error, or the context's
}

func (e *DeliveryError) Error() string { return "bridge: webhook: " + e.detail() }

func (e *DeliveryError) detail() string {
	how := "gave up"
	if e.Abandoned {
		how = "abandoned at shutdown"
	}
	return fmt.Sprintf("POST %s: %s after %d attempts: %v", e.URL, how, e.Attempts, e.Err)
}

func (e *DeliveryError) Unwrap() error { return e.Err }

// closeError is Close's report of the notifications given up.
type closeError struct {
	n    int
	last *DeliveryError
}

func (e *closeError) Error() string {
	return fmt.Sprintf("bridge: webhook: %d notifications not delivered; last: %s", e.n, e.last.detail())
}

func (e *closeError) Unwrap() error { return e.last }

// Webhook is a Sink that POSTs each notification's body as JSON
// (Content-Type: application/json) to its callback URI.
//
// Delivery is at least once and in order per call: each call with
// notifications pending has one goroutine that sends them one at a time,
// retrying a failed or timed-out attempt (network error, 408, 429, 5xx)
// with exponential backoff and jitter; other 4xx answers are not retried.
// Receivers drop the duplicates a retry can cause by sequenceId (tone
// events) or operation id. Calls do not wait for each other.
//
// Deliver only queues. The queue is bounded, over all calls and, with
// CallQueueSize, per call: when it is full Deliver returns ErrQueueFull,
// and the caller decides. A notification that cannot
// be delivered is reported to OnError and counted in Close's error; none is
// dropped silently. The context given to NewWebhook bounds the Webhook's
// life: once it is done, nothing more is attempted and what is pending is
// reported as failed. Close drains the queue and waits for every goroutine.
type Webhook struct {
	cfg       WebhookConfig
	ownClient bool
	ctx       context.Context
	cancel    context.CancelFunc
	randMu    sync.Mutex

	mu      sync.Mutex
	queues  map[string][]Notification // per call; a key is present while its goroutine runs
	queued  int
	closed  bool
	failed  int
	lastErr *DeliveryError
	wg      sync.WaitGroup
}

// NewWebhook returns a Webhook that lives until ctx is done or Close is
// called.
func NewWebhook(ctx context.Context, cfg WebhookConfig) (*Webhook, error) {
	if cfg.URL != "" {
		if err := checkURL(cfg.URL); err != nil {
			return nil, err
		}
	}
	if cfg.Timeout < 0 || cfg.QueueSize < 0 || cfg.CallQueueSize < 0 || cfg.MaxAttempts < 0 || cfg.MinBackoff < 0 ||
		cfg.MaxBackoff < 0 || cfg.MaxConnsPerHost < 0 {
		return nil, errors.New("bridge: webhook settings must not be negative")
	}
	w := &Webhook{cfg: cfg, queues: make(map[string][]Notification)}
	w.cfg.Timeout = orDefault(cfg.Timeout, DefaultTimeout)
	w.cfg.QueueSize = orDefault(cfg.QueueSize, DefaultQueueSize)
	w.cfg.CallQueueSize = min(orDefault(cfg.CallQueueSize, w.cfg.QueueSize), w.cfg.QueueSize)
	w.cfg.MaxAttempts = orDefault(cfg.MaxAttempts, DefaultMaxAttempts)
	w.cfg.MinBackoff = orDefault(cfg.MinBackoff, DefaultMinBackoff)
	w.cfg.MaxBackoff = max(orDefault(cfg.MaxBackoff, DefaultMaxBackoff), w.cfg.MinBackoff)
	w.cfg.MaxConnsPerHost = orDefault(cfg.MaxConnsPerHost, DefaultMaxConnsPerHost)
	if w.cfg.Client == nil {
		// Keep as many connections idle as may be busy: with net/http's
		// default of 2 idle per host, a burst over many calls opens and
		// closes a connection (and a TLS session) per notification, and
		// leaves the sockets in TIME_WAIT by the thousand.
		tr := http.DefaultTransport.(*http.Transport).Clone()
		tr.MaxConnsPerHost = w.cfg.MaxConnsPerHost
		tr.MaxIdleConnsPerHost = w.cfg.MaxConnsPerHost
		tr.MaxIdleConns = max(tr.MaxIdleConns, w.cfg.MaxConnsPerHost)
		w.cfg.Client = &http.Client{Transport: tr}
		w.ownClient = true
	}
	w.ctx, w.cancel = context.WithCancel(ctx)
	return w, nil
}

func orDefault[T int | time.Duration](v, def T) T {
	if v == 0 {
		return def
	}
	return v
}

func checkURL(s string) error {
	if err := acs.CheckCallbackURI(s); err != nil {
		return fmt.Errorf("bridge: webhook URL: %w", err)
	}
	return nil
}

// Deliver queues n for delivery to n.URL, or the configured URL if n.URL
// is empty. It does not wait for the delivery; it returns ErrQueueFull if
// the queue is full, ErrClosed after Close or once the Webhook's context is
// done, and an error if there is no URL. ctx is not used: queuing never
// blocks.
func (w *Webhook) Deliver(_ context.Context, n Notification) error {
	if n.URL == "" {
		n.URL = w.cfg.URL
	}
	if n.URL == "" {
		return errors.New("bridge: webhook: notification has no callback URL and no default is set")
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	switch {
	case w.closed || w.ctx.Err() != nil:
		return ErrClosed
	case w.queued >= w.cfg.QueueSize:
		return fmt.Errorf("%w (%d notifications pending)", ErrQueueFull, w.queued)
	}
	q, running := w.queues[n.CallID]
	if len(q) >= w.cfg.CallQueueSize {
		return fmt.Errorf("%w (%d notifications pending for call %q)", ErrQueueFull, len(q), n.CallID)
	}
	w.queues[n.CallID] = append(q, n)
	w.queued++
	if !running {
		w.wg.Add(1)
		go w.run(n.CallID)
	}
	return nil
}

// run delivers the queue of one call, in order, until it is empty.
func (w *Webhook) run(callID string) {
	defer w.wg.Done()
	for {
		w.mu.Lock()
		q := w.queues[callID]
		if len(q) == 0 {
			delete(w.queues, callID)
			w.mu.Unlock()
			return
		}
		n := q[0]
		w.mu.Unlock()

		err := w.send(n)

		w.mu.Lock()
		q = w.queues[callID]
		q[0] = Notification{} // let the body be collected
		w.queues[callID] = q[1:]
		w.queued--
		if err != nil {
			w.failed++
			w.lastErr = err
		}
		w.mu.Unlock()
		if err != nil && w.cfg.OnError != nil {
			w.cfg.OnError(n, err)
		}
	}
}

// send tries n until it is delivered, gives up, or the Webhook's context
// is done.
func (w *Webhook) send(n Notification) *DeliveryError {
	var err error
	for attempt := 1; ; attempt++ {
		if ctxErr := w.ctx.Err(); ctxErr != nil {
			return &DeliveryError{URL: n.URL, Attempts: attempt - 1, Abandoned: true, Err: errors.Join(ctxErr, err)}
		}
		var retry bool
		if retry, err = w.post(n); err == nil {
			return nil
		}
		if !retry || attempt == w.cfg.MaxAttempts {
			return &DeliveryError{URL: n.URL, Attempts: attempt, Err: err}
		}
		t := time.NewTimer(w.backoff(attempt))
		select {
		case <-t.C:
		case <-w.ctx.Done():
			t.Stop()
		}
	}
}

// post makes one attempt and says whether a failure is worth retrying.
func (w *Webhook) post(n Notification) (retry bool, err error) {
	ctx, cancel := context.WithTimeout(w.ctx, w.cfg.Timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, n.URL, bytes.NewReader(n.Body))
	if err != nil {
		return false, err
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := w.cfg.Client.Do(req)
	if err != nil {
		return true, err
	}
	// Drain a little so the connection can be reused.
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	_ = resp.Body.Close()
	switch c := resp.StatusCode; {
	case c >= 200 && c < 300:
		return false, nil
	case c == http.StatusRequestTimeout || c == http.StatusTooManyRequests || c >= 500:
		return true, &StatusError{StatusCode: c}
	default:
		return false, &StatusError{StatusCode: c}
	}
}

// backoff returns the wait after the given failed attempt: half of
// min(MaxBackoff, MinBackoff·2^(attempt−1)) plus a random part of the
// other half ("equal jitter").
func (w *Webhook) backoff(attempt int) time.Duration {
	d := w.cfg.MinBackoff
	for i := 1; i < attempt && d < w.cfg.MaxBackoff; i++ {
		d *= 2
	}
	d = min(d, w.cfg.MaxBackoff)
	var f float64
	if w.cfg.Rand != nil {
		w.randMu.Lock()
		f = w.cfg.Rand.Float64()
		w.randMu.Unlock()
	} else {
		f = rand.Float64()
	}
	return d/2 + time.Duration(f*float64(d/2))
}

// Pending returns the number of notifications queued and not yet
// delivered or given up.
func (w *Webhook) Pending() int {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.queued
}

// Close stops taking notifications, delivers those queued, and returns
// when every delivery goroutine has ended. If ctx is done first, pending
// attempts are cut short and what is left is reported as failed. The error
// counts the notifications given up over the Webhook's life (nil if none).
// Calling Close again returns the same count.
func (w *Webhook) Close(ctx context.Context) error {
	w.mu.Lock()
	w.closed = true
	w.mu.Unlock()

	done := make(chan struct{})
	go func() {
		w.wg.Wait()
		close(done)
	}()
	select {
	case <-done:
	case <-ctx.Done():
		w.cancel()
		<-done
	}
	w.cancel()
	if w.ownClient {
		w.cfg.Client.CloseIdleConnections()
	}

	w.mu.Lock()
	defer w.mu.Unlock()
	if w.failed > 0 {
		return &closeError{n: w.failed, last: w.lastErr}
	}
	return nil
}
