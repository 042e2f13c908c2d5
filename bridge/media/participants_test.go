package media_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/dtmfkit/dtmfkit/bridge/acs"
	"github.com/dtmfkit/dtmfkit/bridge/graph"
	"github.com/dtmfkit/dtmfkit/bridge/media"
	"github.com/dtmfkit/dtmfkit/dtmf"
	"github.com/dtmfkit/dtmfkit/internal/dtmftest"
)

// toneEvents parses ContinuousDtmfRecognitionToneReceived bodies into
// their sequence ids and keys.
func toneEvents(t *testing.T, bodies [][]byte) (seqs []int64, keys string) {
	t.Helper()
	for _, b := range bodies {
		evs, err := acs.ParseEvents(b)
		require.NoError(t, err)
		require.Len(t, evs, 1)
		if !evs[0].Is(acs.ContinuousDtmfRecognitionToneReceived) {
			continue
		}
		d, err := evs[0].Data.Tone.Digit()
		require.NoError(t, err)
		seqs = append(seqs, evs[0].Data.SequenceID)
		keys += d.String()
	}
	return seqs, keys
}

// TestUnmixedParticipants streams two participants' audio interleaved,
// packet by packet, with keys at overlapping times: each has a decoder of
// its own, OnKey hears both, and recognition notifies only its target's.
func TestUnmixedParticipants(t *testing.T) {
	dtmftest.CheckGoroutines(t)
	e := newEnv(t, 0)
	c := e.recognizing(t, acsCall, "/acs")

	const other = "8:acs:b9614373-fd0b-480c-8fd2-cb58b70eab9f_da7be3a9"
	a := c.packets(caller, keyAudio(t, 16000, "1234", 100*time.Millisecond, 200*time.Millisecond))
	b := c.packets(other, keyAudio(t, 16000, "5678", 150*time.Millisecond, 150*time.Millisecond))
	require.Equal(t, len(a), len(b))
	for i := range a {
		c.send(t, a[i])
		c.send(t, b[i])
	}
	keys := waitKeys(t, e, 8)
	byWho := map[string]string{}
	for _, k := range keys {
		assert.Equal(t, media.InBand, k.Source)
		byWho[k.Participant] += k.Digit.String()
	}
	assert.Equal(t, map[string]string{caller: "1234", other: "5678"}, byWho)
	seqs, got := toneEvents(t, e.rec.wait(t, "/acs", 4))
	assert.Equal(t, "1234", got, "only the target's keys")
	assert.Equal(t, []int64{1, 2, 3, 4}, seqs)
	c.closeNormally()
}

// TestSpeakersComeAndGo: ACS streams the audio of at most four dominant
// speakers at a time, so a long unmixed call hears more speakers than
// MaxParticipants. A new speaker takes the decoder of one silent for the
// last 250 messages, whose key still sounding is reported first; the
// socket is closed only when every decoder is in use.
func TestSpeakersComeAndGo(t *testing.T) {
	dtmftest.CheckGoroutines(t)
	e := newEnv(t, 0, withLimits(media.Limits{MaxParticipants: 2}))
	c := e.dialACS(t, acsCall, url.Values{"callbackUri": {e.rec.URL("/acs")}})
	c.metadata(t, 16000)
	// Speaker 1 is cut off in the middle of a key: it is confirmed, and
	// reported when its decoder is taken over.
	c.audio(t, "8:acs:speaker-1", keyAudio(t, 16000, "3", 100*time.Millisecond, 0)[:16000*150/1000])
	c.audio(t, "8:acs:speaker-2", keyAudio(t, 16000, "", 5200*time.Millisecond, 0)) // 260 messages
	c.audio(t, "8:acs:speaker-3", keyAudio(t, 16000, "9", 100*time.Millisecond, 200*time.Millisecond))
	keys := waitKeys(t, e, 2)
	var got []string
	for _, k := range keys {
		got = append(got, k.Participant+" "+k.Digit.String())
	}
	assert.Equal(t, []string{"8:acs:speaker-1 3", "8:acs:speaker-3 9"}, got)

	// Speakers 2 and 3 were both heard within the last 250 messages: a
	// fourth finds no decoder to take.
	c.audio(t, "8:acs:speaker-4", make([]int16, 320))
	ce := readClose(t, c.conn)
	assert.Equal(t, websocket.StatusPolicyViolation, ce.Code)
	assert.Equal(t, "more than 2 participants heard within 250 messages", ce.Reason)
}

// TestDtmfDataDeduplicated: a press ACS reports in a DtmfData message and
// the decoder also hears is notified once; DtmfData alone is a press; the
// same key pressed again later is a new press.
func TestDtmfDataDeduplicated(t *testing.T) {
	dtmftest.CheckGoroutines(t)
	e := newEnv(t, 0)
	c := e.recognizing(t, acsCall, "/acs")
	dtmfAt := func(key string, at time.Duration) acs.StreamingMessage {
		return acs.StreamingMessage{Kind: acs.KindDtmfData, DtmfData: &acs.DtmfData{
			Data: key, ParticipantRawID: caller, Timestamp: acs.FormatTimestamp(streamStart.Add(at))}}
	}
	// In band: "5" from 200 to 300 ms, "5" again from 1400 ms.
	pcm := keyAudio(t, 16000, "5", 200*time.Millisecond, time.Second)
	pcm = append(pcm, keyAudio(t, 16000, "5", 100*time.Millisecond, 300*time.Millisecond)...)
	packets := c.packets(caller, pcm)
	for i, m := range packets {
		switch i {
		case 5: // at 100 ms, before the tone: ACS saw it 20 ms early
			c.send(t, dtmfAt("5", 180*time.Millisecond))
		case 40: // at 800 ms: a key only ACS saw
			c.send(t, dtmfAt("seven", 800*time.Millisecond))
		case 75: // at 1500 ms, after the second in-band 5 began
			c.send(t, dtmfAt("5", 1420*time.Millisecond))
		}
		c.send(t, m)
	}
	waitKeys(t, e, 3)
	time.Sleep(50 * time.Millisecond) // nothing more comes
	keys := e.heard()
	var got []string
	for _, k := range keys {
		got = append(got, k.Digit.String()+" "+k.Source.String())
	}
	assert.Equal(t, []string{"5 out-of-band", "7 out-of-band", "5 in-band"}, got)
	seqs, tones := toneEvents(t, e.rec.wait(t, "/acs", 3))
	assert.Equal(t, "575", tones)
	assert.Equal(t, []int64{1, 2, 3}, seqs)
	assert.Equal(t, 2.0, e.metric(t, "dtmfkit_keys_deduplicated_total", nil))
	c.closeNormally()
}

// TestReconnectContinuesSequenceIDs drops the socket mid-call and opens
// it again: the call, its recognition and its sequence ids go on.
func TestReconnectContinuesSequenceIDs(t *testing.T) {
	dtmftest.CheckGoroutines(t)
	e := newEnv(t, 0)
	q := url.Values{"callbackUri": {e.rec.URL("/acs")}}
	c := e.recognizing(t, acsCall, "/acs")
	c.audio(t, caller, keyAudio(t, 16000, "12", 100*time.Millisecond, 200*time.Millisecond))
	e.rec.wait(t, "/acs", 2)
	_ = c.conn.CloseNow() // dropped, no close handshake

	c2 := e.dialACS(t, acsCall, q)
	c2.metadata(t, 16000)
	c2.ts[caller] = c.ts[caller].Add(2 * time.Second)
	c2.audio(t, caller, keyAudio(t, 16000, "34", 100*time.Millisecond, 200*time.Millisecond))
	seqs, tones := toneEvents(t, e.rec.wait(t, "/acs", 4))
	assert.Equal(t, "1234", tones)
	assert.Equal(t, []int64{1, 2, 3, 4}, seqs)

	// A third socket while the second is open replaces it.
	c3 := e.dialACS(t, acsCall, q)
	assert.Equal(t, 1008, int(readClose(t, c2.conn).Code))
	c3.metadata(t, 16000)
	c3.ts[caller] = c2.ts[caller].Add(time.Second)
	c3.audio(t, caller, keyAudio(t, 16000, "5", 100*time.Millisecond, 200*time.Millisecond))
	seqs, tones = toneEvents(t, e.rec.wait(t, "/acs", 5))
	assert.Equal(t, "12345", tones)
	assert.Equal(t, []int64{1, 2, 3, 4, 5}, seqs)
	c3.closeNormally()
}

// TestReconnectNewCallback: a socket that reconnects with another
// callbackUri (a bot restarted behind a new address) moves the call's
// notifications there, its sequence ids, recognition and subscription
// going on; one that reconnects without a callbackUri keeps the call's.
func TestReconnectNewCallback(t *testing.T) {
	dtmftest.CheckGoroutines(t)
	e := newEnv(t, 0)
	c := e.recognizing(t, acsCall, "/acs-old")
	c.audio(t, caller, keyAudio(t, 16000, "1", 100*time.Millisecond, 200*time.Millisecond))
	e.rec.wait(t, "/acs-old", 1)
	_ = c.conn.CloseNow()
	c2 := e.dialACS(t, acsCall, url.Values{"callbackUri": {e.rec.URL("/acs-new")}})
	c2.metadata(t, 16000)
	c2.ts[caller] = c.ts[caller].Add(time.Second)
	c2.audio(t, caller, keyAudio(t, 16000, "2", 100*time.Millisecond, 200*time.Millisecond))
	seqs, tones := toneEvents(t, e.rec.wait(t, "/acs-new", 1))
	assert.Equal(t, "2", tones)
	assert.Equal(t, []int64{2}, seqs)
	c2.closeNormally()

	g := e.dialGraph(t, graphCall, url.Values{"callbackUri": {e.rec.URL("/graph-old")}})
	resp, body := e.post(t, "/communications/calls/"+graphCall+"/subscribeToTone", ``)
	require.Equal(t, http.StatusOK, resp.StatusCode, "%s", body)
	g.audio(t, keyAudio(t, 16000, "3", 100*time.Millisecond, 200*time.Millisecond))
	e.rec.wait(t, "/graph-old", 1)
	_ = g.conn.CloseNow()
	g = e.dialGraph(t, graphCall, url.Values{"callbackUri": {e.rec.URL("/graph-new")}})
	g.audio(t, keyAudio(t, 16000, "4", 100*time.Millisecond, 200*time.Millisecond))
	e.rec.wait(t, "/graph-new", 1)
	_ = g.conn.CloseNow()
	g = e.dialGraph(t, graphCall, nil) // no callbackUri: the call keeps its own
	g.audio(t, keyAudio(t, 16000, "5", 100*time.Millisecond, 200*time.Millisecond))
	got := e.rec.wait(t, "/graph-new", 2)
	for i, b := range got {
		n, err := graph.ParseNotifications(b)
		require.NoError(t, err)
		ti := n.Value[0].ResourceData[0].Call.ToneInfo
		assert.Equal(t, fmt.Sprintf("%d %v", i+2, dtmf.Digit('4'+i)), fmt.Sprintf("%d %v", ti.SequenceID, dtmf.Digit(ti.Tone)))
	}
	assert.Len(t, e.rec.got("/graph-old"), 1)
	_ = g.conn.CloseNow()
}

// TestReconnectRacesRequests: requests for a call while its sockets come
// and go with new callbacks (which replace its bridge call) race with
// nothing (go test -race).
func TestReconnectRacesRequests(t *testing.T) {
	dtmftest.CheckGoroutines(t)
	e := newEnv(t, 0)
	g := e.dialGraph(t, graphCall, url.Values{"callbackUri": {e.rec.URL("/g0")}})
	done := make(chan error, 1)
	go func() { // reconnects, each with a new callback
		conn := g.conn
		for i := 1; i <= 5; i++ {
			_ = conn.CloseNow()
			u := "ws" + strings.TrimPrefix(e.url, "http") + "/graph/calls/" + graphCall + "/media?callbackUri=" + url.QueryEscape(e.rec.URL(fmt.Sprintf("/g%d", i)))
			var err error
			conn, _, err = websocket.Dial(context.Background(), u, &websocket.DialOptions{
				HTTPHeader: http.Header{"Authorization": {"Bearer " + token}}, HTTPClient: e.client})
			if err != nil {
				done <- err
				return
			}
		}
		done <- conn.CloseNow()
	}()
	for range 5 {
		resp, body := e.post(t, "/communications/calls/"+graphCall+"/subscribeToTone", `{}`)
		require.Equal(t, http.StatusOK, resp.StatusCode, "%s", body)
		resp, body = e.post(t, "/communications/calls/"+graphCall+"/sendDtmfTones", `{"tones":["tone1"]}`)
		require.Equal(t, http.StatusOK, resp.StatusCode, "%s", body)
	}
	require.NoError(t, <-done)
}

// TestGraphReconnect: the same for a Graph relay.
func TestGraphReconnect(t *testing.T) {
	dtmftest.CheckGoroutines(t)
	e := newEnv(t, 0)
	q := url.Values{"callbackUri": {e.rec.URL("/graph")}}
	c := e.dialGraph(t, graphCall, q)
	resp, body := e.post(t, "/communications/calls/"+graphCall+"/subscribeToTone", ``)
	require.Equal(t, http.StatusOK, resp.StatusCode, "%s", body)
	c.audio(t, keyAudio(t, 16000, "9", 100*time.Millisecond, 200*time.Millisecond))
	e.rec.wait(t, "/graph", 1)
	_ = c.conn.CloseNow()
	c = e.dialGraph(t, graphCall, q)
	c.audio(t, keyAudio(t, 16000, "#", 100*time.Millisecond, 200*time.Millisecond))
	got := e.rec.wait(t, "/graph", 2)
	var n struct {
		Value []struct {
			ResourceData struct {
				ToneInfo struct {
					SequenceID int64  `json:"sequenceId"`
					Tone       string `json:"tone"`
				} `json:"toneInfo"`
			} `json:"resourceData"`
		} `json:"value"`
	}
	require.NoError(t, json.Unmarshal(got[1], &n))
	assert.Equal(t, int64(2), n.Value[0].ResourceData.ToneInfo.SequenceID)
	assert.Equal(t, "pound", n.Value[0].ResourceData.ToneInfo.Tone)
	_ = c.conn.CloseNow()
}

// TestOddGraphMessages: relay messages of any length, odd ones included,
// decode as the same byte stream.
func TestOddGraphMessages(t *testing.T) {
	dtmftest.CheckGoroutines(t)
	e := newEnv(t, 0)
	c := e.dialGraph(t, graphCall, url.Values{"callbackUri": {e.rec.URL("/graph")}})
	pcm := keyAudio(t, 16000, "0*#", 100*time.Millisecond, 200*time.Millisecond)
	var stream []byte
	for _, v := range pcm {
		stream = append(stream, byte(v), byte(uint16(v)>>8))
	}
	for i, n := 0, 1; i < len(stream); i, n = i+n, n%997+331 { // odd and even lengths
		require.NoError(t, c.conn.Write(t.Context(), 2, stream[i:min(i+n, len(stream))]))
	}
	keys := waitKeys(t, e, 3)
	var got string
	for _, k := range keys {
		got += k.Digit.String()
	}
	assert.Equal(t, "0*#", got)
	_ = c.conn.CloseNow()
}
