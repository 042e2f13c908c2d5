package wavio

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"

	"github.com/dtmfkit/dtmfkit/audio/g711"
)

// SampleReader is the interface [Reader] and [RawReader] share: Read fills dst
// with mono samples and returns how many, (n > 0, nil) while there is audio
// left and (0, io.EOF) at its end.
type SampleReader interface {
	Read(dst []int16) (n int, err error)
}

// ErrTooLong is returned, wrapped, by [ReadAll] when the audio holds more
// samples than its limit.
var ErrTooLong = errors.New("wavio: more samples than the limit")

// ReadAll reads r to its end and returns all its samples. With max > 0 it
// stops with an error wrapping [ErrTooLong] once there are more than max,
// so that a caller holding audio in memory bounds what it holds.
func ReadAll(r SampleReader, max int) ([]int16, error) {
	var pcm []int16
	buf := make([]int16, bufSize)
	for {
		n, err := r.Read(buf)
		pcm = append(pcm, buf[:n]...)
		if max > 0 && len(pcm) > max {
			return nil, fmt.Errorf("%w: more than %d samples", ErrTooLong, max)
		}
		if errors.Is(err, io.EOF) {
			return pcm, nil
		}
		if err != nil {
			return nil, err
		}
	}
}

// bufSize is the size of the byte buffer of a Reader or RawReader, and of
// the largest read it makes from the underlying io.Reader.
const bufSize = 8192

// maxEmptyReads is how many (0, nil) reads in a row a Reader accepts from
// the underlying io.Reader before it gives up with io.ErrNoProgress.
const maxEmptyReads = 100

// sampleKind is how one channel's sample is stored.
type sampleKind uint8

const (
	kindU8    sampleKind = iota + 1 // 8-bit unsigned PCM, 128 is silence
	kindS16                         // 16-bit signed PCM
	kindS24                         // 24-bit signed PCM
	kindS32                         // 32-bit signed PCM
	kindF32                         // 32-bit IEEE float, full scale ±1
	kindF64                         // 64-bit IEEE float, full scale ±1
	kindMuLaw                       // 8-bit G.711 μ-law
	kindALaw                        // 8-bit G.711 A-law
)

// stream turns bytes of interleaved samples from r into mono int16 samples.
// It is the engine of both Reader and RawReader.
type stream struct {
	r         io.Reader
	kind      sampleKind
	width     int   // bytes per channel's sample
	channels  int   // interleaved channels
	channel   int   // 0 mixes the channels, 1..channels selects one
	block     int   // bytes per sample of all channels (nBlockAlign)
	remaining int64 // bytes of data not yet read from r; -1 reads to EOF
	declared  int64 // the data size the header declared, or -1
	raw       bool  // headerless: only changes the wording of errors
	offset    int64 // the sample offset of the next sample Read returns
	lo, hi    int   // buf[lo:hi] holds bytes read but not yet returned
	err       error // sticky: returned once buf has no whole sample left
	buf       [bufSize]byte
	mixed     []int16 // interleaved samples before mixing; nil for mono
}

// init sets up s for samples of kind k, width bytes each, in channels
// channels. size is the number of data bytes, or -1 to read to EOF.
func (s *stream) init(r io.Reader, k sampleKind, width, channels, channel int, size int64) {
	s.r = r
	s.kind = k
	s.width = width
	s.channels = channels
	s.channel = channel
	s.block = width * channels
	s.remaining = size
	s.declared = size
	if channels > 1 {
		s.mixed = make([]int16, bufSize/width)
	}
}

// read implements the Read method of Reader and RawReader.
func (s *stream) read(dst []int16) (int, error) {
	if len(dst) == 0 {
		return 0, nil
	}
	for s.hi-s.lo < s.block {
		if s.err != nil {
			return 0, s.err
		}
		s.fill()
	}
	n := min(len(dst), (s.hi-s.lo)/s.block)
	n, err := s.convert(dst[:n], s.buf[s.lo:s.lo+n*s.block])
	s.lo += n * s.block
	s.offset += int64(n)
	if err != nil {
		s.err = err
		s.lo, s.hi = 0, 0 // drop what follows the bad sample
		if n == 0 {
			return 0, err
		}
	}
	return n, nil
}

// fill makes one successful read from r into buf, or sets s.err.
func (s *stream) fill() {
	if s.remaining == 0 {
		s.err = s.end(io.EOF)
		return
	}
	if s.lo > 0 {
		s.hi = copy(s.buf[:], s.buf[s.lo:s.hi])
		s.lo = 0
	}
	p := s.buf[s.hi:]
	if s.remaining > 0 && int64(len(p)) > s.remaining {
		p = p[:s.remaining]
	}
	for range maxEmptyReads {
		n, err := s.r.Read(p)
		if n < 0 || n > len(p) {
			s.err = fmt.Errorf("wavio: underlying reader returned %d bytes for a %d-byte buffer", n, len(p))
			return
		}
		s.hi += n
		if s.remaining > 0 {
			s.remaining -= int64(n)
		}
		switch {
		case err != nil:
			s.err = s.end(err)
		case s.remaining == 0:
			s.err = s.end(io.EOF)
		}
		if n > 0 || s.err != nil {
			return
		}
	}
	s.err = io.ErrNoProgress
}

// end returns the error that ends the stream once r has returned err, which
// is io.EOF both at the true end of r and at the end of the data chunk.
func (s *stream) end(err error) error {
	if !errors.Is(err, io.EOF) {
		return err
	}
	if s.remaining > 0 {
		return fmt.Errorf("wavio: data chunk truncated: %d of its %d bytes missing: %w",
			s.remaining, s.declared, io.ErrUnexpectedEOF)
	}
	stray := (s.hi - s.lo) % s.block
	switch {
	case stray == 0:
		return io.EOF
	case s.raw:
		return fmt.Errorf("wavio: raw s16le stream ends with an odd byte: %w", io.ErrUnexpectedEOF)
	default:
		return fmt.Errorf("wavio: data ends with %s, less than the %d-byte block align: %w",
			plural(stray, "stray byte"), s.block, io.ErrUnexpectedEOF)
	}
}

// convert decodes len(dst) samples of all channels from src into dst. It
// stops before a NaN and returns how many samples it decoded and an error
// naming the NaN.
func (s *stream) convert(dst []int16, src []byte) (int, error) {
	if s.channels == 1 {
		if i := decode(dst, src, s.kind); i >= 0 {
			return i, s.nanError(i)
		}
		return len(dst), nil
	}
	c := s.channels
	all := s.mixed[:len(dst)*c]
	n := len(dst)
	var err error
	if i := decode(all, src, s.kind); i >= 0 {
		n, err = i/c, s.nanError(i)
	}
	if s.channel > 0 {
		for i := range dst[:n] {
			dst[i] = all[i*c+s.channel-1]
		}
		return n, err
	}
	for i := range dst[:n] {
		sum := 0
		for _, v := range all[i*c : i*c+c] {
			sum += int(v)
		}
		dst[i] = int16(divRound(sum, c))
	}
	return n, err
}

// nanError reports a NaN at index i of the interleaved samples convert was
// decoding.
func (s *stream) nanError(i int) error {
	off := s.offset + int64(i/s.channels)
	if s.channels == 1 {
		return fmt.Errorf("wavio: NaN float sample at sample offset %d", off)
	}
	return fmt.Errorf("wavio: NaN float sample at sample offset %d, channel %d", off, i%s.channels+1)
}

// divRound returns n/d rounded to the nearest integer, halves away from
// zero. d is positive.
func divRound(n, d int) int {
	if n < 0 {
		return -((-n + d/2) / d)
	}
	return (n + d/2) / d
}

// decode converts len(dst) channel samples of kind k from src to 16 bits.
// Wider integers keep their top 16 bits (an arithmetic shift right); floats
// are scaled by 32768, rounded and clamped. decode returns the index of the
// first NaN, at which it stops, or -1.
func decode(dst []int16, src []byte, k sampleKind) int {
	switch k {
	case kindU8:
		for i, b := range src[:len(dst)] {
			dst[i] = (int16(b) - 128) << 8
		}
	case kindS16:
		for i := range dst {
			dst[i] = int16(binary.LittleEndian.Uint16(src[2*i:]))
		}
	case kindS24:
		for i := range dst {
			dst[i] = int16(binary.LittleEndian.Uint16(src[3*i+1:]))
		}
	case kindS32:
		for i := range dst {
			dst[i] = int16(binary.LittleEndian.Uint16(src[4*i+2:]))
		}
	case kindF32:
		for i := range dst {
			f := float64(math.Float32frombits(binary.LittleEndian.Uint32(src[4*i:])))
			if math.IsNaN(f) {
				return i
			}
			dst[i] = floatToInt16(f)
		}
	case kindF64:
		for i := range dst {
			f := math.Float64frombits(binary.LittleEndian.Uint64(src[8*i:]))
			if math.IsNaN(f) {
				return i
			}
			dst[i] = floatToInt16(f)
		}
	case kindMuLaw:
		g711.MuLaw.AppendDecode(dst[:0], src[:len(dst)])
	case kindALaw:
		g711.ALaw.AppendDecode(dst[:0], src[:len(dst)])
	default:
		panic("wavio: internal error: unknown sample kind")
	}
	return -1
}

// floatToInt16 scales a float sample with full scale ±1 to 16 bits, rounding
// to nearest and clamping; f is not NaN.
func floatToInt16(f float64) int16 {
	v := math.Round(f * 32768)
	switch {
	case v > math.MaxInt16:
		return math.MaxInt16
	case v < math.MinInt16:
		return math.MinInt16
	default:
		return int16(v)
	}
}

// RawReader reads mono samples from a headerless stream of one [Encoding],
// such as the output of "ffmpeg -f s16le -ac 1 -" or an RTP G.711 payload.
// A RawReader is not safe for concurrent use; use one per stream.
type RawReader struct {
	s stream
}

// NewRawReader returns a RawReader of samples encoded as enc read from r. It
// panics if enc is not S16LE, MuLaw or ALaw. The RawReader reads from r in
// chunks of up to 8 KiB as Read needs them, and never closes r.
func NewRawReader(r io.Reader, enc Encoding) *RawReader {
	var k sampleKind
	switch enc {
	case S16LE:
		k = kindS16
	case MuLaw:
		k = kindMuLaw
	case ALaw:
		k = kindALaw
	default:
		panic("wavio: NewRawReader with invalid " + enc.String())
	}
	rr := &RawReader{}
	rr.s.init(r, k, enc.width(), 1, 1, -1)
	rr.s.raw = true
	return rr
}

// Read decodes up to len(dst) samples into dst and returns how many it
// decoded. It returns (n > 0, nil) while the stream has samples and (0,
// io.EOF) at its end; it blocks until r delivers at least one whole sample.
// A sample split across reads of r is carried to the next read. If r ends
// with half an s16le sample, Read returns the samples before it and then an
// error that wraps io.ErrUnexpectedEOF. Errors from r are returned as they
// are. Errors are sticky. Read does not retain dst.
func (r *RawReader) Read(dst []int16) (n int, err error) {
	return r.s.read(dst)
}
