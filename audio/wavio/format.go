package wavio

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/dtmfkit/dtmfkit/audio/g711"
)

// Encoding is a sample encoding of a headerless stream, or of the data a
// [Writer] writes. The zero value is S16LE.
type Encoding uint8

// The encodings of headerless streams.
const (
	// S16LE is signed 16-bit little-endian linear PCM.
	S16LE Encoding = iota
	// MuLaw is 8-bit G.711 μ-law (PCMU).
	MuLaw
	// ALaw is 8-bit G.711 A-law (PCMA).
	ALaw
)

// String returns "s16le", "ulaw" or "alaw", the names [ParseEncoding] accepts.
func (e Encoding) String() string {
	switch e {
	case S16LE:
		return "s16le"
	case MuLaw:
		return "ulaw"
	case ALaw:
		return "alaw"
	default:
		return "Encoding(" + strconv.Itoa(int(e)) + ")"
	}
}

// ParseEncoding returns the Encoding named s, ignoring case: "s16le";
// "ulaw", "mulaw" or "pcmu"; "alaw" or "pcma".
func ParseEncoding(s string) (Encoding, error) {
	switch strings.ToLower(s) {
	case "s16le":
		return S16LE, nil
	case "ulaw", "mulaw", "pcmu":
		return MuLaw, nil
	case "alaw", "pcma":
		return ALaw, nil
	default:
		return 0, fmt.Errorf("wavio: unknown encoding %q (want s16le, ulaw or alaw)", s)
	}
}

func (e Encoding) valid() bool { return e <= ALaw }

// width returns the size of one sample in bytes.
func (e Encoding) width() int {
	if e == S16LE {
		return 2
	}
	return 1
}

// law returns the G.711 law of MuLaw and ALaw.
func (e Encoding) law() g711.Law {
	if e == ALaw {
		return g711.ALaw
	}
	return g711.MuLaw
}

// tag returns the WAVE format tag of the encoding.
func (e Encoding) tag() uint16 {
	switch e {
	case MuLaw:
		return TagMuLaw
	case ALaw:
		return TagALaw
	default:
		return TagPCM
	}
}

// The WAVE format tags (wFormatTag) a [Reader] decodes. WAVE_FORMAT_EXTENSIBLE
// files are reported with the tag their SubFormat GUID stands for.
const (
	TagPCM   uint16 = 0x0001 // WAVE_FORMAT_PCM: integer linear PCM
	TagFloat uint16 = 0x0003 // WAVE_FORMAT_IEEE_FLOAT
	TagALaw  uint16 = 0x0006 // WAVE_FORMAT_ALAW: G.711 A-law
	TagMuLaw uint16 = 0x0007 // WAVE_FORMAT_MULAW: G.711 μ-law
)

// tagExtensible is WAVE_FORMAT_EXTENSIBLE, whose real tag is in a GUID.
const tagExtensible uint16 = 0xFFFE

// Format describes the audio in a WAV file.
type Format struct {
	// Tag is the format tag of the samples, one of TagPCM, TagFloat, TagALaw
	// and TagMuLaw. For WAVE_FORMAT_EXTENSIBLE it is the tag of the SubFormat.
	Tag uint16
	// Channels is the number of interleaved channels, 1 to 32.
	Channels int
	// SampleRate is the number of samples per second of each channel.
	SampleRate int
	// BitsPerSample is the size of one channel's sample as stored (the
	// container size, wBitsPerSample): 8, 16, 24, 32 or 64.
	BitsPerSample int
}

// String describes f, as in "16-bit PCM, 2 channels, 8000 Hz".
func (f Format) String() string {
	var kind string
	switch f.Tag {
	case TagPCM:
		kind = "PCM"
	case TagFloat:
		kind = "float"
	case TagALaw:
		kind = "A-law"
	case TagMuLaw:
		kind = "mu-law"
	default:
		kind = fmt.Sprintf("format %#04x", f.Tag)
	}
	return fmt.Sprintf("%d-bit %s, %s, %d Hz", f.BitsPerSample, kind, plural(f.Channels, "channel"), f.SampleRate)
}

// plural returns "1 channel", "2 channels".
func plural[T int | int64](n T, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return strconv.FormatInt(int64(n), 10) + " " + noun + "s"
}

// tagName names the format tags a WAV file is most likely to carry when it
// is not one this package decodes; the values are those of Microsoft's
// mmreg.h.
func tagName(tag uint16) string {
	switch tag {
	case 0x0000:
		return "unknown"
	case 0x0002:
		return "Microsoft ADPCM"
	case 0x0011:
		return "IMA ADPCM"
	case 0x0014:
		return "G.723 ADPCM"
	case 0x0031:
		return "GSM 6.10"
	case 0x0040:
		return "G.721 ADPCM"
	case 0x0050:
		return "MPEG"
	case 0x0055:
		return "MPEG Layer 3"
	case 0x0064:
		return "G.726 ADPCM"
	case 0x0065:
		return "G.722 ADPCM"
	case 0x0083:
		return "G.729A"
	case 0x00FF:
		return "AAC"
	case 0x0161:
		return "Windows Media Audio"
	case 0x1610:
		return "HE-AAC"
	case 0xF1AC:
		return "FLAC"
	default:
		return ""
	}
}
