package bridge_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/dtmfkit/dtmfkit/bridge"
	"github.com/dtmfkit/dtmfkit/bridge/acs"
	"github.com/dtmfkit/dtmfkit/bridge/graph"
	"github.com/dtmfkit/dtmfkit/dtmf"
	"github.com/dtmfkit/dtmfkit/dtmf/encoder"
)

// handler is what GraphCall and ACSCall have in common on the detector side.
type handler interface {
	HandleEvent(ctx context.Context, ev dtmf.Event) error
	LastSequenceID() int64
}

// newCalls returns a Graph call that has subscribed and an ACS call that is
// recognising, both recording into rec.
func newCalls(t *testing.T, cfg bridge.Config) map[string]handler {
	t.Helper()
	g, err := bridge.NewGraphCall(cfg)
	require.NoError(t, err)
	_, err = g.SubscribeToTone(graph.SubscribeToToneRequest{})
	require.NoError(t, err)
	a, err := bridge.NewACSCall(cfg)
	require.NoError(t, err)
	require.NoError(t, a.StartContinuousDtmfRecognition(acs.ContinuousDtmfRecognitionRequest{TargetParticipant: target}))
	return map[string]handler{"graph": g, "acs": a}
}

// seqTone extracts the sequenceId and key of a tone notification.
func seqTone(t *testing.T, n bridge.Notification) (int64, dtmf.Digit) {
	t.Helper()
	seq, d, err := toneOf(n.Body)
	require.NoError(t, err, "%s", n.Body)
	return seq, d
}

// toneOf is seqTone for a goroutine that cannot fail the test: an HTTP
// handler's, say.
func toneOf(body []byte) (int64, dtmf.Digit, error) {
	if len(body) > 0 && body[0] == '[' { // ACS delivers an array of events
		evs, err := acs.ParseEvents(body)
		if err != nil {
			return 0, 0, err
		}
		if len(evs) != 1 {
			return 0, 0, fmt.Errorf("%d events, want 1", len(evs))
		}
		d, err := evs[0].Data.Tone.Digit()
		return evs[0].Data.SequenceID, d, err
	}
	ns, err := graph.ParseNotifications(body)
	if err != nil {
		return 0, 0, err
	}
	if len(ns.Value) != 1 || len(ns.Value[0].ResourceData) != 1 || ns.Value[0].ResourceData[0].Call == nil ||
		ns.Value[0].ResourceData[0].Call.ToneInfo == nil {
		return 0, 0, errors.New("not one tone notification")
	}
	ti := ns.Value[0].ResourceData[0].Call.ToneInfo
	return ti.SequenceID, dtmf.Digit(ti.Tone), nil
}

func TestSequenceIDs(t *testing.T) {
	ctx := context.Background()
	keys := []dtmf.Digit{'1', '1', '#', 'A', '0', '*', 'D', '9'}
	for _, last := range []int64{0, 41} {
		rec := &recorder{}
		for name, c := range newCalls(t, bridge.Config{CallID: "c1", Sink: rec, LastSequenceID: last}) {
			rec.got = nil
			for i, d := range keys {
				at := int64(i) * 3200
				require.NoError(t, c.HandleEvent(ctx, keyDown(d, at)))
				require.NoError(t, c.HandleEvent(ctx, keyUp(d, at, at+1600)), "KeyUp produces nothing")
			}
			got := rec.all()
			require.Len(t, got, len(keys), name)
			for i, n := range got {
				seq, d := seqTone(t, n)
				assert.Equal(t, last+int64(i)+1, seq, "%s: key %d", name, i)
				assert.Equal(t, last+int64(i)+1, n.SequenceID)
				assert.Equal(t, keys[i], d)
				assert.Equal(t, "c1", n.CallID)
			}
			assert.Equal(t, last+int64(len(keys)), c.LastSequenceID())
		}
	}
}

func TestSequenceNotUsedUpOnRefusal(t *testing.T) {
	ctx := context.Background()
	rec := &recorder{}
	for name, c := range newCalls(t, bridge.Config{CallID: "c1", Sink: rec}) {
		rec.got, rec.err = nil, nil
		require.NoError(t, c.HandleEvent(ctx, keyDown('1', 100)))
		rec.err = bridge.ErrQueueFull
		require.ErrorIs(t, c.HandleEvent(ctx, keyDown('2', 200)), bridge.ErrQueueFull, name)
		rec.err = nil
		require.NoError(t, c.HandleEvent(ctx, keyDown('3', 300)))
		got := rec.all()
		require.Len(t, got, 2)
		s1, _ := seqTone(t, got[0])
		s2, d2 := seqTone(t, got[1])
		assert.Equal(t, []int64{1, 2}, []int64{s1, s2}, "%s: no gap after a refused delivery", name)
		assert.Equal(t, dtmf.Digit('3'), d2)
	}
}

func TestOnlySubscribedCallsNotify(t *testing.T) {
	ctx := context.Background()
	rec := &recorder{}
	g, err := bridge.NewGraphCall(bridge.Config{CallID: "g", Sink: rec})
	require.NoError(t, err)
	require.NoError(t, g.HandleEvent(ctx, keyDown('5', 10)))
	assert.Empty(t, rec.all(), "no subscription, no notification")
	assert.False(t, g.Subscribed())
	_, err = g.SubscribeToTone(graph.SubscribeToToneRequest{ClientContext: "x"})
	require.NoError(t, err)
	require.NoError(t, g.HandleEvent(ctx, keyDown('5', 20)))
	seq, _ := seqTone(t, rec.only(t))
	assert.EqualValues(t, 1, seq, "presses before the subscription use no ids")

	rec = &recorder{}
	a, err := bridge.NewACSCall(bridge.Config{CallID: "a", Sink: rec, Clock: clock(constructedTime)})
	require.NoError(t, err)
	reco := acs.ContinuousDtmfRecognitionRequest{TargetParticipant: target, OperationContext: "first",
		OperationCallbackURI: "https://app.example/first"}
	require.NoError(t, a.HandleEvent(ctx, keyDown('5', 10)))
	require.NoError(t, a.StartContinuousDtmfRecognition(reco))
	require.NoError(t, a.HandleEvent(ctx, keyDown('6', 20)))
	require.NoError(t, a.StopContinuousDtmfRecognition(ctx, acs.ContinuousDtmfRecognitionRequest{TargetParticipant: target}))
	assert.False(t, a.Recognizing())
	require.NoError(t, a.HandleEvent(ctx, keyDown('7', 30)))
	require.NoError(t, a.StartContinuousDtmfRecognition(acs.ContinuousDtmfRecognitionRequest{TargetParticipant: target}))
	require.NoError(t, a.HandleEvent(ctx, keyDown('8', 40)))

	got := rec.all()
	require.Len(t, got, 3)
	var names []string
	for _, n := range got {
		evs, err := acs.ParseEvents(n.Body)
		require.NoError(t, err)
		names = append(names, evs[0].Name())
	}
	assert.Equal(t, []string{acs.ContinuousDtmfRecognitionToneReceived, acs.ContinuousDtmfRecognitionStopped,
		acs.ContinuousDtmfRecognitionToneReceived}, names)
	assert.Equal(t, "https://app.example/first", got[0].URL)
	assert.Equal(t, "https://app.example/first", got[1].URL, "Stopped goes where the start request said")
	s1, d1 := seqTone(t, got[0])
	s3, d3 := seqTone(t, got[2])
	assert.Equal(t, []int64{1, 2}, []int64{s1, s3}, "restarting continues the sequence")
	assert.Equal(t, []dtmf.Digit{'6', '8'}, []dtmf.Digit{d1, d3})
	stopped, err := acs.ParseEvents(got[1].Body)
	require.NoError(t, err)
	assert.Equal(t, "first", stopped[0].Data.OperationContext)
}

func TestACSEventTime(t *testing.T) {
	rec := &recorder{}
	start := time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)
	a, err := bridge.NewACSCall(bridge.Config{CallID: "a", Sink: rec, SampleRate: 8000, StreamStart: start})
	require.NoError(t, err)
	require.NoError(t, a.StartContinuousDtmfRecognition(acs.ContinuousDtmfRecognitionRequest{TargetParticipant: target}))
	require.NoError(t, a.HandleEvent(context.Background(), keyDown('1', 8000*61+4)))
	evs, err := acs.ParseEvents(rec.only(t).Body)
	require.NoError(t, err)
	got, err := acs.ParseTime(evs[0].Time)
	require.NoError(t, err)
	assert.True(t, start.Add(61*time.Second+500*time.Microsecond).Equal(got), "%v", got)
	assert.Equal(t, "2025-01-02T03:05:06.0005000+00:00", evs[0].Time)
}

func TestPlayoutFrames(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name   string
		cfg    bridge.Config
		delay  *int32
		frame  int
		keys   string
		gapLen time.Duration
	}{
		{name: "defaults 16 kHz 20 ms", frame: 320, keys: "123", gapLen: 100 * time.Millisecond},
		{name: "8 kHz 10 ms frames", cfg: bridge.Config{SampleRate: 8000, FrameSize: 80}, frame: 80, keys: "9#", gapLen: 100 * time.Millisecond},
		{name: "48 kHz odd frame", cfg: bridge.Config{SampleRate: 48000, FrameSize: 1001}, frame: 1001, keys: "*0", gapLen: 100 * time.Millisecond},
		{name: "delay 1000", delay: ptr[int32](1000), frame: 320, keys: "12", gapLen: time.Second},
		{name: "delay 0 raised to MinGap", delay: ptr[int32](0), frame: 320, keys: "11", gapLen: bridge.MinGap},
		{name: "delay 20 raised to MinGap", delay: ptr[int32](20), frame: 320, keys: "11", gapLen: bridge.MinGap},
		{name: "tone length", cfg: bridge.Config{Encoder: encoder.Config{Tone: 60 * time.Millisecond}}, frame: 320, keys: "D", gapLen: 100 * time.Millisecond},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := &recorder{}
			cfg := tt.cfg
			cfg.CallID, cfg.Sink = "c", rec
			c, err := bridge.NewGraphCall(cfg)
			require.NoError(t, err)
			var tones []graph.Tone
			for _, k := range tt.keys {
				tones = append(tones, graph.Tone(k))
			}
			_, p, err := c.SendDtmfTones(ctx, graph.SendDtmfTonesRequest{Tones: tones, DelayBetweenTonesMs: tt.delay})
			require.NoError(t, err)
			require.Equal(t, tt.frame, p.FrameSize())

			rate := cfg.SampleRate
			if rate == 0 {
				rate = bridge.DefaultSampleRate
			}
			assert.Equal(t, rate, p.SampleRate())
			ecfg := cfg.Encoder
			ecfg.SampleRate, ecfg.Gap = rate, tt.gapLen
			enc, err := encoder.New(ecfg)
			require.NoError(t, err)
			want, err := enc.Append(nil, tt.keys)
			require.NoError(t, err)

			var frames int64
			frame := make([]int16, p.FrameSize())
			var pcm []int16
			for p.Next(frame) {
				frames++
				pcm = append(pcm, frame...)
				if frames < p.Frames() {
					require.Empty(t, rec.all(), "no completion before the last frame")
				} else {
					require.Len(t, rec.all(), 1, "completion with the last frame")
				}
			}
			require.NoError(t, p.Err())
			assert.Equal(t, p.Frames(), frames)
			assert.Zero(t, len(pcm)%tt.frame, "whole frames")
			require.GreaterOrEqual(t, len(pcm), len(want))
			assert.Less(t, len(pcm)-len(want), tt.frame, "at most one frame of padding")
			assert.Equal(t, want, pcm[:len(want)], "frames carry the encoder's samples")
			assert.Equal(t, make([]int16, len(pcm)-len(want)), pcm[len(want):], "padding is silence")
			assert.False(t, p.Next(frame), "nothing after the end")
			require.Len(t, rec.all(), 1, "one completion")
		})
	}
}

func ptr[T any](v T) *T { return &v }

func TestPlayoutWrongFramePanics(t *testing.T) {
	c, err := bridge.NewGraphCall(bridge.Config{CallID: "c", Sink: &recorder{}})
	require.NoError(t, err)
	_, p, err := c.SendDtmfTones(context.Background(), graph.SendDtmfTonesRequest{Tones: []graph.Tone{'1'}})
	require.NoError(t, err)
	assert.Panics(t, func() { p.Next(make([]int16, 319)) })
}

func TestPlayoutCompletionDeliveryError(t *testing.T) {
	rec := &recorder{err: errors.New("sink down")}
	c, err := bridge.NewGraphCall(bridge.Config{CallID: "c", Sink: rec})
	require.NoError(t, err)
	_, p, err := c.SendDtmfTones(context.Background(), graph.SendDtmfTonesRequest{Tones: []graph.Tone{'1'}})
	require.NoError(t, err)
	frame := make([]int16, p.FrameSize())
	for p.Next(frame) {
	}
	require.ErrorContains(t, p.Err(), "sink down")
}

func TestRepeatability(t *testing.T) {
	ctx := context.Background()
	now := time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)
	firstSent := now.Add(-time.Minute).Format(http.TimeFormat)
	const id = "f1d2c3b4-a5e6-4f70-8a91-b2c3d4e5f607"
	req := acs.SendDtmfTonesRequest{Tones: []acs.Tone{"one", "two"}, TargetParticipant: target, OperationContext: "ctx-1"}

	t.Run("repeat returns the first result without rendering", func(t *testing.T) {
		rec := &recorder{}
		c, err := bridge.NewACSCall(bridge.Config{CallID: "c", Sink: rec, Clock: clock(now)})
		require.NoError(t, err)
		rep := bridge.Repeatability{RequestID: id, FirstSent: firstSent}
		res1, p1, err := c.SendDtmfTones(ctx, req, rep)
		require.NoError(t, err)
		require.NotNil(t, p1)
		playAll(t, p1)

		again := req
		again.OperationContext = "changed" // a repeat is answered from memory, body unread
		res2, p2, err := c.SendDtmfTones(ctx, again, bridge.Repeatability{RequestID: "F1D2C3B4-A5E6-4F70-8A91-B2C3D4E5F607", FirstSent: firstSent})
		require.NoError(t, err)
		assert.Nil(t, p2, "not rendered again")
		assert.Equal(t, res1, res2)
		assert.Len(t, rec.all(), 1, "one completion only")

		_, p3, err := c.SendDtmfTones(ctx, req, bridge.Repeatability{})
		require.NoError(t, err)
		assert.NotNil(t, p3, "without the header every request runs")
	})

	t.Run("shared store, other call", func(t *testing.T) {
		store := bridge.NewRepeatabilityStore(0, 0)
		rep := bridge.Repeatability{RequestID: id, FirstSent: firstSent}
		for _, callID := range []string{"c1", "c2"} {
			c, err := bridge.NewACSCall(bridge.Config{CallID: callID, Sink: &recorder{}, Clock: clock(now), Repeatability: store})
			require.NoError(t, err)
			_, p, err := c.SendDtmfTones(ctx, req, rep)
			require.NoError(t, err)
			assert.NotNil(t, p, "ids are per call connection")
		}
		assert.Equal(t, 2, store.Len())
	})

	t.Run("bounded", func(t *testing.T) {
		store := bridge.NewRepeatabilityStore(3, time.Minute)
		c, err := bridge.NewACSCall(bridge.Config{CallID: "c", Sink: &recorder{}, Clock: clock(now), Repeatability: store})
		require.NoError(t, err)
		uuids := []string{
			"00000000-0000-4000-8000-000000000001", "00000000-0000-4000-8000-000000000002",
			"00000000-0000-4000-8000-000000000003", "00000000-0000-4000-8000-000000000004",
		}
		sent := now.Format(http.TimeFormat)
		for _, u := range uuids {
			_, p, err := c.SendDtmfTones(ctx, req, bridge.Repeatability{RequestID: u, FirstSent: sent})
			require.NoError(t, err)
			require.NotNil(t, p)
		}
		assert.Equal(t, 3, store.Len())
		_, p, err := c.SendDtmfTones(ctx, req, bridge.Repeatability{RequestID: uuids[0], FirstSent: sent})
		require.NoError(t, err)
		assert.NotNil(t, p, "the least recently used id was forgotten")
		_, p, err = c.SendDtmfTones(ctx, req, bridge.Repeatability{RequestID: uuids[3], FirstSent: sent})
		require.NoError(t, err)
		assert.Nil(t, p)
	})

	t.Run("expires", func(t *testing.T) {
		store := bridge.NewRepeatabilityStore(10, time.Minute)
		cur := now
		c, err := bridge.NewACSCall(bridge.Config{CallID: "c", Sink: &recorder{}, Clock: func() time.Time { return cur }, Repeatability: store})
		require.NoError(t, err)
		rep := bridge.Repeatability{RequestID: id, FirstSent: now.Format(http.TimeFormat)}
		_, _, err = c.SendDtmfTones(ctx, req, rep)
		require.NoError(t, err)
		cur = now.Add(59 * time.Second)
		_, p, err := c.SendDtmfTones(ctx, req, rep)
		require.NoError(t, err)
		assert.Nil(t, p)
		cur = now.Add(61 * time.Second)
		_, _, err = c.SendDtmfTones(ctx, req, rep)
		assertACSError(t, err, "Repeatability-First-Sent")
	})

	t.Run("header errors", func(t *testing.T) {
		c, err := bridge.NewACSCall(bridge.Config{CallID: "c", Sink: &recorder{}, Clock: clock(now)})
		require.NoError(t, err)
		for _, rep := range []bridge.Repeatability{
			{RequestID: id},
			{RequestID: "not-a-uuid", FirstSent: firstSent},
			{RequestID: id, FirstSent: "2025-06-01T12:00:00Z"},
			{RequestID: id, FirstSent: now.Add(-2 * time.Hour).Format(http.TimeFormat)},
		} {
			_, p, err := c.SendDtmfTones(ctx, req, rep)
			assert.Nil(t, p)
			assertACSError(t, err, "Repeatability-")
		}
	})

	t.Run("from header", func(t *testing.T) {
		h := http.Header{}
		h.Set("Repeatability-Request-Id", id)
		h.Set("Repeatability-First-Sent", firstSent)
		assert.Equal(t, bridge.Repeatability{RequestID: id, FirstSent: firstSent}, bridge.RepeatabilityFromHeader(h))
	})
}

func assertACSError(t *testing.T, err error, target string) {
	t.Helper()
	var ae *acs.Error
	require.ErrorAs(t, err, &ae)
	assert.Equal(t, http.StatusBadRequest, ae.StatusCode)
	assert.Contains(t, ae.Target, target)
}

func TestSendValidation(t *testing.T) {
	ctx := context.Background()
	g, err := bridge.NewGraphCall(bridge.Config{CallID: "g", Sink: &recorder{}})
	require.NoError(t, err)
	a, err := bridge.NewACSCall(bridge.Config{CallID: "a", Sink: &recorder{}})
	require.NoError(t, err)

	_, p, err := g.SendDtmfTones(ctx, graph.SendDtmfTonesRequest{Tones: []graph.Tone{graph.Tone(dtmf.Flash)}})
	assert.Nil(t, p)
	var ge *graph.Error
	require.ErrorAs(t, err, &ge)
	assert.Equal(t, http.StatusBadRequest, ge.StatusCode)

	_, p, err = a.SendDtmfTones(ctx, acs.SendDtmfTonesRequest{Tones: []acs.Tone{"one"}}, bridge.Repeatability{})
	assert.Nil(t, p)
	assertACSError(t, err, "targetParticipant")

	_, err = g.SubscribeToTone(graph.SubscribeToToneRequest{ClientContext: "é"})
	require.ErrorAs(t, err, &ge)
	require.ErrorAs(t, a.StartContinuousDtmfRecognition(acs.ContinuousDtmfRecognitionRequest{}), new(*acs.Error))
	require.ErrorAs(t, a.StopContinuousDtmfRecognition(ctx, acs.ContinuousDtmfRecognitionRequest{}), new(*acs.Error))
}

func TestConfigErrors(t *testing.T) {
	for name, cfg := range map[string]bridge.Config{
		"no call id":        {Sink: &recorder{}},
		"slash in call id":  {CallID: "a/b", Sink: &recorder{}},
		"no sink":           {CallID: "c"},
		"bad callback":      {CallID: "c", Sink: &recorder{}, CallbackURI: "ftp://x"},
		"relative callback": {CallID: "c", Sink: &recorder{}, CallbackURI: "/api/calls"},
		"rate":              {CallID: "c", Sink: &recorder{}, SampleRate: 4000},
		"frame":             {CallID: "c", Sink: &recorder{}, FrameSize: -1},
		"sequence":          {CallID: "c", Sink: &recorder{}, LastSequenceID: -1},
		"encoder":           {CallID: "c", Sink: &recorder{}, Encoder: encoder.Config{Tone: -time.Second}},
	} {
		_, err := bridge.NewGraphCall(cfg)
		assert.Error(t, err, name)
		_, err = bridge.NewACSCall(cfg)
		assert.Error(t, err, name)
	}
}

func TestDetectFormat(t *testing.T) {
	tests := []struct {
		body string
		want bridge.Format
	}{
		{`{"tones":["tone1"],"delayBetweenTonesMs":100}`, bridge.Graph},
		{`{"tones":["star","pound"]}`, bridge.Graph},
		{`{"tones":["pound","a"]}`, bridge.Graph},
		{`{"tones":["zero"]}`, bridge.ACS},
		{`{"tones":["pound"],"targetParticipant":{"rawId":"4:+1"}}`, bridge.ACS},
		{`{"Tones":["one"],"OperationContext":"x"}`, bridge.ACS},
		{`{"tones":"zero"}`, bridge.Graph},
	}
	for _, tt := range tests {
		got, err := bridge.DetectFormat([]byte(tt.body))
		require.NoError(t, err, tt.body)
		assert.Equal(t, tt.want, got, tt.body)
	}
	for _, path := range []string{"graph-senddtmftones-request.json", "acs-senddtmftones-request.json"} {
		got, err := bridge.DetectFormat(readFile(t, "testdata/seed/"+path))
		require.NoError(t, err)
		assert.Equal(t, path[:3] == "acs", got == bridge.ACS, path)
	}
	_, err := bridge.DetectFormat([]byte(`[1]`))
	assert.Error(t, err)

	f, err := bridge.ParseFormat("ACS")
	require.NoError(t, err)
	assert.Equal(t, bridge.ACS, f)
	assert.Equal(t, "graph", bridge.Graph.String())
	_, err = bridge.ParseFormat("sip")
	assert.Error(t, err)
}

func TestNewUUID(t *testing.T) {
	seen := map[string]bool{}
	for range 100 {
		u := bridge.NewUUID()
		require.Regexp(t, `^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`, u)
		require.False(t, seen[u])
		seen[u] = true
	}
}

func TestSinks(t *testing.T) {
	ch := make(chan bridge.Notification, 1)
	require.NoError(t, bridge.ChanSink(ch).Deliver(context.Background(), bridge.Notification{CallID: "x"}))
	assert.Equal(t, "x", (<-ch).CallID)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	full := make(chan bridge.Notification)
	assert.ErrorIs(t, bridge.ChanSink(full).Deliver(ctx, bridge.Notification{}), context.Canceled)

	var got []string
	f := bridge.FuncSink(func(_ context.Context, n bridge.Notification) error { got = append(got, n.CallID); return nil })
	require.NoError(t, f.Deliver(context.Background(), bridge.Notification{CallID: "y"}))
	assert.Equal(t, []string{"y"}, got)
}
