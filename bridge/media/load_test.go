package media_test

import (
	"context"
	"encoding/base64"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/url"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/coder/websocket"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/dtmfkit/dtmfkit/bridge/acs"
	"github.com/dtmfkit/dtmfkit/bridge/graph"
	"github.com/dtmfkit/dtmfkit/bridge/media"
	"github.com/dtmfkit/dtmfkit/dtmf"
	"github.com/dtmfkit/dtmfkit/dtmf/encoder"
	"github.com/dtmfkit/dtmfkit/internal/dtmftest"
)

// TestLoad runs 500 calls at once, half ACS and half Graph relays, each
// streaming 16 kHz audio with 8 keys as fast as the client can send it
// (far faster than real time: the test has no pacing), while the callback
// fails 20 % of requests. Every key must reach the callback, in order,
// with sequence ids 1-8 per call, none lost; a notification may arrive
// twice (delivery is at least once: an attempt answered after the
// webhook's timeout is tried again, which a loaded machine can cause, and
// the late attempt may even be handled after the next notification), and
// the receiver drops the repeat by its sequenceId. The heap must not
// grow from the middle of the streams to their end, and must come back
// once the calls are over; every goroutine must end. Under the race
// detector, which slows this code some tenfold, it runs 200 calls; the full
// size runs in `go test ./bridge/media -run Load` (make test runs it too).
func TestLoad(t *testing.T) {
	dtmftest.CheckGoroutines(t)
	loadSent.Store(0)
	calls, keys := 500, 8
	if raceEnabled {
		calls, keys = 200, 8
	}
	e := newEnv(t, 0.2, withLimits(media.Limits{MaxMessagesPerSecond: -1, IdleTimeout: time.Minute}))

	type callPlan struct {
		id, keys string
		graph    bool
	}
	rng := rand.New(rand.NewPCG(1, 1))
	plans := make([]callPlan, calls)
	for i := range plans {
		var b strings.Builder
		for range keys {
			b.WriteByte("0123456789*#ABCD"[rng.IntN(16)])
		}
		plans[i] = callPlan{id: fmt.Sprintf("load-%03d", i), keys: b.String(), graph: i%2 == 1}
	}

	runtime.GC()
	var base runtime.MemStats
	runtime.ReadMemStats(&base)

	// Each call streams its first half, waits for the others, streams the
	// rest, waits again, then closes: the heap is read at both barriers.
	var half, full, closed sync.WaitGroup
	half.Add(calls)
	full.Add(calls)
	closed.Add(calls)
	gate1, gate2 := make(chan struct{}), make(chan struct{})
	errs := make(chan error, calls)
	start := time.Now()
	for _, p := range plans {
		go func() {
			defer closed.Done()
			errs <- streamCall(e, p.id, p.keys, p.graph, &half, gate1, &full, gate2)
		}()
	}
	half.Wait()
	mid := e.settledHeap(t)
	close(gate1)
	full.Wait()
	end := e.settledHeap(t)
	streamed := time.Since(start)
	close(gate2)
	closed.Wait()
	close(errs)
	for err := range errs {
		require.NoError(t, err)
	}

	total := calls * keys
	deadline := time.Now().Add(2 * time.Minute)
	for {
		n := 0
		for _, p := range plans {
			n += len(e.rec.got("/" + p.id))
		}
		if n >= total || time.Now().After(deadline) {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	duplicates := 0
	for _, p := range plans {
		seqs, tones, dups := loadTones(t, e.rec.got("/"+p.id), p.graph)
		duplicates += dups
		want := make([]int64, keys)
		for i := range want {
			want[i] = int64(i + 1)
		}
		if !assert.Equal(t, want, seqs, "%s: sequence ids", p.id) || !assert.Equal(t, p.keys, tones, "%s: keys in order", p.id) {
			break
		}
	}
	require.Zero(t, e.metric(t, "dtmfkit_keys_lost_total", nil), "no key lost")

	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	require.NoError(t, e.acs.Shutdown(ctx))
	require.NoError(t, e.graph.Shutdown(ctx))
	after := heapNow()
	e.rec.mu.Lock()
	failed := e.rec.failed
	e.rec.mu.Unlock()
	audio := e.metric(t, "dtmfkit_audio_seconds_total", nil)
	t.Logf("%d calls, %d keys: %.0f s of audio streamed in %v (%.0f× real time over all calls); callback refused %d requests (20%%), %d repeats of late answers; sink full %v times; heap %+.1f MB at mid-stream, %+.1f MB at the end, %+.1f MB after",
		calls, total, audio, streamed.Round(time.Millisecond), audio/streamed.Seconds(), failed, duplicates,
		e.metric(t, "dtmfkit_notifications_refused_total", nil), mb(mid-base.HeapAlloc), mb(end-base.HeapAlloc), mb(after-base.HeapAlloc))
	assert.Positive(t, failed, "the callback failed some requests")
	// Flat: the second half of the streams adds nothing that stays.
	assert.Less(t, int64(end)-int64(mid), int64(4<<20)+int64(mid-base.HeapAlloc)/5, "heap grew from mid-stream to the end")
	// What is left is what the test keeps: the bodies received, the keys
	// OnKey heard.
	kept := 0
	for _, p := range plans {
		for _, b := range e.rec.got("/" + p.id) {
			kept += len(b) + 64
		}
	}
	kept += len(e.heard()) * 128
	assert.Less(t, int64(after)-int64(base.HeapAlloc), int64(4<<20+2*kept), "heap after the calls (the test keeps %.1f MB)", mb(uint64(kept)))
}

// settledHeap waits until the server has read every message sent and the
// webhook has nothing pending, then returns the heap in use: the state a
// server keeps, without what is in flight.
func (e *env) settledHeap(t *testing.T) uint64 {
	t.Helper()
	deadline := time.Now().Add(time.Minute)
	for e.metric(t, "dtmfkit_media_messages_total", nil) < float64(loadSent.Load()) || e.wh.Pending() > 0 {
		require.True(t, time.Now().Before(deadline), "the server did not catch up")
		time.Sleep(10 * time.Millisecond)
	}
	return heapNow()
}

// loadSent counts the messages the load test's clients have sent.
var loadSent atomic.Int64

// heapNow returns the heap in use after two collections (sync.Pool keeps
// what it holds through one).
func heapNow() uint64 {
	runtime.GC()
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return ms.HeapAlloc
}

func mb(n uint64) float64 { return float64(int64(n)) / (1 << 20) }

// streamCall plays one call: socket, subscription or recognition, its
// keys' audio in two halves around the barriers, then a normal close.
func streamCall(e *env, id, keys string, isGraph bool, half *sync.WaitGroup, gate1 chan struct{}, full *sync.WaitGroup, gate2 chan struct{}) error {
	ctx := context.Background()
	h := http.Header{"Authorization": {"Bearer " + token}, "x-ms-call-connection-id": {id}}
	q := url.Values{"callbackUri": {e.rec.URL("/" + id)}}
	path := media.ACSMediaPath
	if isGraph {
		path = "/graph/calls/" + id + "/media"
	}
	conn, _, err := websocket.Dial(ctx, "ws"+strings.TrimPrefix(e.url, "http")+path+"?"+q.Encode(), &websocket.DialOptions{HTTPHeader: h})
	if err != nil {
		half.Done()
		full.Done()
		return fmt.Errorf("%s: %w", id, err)
	}
	defer conn.CloseNow()
	done := func(err error) error {
		half.Done()
		full.Done()
		return fmt.Errorf("%s: %w", id, err)
	}
	typ := websocket.MessageBinary
	if isGraph {
		if err := postOK(e, "/communications/calls/"+id+"/subscribeToTone", `{}`); err != nil {
			return done(err)
		}
	} else {
		typ = websocket.MessageText
		if err := conn.Write(ctx, typ, []byte(`{"kind":"AudioMetadata","audioMetadata":{"encoding":"PCM","sampleRate":16000,"channels":1,"length":640}}`)); err != nil {
			return done(err)
		}
		loadSent.Add(1)
		if err := postOK(e, acsAction(id, "startContinuousDtmfRecognition"), recoStart); err != nil {
			return done(err)
		}
	}
	enc, err := encoder.New(encoder.Config{SampleRate: 16000, Gap: 400 * time.Millisecond})
	if err != nil {
		return done(err)
	}
	if err := enc.Start(keys); err != nil {
		return done(err)
	}
	frame := make([]int16, 320)
	var msg []byte
	ts := streamStart
	send := func(n int) error { // n frames, silence after the keys
		for range n {
			clear(frame[enc.Fill(frame):])
			msg = loadMessage(msg[:0], frame, isGraph, ts)
			ts = ts.Add(20 * time.Millisecond)
			if err := conn.Write(ctx, typ, msg); err != nil {
				return err
			}
			loadSent.Add(1)
		}
		return nil
	}
	frames := int(enc.Len()/320) + 15 // and 300 ms of silence
	if err := send(frames / 2); err != nil {
		return done(err)
	}
	half.Done()
	<-gate1
	if err := send(frames - frames/2); err != nil {
		full.Done()
		return err
	}
	full.Done()
	<-gate2
	return conn.Close(websocket.StatusNormalClosure, "")
}

// loadMessage appends the message carrying frame: binary PCM for Graph,
// an AudioData message for ACS.
func loadMessage(dst []byte, frame []int16, isGraph bool, ts time.Time) []byte {
	var pcm [640]byte
	for i, v := range frame {
		pcm[2*i], pcm[2*i+1] = byte(v), byte(uint16(v)>>8)
	}
	if isGraph {
		return append(dst, pcm[:]...)
	}
	dst = append(dst, `{"kind":"AudioData","audioData":{"timestamp":"`...)
	dst = append(dst, acs.FormatTimestamp(ts)...)
	dst = append(dst, `","participantRawID":"`+caller+`","data":"`...)
	dst = base64.StdEncoding.AppendEncode(dst, pcm[:])
	return append(dst, `","silent":false}}`...)
}

func postOK(e *env, path, body string) error {
	req, err := http.NewRequest(http.MethodPost, e.url+path, strings.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("POST %s: %s", path, resp.Status)
	}
	return nil
}

// loadTones returns the sequence ids and keys of a call's notifications,
// less the repeats delivery at least once makes (an attempt whose answer
// came too late is tried again): a receiver drops a sequenceId it has had,
// and so does this. The first arrival of each must be in order; a repeat
// may come after later ones (the late attempt, on its own connection, can
// be handled after the retry and what followed it). It returns how many it
// dropped.
func loadTones(t *testing.T, bodies [][]byte, isGraph bool) (seqs []int64, keys string, dups int) {
	t.Helper()
	var allSeqs []int64
	var allKeys string
	if isGraph {
		for _, b := range bodies {
			n, err := graph.ParseNotifications(b)
			require.NoError(t, err)
			ti := n.Value[0].ResourceData[0].Call.ToneInfo
			allSeqs = append(allSeqs, ti.SequenceID)
			allKeys += dtmf.Digit(ti.Tone).String()
		}
	} else {
		allSeqs, allKeys = toneEvents(t, bodies)
	}
	first := map[int64]byte{}
	for i, seq := range allSeqs {
		if k, ok := first[seq]; ok {
			require.Equal(t, k, allKeys[i], "sequence id %d repeated with another key", seq)
			dups++
			continue
		}
		first[seq] = allKeys[i]
		seqs = append(seqs, seq)
		keys += allKeys[i : i+1]
	}
	return seqs, keys, dups
}
