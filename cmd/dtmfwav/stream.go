package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/coder/websocket"

	"github.com/dtmfkit/dtmfkit/audio/wavio"
	"github.com/dtmfkit/dtmfkit/bridge"
	"github.com/dtmfkit/dtmfkit/bridge/acs"
	"github.com/dtmfkit/dtmfkit/bridge/graph"
	"github.com/dtmfkit/dtmfkit/bridge/media"
	"github.com/dtmfkit/dtmfkit/dtmf"
	"github.com/dtmfkit/dtmfkit/dtmf/decoder"
)

type streamOptions struct {
	acs, graph     bool
	callID         string
	participant    string
	speed          float64
	subscribe      bool
	send           string
	callback       string
	callbackListen string
	wait           time.Duration
	connectTimeout time.Duration
}

func (o *streamOptions) flagSet() *flag.FlagSet {
	fs := flag.NewFlagSet("stream", flag.ContinueOnError)
	fs.BoolVar(&o.acs, "acs", false, "play the file as ACS media streaming (JSON AudioData messages, 16 or 24 kHz)")
	fs.BoolVar(&o.graph, "graph", false, "play the file as a Graph media relay (binary 16 kHz PCM)")
	fs.StringVar(&o.callID, "call-id", "", "the call `id` (ACS callConnectionId, Graph call id); default: a new UUID")
	fs.StringVar(&o.participant, "participant", "4:+15555550100", "ACS: the participantRawID the audio comes from, and recognition's target")
	fs.Float64Var(&o.speed, "speed", 1, "pace: 1 is real time, 10 ten times faster, 0 as fast as the server takes it")
	fs.BoolVar(&o.subscribe, "subscribe", true, "first ask for the keys, as a bot would: ACS startContinuousDtmfRecognition, Graph subscribeToTone")
	fs.StringVar(&o.send, "send", "", "ask the server to play these `keys` into the call (sendDtmfTones), and decode what comes back")
	fs.StringVar(&o.callback, "callback", "", "the call's callbackUri: where the server POSTs its notifications")
	fs.StringVar(&o.callbackListen, "callback-listen", "", "receive the notifications on a local callback at `ADDR` (such as 127.0.0.1:0) and print them")
	fs.DurationVar(&o.wait, "wait", 2*time.Second, "after the file, wait until nothing has come back for this long")
	fs.DurationVar(&o.connectTimeout, "connect-timeout", 10*time.Second, "keep trying to connect for this long (a server still starting)")
	return fs
}

func streamFlags() *flag.FlagSet { return new(streamOptions).flagSet() }

// runStream plays a WAV file into a server as ACS media streaming or a
// Graph relay would, and prints what comes back: the REST answers, the
// notifications (with -callback-listen) and the keys in the audio the
// server plays into the call.
func runStream(args []string, _ io.Reader, stdout, _ io.Writer) error {
	var o streamOptions
	fs := o.flagSet()
	pos, err := parseFlags(fs, "stream", args, stdout)
	if err != nil {
		return helpOK(err)
	}
	switch {
	case o.acs == o.graph:
		return usagef("stream: give one of -acs and -graph")
	case len(pos) != 2:
		return usagef("stream: want URL and FILE, got %d arguments", len(pos))
	case o.speed < 0:
		return usagef("stream: -speed %v is negative", o.speed)
	case o.callback != "" && o.callbackListen != "":
		return usagef("stream: -callback and -callback-listen exclude each other")
	case o.graph && flagSet(fs, "participant"):
		return usagef("stream: -participant goes with -acs; a Graph relay carries one stream")
	}
	if o.send != "" {
		if _, err := dtmf.AppendDigits(nil, o.send); err != nil {
			return usagef("stream: -send: %v", err)
		}
	}
	st := &streamer{o: o, out: &lockedWriter{w: stdout}}
	if st.callID = o.callID; st.callID == "" {
		st.callID = bridge.NewUUID()
	}
	if err := st.target(pos[0]); err != nil {
		return err
	}
	f, err := os.Open(pos[1])
	if err != nil {
		return err
	}
	defer f.Close()
	wr, err := wavio.NewReader(f, wavio.ReaderConfig{})
	if err != nil {
		return fmt.Errorf("%s: %w", pos[1], err)
	}
	st.rate = dtmf.SampleRate(wr.Format().SampleRate)
	switch {
	case o.graph && st.rate != media.GraphRate:
		return fmt.Errorf("%s is %v: a Graph relay carries 16000 Hz (make one with dtmfwav gen -rate 16000)", pos[1], st.rate)
	case o.acs && st.rate != acs.PCM16KMono && st.rate != acs.PCM24KMono:
		return fmt.Errorf("%s is %v: ACS media streaming carries 16000 or 24000 Hz (make one with dtmfwav gen -rate 16000)", pos[1], st.rate)
	}
	return st.run(wr)
}

// streamer is one stream command.
type streamer struct {
	o        streamOptions
	out      *lockedWriter
	callID   string
	rate     dtmf.SampleRate
	ws       string // the media socket's URL
	base     string // the server's REST root, http(s)://host
	token    string
	callback string // the callbackUri sent, if any

	mu           sync.Mutex
	lastActivity time.Time
	notes        int
	backSamples  int64
	backKeys     []byte
}

// target works out the socket and REST URLs from the URL argument: a
// server root (ws://host:port) gets the dialect's media path; a full media
// URL is used as it is.
func (st *streamer) target(raw string) error {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return usagef("stream: %q is not a URL such as ws://127.0.0.1:8080", raw)
	}
	switch u.Scheme {
	case "ws", "http":
		u.Scheme = "ws"
	case "wss", "https":
		u.Scheme = "wss"
	default:
		return usagef("stream: %q: want a ws://, wss://, http:// or https:// URL", raw)
	}
	if u.Path == "" || u.Path == "/" {
		u.Path = media.ACSMediaPath
		if st.o.graph {
			u.Path = "/graph/calls/" + st.callID + "/media"
		}
	} else if parts := strings.Split(strings.Trim(u.Path, "/"), "/"); st.o.graph && st.o.callID == "" &&
		len(parts) == 4 && parts[0] == "graph" && parts[1] == "calls" && parts[3] == "media" {
		st.callID = parts[2]
	}
	st.ws = u.String()
	st.base = strings.Replace(u.Scheme, "ws", "http", 1) + "://" + u.Host
	st.token = os.Getenv(tokenEnv)
	return nil
}

func (st *streamer) printf(format string, args ...any) { st.out.printf(format, args...) }

func (st *streamer) active() {
	st.mu.Lock()
	st.lastActivity = time.Now()
	st.mu.Unlock()
}

func (st *streamer) run(src wavio.SampleReader) error {
	ctx := context.Background()
	if st.o.callbackListen != "" {
		stop, err := st.listen()
		if err != nil {
			return err
		}
		defer stop()
	} else {
		st.callback = st.o.callback
	}
	conn, err := st.dial(ctx)
	if err != nil {
		return err
	}
	defer conn.CloseNow()
	dialect := "ACS"
	if st.o.graph {
		dialect = "Graph"
	}
	st.printf("connected %s (%s, call %s, %v)\n", st.ws, dialect, st.callID, st.rate)

	readDone := make(chan error, 1)
	go func() { readDone <- st.readBack(ctx, conn) }()

	if st.o.acs {
		md, _ := json.Marshal(acs.StreamingMessage{Kind: acs.KindAudioMetadata, AudioMetadata: &acs.AudioMetadata{
			SubscriptionID: bridge.NewUUID(), Encoding: "PCM", SampleRate: int(st.rate), Channels: 1, Length: int(st.rate) / 25}})
		if err := conn.Write(ctx, websocket.MessageText, md); err != nil {
			return fmt.Errorf("stream: %w", err)
		}
	}
	if st.o.subscribe {
		if st.o.graph {
			err = st.post("/communications/calls/"+st.callID+"/subscribeToTone", `{"clientContext":"dtmfwav stream"}`)
		} else {
			err = st.post(media.ACSActionsPath+st.callID+":startContinuousDtmfRecognition?api-version="+media.APIVersion,
				`{"targetParticipant":{"rawId":`+quote(st.o.participant)+`},"operationContext":"dtmfwav stream"}`)
		}
		if err != nil {
			return err
		}
	}
	if st.o.send != "" {
		if err := st.sendTones(); err != nil {
			return err
		}
	}

	start := time.Now()
	sent, err := st.play(ctx, conn, src)
	if err != nil {
		return err
	}
	elapsed := time.Since(start)
	st.active()
	for deadline := time.Now().Add(time.Minute); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		st.mu.Lock()
		quiet := time.Since(st.lastActivity)
		st.mu.Unlock()
		if quiet >= st.o.wait {
			break
		}
	}
	closeErr := conn.Close(websocket.StatusNormalClosure, "end of file")
	<-readDone
	st.mu.Lock()
	defer st.mu.Unlock()
	back := ""
	if st.backSamples > 0 {
		back = fmt.Sprintf("; %.1f s of audio came back, keys %q", st.rate.D(st.backSamples).Seconds(), st.backKeys)
	}
	st.printf("done: %.1f s of audio sent in %.1f s; %d notifications%s\n", st.rate.D(sent).Seconds(), elapsed.Seconds(), st.notes, back)
	if closeErr != nil && websocket.CloseStatus(closeErr) == -1 && !errors.Is(closeErr, net.ErrClosed) {
		return fmt.Errorf("stream: closing: %w", closeErr)
	}
	return nil
}

// dial opens the media socket, trying again while the server refuses
// connections (it may be starting), for up to -connect-timeout.
func (st *streamer) dial(ctx context.Context) (*websocket.Conn, error) {
	h := http.Header{}
	if st.token != "" {
		h.Set("Authorization", "Bearer "+st.token)
	}
	u, _ := url.Parse(st.ws)
	q := u.Query()
	if st.o.acs {
		h.Set("x-ms-call-connection-id", st.callID)
		h.Set("x-ms-call-correlation-id", bridge.NewUUID())
	}
	if st.callback != "" {
		q.Set("callbackUri", st.callback)
	}
	u.RawQuery = q.Encode()
	deadline := time.Now().Add(st.o.connectTimeout)
	for {
		dctx, cancel := context.WithTimeout(ctx, 10*time.Second)
		conn, resp, err := websocket.Dial(dctx, u.String(), &websocket.DialOptions{HTTPHeader: h})
		cancel()
		if err == nil {
			return conn, nil
		}
		if errors.Is(err, syscall.ECONNREFUSED) && time.Now().Before(deadline) {
			time.Sleep(100 * time.Millisecond)
			continue
		}
		if resp != nil {
			return nil, fmt.Errorf("stream: %s: the server answered %s", st.ws, resp.Status)
		}
		return nil, fmt.Errorf("stream: %w", err)
	}
}

// play sends the file in 20 ms messages at -speed and returns the number
// of samples sent.
func (st *streamer) play(ctx context.Context, conn *websocket.Conn, src wavio.SampleReader) (int64, error) {
	n := int(st.rate / 50)
	frame := make([]int16, n)
	period := time.Duration(float64(20*time.Millisecond) / max(st.o.speed, 1e-9))
	start, ts := time.Now(), time.Now().UTC()
	var sent int64
	var msg []byte
	for k := 0; ; k++ {
		got, err := readSamples(src, frame)
		if got > 0 {
			msg = st.message(msg[:0], frame[:got], ts)
			typ := websocket.MessageText
			if st.o.graph {
				typ = websocket.MessageBinary
			}
			if werr := conn.Write(ctx, typ, msg); werr != nil {
				return sent, fmt.Errorf("stream: the server closed the socket: %w", werr)
			}
			sent += int64(got)
			ts = ts.Add(st.rate.D(int64(got)))
		}
		if errors.Is(err, io.EOF) {
			return sent, nil
		}
		if err != nil {
			return sent, err
		}
		if st.o.speed > 0 {
			time.Sleep(time.Until(start.Add(time.Duration(k+1) * period)))
		}
	}
}

// message appends the message carrying pcm.
func (st *streamer) message(dst []byte, pcm []int16, ts time.Time) []byte {
	var b []byte
	for _, v := range pcm {
		b = append(b, byte(v), byte(uint16(v)>>8))
	}
	if st.o.graph {
		return append(dst, b...)
	}
	silent := true
	for _, v := range pcm {
		silent = silent && v == 0
	}
	m, _ := json.Marshal(acs.StreamingMessage{Kind: acs.KindAudioData, AudioData: &acs.AudioData{
		Timestamp: acs.FormatTimestamp(ts), ParticipantRawID: st.o.participant, Data: b, Silent: silent}})
	return append(dst, m...)
}

// readBack reads what the server sends on the socket (the audio of
// sendDtmfTones) and prints each key in it as the decoder confirms it.
func (st *streamer) readBack(ctx context.Context, conn *websocket.Conn) error {
	dec, err := decoder.New(decoder.Config{SampleRate: st.rate})
	if err != nil {
		return err
	}
	var events []dtmf.Event
	var pcm []int16
	for {
		typ, b, err := conn.Read(ctx)
		if err != nil {
			if code := websocket.CloseStatus(err); code != -1 && code != websocket.StatusNormalClosure {
				var ce websocket.CloseError
				errors.As(err, &ce)
				st.printf("the server closed the socket: %d %s\n", code, ce.Reason)
			}
			return err
		}
		st.active()
		pcm = pcm[:0]
		switch {
		case st.o.graph && typ == websocket.MessageBinary:
			for i := 0; i+1 < len(b); i += 2 {
				pcm = append(pcm, int16(uint16(b[i])|uint16(b[i+1])<<8))
			}
		case st.o.acs && typ == websocket.MessageText:
			m, err := acs.ParseOutboundMessage(b)
			if err != nil {
				st.printf("unexpected message from the server: %v\n", err)
				continue
			}
			if m.Kind == acs.KindAudioData {
				for i := 0; i+1 < len(m.AudioData.Data); i += 2 {
					pcm = append(pcm, int16(uint16(m.AudioData.Data[i])|uint16(m.AudioData.Data[i+1])<<8))
				}
			}
		default:
			st.printf("unexpected %v message from the server (%d bytes)\n", typ, len(b))
			continue
		}
		events = dec.Decode(events[:0], pcm)
		st.mu.Lock()
		st.backSamples += int64(len(pcm))
		for _, ev := range events {
			if ev.Kind == dtmf.KeyDown {
				st.backKeys = append(st.backKeys, ev.Digit.String()...)
				st.printf("heard from the server: %v\n", ev.Digit)
			}
		}
		st.mu.Unlock()
	}
}

// sendTones asks the server to play -send into the call.
func (st *streamer) sendTones() error {
	ds, _ := dtmf.AppendDigits(nil, st.o.send)
	var names []string
	dl := dtmf.ACS
	if st.o.graph {
		dl = dtmf.Graph
	}
	for _, d := range ds {
		name, err := d.Name(dl)
		if err != nil {
			return usagef("stream: -send: %v", err)
		}
		names = append(names, name)
	}
	tones, _ := json.Marshal(names)
	if st.o.graph {
		return st.post("/communications/calls/"+st.callID+"/sendDtmfTones", `{"tones":`+string(tones)+`,"clientContext":"dtmfwav stream"}`)
	}
	return st.post(media.ACSActionsPath+st.callID+":sendDtmfTones?api-version="+media.APIVersion,
		`{"tones":`+string(tones)+`,"targetParticipant":{"rawId":`+quote(st.o.participant)+`},"operationContext":"dtmfwav stream"}`)
}

// post makes a REST request of the server, prints its answer, and fails
// unless it is a success.
func (st *streamer) post(path, body string) error {
	req, err := http.NewRequest(http.MethodPost, st.base+path, strings.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	if st.token != "" {
		req.Header.Set("Authorization", "Bearer "+st.token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return fmt.Errorf("stream: %w", err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	if err != nil {
		return fmt.Errorf("stream: POST %s: %w", path, err)
	}
	short, _, _ := strings.Cut(path, "?")
	st.printf("POST %s: %s %s\n", short, resp.Status, strings.TrimSpace(string(b)))
	if resp.StatusCode/100 != 2 {
		return fmt.Errorf("stream: POST %s: %s", short, resp.Status)
	}
	return nil
}

// listen starts the local callback receiver and sets the callback to it.
func (st *streamer) listen() (stop func(), err error) {
	ln, err := net.Listen("tcp", st.o.callbackListen)
	if err != nil {
		return nil, fmt.Errorf("stream: -callback-listen: %w", err)
	}
	st.callback = "http://" + ln.Addr().String() + "/callback"
	srv := &http.Server{ReadHeaderTimeout: 10 * time.Second, Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
		if err != nil || r.Method != http.MethodPost {
			w.WriteHeader(http.StatusBadRequest)
			return
		}
		st.active()
		st.mu.Lock()
		st.notes++
		st.mu.Unlock()
		st.printf("notification %s%s\n", describe(b), strings.TrimSpace(string(b)))
		w.WriteHeader(http.StatusNoContent)
	})}
	done := make(chan struct{})
	go func() {
		defer close(done)
		_ = srv.Serve(ln)
	}()
	st.printf("callback listening at %s\n", st.callback)
	return func() {
		_ = srv.Close()
		<-done
	}, nil
}

// describe names what a notification is about, for a reader: the key and
// its sequenceId, or the event type.
func describe(b []byte) string {
	if evs, err := acs.ParseEvents(b); err == nil && len(evs) > 0 && evs[0].Type != "" {
		if evs[0].Data.Tone != "" {
			return fmt.Sprintf("(%s %d %s) ", evs[0].Name(), evs[0].Data.SequenceID, evs[0].Data.Tone)
		}
		return "(" + evs[0].Name() + ") "
	}
	if n, err := graph.ParseNotifications(b); err == nil && len(n.Value) > 0 && len(n.Value[0].ResourceData) > 0 {
		r := n.Value[0].ResourceData[0]
		switch {
		case r.Call != nil && r.Call.ToneInfo != nil:
			return fmt.Sprintf("(toneInfo %d %v) ", r.Call.ToneInfo.SequenceID, r.Call.ToneInfo.Tone)
		case r.SendDtmfTones != nil:
			return fmt.Sprintf("(sendDtmfTones %v) ", r.SendDtmfTones.CompletionReason)
		}
	}
	return ""
}

func quote(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// readSamples fills buf from r, short only at the end of the stream or on
// an error.
func readSamples(r wavio.SampleReader, buf []int16) (int, error) {
	n := 0
	for n < len(buf) {
		k, err := r.Read(buf[n:])
		n += k
		if err != nil {
			return n, err
		}
	}
	return n, nil
}

// lockedWriter serialises the lines of the command's goroutines.
type lockedWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (l *lockedWriter) printf(format string, args ...any) {
	l.mu.Lock()
	defer l.mu.Unlock()
	fmt.Fprintf(l.w, format, args...)
}
