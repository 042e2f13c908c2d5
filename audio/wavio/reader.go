package wavio

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
)

// ReaderConfig configures a [Reader]. The zero value mixes all channels.
type ReaderConfig struct {
	// Channel selects the channel to read, counting from 1. The zero value
	// mixes all channels to mono by averaging them, rounded to nearest.
	Channel int
}

// Limits on what a Reader accepts.
const (
	maxChannels   = 32
	maxSampleRate = 1_000_000
	maxChunks     = 1024 // chunks before the data chunk
)

// Data chunk sizes that mean "read to the end of the stream", written by
// tools that cannot seek back to fix the header.
const (
	sizeUnknownFFmpeg = 0xFFFFFFFF // ffmpeg, and most other tools
	sizeUnknownSoX    = 0x7FFFF000 // SoX's MS_UNSPEC
)

var (
	errNotWAV        = errors.New("wavio: not a WAV file")
	errRIFX          = errors.New("wavio: big-endian RIFX is not supported")
	errRF64          = errors.New("wavio: RF64 is not supported")
	errNoFmt         = errors.New("wavio: no fmt chunk")
	errNoData        = errors.New("wavio: no data chunk")
	errDataBeforeFmt = errors.New("wavio: data chunk before fmt chunk")
	errNoChannels    = errors.New("wavio: fmt chunk declares 0 channels")
	errNoSampleRate  = errors.New("wavio: fmt chunk declares a sample rate of 0 Hz")
)

// Reader reads mono samples from a WAV (RIFF/WAVE) stream. It reads the
// stream once, front to back, and never seeks, so it works on pipes. A Reader
// is not safe for concurrent use; use one per stream.
type Reader struct {
	format Format
	s      stream
}

// NewReader reads the RIFF/WAVE header from r up to the start of the data
// chunk and returns a Reader for the samples that follow. It skips chunks
// other than fmt and data, wherever they are. It returns an error if r is not
// a WAV file, if the file's format is not one the package decodes, or if
// cfg.Channel is not 0 or a channel of the file.
//
// The Reader reads from r in chunks of up to 8 KiB as Read needs them, never
// beyond the end of the data chunk (when its size is known), and never
// closes r. NewReader, like Read, gives up with io.ErrNoProgress if r
// returns no bytes and no error 100 times in a row.
func NewReader(r io.Reader, cfg ReaderConfig) (*Reader, error) {
	rd := &Reader{}
	h := header{r: r, buf: rd.s.buf[:]}
	f, k, size, err := h.read()
	if err != nil {
		return nil, err
	}
	if cfg.Channel < 0 || cfg.Channel > f.Channels {
		return nil, fmt.Errorf("wavio: cannot read channel %d: the file has %s", cfg.Channel, plural(f.Channels, "channel"))
	}
	rd.format = f
	rd.s.init(r, k, f.BitsPerSample/8, f.Channels, cfg.Channel, size)
	return rd, nil
}

// Format returns the format of the samples in the file.
func (r *Reader) Format() Format { return r.format }

// SampleRate returns the sample rate of the file in Hz.
func (r *Reader) SampleRate() int { return r.format.SampleRate }

// Read decodes up to len(dst) mono samples into dst and returns how many it
// decoded. It returns (n > 0, nil) while the data chunk has samples and
// (0, io.EOF) at its end; it blocks until the underlying reader delivers at
// least one whole sample. A multi-channel sample is mixed or selected as
// ReaderConfig says; Read never returns part of one.
//
// If the stream ends before the size the data chunk declares, Read returns
// the samples there are and then an error that says how many bytes are
// missing and wraps io.ErrUnexpectedEOF. A NaN float sample is an error that
// names its sample offset. Errors from the underlying reader are returned as
// they are. Errors are sticky. Read does not retain dst.
func (r *Reader) Read(dst []int16) (n int, err error) {
	return r.s.read(dst)
}

// header parses a RIFF/WAVE header. buf is scratch space of at least 40
// bytes; pos counts the bytes read so far.
type header struct {
	r   io.Reader
	buf []byte
	pos int64
}

// read parses the header up to the start of the data chunk and returns the
// format, how its samples are stored, and the size of the data chunk (-1 if
// unknown).
func (h *header) read() (Format, sampleKind, int64, error) {
	riffSize, err := h.riff()
	if err != nil {
		return Format{}, 0, 0, err
	}
	var (
		f      Format
		k      sampleKind
		gotFmt bool
	)
	for range maxChunks {
		start := h.pos
		id, size, err := h.chunkHeader(gotFmt)
		if err != nil {
			return Format{}, 0, 0, err
		}
		switch id {
		case "fmt ":
			if gotFmt {
				return Format{}, 0, 0, fmt.Errorf("wavio: second fmt chunk at offset %d", start)
			}
			if f, k, err = h.fmt(size); err != nil {
				return Format{}, 0, 0, err
			}
			gotFmt = true
		case "data":
			if !gotFmt {
				return Format{}, 0, 0, errDataBeforeFmt
			}
			return f, k, dataSize(size, riffSize, h.pos), nil
		default:
			if err := h.skip(int64(size), id); err != nil {
				return Format{}, 0, 0, err
			}
			if err := h.skipPad(size); err != nil {
				return Format{}, 0, 0, err
			}
		}
	}
	return Format{}, 0, 0, fmt.Errorf("wavio: no data chunk in the first %d chunks", maxChunks)
}

// dataSize interprets the size of the data chunk, which starts at pos in a
// file whose RIFF header declares riffSize. It returns -1 for "read to EOF".
func dataSize(size, riffSize uint32, pos int64) int64 {
	switch size {
	case sizeUnknownFFmpeg, sizeUnknownSoX:
		return -1
	case 0:
		// An empty data chunk, unless the RIFF size leaves nothing after it
		// either: then both were written before the data and never patched.
		if riffSize != 0 && riffSize != sizeUnknownFFmpeg && 8+int64(riffSize) > pos {
			return 0
		}
		return -1
	default:
		return int64(size)
	}
}

// riff reads the 12-byte RIFF header and returns the RIFF chunk size.
func (h *header) riff() (uint32, error) {
	b := h.buf[:12]
	n, err := h.readFull(b)
	switch id := string(b[:min(n, 4)]); {
	case id == "RIFF":
	case id == "RIFX":
		return 0, errRIFX
	case id == "RF64" || id == "BW64":
		return 0, errRF64
	case n == 0 && errors.Is(err, io.EOF):
		return 0, fmt.Errorf("%w: empty input", errNotWAV)
	case n < 4 && err != nil && !errors.Is(err, io.ErrUnexpectedEOF):
		return 0, err
	default:
		return 0, fmt.Errorf("%w: starts with %q", errNotWAV, id)
	}
	if err != nil {
		return 0, h.truncated(err, "RIFF header")
	}
	if form := string(b[8:12]); form != "WAVE" {
		return 0, fmt.Errorf("%w: RIFF form type is %q, not \"WAVE\"", errNotWAV, form)
	}
	return binary.LittleEndian.Uint32(b[4:]), nil
}

// chunkHeader reads the 8-byte header of the next chunk.
func (h *header) chunkHeader(gotFmt bool) (string, uint32, error) {
	b := h.buf[:8]
	n, err := h.readFull(b)
	switch {
	case n == 0 && errors.Is(err, io.EOF) && gotFmt:
		return "", 0, errNoData
	case n == 0 && errors.Is(err, io.EOF):
		return "", 0, errNoFmt
	case err != nil:
		return "", 0, h.truncated(err, "chunk header")
	}
	for _, c := range b[:4] {
		if c < ' ' || c > '~' {
			return "", 0, fmt.Errorf("wavio: malformed chunk ID %q at offset %d", b[:4], h.pos-8)
		}
	}
	return string(b[:4]), binary.LittleEndian.Uint32(b[4:]), nil
}

// fmt reads a fmt chunk of the given size and checks that this package can
// decode the format it describes.
func (h *header) fmt(size uint32) (Format, sampleKind, error) {
	if size < 16 {
		return Format{}, 0, fmt.Errorf("wavio: fmt chunk is %d bytes, less than 16", size)
	}
	// Keep the fields in their own array: skipping the rest reuses h.buf.
	var fields [40]byte
	b := fields[:min(size, 40)]
	if _, err := h.readFull(b); err != nil {
		return Format{}, 0, h.truncated(err, "fmt chunk")
	}
	if err := h.skip(int64(size)-int64(len(b)), "fmt "); err != nil {
		return Format{}, 0, err
	}
	if err := h.skipPad(size); err != nil {
		return Format{}, 0, err
	}
	tag := binary.LittleEndian.Uint16(b[0:])
	f := Format{
		Tag:           tag,
		Channels:      int(binary.LittleEndian.Uint16(b[2:])),
		SampleRate:    int(binary.LittleEndian.Uint32(b[4:])),
		BitsPerSample: int(binary.LittleEndian.Uint16(b[14:])),
	}
	blockAlign := int(binary.LittleEndian.Uint16(b[12:]))
	if tag == tagExtensible {
		var err error
		if f.Tag, err = extensible(b); err != nil {
			return Format{}, 0, err
		}
	}
	k, err := f.check(blockAlign)
	return f, k, err
}

// extensible parses the WAVE_FORMAT_EXTENSIBLE fields of fmt chunk b and
// returns the format tag of its SubFormat.
func extensible(b []byte) (uint16, error) {
	if len(b) < 40 {
		return 0, fmt.Errorf("wavio: WAVE_FORMAT_EXTENSIBLE fmt chunk is %d bytes, less than 40", len(b))
	}
	if cb := binary.LittleEndian.Uint16(b[16:]); cb < 22 {
		return 0, fmt.Errorf("wavio: WAVE_FORMAT_EXTENSIBLE cbSize is %d, less than 22", cb)
	}
	valid := int(binary.LittleEndian.Uint16(b[18:])) // wValidBitsPerSample
	bits := int(binary.LittleEndian.Uint16(b[14:]))
	if valid > bits {
		return 0, fmt.Errorf("wavio: WAVE_FORMAT_EXTENSIBLE has %d valid bits in a %d-bit sample", valid, bits)
	}
	// b[20:24] is the channel mask, which does not matter for mono output.
	guid := b[24:40]
	tag := binary.LittleEndian.Uint16(guid)
	isTag := string(guid[2:]) == ksDataFormatSuffix
	if isTag {
		switch tag {
		case TagPCM, TagFloat, TagALaw, TagMuLaw:
			return tag, nil
		}
	}
	if name := tagName(tag); name != "" && isTag {
		return 0, fmt.Errorf("wavio: unsupported WAVE_FORMAT_EXTENSIBLE sub-format %s (%s)", formatGUID(guid), name)
	}
	return 0, fmt.Errorf("wavio: unsupported WAVE_FORMAT_EXTENSIBLE sub-format %s", formatGUID(guid))
}

// ksDataFormatSuffix is the last 14 bytes, as stored, of the
// KSDATAFORMAT_SUBTYPE GUIDs {0000XXXX-0000-0010-8000-00AA00389B71} that
// carry a format tag XXXX in their first two bytes.
const ksDataFormatSuffix = "\x00\x00\x00\x00\x10\x00\x80\x00\x00\xAA\x00\x38\x9B\x71"

// formatGUID formats a GUID stored in its little-endian binary layout.
func formatGUID(g []byte) string {
	return fmt.Sprintf("{%08X-%04X-%04X-%X-%X}",
		binary.LittleEndian.Uint32(g), binary.LittleEndian.Uint16(g[4:]), binary.LittleEndian.Uint16(g[6:]),
		g[8:10], g[10:16])
}

// check validates f, whose Tag is already resolved, against the fmt chunk's
// block align, and returns how its samples are stored.
func (f Format) check(blockAlign int) (sampleKind, error) {
	switch f.Tag {
	case TagPCM, TagFloat, TagALaw, TagMuLaw:
	default:
		if name := tagName(f.Tag); name != "" {
			return 0, fmt.Errorf("wavio: unsupported format tag %#04x (%s)", f.Tag, name)
		}
		return 0, fmt.Errorf("wavio: unsupported format tag %#04x", f.Tag)
	}
	switch {
	case f.Channels == 0:
		return 0, errNoChannels
	case f.Channels > maxChannels:
		return 0, fmt.Errorf("wavio: %d channels, more than the %d supported", f.Channels, maxChannels)
	case f.SampleRate == 0:
		return 0, errNoSampleRate
	case f.SampleRate > maxSampleRate:
		return 0, fmt.Errorf("wavio: sample rate of %d Hz is above the %d Hz limit", f.SampleRate, maxSampleRate)
	}
	k := f.kind()
	if k == 0 {
		return 0, fmt.Errorf("wavio: unsupported bit depth: %s", f)
	}
	if want := f.Channels * f.BitsPerSample / 8; blockAlign != want {
		return 0, fmt.Errorf("wavio: block align is %d, not %d for %s of %d bytes",
			blockAlign, want, plural(f.Channels, "channel"), f.BitsPerSample/8)
	}
	return k, nil
}

// kinds lists the formats a Reader decodes.
var kinds = [...]struct {
	tag  uint16
	bits int
	kind sampleKind
}{
	{TagPCM, 8, kindU8},
	{TagPCM, 16, kindS16},
	{TagPCM, 24, kindS24},
	{TagPCM, 32, kindS32},
	{TagFloat, 32, kindF32},
	{TagFloat, 64, kindF64},
	{TagMuLaw, 8, kindMuLaw},
	{TagALaw, 8, kindALaw},
}

// kind returns how samples of format f are stored, or 0 if the package
// cannot decode them.
func (f Format) kind() sampleKind {
	for _, k := range kinds {
		if k.tag == f.Tag && k.bits == f.BitsPerSample {
			return k.kind
		}
	}
	return 0
}

// skip discards the next n bytes of chunk id through buf.
func (h *header) skip(n int64, id string) error {
	for n > 0 {
		m, err := h.readFull(h.buf[:min(n, int64(len(h.buf)))])
		n -= int64(m)
		if err != nil {
			if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
				return fmt.Errorf("wavio: truncated %q chunk: %d bytes missing at offset %d: %w",
					id, n, h.pos, io.ErrUnexpectedEOF)
			}
			return err
		}
	}
	return nil
}

// skipPad discards the pad byte that follows a chunk of odd size. A pad byte
// missing at the end of the stream is not an error here: it shows up as a
// missing chunk at the next chunk header.
func (h *header) skipPad(size uint32) error {
	if size%2 == 0 {
		return nil
	}
	if _, err := h.readFull(h.buf[:1]); err != nil && !errors.Is(err, io.EOF) {
		return err
	}
	return nil
}

// readFull reads len(b) bytes into b, as io.ReadFull does (io.EOF if it
// read none, io.ErrUnexpectedEOF if some), and counts them in pos. Like
// Reader.Read, it gives up with io.ErrNoProgress when the reader returns
// nothing maxEmptyReads times in a row, where io.ReadFull would spin
// forever, and fails when the reader claims more bytes than it was given.
func (h *header) readFull(b []byte) (int, error) {
	n, empty := 0, 0
	for n < len(b) {
		m, err := h.r.Read(b[n:])
		if m < 0 || m > len(b)-n {
			return n, fmt.Errorf("wavio: underlying reader returned %d bytes for a %d-byte buffer", m, len(b)-n)
		}
		n += m
		h.pos += int64(m)
		switch {
		case n == len(b):
			return n, nil
		case err != nil:
			if n > 0 && errors.Is(err, io.EOF) {
				err = io.ErrUnexpectedEOF
			}
			return n, err
		case m > 0:
			empty = 0
		default:
			if empty++; empty == maxEmptyReads {
				return n, io.ErrNoProgress
			}
		}
	}
	return n, nil
}

// truncated turns the error of a short io.ReadFull of what into a
// truncation error; other errors are returned as they are.
func (h *header) truncated(err error, what string) error {
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		return fmt.Errorf("wavio: truncated %s at offset %d: %w", what, h.pos, io.ErrUnexpectedEOF)
	}
	return err
}
