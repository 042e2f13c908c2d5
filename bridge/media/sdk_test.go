package media_test

import (
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/dtmfkit/dtmfkit/bridge/acs"
	"github.com/dtmfkit/dtmfkit/internal/dtmftest"
)

// sdkDir holds the node script and, once make sdk-check has installed
// it, the official ACS Call Automation JS SDK.
const sdkDir = "testdata/sdk"

// needACSSDK returns node's path, or skips the test when node or the SDK
// is missing: make test never needs the network, make sdk-check installs
// the SDK.
func needACSSDK(t *testing.T) string {
	t.Helper()
	node, err := exec.LookPath("node")
	if err != nil {
		t.Skip("node is not installed")
	}
	if _, err := os.Stat(filepath.Join(sdkDir, "node_modules", "@azure", "communication-call-automation")); err != nil {
		t.Skip("the ACS Call Automation SDK is not installed: run make sdk-check")
	}
	return node
}

// acsSDK runs testdata/sdk/acs-check.cjs in a mode, trusting e's
// certificate, and returns its JSON answer.
func acsSDK(t *testing.T, node string, e *env, args ...string) map[string]any {
	t.Helper()
	ca := filepath.Join(t.TempDir(), "ca.pem")
	require.NoError(t, os.WriteFile(ca, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: e.srv.Certificate().Raw}), 0o600))
	cmd := exec.Command(node, append([]string{"acs-check.cjs"}, args...)...)
	cmd.Dir = sdkDir
	cmd.Env = append(os.Environ(), "NODE_EXTRA_CA_CERTS="+ca)
	out, err := cmd.Output()
	var v map[string]any
	require.NoError(t, json.Unmarshal(out, &v), "node %v: %s (%v)", args, out, err)
	require.NoError(t, err, "node %v: %s", args, out)
	return v
}

// TestCallAutomationSDK drives the ACS handler with the official Call
// Automation JS SDK (@azure/communication-call-automation, pinned in
// testdata/sdk/package.json) as a bot would: its REST calls, with its own
// api-version and Repeatability headers, must succeed; every event the
// server POSTs must parse with its parseCallAutomationEvent, field for
// field; the media messages a test client sends as ACS does must parse
// with its StreamingData.parse; and the outbound messages its helpers
// write must parse with acs.ParseOutboundMessage.
func TestCallAutomationSDK(t *testing.T) {
	node := needACSSDK(t)
	dtmftest.CheckGoroutines(t)
	const phone = "+14255550123"
	e := newEnv(t, 0, withTLS())
	c := e.dialACS(t, acsCall, url.Values{"callbackUri": {e.rec.URL("/sdk")}, "serverCallId": {"aHR0cHM6Ly9hcGkuZXhhbXBsZS5jb20vY29udi8x"}})
	c.metadata(t, 16000)
	back := make(chan []byte, 1024) // the outbound audio of the send
	go func() {
		defer close(back)
		for {
			_, b, err := c.conn.Read(t.Context())
			if err != nil {
				return
			}
			back <- b
		}
	}()

	got := acsSDK(t, node, e, "rest", e.url, token, acsCall, phone)
	assert.Equal(t, map[string]any{"send": map[string]any{"operationContext": "sdk-send"}}, got)
	sent := c.packets(caller, keyAudio(t, 16000, "159", 100*time.Millisecond, 200*time.Millisecond))
	for _, m := range sent {
		c.send(t, m)
	}
	dtmfData := acs.StreamingMessage{Kind: acs.KindDtmfData, DtmfData: &acs.DtmfData{Data: "7", ParticipantRawID: caller,
		Timestamp: acs.FormatTimestamp(streamStart.Add(5 * time.Second))}}
	c.send(t, dtmfData)
	e.rec.wait(t, "/sdk", 5) // four keys and the send's completion
	acsSDK(t, node, e, "stop", e.url, token, acsCall, phone)
	bodies := e.rec.wait(t, "/sdk", 6)
	c.closeNormally()

	// The events, as the SDK reads them.
	md, err := json.Marshal(acs.StreamingMessage{Kind: acs.KindAudioMetadata, AudioMetadata: &acs.AudioMetadata{
		SubscriptionID: "89e8cb59-b991-48b0-b154-1db84f16a077", Encoding: "PCM", SampleRate: 16000, Channels: 1, Length: 640}})
	require.NoError(t, err)
	input := map[string][]string{"streaming": {string(md)}}
	for _, b := range bodies {
		input["events"] = append(input["events"], string(b))
	}
	for _, m := range []acs.StreamingMessage{sent[10], sent[0], dtmfData} { // a tone, silence, a key
		b, err := json.Marshal(m)
		require.NoError(t, err)
		input["streaming"] = append(input["streaming"], string(b))
	}
	file := filepath.Join(t.TempDir(), "input.json")
	b, err := json.Marshal(input)
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(file, b, 0o600))
	parsed := acsSDK(t, node, e, "parse", file)

	var kinds, tones []string
	var seqs []float64
	for i, v := range parsed["events"].([]any) {
		ev := v.(map[string]any)
		kind := ev["kind"].(string)
		kinds = append(kinds, kind)
		assert.Equal(t, acsCall, ev["callConnectionId"], "event %d", i)
		assert.Equal(t, "aHR0cHM6Ly9hcGkuZXhhbXBsZS5jb20vY29udi8x", ev["serverCallId"], "event %d", i)
		assert.Equal(t, "53be6977-d832-4d8c-a4d0-2b3c4d5e6f70", ev["correlationId"], "event %d", i)
		result := ev["resultInformation"].(map[string]any)
		assert.Equal(t, 200.0, result["code"], "event %d", i)
		assert.Equal(t, 0.0, result["subCode"], "event %d", i)
		assert.NotEmpty(t, result["message"], "event %d", i)
		switch kind {
		case "ContinuousDtmfRecognitionToneReceived":
			assert.Equal(t, "sdk-reco", ev["operationContext"])
			seqs = append(seqs, ev["sequenceId"].(float64))
			tones = append(tones, ev["tone"].(string))
		case "SendDtmfTonesCompleted":
			assert.Equal(t, "sdk-send", ev["operationContext"])
		case "ContinuousDtmfRecognitionStopped":
			assert.Equal(t, "sdk-stop", ev["operationContext"])
		}
	}
	assert.ElementsMatch(t, []string{"ContinuousDtmfRecognitionToneReceived", "ContinuousDtmfRecognitionToneReceived",
		"ContinuousDtmfRecognitionToneReceived", "ContinuousDtmfRecognitionToneReceived", "SendDtmfTonesCompleted",
		"ContinuousDtmfRecognitionStopped"}, kinds)
	assert.Equal(t, []float64{1, 2, 3, 4}, seqs)
	assert.Equal(t, []string{"one", "five", "nine", "seven"}, tones)

	// The media messages, as the SDK reads them.
	streaming := parsed["streaming"].([]any)
	require.Len(t, streaming, 4)
	metadata := streaming[0].(map[string]any)
	assert.Equal(t, "AudioMetadata", metadata["kind"])
	assert.Equal(t, map[string]any{"subscriptionId": "89e8cb59-b991-48b0-b154-1db84f16a077", "encoding": "PCM",
		"sampleRate": 16000.0, "channels": 1.0}, metadata["value"])
	for i, m := range []acs.StreamingMessage{sent[10], sent[0]} {
		audio := streaming[1+i].(map[string]any)
		assert.Equal(t, "AudioData", audio["kind"])
		value := audio["value"].(map[string]any)
		assert.Equal(t, base64.StdEncoding.EncodeToString(m.AudioData.Data), value["data"])
		assert.Equal(t, m.AudioData.Timestamp, value["timestamp"])
		assert.Equal(t, m.AudioData.Silent, value["isSilent"])
		assert.Equal(t, map[string]any{"kind": "phoneNumber", "phoneNumber": "+14255550123", "isAnonymous": false}, value["participant"])
	}
	assert.Equal(t, map[string]any{"kind": "DtmfData", "value": map[string]any{"data": "7"}}, streaming[3])

	// The outbound messages the SDK's helpers write for a bot.
	for i, v := range parsed["outbound"].([]any) {
		m, err := acs.ParseOutboundMessage([]byte(v.(string)))
		require.NoError(t, err, "%s", v)
		if i == 0 {
			assert.Equal(t, acs.KindAudioData, m.Kind)
			assert.Equal(t, []byte{0, 0, 1, 0, 0xff, 0xff}, m.AudioData.Data)
		} else {
			assert.Equal(t, acs.KindStopAudio, m.Kind)
		}
	}

	// The send played "1#" into the call.
	var pcm []int16
	for b := range back {
		m, err := acs.ParseOutboundMessage(b)
		require.NoError(t, err)
		for i := 0; i+1 < len(m.AudioData.Data); i += 2 {
			pcm = append(pcm, int16(uint16(m.AudioData.Data[i])|uint16(m.AudioData.Data[i+1])<<8))
		}
	}
	assert.Equal(t, "1#", decodeKeys(t, 16000, pcm))
}
