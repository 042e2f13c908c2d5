package bench

import (
	"context"
	"encoding/base64"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/coder/websocket"

	"github.com/dtmfkit/dtmfkit/bridge"
	"github.com/dtmfkit/dtmfkit/bridge/acs"
	"github.com/dtmfkit/dtmfkit/bridge/media"
	"github.com/dtmfkit/dtmfkit/dtmf"
	"github.com/dtmfkit/dtmfkit/dtmf/encoder"
)

// serveRig is a media server on loopback, both dialects, delivering
// through a bridge.Webhook to a loopback callback that notes when each
// notification arrives.
type serveRig struct {
	wsURL, httpURL string
	acs            *media.ACS
	graph          *media.Graph
	wh             *bridge.Webhook
	srv, cb        *httptest.Server

	mu      sync.Mutex
	arrived map[string][]time.Time // by call, in arrival order
}

func newServeRig(b *testing.B) *serveRig {
	b.Helper()
	r := &serveRig{arrived: map[string][]time.Time{}}
	r.cb = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		_, _ = io.Copy(io.Discard, req.Body)
		now := time.Now()
		r.mu.Lock()
		r.arrived[req.URL.Path] = append(r.arrived[req.URL.Path], now)
		r.mu.Unlock()
		w.WriteHeader(http.StatusNoContent)
	}))
	var err error
	if r.wh, err = bridge.NewWebhook(context.Background(), bridge.WebhookConfig{QueueSize: 1 << 16}); err != nil {
		b.Fatal(err)
	}
	cfg := media.Config{Sink: r.wh, Limits: media.Limits{MaxMessagesPerSecond: -1, MaxCalls: 10000, IdleTimeout: time.Minute}}
	if r.acs, err = media.NewACS(cfg); err != nil {
		b.Fatal(err)
	}
	if r.graph, err = media.NewGraph(cfg); err != nil {
		b.Fatal(err)
	}
	mux := http.NewServeMux()
	media.Mount(mux, r.acs, r.graph)
	r.srv = httptest.NewServer(mux)
	r.httpURL = r.srv.URL
	r.wsURL = "ws" + strings.TrimPrefix(r.srv.URL, "http")
	b.Cleanup(func() {
		ctx := context.Background()
		_ = r.acs.Shutdown(ctx)
		_ = r.graph.Shutdown(ctx)
		_ = r.wh.Close(ctx)
		r.srv.Close()
		r.cb.Close()
	})
	return r
}

// callAudio is the audio of a benchmark call at 16 kHz: keys from 200 ms
// (plus lead samples) on, tones of 100 ms every 500 ms, then 300 ms of
// silence; and the sample offset of each tone's onset.
func callAudio(b *testing.B, keys string, lead int) ([]int16, []int64) {
	b.Helper()
	enc, err := encoder.New(encoder.Config{SampleRate: 16000, Gap: 400 * time.Millisecond})
	if err != nil {
		b.Fatal(err)
	}
	pcm := make([]int16, 3200+lead)
	if pcm, err = enc.Append(pcm, keys); err != nil {
		b.Fatal(err)
	}
	onsets := make([]int64, len(keys))
	for i := range onsets {
		onsets[i] = int64(3200+lead) + int64(i)*8000
	}
	return append(pcm, make([]int16, 4800)...), onsets
}

// messages cuts pcm into the 20 ms messages a dialect sends.
func messages(pcm []int16, graph bool) [][]byte {
	var out [][]byte
	ts := time.Date(2025, 6, 1, 10, 0, 0, 0, time.UTC)
	for i := 0; i < len(pcm); i += 320 {
		var raw []byte
		for _, v := range pcm[i:min(i+320, len(pcm))] {
			raw = append(raw, byte(v), byte(uint16(v)>>8))
		}
		if graph {
			out = append(out, raw)
			continue
		}
		m := []byte(`{"kind":"AudioData","audioData":{"timestamp":"` + acs.FormatTimestamp(ts) + `","participantRawID":"4:+14255550123","data":"`)
		m = base64.StdEncoding.AppendEncode(m, raw)
		out = append(out, append(m, `","silent":false}}`...))
		ts = ts.Add(20 * time.Millisecond)
	}
	return out
}

// open connects call id of a dialect and asks for its keys, as a bot
// would.
func (r *serveRig) open(b *testing.B, id string, graph bool) *websocket.Conn {
	b.Helper()
	cb := "callbackUri=" + url.QueryEscape(r.cb.URL+"/"+id)
	u := r.wsURL + media.ACSMediaPath + "?callConnectionId=" + id + "&" + cb
	if graph {
		u = r.wsURL + "/graph/calls/" + id + "/media?" + cb
	}
	conn, _, err := websocket.Dial(context.Background(), u, nil)
	if err != nil {
		b.Fatal(err)
	}
	var action, body string
	if graph {
		action, body = "/communications/calls/"+id+"/subscribeToTone", `{}`
	} else {
		md := `{"kind":"AudioMetadata","audioMetadata":{"encoding":"PCM","sampleRate":16000,"channels":1,"length":640}}`
		if err := conn.Write(context.Background(), websocket.MessageText, []byte(md)); err != nil {
			b.Fatal(err)
		}
		action = media.ACSActionsPath + id + ":startContinuousDtmfRecognition?api-version=" + media.APIVersion
		body = `{"targetParticipant":{"rawId":"4:+14255550123"}}`
	}
	resp, err := http.Post(r.httpURL+action, "application/json", strings.NewReader(body))
	if err != nil || resp.StatusCode != http.StatusOK {
		b.Fatalf("%s: %v %v", action, resp, err)
	}
	resp.Body.Close()
	return conn
}

// waitArrived waits until each call has n notifications.
func (r *serveRig) waitArrived(b *testing.B, ids []string, n int) {
	b.Helper()
	deadline := time.Now().Add(time.Minute)
	for {
		r.mu.Lock()
		done := true
		for _, id := range ids {
			done = done && len(r.arrived["/"+id]) >= n
		}
		r.mu.Unlock()
		if done {
			return
		}
		if time.Now().After(deadline) {
			b.Fatal("notifications missing")
		}
		time.Sleep(time.Millisecond)
	}
}

func cpuTime() time.Duration {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkServe is the whole path of dtmfwav serve, on loopback: media
// messages over WebSocket (JSON and base64 for ACS, binary for Graph),
// parsed, decoded (16 kHz, one key every 500 ms), each key a notification
// POSTed by the webhook to a callback. 50 calls stream 5.1 s of audio
// each as fast as they can; calls/core is seconds of audio per second of the
// process's CPU time: how many real-time calls one core carries. The
// clients and the callback run in the same process, so their cost is
// counted too. One op is the 50 calls; allocs/op is theirs.
func BenchmarkServe(b *testing.B) {
	const calls, keys = 50, "159#2604*7"
	for _, dialect := range []string{"acs", "graph"} {
		b.Run("dialect="+dialect, func(b *testing.B) {
			graph := dialect == "graph"
			r := newServeRig(b)
			pcm, _ := callAudio(b, keys, 0)
			msgs := messages(pcm, graph)
			typ := websocket.MessageText
			if graph {
				typ = websocket.MessageBinary
			}
			audio := time.Duration(0)
			var cpu time.Duration
			round := 0
			b.ReportAllocs()
			for b.Loop() {
				round++
				ids := make([]string, calls)
				conns := make([]*websocket.Conn, calls)
				for i := range ids {
					ids[i] = fmt.Sprintf("%s-%d-%d", dialect, round, i)
					conns[i] = r.open(b, ids[i], graph)
				}
				c0 := cpuTime()
				var wg sync.WaitGroup
				for _, conn := range conns {
					wg.Add(1)
					go func() {
						defer wg.Done()
						for _, m := range msgs {
							if err := conn.Write(context.Background(), typ, m); err != nil {
								b.Error(err)
								return
							}
						}
					}()
				}
				wg.Wait()
				r.waitArrived(b, ids, len(keys))
				cpu += cpuTime() - c0
				audio += time.Duration(calls) * dtmf.SampleRate(16000).D(int64(len(pcm)))
				for _, conn := range conns {
					_ = conn.Close(websocket.StatusNormalClosure, "")
				}
			}
			b.ReportMetric(audio.Seconds()/cpu.Seconds(), "calls/core")
			b.ReportMetric(float64(calls*len(keys)*round)/cpu.Seconds(), "notifications/core-s")
		})
	}
}

// BenchmarkKeyToCallback is the time from a key's onset in the caller's
// audio to its notification arriving at the callback: calls stream in
// real time, each 20 ms message sent when its audio is complete (as a
// media stack sends it), 10 keys per call; the onset's moment is when its
// sample was spoken. It includes the packetisation (up to 20 ms), the
// decoder's confirmation (about 32 ms), the server and the webhook POST.
// p50 and p95 over all the keys, for 20 and 200 calls at once.
func BenchmarkKeyToCallback(b *testing.B) {
	const keys = "159#2604*7"
	for _, calls := range []int{20, 200} {
		b.Run(fmt.Sprintf("calls=%d", calls), func(b *testing.B) {
			r := newServeRig(b)
			// Ten alignments of the keys to the 20 ms frames, spread
			// evenly over a frame, one per call in turn.
			type aligned struct {
				msgs   [][]byte
				onsets []int64
			}
			var align [10]aligned
			for i := range align {
				pcm, onsets := callAudio(b, keys, i*32)
				align[i] = aligned{messages(pcm, false), onsets}
			}
			var lat []float64
			round := 0
			for b.Loop() {
				round++
				ids := make([]string, calls)
				conns := make([]*websocket.Conn, calls)
				for i := range ids {
					ids[i] = fmt.Sprintf("lat-%d-%d", round, i)
					conns[i] = r.open(b, ids[i], false)
				}
				starts := make([]time.Time, calls)
				var wg sync.WaitGroup
				for i, conn := range conns {
					wg.Add(1)
					go func() {
						defer wg.Done()
						time.Sleep(time.Duration(i) * 20 * time.Millisecond / time.Duration(calls)) // spread the calls over a frame
						start := time.Now()
						starts[i] = start
						for k, m := range align[i%len(align)].msgs {
							time.Sleep(time.Until(start.Add(time.Duration(k+1) * 20 * time.Millisecond)))
							if err := conn.Write(context.Background(), websocket.MessageText, m); err != nil {
								b.Error(err)
								return
							}
						}
					}()
				}
				wg.Wait()
				r.waitArrived(b, ids, len(keys))
				r.mu.Lock()
				for i, id := range ids {
					for k, at := range r.arrived["/"+id] {
						onset := starts[i].Add(dtmf.SampleRate(16000).D(align[i%len(align)].onsets[k]))
						lat = append(lat, float64(at.Sub(onset))/1e6)
					}
				}
				r.mu.Unlock()
				for _, conn := range conns {
					_ = conn.Close(websocket.StatusNormalClosure, "")
				}
			}
			slices.Sort(lat)
			b.ReportMetric(percentile(lat, 50), "p50-ms")
			b.ReportMetric(percentile(lat, 95), "p95-ms")
			b.ReportMetric(lat[len(lat)-1], "max-ms")
		})
	}
}
