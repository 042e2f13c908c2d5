package acs

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/dtmfkit/dtmfkit/bridge/internal/wire"
	"github.com/dtmfkit/dtmfkit/dtmf"
)

// The kinds of media streaming messages. ACS sends AudioMetadata first,
// then AudioData (and DtmfData when enableDtmfTones is set); with
// bidirectional streaming the app sends AudioData and StopAudio back.
const (
	KindAudioMetadata = "AudioMetadata"
	KindAudioData     = "AudioData"
	KindDtmfData      = "DtmfData"
	KindStopAudio     = "StopAudio"
)

// The audio formats of media streaming (MediaStreamingOptions.audioFormat).
const (
	PCM16KMono = 16000 // pcm16KMono, the default
	PCM24KMono = 24000 // pcm24KMono
)

// StreamingMessage is one inbound media streaming message, as ACS sends
// it over the WebSocket as a text message: kind, and the object that kind
// names. Marshalled, it is the JSON ACS sends (camelCase, data in base64).
type StreamingMessage struct {
	Kind          string         `json:"kind"`
	AudioMetadata *AudioMetadata `json:"audioMetadata,omitempty"`
	AudioData     *AudioData     `json:"audioData,omitempty"`
	DtmfData      *DtmfData      `json:"dtmfData,omitempty"`
}

// AudioMetadata describes the audio of the messages that follow it.
type AudioMetadata struct {
	SubscriptionID string `json:"subscriptionId,omitempty"`
	Encoding       string `json:"encoding"`   // "PCM" (docs) or "pcm" (SDK comments)
	SampleRate     int    `json:"sampleRate"` // 16000 or 24000
	Channels       int    `json:"channels"`   // 1
	Length         int    `json:"length"`     // bytes per packet: 640 for 20 ms at 16 kHz
}

// AudioData is one packet of audio: little-endian signed 16-bit mono PCM,
// base64 on the wire. ParticipantRawID names the speaker in unmixed
// streams. A silent packet may carry no data.
type AudioData struct {
	Timestamp        string `json:"timestamp,omitempty"` // ISO 8601, UTC
	ParticipantRawID string `json:"participantRawID,omitempty"`
	Data             []byte `json:"data"`
	Silent           bool   `json:"silent"`
}

// DtmfData is a key ACS itself received out of band (RFC 4733), sent when
// the stream was started with enableDtmfTones. Data is the key: a keypad
// character ("3", "*") or, as some services write it, its ACS tone name
// ("three", "asterisk").
type DtmfData struct {
	Data             string `json:"data"`
	Timestamp        string `json:"timestamp,omitempty"`
	ParticipantRawID string `json:"participantRawID,omitempty"`
}

// Digit returns the key d carries.
func (d DtmfData) Digit() (dtmf.Digit, error) {
	s := strings.TrimSpace(d.Data)
	if len(s) == 1 {
		if k, err := dtmf.ParseDigit(rune(s[0])); err == nil {
			return k, nil
		}
	}
	k, err := dtmf.ParseName(dtmf.ACS, s)
	if err != nil {
		return 0, fmt.Errorf("acs: dtmfData.data %q is not a key (want 0-9, *, #, A-D or an ACS tone name)", d.Data)
	}
	return k, nil
}

// ParseTimestamp parses a media streaming timestamp (ISO 8601). The empty
// string is an error.
func ParseTimestamp(s string) (time.Time, error) {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("acs: timestamp %q is not ISO 8601", s)
	}
	return t, nil
}

// FormatTimestamp writes t as ACS writes media timestamps: UTC, to the
// millisecond, "Z".
func FormatTimestamp(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000Z") }

// errMessage is wrapped by every error StreamingParser.Parse returns.
var errMessage = errors.New("acs: media message")

// StreamingParser parses inbound media streaming messages, reusing its
// buffers: a server keeps one per connection. The zero value is ready to
// use; it is not safe for concurrent use.
type StreamingParser struct {
	raw rawMessage
	pcm []byte
}

// rawMessage is StreamingMessage with the audio left as JSON text, so that
// it is decoded from base64 straight into the parser's buffer.
type rawMessage struct {
	Kind          string         `json:"kind"`
	AudioMetadata *AudioMetadata `json:"audioMetadata"`
	AudioData     *struct {
		Timestamp        string          `json:"timestamp"`
		ParticipantRawID string          `json:"participantRawID"`
		Data             json.RawMessage `json:"data"`
		Silent           bool            `json:"silent"`
	} `json:"audioData"`
	DtmfData *DtmfData `json:"dtmfData"`
}

// Parse parses one message. Field names are matched without regard to case
// (the SDKs differ), and so is the kind, which is returned in the
// spelling of the Kind constants. A message of another kind
// (TranscriptionData…) is returned with only its Kind set and no error, for
// the caller to skip. The AudioData's Data aliases the parser's buffer and
// is valid until the next Parse. An error names what is wrong: invalid
// JSON, no kind, a kind without its object, data that is not base64 or not
// whole 16-bit samples.
func (p *StreamingParser) Parse(b []byte) (StreamingMessage, error) {
	p.raw = rawMessage{}
	if err := json.Unmarshal(b, &p.raw); err != nil {
		return StreamingMessage{}, fmt.Errorf("%w: %s", errMessage, wire.Describe(err))
	}
	m := StreamingMessage{Kind: p.raw.Kind}
	switch {
	case strings.EqualFold(m.Kind, KindAudioMetadata):
		m.Kind, m.AudioMetadata = KindAudioMetadata, p.raw.AudioMetadata
		if m.AudioMetadata == nil {
			return StreamingMessage{}, fmt.Errorf("%w: kind AudioMetadata without an audioMetadata object", errMessage)
		}
	case strings.EqualFold(m.Kind, KindAudioData):
		ad := p.raw.AudioData
		if ad == nil {
			return StreamingMessage{}, fmt.Errorf("%w: kind AudioData without an audioData object", errMessage)
		}
		pcm, err := p.decodeData(ad.Data)
		if err != nil {
			return StreamingMessage{}, err
		}
		m.Kind = KindAudioData
		m.AudioData = &AudioData{Timestamp: ad.Timestamp, ParticipantRawID: ad.ParticipantRawID, Data: pcm, Silent: ad.Silent}
	case strings.EqualFold(m.Kind, KindDtmfData):
		m.Kind, m.DtmfData = KindDtmfData, p.raw.DtmfData
		if m.DtmfData == nil {
			return StreamingMessage{}, fmt.Errorf("%w: kind DtmfData without a dtmfData object", errMessage)
		}
	case m.Kind == "":
		return StreamingMessage{}, fmt.Errorf("%w: no kind", errMessage)
	}
	return m, nil
}

// decodeData decodes the JSON string text (or null) of audioData.data into
// p.pcm. A string with escapes (System.Text.Json writes '+' as \u002B) is
// unquoted first; the common case is decoded in place.
func (p *StreamingParser) decodeData(text []byte) ([]byte, error) {
	if len(text) == 0 || bytes.Equal(text, []byte("null")) {
		return p.pcm[:0], nil
	}
	if text[0] != '"' {
		return nil, fmt.Errorf("%w: audioData.data is not a string", errMessage)
	}
	b64 := text[1 : len(text)-1]
	if bytes.IndexByte(b64, '\\') >= 0 {
		var s string
		if err := json.Unmarshal(text, &s); err != nil {
			return nil, fmt.Errorf("%w: audioData.data: %s", errMessage, wire.Describe(err))
		}
		b64 = []byte(s)
	}
	n := base64.StdEncoding.DecodedLen(len(b64))
	if cap(p.pcm) < n {
		p.pcm = make([]byte, n)
	}
	n, err := base64.StdEncoding.Decode(p.pcm[:n], b64)
	if err != nil {
		return nil, fmt.Errorf("%w: audioData.data is not base64: %v", errMessage, err)
	}
	if n%2 != 0 {
		return nil, fmt.Errorf("%w: audioData.data holds %d bytes, not whole 16-bit samples", errMessage, n)
	}
	return p.pcm[:n], nil
}

// OutboundMessage is a message an app sends into the call with
// bidirectional streaming. It marshals to the documented PascalCase form
// {"Kind":"AudioData","AudioData":{"Data":"…"},"StopAudio":null}; parsing
// also accepts the JS SDK's camelCase {"kind":"audioData","audioData":{…}}.
type OutboundMessage struct {
	Kind      string             `json:"Kind"`
	AudioData *OutboundAudioData `json:"AudioData"`
	StopAudio *struct{}          `json:"StopAudio"`
}

// OutboundAudioData is the audio of an outbound AudioData message, at the
// stream's rate.
type OutboundAudioData struct {
	Data     []byte `json:"Data"`
	IsSilent bool   `json:"IsSilent,omitempty"`
}

// AppendOutboundAudio appends the outbound AudioData message carrying pcm
// to dst. It writes the same bytes as json.Marshal of an OutboundMessage.
func AppendOutboundAudio(dst []byte, pcm []int16) []byte {
	dst = append(dst, `{"Kind":"AudioData","AudioData":{"Data":"`...)
	// Encode in blocks of 24 samples (48 bytes, a multiple of 3), so that
	// only the last block can need padding.
	var block [48]byte
	for len(pcm) > 0 {
		n := min(len(pcm), len(block)/2)
		for i, v := range pcm[:n] {
			block[2*i], block[2*i+1] = byte(v), byte(uint16(v)>>8)
		}
		dst = base64.StdEncoding.AppendEncode(dst, block[:2*n])
		pcm = pcm[n:]
	}
	return append(dst, `"},"StopAudio":null}`...)
}

// ParseOutboundMessage parses a message an app sent: field names and the
// kind are matched without regard to case. A kind other than AudioData or
// StopAudio is an error, as is AudioData without audio or with an odd
// number of bytes.
func ParseOutboundMessage(b []byte) (OutboundMessage, error) {
	var m OutboundMessage
	if err := json.Unmarshal(b, &m); err != nil {
		return OutboundMessage{}, fmt.Errorf("acs: outbound message: %s", wire.Describe(err))
	}
	switch {
	case strings.EqualFold(m.Kind, KindAudioData):
		m.Kind = KindAudioData
		if m.AudioData == nil {
			return OutboundMessage{}, errors.New("acs: outbound message: kind AudioData without an AudioData object")
		}
		if len(m.AudioData.Data)%2 != 0 {
			return OutboundMessage{}, fmt.Errorf("acs: outbound message: AudioData.Data holds %d bytes, not whole 16-bit samples", len(m.AudioData.Data))
		}
	case strings.EqualFold(m.Kind, KindStopAudio):
		m.Kind = KindStopAudio
	default:
		return OutboundMessage{}, fmt.Errorf("acs: outbound message: kind %q is neither AudioData nor StopAudio", m.Kind)
	}
	return m, nil
}
