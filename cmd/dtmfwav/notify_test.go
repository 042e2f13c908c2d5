package main

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const seeds = "../../bridge/testdata/seed"

// toneOf pulls (sequenceId, tone) out of a Graph or ACS tone notification.
func toneOf(t *testing.T, line string) (int64, string) {
	t.Helper()
	if strings.HasPrefix(line, "[") {
		var events []struct {
			Type string `json:"type"`
			Data struct {
				SequenceID int64  `json:"sequenceId"`
				Tone       string `json:"tone"`
			} `json:"data"`
		}
		require.NoError(t, json.Unmarshal([]byte(line), &events), line)
		require.Len(t, events, 1)
		return events[0].Data.SequenceID, events[0].Data.Tone
	}
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
	require.NoError(t, json.Unmarshal([]byte(line), &n), line)
	require.Len(t, n.Value, 1)
	ti := n.Value[0].ResourceData.ToneInfo
	return ti.SequenceID, ti.Tone
}

func TestDecodeNotifications(t *testing.T) {
	wav, _, code := cli(t, nil, "gen", "-rate", "16000", "-o", "-", "1*0#")
	require.Zero(t, code)
	for _, tt := range []struct {
		format string
		tones  []string
	}{
		{"graph", []string{"tone1", "star", "tone0", "pound"}},
		{"acs", []string{"one", "asterisk", "zero", "pound"}},
	} {
		stdout, stderr, code := cli(t, strings.NewReader(wav), "decode", "-format", tt.format, "-call-id", "57dab8b1-894c-409a-b240-bd8beae78896")
		require.Zero(t, code, stderr)
		lines := strings.Split(strings.TrimSpace(stdout), "\n")
		if tt.format == "acs" {
			require.Len(t, lines, 5)
			assert.Contains(t, lines[4], "Microsoft.Communication.ContinuousDtmfRecognitionStopped")
			lines = lines[:4]
		}
		require.Len(t, lines, 4)
		for i, line := range lines {
			seq, tone := toneOf(t, line)
			assert.EqualValues(t, i+1, seq, "sequence ids 1..N")
			assert.Equal(t, tt.tones[i], tone)
			assert.Contains(t, line, "57dab8b1-894c-409a-b240-bd8beae78896")
		}
	}
}

// TestDecodeACSCallIDs checks that the ACS call's server call id and
// correlation id reach every event.
func TestDecodeACSCallIDs(t *testing.T) {
	wav, _, code := cli(t, nil, "gen", "-o", "-", "5")
	require.Zero(t, code)
	stdout, stderr, code := cli(t, strings.NewReader(wav), "decode", "-format", "acs", "-call-id", "401f3500-08a1-4b38-b5ef-1b0f1a40e5c4",
		"-server-call-id", "aHR0cHM6Ly9hcGkuZXhhbXBsZS5jb20vY29udi8x", "-correlation-id", "53be6977-d832-4d8c-a4d0-2b3c4d5e6f70")
	require.Zero(t, code, stderr)
	lines := strings.Split(strings.TrimSpace(stdout), "\n")
	require.Len(t, lines, 2) // the tone, then recognition stopped
	for _, line := range lines {
		var events []struct {
			Data struct {
				ServerCallID  string `json:"serverCallId"`
				CorrelationID string `json:"correlationId"`
			} `json:"data"`
		}
		require.NoError(t, json.Unmarshal([]byte(line), &events), line)
		require.Len(t, events, 1)
		assert.Equal(t, "aHR0cHM6Ly9hcGkuZXhhbXBsZS5jb20vY29udi8x", events[0].Data.ServerCallID)
		assert.Equal(t, "53be6977-d832-4d8c-a4d0-2b3c4d5e6f70", events[0].Data.CorrelationID)
	}
}

func TestDecodeNotificationsToCallback(t *testing.T) {
	wav, _, _ := cli(t, nil, "gen", "-rate", "16000", "-o", "-", "159")
	var mu sync.Mutex
	var got []string
	fails := 2 // the callback refuses its first two requests: retried
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		assert.Equal(t, "application/json", r.Header.Get("Content-Type"))
		if fails > 0 {
			fails--
			w.WriteHeader(http.StatusServiceUnavailable)
			return
		}
		b, _ := io.ReadAll(r.Body)
		got = append(got, string(b))
	}))
	defer srv.Close()
	stdout, stderr, code := cli(t, strings.NewReader(wav), "decode", "-format", "graph", "-call-id", "c1", "-callback", srv.URL+"/notify")
	require.Zero(t, code, stderr)
	assert.Empty(t, stdout, "posted, not printed")
	mu.Lock()
	defer mu.Unlock()
	require.Len(t, got, 3)
	for i, body := range got {
		seq, _ := toneOf(t, body)
		assert.EqualValues(t, i+1, seq, "in order")
	}
}

func TestDecodeCallbackThatNeverAnswersFails(t *testing.T) {
	wav, _, _ := cli(t, nil, "gen", "-o", "-", "5")
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusBadRequest) // not worth retrying
	}))
	defer srv.Close()
	_, stderr, code := cli(t, strings.NewReader(wav), "decode", "-format", "acs", "-call-id", "c2", "-callback", srv.URL)
	assert.Equal(t, 1, code)
	assert.Contains(t, stderr, "not delivered")
	assert.Contains(t, stderr, "400")
}

func TestGenRequest(t *testing.T) {
	dir := t.TempDir()
	for _, tt := range []struct {
		seed, keys, first, last string
	}{
		{"graph-senddtmftones-request.json", "1234567890*#", `"status":"running"`, `"completionReason":"completedSuccessfully"`},
		{"acs-senddtmftones-request.json", "0", `{"operationContext":"sendDtmf operation context"}`, "Microsoft.Communication.SendDtmfTonesCompleted"},
	} {
		out := filepath.Join(dir, tt.seed+".wav")
		stdout, stderr, code := cli(t, nil, "gen", "-request", filepath.Join(seeds, tt.seed), "-call-id", "481f3600-983e-4276-9b59-c1b30ec8d125", "-o", out)
		require.Zero(t, code, stderr)
		lines := strings.Split(strings.TrimSpace(stdout), "\n")
		require.Len(t, lines, 2, stdout)
		assert.Contains(t, lines[0], tt.first, "the operation's response first")
		assert.Contains(t, lines[1], tt.last, "then its completion")
		keys, stderr, code := cli(t, nil, "decode", out)
		require.Zero(t, code, stderr)
		assert.Equal(t, tt.keys+"\n", keys, "16 kHz audio with the requested tones")
	}
}
