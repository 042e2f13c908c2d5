package bridge_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/dtmfkit/dtmfkit/bridge"
	"github.com/dtmfkit/dtmfkit/bridge/acs"
)

func FuzzDetectFormat(f *testing.F) {
	for _, name := range []string{"graph-senddtmftones-request.json", "acs-senddtmftones-request.json", "graph-subscribetotone-request.json"} {
		f.Add(readFile(f, "testdata/seed/"+name))
	}
	for _, s := range []string{``, `{}`, `[]`, `{"tones":null}`, `{"tones":["zero","tone1"]}`, `{"TONES":[1,"x"]}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		format, err := bridge.DetectFormat(body)
		if err != nil {
			return
		}
		require.Contains(t, []bridge.Format{bridge.Graph, bridge.ACS}, format)
	})
}

// FuzzRepeatabilityHeaders feeds arbitrary header values to an ACS call:
// every outcome is a result with a Playout, a repeat without one, or an
// *acs.Error, never a panic.
func FuzzRepeatabilityHeaders(f *testing.F) {
	f.Add("f1d2c3b4-a5e6-4f70-8a91-b2c3d4e5f607", "Sun, 01 Jun 2025 11:59:00 GMT")
	f.Add("", "")
	f.Add("F1D2C3B4-A5E6-4F70-8A91-B2C3D4E5F607", "Sun, 06 Nov 1994 08:49:37 GMT")
	f.Add("not-a-uuid", "yesterday")
	now := time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)
	req := acs.SendDtmfTonesRequest{Tones: []acs.Tone{"one"}, TargetParticipant: target}
	f.Fuzz(func(t *testing.T, id, firstSent string) {
		c, err := bridge.NewACSCall(bridge.Config{CallID: "c", Sink: &recorder{}, Clock: clock(now)})
		require.NoError(t, err)
		rep := bridge.Repeatability{RequestID: id, FirstSent: firstSent}
		for i := range 2 {
			_, p, err := c.SendDtmfTones(context.Background(), req, rep)
			var ae *acs.Error
			switch {
			case err != nil:
				require.True(t, errors.As(err, &ae), "%v", err)
			case id == "" || i == 0:
				require.NotNil(t, p)
			default:
				require.Nil(t, p, "a repeat is not rendered")
			}
		}
	})
}
