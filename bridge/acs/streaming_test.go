package acs_test

import (
	"encoding/base64"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/dtmfkit/dtmfkit/bridge/acs"
	"github.com/dtmfkit/dtmfkit/dtmf"
)

// The inbound messages as the azure-docs audio streaming quickstarts show
// them (reference §C.1), with a real payload.
const (
	docMetadata = `{"kind":"AudioMetadata","audioMetadata":{"subscriptionId":"89e8cb59-b991-48b0-b154-1db84f16a077","encoding":"PCM","sampleRate":16000,"channels":1,"length":640}}`
	docAudio    = `{"kind":"AudioData","audioData":{"timestamp":"2024-11-15T19:16:12.925Z","participantRawID":"8:acs:3d20e1de-0f28-41c5","data":"5ADwAOMA6AA=","silent":false}}`
	docDtmf     = `{"kind":"DtmfData","dtmfData":{"data":"3"}}`
)

func TestStreamingParser(t *testing.T) {
	var p acs.StreamingParser
	m, err := p.Parse([]byte(docMetadata))
	require.NoError(t, err)
	assert.Equal(t, acs.KindAudioMetadata, m.Kind)
	assert.Equal(t, acs.AudioMetadata{SubscriptionID: "89e8cb59-b991-48b0-b154-1db84f16a077", Encoding: "PCM", SampleRate: 16000, Channels: 1, Length: 640}, *m.AudioMetadata)

	m, err = p.Parse([]byte(docAudio))
	require.NoError(t, err)
	assert.Equal(t, acs.KindAudioData, m.Kind)
	assert.Equal(t, []byte{0xe4, 0, 0xf0, 0, 0xe3, 0, 0xe8, 0}, m.AudioData.Data)
	assert.Equal(t, "8:acs:3d20e1de-0f28-41c5", m.AudioData.ParticipantRawID)
	ts, err := acs.ParseTimestamp(m.AudioData.Timestamp)
	require.NoError(t, err)
	assert.Equal(t, time.Date(2024, 11, 15, 19, 16, 12, 925e6, time.UTC), ts)
	assert.Equal(t, m.AudioData.Timestamp, acs.FormatTimestamp(ts))

	m, err = p.Parse([]byte(docDtmf))
	require.NoError(t, err)
	d, err := m.DtmfData.Digit()
	require.NoError(t, err)
	assert.Equal(t, dtmf.Digit('3'), d)

	// What the SDKs vary: PascalCase names and kinds, '+' escaped as
	// System.Text.Json writes it, a silent packet with no data, another kind.
	m, err = p.Parse([]byte(`{"Kind":"audiodata","AudioData":{"Data":"\u002B/8AAA==","Silent":true}}`))
	require.NoError(t, err)
	assert.Equal(t, []byte{0xfb, 0xff, 0, 0}, m.AudioData.Data)
	m, err = p.Parse([]byte(`{"kind":"AudioData","audioData":{"silent":true}}`))
	require.NoError(t, err)
	assert.Empty(t, m.AudioData.Data)
	assert.True(t, m.AudioData.Silent)
	m, err = p.Parse([]byte(`{"kind":"TranscriptionData","transcriptionData":{"text":"hi"}}`))
	require.NoError(t, err)
	assert.Equal(t, "TranscriptionData", m.Kind)
}

func TestStreamingParserErrors(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{`{"kind":`, "not valid JSON"},
		{`[]`, "a JSON array is not valid here"},
		{`{}`, "no kind"},
		{`{"kind":"AudioData"}`, "without an audioData object"},
		{`{"kind":"AudioMetadata"}`, "without an audioMetadata object"},
		{`{"kind":"DtmfData"}`, "without a dtmfData object"},
		{`{"kind":"AudioData","audioData":{"data":5}}`, "not a string"},
		{`{"kind":"AudioData","audioData":{"data":"!!!!"}}`, "not base64"},
		{`{"kind":"AudioData","audioData":{"data":"AAAA"}}`, "3 bytes, not whole 16-bit samples"},
		{`{"kind":"AudioMetadata","audioMetadata":{"sampleRate":"16000"}}`, "audioMetadata.sampleRate: a JSON string is not valid here"},
	} {
		var p acs.StreamingParser
		_, err := p.Parse([]byte(tt.in))
		require.Error(t, err, tt.in)
		assert.Contains(t, err.Error(), tt.want, tt.in)
		assert.True(t, strings.HasPrefix(err.Error(), "acs: media message: "), err.Error())
	}
}

func TestDtmfDataDigit(t *testing.T) {
	for in, want := range map[string]dtmf.Digit{"3": '3', "*": '*', "#": '#', "a": 'A', "D": 'D', "three": '3', "Asterisk": '*', "pound": '#', " 7 ": '7'} {
		d, err := acs.DtmfData{Data: in}.Digit()
		require.NoError(t, err, in)
		assert.Equal(t, want, d, in)
	}
	for _, in := range []string{"", "x", "12", "flash", "star"} {
		_, err := acs.DtmfData{Data: in}.Digit()
		assert.Error(t, err, in)
	}
}

func TestOutboundAudio(t *testing.T) {
	pcm := []int16{0, 1, -1, 32767, -32768}
	for n := range 60 { // every length class of the 24-sample blocks
		pcm = append(pcm, int16(n*1000-30000))
		b := acs.AppendOutboundAudio(nil, pcm)
		want, err := json.Marshal(acs.OutboundMessage{Kind: acs.KindAudioData, AudioData: &acs.OutboundAudioData{Data: le(pcm)}})
		require.NoError(t, err)
		require.Equal(t, string(want), string(b), "the documented PascalCase form, as json.Marshal writes it")
		m, err := acs.ParseOutboundMessage(b)
		require.NoError(t, err)
		assert.Equal(t, le(pcm), m.AudioData.Data)
	}
	// The JS SDK's camelCase form parses too.
	m, err := acs.ParseOutboundMessage([]byte(`{"kind":"audioData","audioData":{"data":"AQA=","isSilent":false},"stopAudio":{}}`))
	require.NoError(t, err)
	assert.Equal(t, []byte{1, 0}, m.AudioData.Data)
	m, err = acs.ParseOutboundMessage([]byte(`{"Kind":"StopAudio","AudioData":null,"StopAudio":{}}`))
	require.NoError(t, err)
	assert.Equal(t, acs.KindStopAudio, m.Kind)
	for _, bad := range []string{`{"kind":"audioData"}`, `{"kind":"nope"}`, `{"kind":"audioData","audioData":{"data":"AQ=="}}`, `x`} {
		_, err := acs.ParseOutboundMessage([]byte(bad))
		assert.Error(t, err, bad)
	}
}

func le(pcm []int16) []byte {
	var b []byte
	for _, v := range pcm {
		b = append(b, byte(v), byte(uint16(v)>>8))
	}
	return b
}

func TestRawIDs(t *testing.T) {
	for _, tt := range []struct {
		id   acs.CommunicationIdentifierModel
		want string
	}{
		{acs.CommunicationIdentifierModel{RawID: "4:+1555"}, "4:+1555"},
		{acs.CommunicationIdentifierModel{PhoneNumber: &acs.PhoneNumberIdentifierModel{Value: "+14255550123"}}, "4:+14255550123"},
		{acs.CommunicationIdentifierModel{CommunicationUser: &acs.CommunicationUserIdentifierModel{ID: "8:acs:x"}}, "8:acs:x"},
		{acs.CommunicationIdentifierModel{MicrosoftTeamsUser: &acs.MicrosoftTeamsUserIdentifierModel{UserID: "u", Cloud: "gcch"}}, "8:gcch:u"},
		{acs.CommunicationIdentifierModel{MicrosoftTeamsApp: &acs.MicrosoftTeamsAppIdentifierModel{AppID: "a"}}, "28:orgid:a"},
		{acs.CommunicationIdentifierModel{TeamsExtensionUser: &acs.TeamsExtensionUserIdentifierModel{UserID: "u", TenantID: "t", ResourceID: "r"}}, "8:acs:r_t_u"},
		{acs.CommunicationIdentifierModel{}, ""},
	} {
		assert.Equal(t, tt.want, tt.id.Raw())
	}
	assert.True(t, acs.SameRawID("4:+14255550123", "4:14255550123"))
	assert.True(t, acs.SameRawID("8:acs:x", "8:acs:x"))
	assert.False(t, acs.SameRawID("8:acs:x", "8:acs:y"))
	assert.False(t, acs.SameRawID("4:+1", "4:+2"))
}

func FuzzStreamingParser(f *testing.F) {
	for _, s := range []string{docMetadata, docAudio, docDtmf, `{}`, `null`, `{"kind":"AudioData","audioData":{"data":"\u002Bw=="}}`,
		`{"kind":"AudioData","audioData":{"data":null,"silent":true}}`, `{"kind":"x"}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		var p acs.StreamingParser
		m, err := p.Parse(b)
		if err != nil {
			require.True(t, strings.HasPrefix(err.Error(), "acs: media message: "), err.Error())
			return
		}
		require.NotEmpty(t, m.Kind)
		switch m.Kind {
		case acs.KindAudioData:
			require.NotNil(t, m.AudioData)
			require.Zero(t, len(m.AudioData.Data)%2, "whole samples")
			// What parsed formats back (as ACS would send it) to the same.
			out, err := json.Marshal(m)
			require.NoError(t, err)
			var q acs.StreamingParser
			again, err := q.Parse(out)
			require.NoError(t, err, "%s", out)
			require.Equal(t, base64.StdEncoding.EncodeToString(m.AudioData.Data), base64.StdEncoding.EncodeToString(again.AudioData.Data))
		case acs.KindAudioMetadata:
			require.NotNil(t, m.AudioMetadata)
		case acs.KindDtmfData:
			require.NotNil(t, m.DtmfData)
			_, _ = m.DtmfData.Digit() // an error, never a panic
		}
	})
}

func FuzzParseOutboundMessage(f *testing.F) {
	f.Add(acs.AppendOutboundAudio(nil, []int16{1, 2, 3}))
	f.Add([]byte(`{"kind":"audioData","audioData":{"data":"AQA=","isSilent":false},"stopAudio":{}}`))
	f.Add([]byte(`{"Kind":"StopAudio","AudioData":null,"StopAudio":{}}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		m, err := acs.ParseOutboundMessage(b)
		if err != nil {
			return
		}
		if m.Kind == acs.KindAudioData {
			require.Zero(t, len(m.AudioData.Data)%2)
			pcm := make([]int16, len(m.AudioData.Data)/2)
			for i := range pcm {
				pcm[i] = int16(uint16(m.AudioData.Data[2*i]) | uint16(m.AudioData.Data[2*i+1])<<8)
			}
			again, err := acs.ParseOutboundMessage(acs.AppendOutboundAudio(nil, pcm))
			require.NoError(t, err)
			require.Equal(t, len(m.AudioData.Data), len(again.AudioData.Data))
		}
	})
}
