package wavio

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
)

// WriterConfig configures a [Writer]. The zero value writes 16-bit PCM at
// 8000 Hz to an io.WriteSeeker.
type WriterConfig struct {
	// SampleRate is the sample rate in Hz, 1 to 1,000,000. Zero means 8000.
	SampleRate int
	// Encoding is how samples are stored: S16LE (the zero value) writes
	// 16-bit PCM, MuLaw and ALaw write 8-bit G.711.
	Encoding Encoding
	// Length is the number of samples that will be written, if known. With a
	// known Length the Writer writes the final header first and never seeks,
	// so it can write to a pipe. Zero means unknown: the Writer then needs an
	// io.WriteSeeker, to fix the header on Close.
	Length int64
}

// The header layouts Writer writes: RIFF header, fmt chunk (16 bytes of
// WAVEFORMAT for PCM, 18 of WAVEFORMATEX with cbSize 0 for G.711), a fact
// chunk for G.711 (which the WAVE spec requires for non-PCM formats), and
// the data chunk header.
const (
	pcmHeaderSize  = 12 + 8 + 16 + 8
	g711HeaderSize = 12 + 8 + 18 + 8 + 4 + 8
	factSizeOffset = 12 + 8 + 18 + 8 // the fact chunk's dwSampleLength
)

// maxRIFFSize is the largest RIFF chunk size: the size field is 32 bits.
const maxRIFFSize = 1<<32 - 1

var (
	errWriteAfterClose = errors.New("wavio: write after Close")
	errTooLong         = errors.New("wavio: data would exceed the 4 GiB size limit of a WAV file")
	errCannotSeek      = errors.New("wavio: Length is unknown and the writer cannot seek to fix the header")
)

// Writer writes mono samples as a WAV file. Close must be called to finish
// the file. A Writer is not safe for concurrent use.
type Writer struct {
	e        sampleWriter
	ws       io.WriteSeeker // set when the header is fixed on Close
	start    int64          // offset of the header in ws
	length   int64          // WriterConfig.Length
	maxData  int64          // the largest data chunk the header allows
	written  int64          // samples written
	closed   bool
	closeErr error
}

// NewWriter writes the header of a mono WAV file to w and returns a Writer
// for its samples. If cfg.Length is 0, w must be an io.WriteSeeker that can
// seek (a file, not a pipe): NewWriter records its current offset as the
// start of the file, and until Close the header declares the unknown sizes
// ffmpeg writes to a pipe (0xFFFFFFFF), so an unfinished file still reads as
// a stream. NewWriter returns an error for an impossible cfg, and any error
// from w.
func NewWriter(w io.Writer, cfg WriterConfig) (*Writer, error) {
	if cfg.SampleRate == 0 {
		cfg.SampleRate = 8000
	}
	if cfg.SampleRate < 0 || cfg.SampleRate > maxSampleRate {
		return nil, fmt.Errorf("wavio: sample rate %d Hz is outside 1 to %d Hz", cfg.SampleRate, maxSampleRate)
	}
	if !cfg.Encoding.valid() {
		return nil, fmt.Errorf("wavio: invalid %v", cfg.Encoding)
	}
	if cfg.Length < 0 {
		return nil, fmt.Errorf("wavio: negative Length %d", cfg.Length)
	}
	hsize := int64(pcmHeaderSize)
	if cfg.Encoding != S16LE {
		hsize = g711HeaderSize
	}
	wr := &Writer{
		length: cfg.Length,
		// The RIFF size counts everything after its own 8 bytes, including
		// the pad byte of an odd data chunk; keep the limit even for it.
		maxData: (maxRIFFSize - (hsize - 8)) &^ 1,
	}
	width := int64(cfg.Encoding.width())
	if cfg.Length > wr.maxData/width {
		return nil, fmt.Errorf("%w: Length %d", errTooLong, cfg.Length)
	}
	if cfg.Length == 0 {
		ws, ok := w.(io.WriteSeeker)
		if !ok {
			return nil, fmt.Errorf("%w; set WriterConfig.Length or write raw samples", errCannotSeek)
		}
		start, err := ws.Seek(0, io.SeekCurrent)
		if err != nil {
			return nil, fmt.Errorf("%w: %w", errCannotSeek, err)
		}
		wr.ws, wr.start = ws, start
	}
	wr.e.init(w, cfg.Encoding)

	samples := uint32(sizeUnknownFFmpeg)
	if cfg.Length > 0 {
		samples = uint32(cfg.Length)
	}
	hdr := appendHeader(wr.e.buf[:0], cfg.Encoding, cfg.SampleRate, samples)
	if _, err := w.Write(hdr); err != nil {
		return nil, err
	}
	return wr, nil
}

// appendHeader appends the header of a mono WAV file with the given number
// of samples to dst; samples of 0xFFFFFFFF writes unknown sizes.
func appendHeader(dst []byte, enc Encoding, rate int, samples uint32) []byte {
	le := binary.LittleEndian
	width := uint32(enc.width())
	hsize := uint32(pcmHeaderSize)
	fmtSize := uint32(16)
	if enc != S16LE {
		hsize, fmtSize = g711HeaderSize, 18
	}
	data, riff := uint32(sizeUnknownFFmpeg), uint32(sizeUnknownFFmpeg)
	if samples != sizeUnknownFFmpeg {
		data = samples * width
		riff = hsize - 8 + data + data&1
	}

	dst = append(dst, "RIFF"...)
	dst = le.AppendUint32(dst, riff)
	dst = append(dst, "WAVEfmt "...)
	dst = le.AppendUint32(dst, fmtSize)
	dst = le.AppendUint16(dst, enc.tag())
	dst = le.AppendUint16(dst, 1) // channels
	dst = le.AppendUint32(dst, uint32(rate))
	dst = le.AppendUint32(dst, uint32(rate)*width) // bytes per second
	dst = le.AppendUint16(dst, uint16(width))      // block align
	dst = le.AppendUint16(dst, uint16(8*width))    // bits per sample
	if enc != S16LE {
		dst = le.AppendUint16(dst, 0) // cbSize
		dst = append(dst, "fact"...)
		dst = le.AppendUint32(dst, 4)
		dst = le.AppendUint32(dst, samples)
	}
	dst = append(dst, "data"...)
	return le.AppendUint32(dst, data)
}

// Write writes the samples in pcm to the file. It returns an error, and
// writes nothing, if the samples would exceed WriterConfig.Length or the
// 4 GiB limit of the format. Errors from the underlying writer are sticky.
// Write does not retain pcm.
func (w *Writer) Write(pcm []int16) error {
	if w.closed {
		return errWriteAfterClose
	}
	n := int64(len(pcm))
	if w.length > 0 && w.written+n > w.length {
		return fmt.Errorf("wavio: writing %d more samples would exceed Length %d by %d",
			n, w.length, w.written+n-w.length)
	}
	if (w.written+n)*int64(w.e.enc.width()) > w.maxData {
		return errTooLong
	}
	if err := w.e.write(pcm); err != nil {
		return err
	}
	w.written += n
	return nil
}

// Close finishes the file: it writes the pad byte that follows a data chunk
// of odd size and, if WriterConfig.Length was 0, seeks back to write the
// sizes in the header and then seeks to the end of the file. If Length was
// set, Close returns an error if a different number of samples was written.
// Close does not close the underlying writer. Calling Close again returns the
// same result.
func (w *Writer) Close() error {
	if !w.closed {
		w.closed = true
		w.closeErr = w.finish()
	}
	return w.closeErr
}

func (w *Writer) finish() error {
	if w.e.err != nil {
		return w.e.err
	}
	if w.length > 0 && w.written != w.length {
		return fmt.Errorf("wavio: wrote %s, but Length is %d", plural(w.written, "sample"), w.length)
	}
	data := w.written * int64(w.e.enc.width())
	if data%2 == 1 {
		w.e.buf[0] = 0
		if _, err := w.e.w.Write(w.e.buf[:1]); err != nil {
			return err
		}
	}
	if w.ws == nil {
		return nil
	}
	// Fix the RIFF size, the fact chunk's sample length (G.711 only) and the
	// data size. The Length checks keep them all below 2^32.
	hdr := appendHeader(w.e.buf[:0], w.e.enc, 0, uint32(w.written))
	end := int64(len(hdr))
	offsets := []int64{4, factSizeOffset, end - 4}
	if w.e.enc == S16LE {
		offsets = []int64{4, end - 4}
	}
	for _, off := range offsets {
		if _, err := w.ws.Seek(w.start+off, io.SeekStart); err != nil {
			return err
		}
		if _, err := w.ws.Write(hdr[off : off+4]); err != nil {
			return err
		}
	}
	_, err := w.ws.Seek(w.start+end+data+data%2, io.SeekStart)
	return err
}

// RawWriter writes mono samples as a headerless stream of one [Encoding].
// A RawWriter is not safe for concurrent use.
type RawWriter struct {
	e sampleWriter
}

// NewRawWriter returns a RawWriter that writes samples encoded as enc to w.
// It panics if enc is not S16LE, MuLaw or ALaw.
func NewRawWriter(w io.Writer, enc Encoding) *RawWriter {
	if !enc.valid() {
		panic("wavio: NewRawWriter with invalid " + enc.String())
	}
	rw := &RawWriter{}
	rw.e.init(w, enc)
	return rw
}

// Write encodes the samples in pcm and writes them to the underlying writer.
// Errors from the underlying writer are sticky. Write does not retain pcm.
func (w *RawWriter) Write(pcm []int16) error {
	return w.e.write(pcm)
}

// sampleWriter encodes samples through a fixed buffer. It is the engine of
// both Writer and RawWriter.
type sampleWriter struct {
	w   io.Writer
	enc Encoding
	err error // sticky
	buf [4096]byte
}

func (e *sampleWriter) init(w io.Writer, enc Encoding) {
	e.w = w
	e.enc = enc
}

func (e *sampleWriter) write(pcm []int16) error {
	if e.err != nil {
		return e.err
	}
	per := len(e.buf) / e.enc.width()
	for len(pcm) > 0 {
		chunk := pcm[:min(len(pcm), per)]
		pcm = pcm[len(chunk):]
		b := e.buf[:0]
		if e.enc == S16LE {
			for _, s := range chunk {
				b = binary.LittleEndian.AppendUint16(b, uint16(s))
			}
		} else {
			b = e.enc.law().AppendEncode(b, chunk)
		}
		if _, err := e.w.Write(b); err != nil {
			e.err = err
			return err
		}
	}
	return nil
}
