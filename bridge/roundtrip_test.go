package bridge_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/dtmfkit/dtmfkit/bridge"
	"github.com/dtmfkit/dtmfkit/bridge/acs"
	"github.com/dtmfkit/dtmfkit/bridge/graph"
	"github.com/dtmfkit/dtmfkit/dtmf"
	"github.com/dtmfkit/dtmfkit/dtmf/decoder"
)

// render plays a Playout to its end, as the call's media would.
func render(t *testing.T, p *bridge.Playout) []int16 {
	t.Helper()
	pcm := playAll(t, p)
	require.EqualValues(t, p.Frames()*int64(p.FrameSize()), len(pcm))
	return pcm
}

// detect feeds pcm to a Detector for h in chunks of the given size (0: all
// at once).
func detect(t *testing.T, h bridge.EventHandler, rate dtmf.SampleRate, pcm []int16, chunk int) {
	t.Helper()
	d, err := bridge.NewDetector(h, decoder.Config{SampleRate: rate})
	require.NoError(t, err)
	ctx := context.Background()
	if chunk == 0 {
		chunk = len(pcm)
	}
	for len(pcm) > 0 {
		n := min(chunk, len(pcm))
		require.NoError(t, d.Decode(ctx, pcm[:n]))
		pcm = pcm[n:]
	}
	require.NoError(t, d.Flush(ctx))
}

// TestRoundTripGraph: the seed page's sendDtmfTones request → audio →
// decoder → tone notifications with sequence ids 1..N and the requested
// tones.
func TestRoundTripGraph(t *testing.T) {
	req, err := graph.ParseSendDtmfTonesRequest(readFile(t, "testdata/seed/graph-senddtmftones-request.json"))
	require.NoError(t, err)
	for _, rate := range []dtmf.SampleRate{8000, 16000, 48000} {
		sender, err := bridge.NewGraphCall(bridge.Config{CallID: "sender", Sink: &recorder{}, SampleRate: rate})
		require.NoError(t, err)
		_, p, err := sender.SendDtmfTones(context.Background(), req)
		require.NoError(t, err)
		pcm := render(t, p)

		for _, chunk := range []int{p.FrameSize(), 0} {
			rec := &recorder{}
			receiver, err := bridge.NewGraphCall(bridge.Config{CallID: seedToneCall, Sink: rec, SampleRate: rate})
			require.NoError(t, err)
			_, err = receiver.SubscribeToTone(graph.SubscribeToToneRequest{})
			require.NoError(t, err)
			detect(t, receiver, rate, pcm, chunk)

			got := rec.all()
			require.Len(t, got, len(req.Tones), "rate %v chunk %d", rate, chunk)
			for i, n := range got {
				ns, err := graph.ParseNotifications(n.Body)
				require.NoError(t, err)
				ti := ns.Value[0].ResourceData[0].Call.ToneInfo
				assert.EqualValues(t, i+1, ti.SequenceID)
				assert.Equal(t, req.Tones[i], ti.Tone, "key %d at %v", i, rate)
			}
		}
	}
}

// TestRoundTripACS: the seed page's request, and one with the most tones
// ACS allows, → audio → decoder → ContinuousDtmfRecognitionToneReceived
// events with sequence ids 1..N and the requested tones.
func TestRoundTripACS(t *testing.T) {
	seedReq, err := acs.ParseSendDtmfTonesRequest(readFile(t, "testdata/seed/acs-senddtmftones-request.json"))
	require.NoError(t, err)
	full := seedReq
	full.Tones = []acs.Tone{"one", "two", "three", "a", "four", "five", "six", "b", "seven", "eight", "nine", "c",
		"asterisk", "zero", "pound", "d", "one", "one"}
	require.NoError(t, full.Validate())

	for _, req := range []acs.SendDtmfTonesRequest{seedReq, full} {
		sender, err := bridge.NewACSCall(bridge.Config{CallID: "sender", Sink: &recorder{}})
		require.NoError(t, err)
		_, p, err := sender.SendDtmfTones(context.Background(), req, bridge.Repeatability{})
		require.NoError(t, err)
		pcm := render(t, p)

		rec := &recorder{}
		receiver, err := bridge.NewACSCall(bridge.Config{CallID: "receiver", Sink: rec})
		require.NoError(t, err)
		require.NoError(t, receiver.StartContinuousDtmfRecognition(acs.ContinuousDtmfRecognitionRequest{TargetParticipant: req.TargetParticipant}))
		detect(t, receiver, bridge.DefaultSampleRate, pcm, p.FrameSize())

		got := rec.all()
		require.Len(t, got, len(req.Tones))
		for i, n := range got {
			evs, err := acs.ParseEvents(n.Body)
			require.NoError(t, err)
			require.Len(t, evs, 1)
			assert.True(t, evs[0].Is(acs.ContinuousDtmfRecognitionToneReceived))
			assert.EqualValues(t, i+1, evs[0].Data.SequenceID)
			assert.Equal(t, req.Tones[i], evs[0].Data.Tone, "key %d", i)
		}
	}
}
