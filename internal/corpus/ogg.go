package corpus

import (
	"encoding/binary"
	"errors"
	"fmt"

	"github.com/jfreymuth/vorbis"
)

// An oggPage is one page of an Ogg bitstream (RFC 3533, section 6).
type oggPage struct {
	flags    byte
	granule  int64 // −1: no packet ends on this page
	serial   uint32
	segments []byte // the lacing values
	body     []byte
	size     int // of the whole page
}

// Page header flags.
const (
	pageContinued = 0x01 // the first packet continues one from the previous page
	pageBOS       = 0x02 // the first page of a logical bitstream
	pageEOS       = 0x04 // the last page of a logical bitstream
)

// parsePage parses the Ogg page at b[off:], checking its CRC.
func parsePage(b []byte, off int) (oggPage, error) {
	const headerSize = 27 // "OggS", version, flags, granule (8), serial (4), sequence (4), CRC (4), segment count
	p := b[off:]
	if len(p) < headerSize {
		return oggPage{}, fmt.Errorf("truncated ogg page at byte %d: %d bytes left, a header needs %d", off, len(p), headerSize)
	}
	if string(p[:4]) != "OggS" {
		return oggPage{}, fmt.Errorf("no ogg page at byte %d (want \"OggS\", got %q)", off, p[:4])
	}
	if p[4] != 0 {
		return oggPage{}, fmt.Errorf("ogg page at byte %d has version %d, want 0", off, p[4])
	}
	nseg := int(p[26])
	if len(p) < headerSize+nseg {
		return oggPage{}, fmt.Errorf("truncated ogg page at byte %d: its segment table is cut short", off)
	}
	size := headerSize + nseg
	for _, s := range p[headerSize : headerSize+nseg] {
		size += int(s)
	}
	if len(p) < size {
		return oggPage{}, fmt.Errorf("truncated ogg page at byte %d: %d bytes left, the page has %d", off, len(p), size)
	}
	le := binary.LittleEndian
	if want, got := le.Uint32(p[22:26]), oggCRC(p[:size]); want != got {
		return oggPage{}, fmt.Errorf("ogg page at byte %d: CRC %08x, the page says %08x", off, got, want)
	}
	return oggPage{
		flags:    p[5],
		granule:  int64(le.Uint64(p[6:14])),
		serial:   le.Uint32(p[14:18]),
		segments: p[headerSize : headerSize+nseg],
		body:     p[headerSize+nseg : size],
		size:     size,
	}, nil
}

// oggCRCTable is the CRC-32 of RFC 3533 (polynomial 0x04c11db7, not
// reflected, initial value and final XOR 0).
var oggCRCTable = func() (t [256]uint32) {
	for i := range t {
		r := uint32(i) << 24
		for range 8 {
			if r&0x80000000 != 0 {
				r = r<<1 ^ 0x04c11db7
			} else {
				r <<= 1
			}
		}
		t[i] = r
	}
	return t
}()

// oggCRC returns the CRC of a page, whose CRC field counts as zero.
func oggCRC(page []byte) uint32 {
	var crc uint32
	for i, c := range page {
		if i >= 22 && i < 26 {
			c = 0
		}
		crc = crc<<8 ^ oggCRCTable[byte(crc>>24)^c]
	}
	return crc
}

// maxChannels bounds the channel count the decoder accepts (Vorbis allows
// 255); the corpus has mono and stereo files.
const maxChannels = 8

// monoDecoder decodes Ogg Vorbis files to mono, the mean of the channels.
// It keeps its buffers from file to file; it is not safe for concurrent
// use.
//
// The Vorbis packets are decoded by github.com/jfreymuth/vorbis; the Ogg
// layer is this one rather than github.com/jfreymuth/oggvorbis (which
// wraps the same decoder), because 17 files of the corpus need what
// oggvorbis 1.0.5 does not do: 14 of klettres-data's Czech syllables are
// chains of two streams (a mono one, then a stereo one); one of
// hyperrogue-music's tracks repeats its three headers after the first
// three, with a negative granule position; and on two of
// wesnoth-1.16-music's, whose final granule position ends the stream
// before the start of the last packet's samples, its Reader panics. This
// layer does what the Ogg and Vorbis I specifications (Vorbis I, A.2) say,
// as libvorbisfile does:
//
//   - a chain's links are decoded one after the other, at one sample rate;
//   - pages of other logical streams are skipped, and so are zero-length
//     packets and header packets after the first three (libvorbis's
//     OV_ENOTAUDIO);
//   - samples are held back until the first page with a granule position
//     (a negative one is taken for none), and those beyond that position
//     are cut from the start of the stream;
//   - the last packet's worth of samples is held back, so that at the end
//     of the stream the samples beyond its final granule position can be
//     cut from its end.
//
// Checked against oggdec (libvorbisfile 1.3.7) on 130 files of the corpus,
// every 53rd and the odd ones: the same samples, but where oggdec clips
// each channel at full scale (ours clips only the 16-bit result), and on
// the three files whose first granule position cuts their start, which
// oggdec starts 128 samples later (the two wesnoth tracks) or 104 earlier
// (the hyperrogue track, whose granule position is negative): libvorbis
// counts the first packet, which gives no samples, as half a block.
type monoDecoder struct {
	dec    vorbis.Decoder
	pcm    []float32 // one packet, interleaved
	held   []float64 // mono samples decoded and not yet passed on
	packet []byte    // a packet that spans pages
}

// A decoding is the state of one call to decode.
type decoding struct {
	d       *monoDecoder
	fn      func(rate int, mono []float64) error
	rate    int
	samples int64 // passed on
	links   int

	// The current link of the chain.
	serial  uint32
	headers int   // read, of the three
	decoded int64 // samples decoded
	pos     int64 // the granule position reached, −1 before the first
	keep    int   // samples held back for the end: the most a packet gives
}

// decode decodes the Ogg Vorbis file b and calls fn with its sample rate
// and its samples, mixed to mono, in chunks; fn must not retain them. It
// returns the sample rate (0 if no link had its headers) and the number
// of samples, which may be 0: some files hold headers and no audio.
func (d *monoDecoder) decode(b []byte, fn func(rate int, mono []float64) error) (rate int, samples int64, err error) {
	if len(b) == 0 {
		return 0, 0, errors.New("empty file")
	}
	s := &decoding{d: d, fn: fn}
	d.held = d.held[:0]
	prevBOS := false
	for off := 0; off < len(b); {
		pg, err := parsePage(b, off)
		if err != nil {
			return 0, 0, err
		}
		off += pg.size
		bos := pg.flags&pageBOS != 0
		if bos && !prevBOS && isVorbisID(pg) {
			if err := s.flush(); err != nil {
				return 0, 0, s.where(err)
			}
			s.startLink(pg.serial)
		}
		prevBOS = bos
		if s.links == 0 || pg.serial != s.serial {
			continue // not a Vorbis stream's page
		}
		if err := s.page(pg); err != nil {
			return 0, 0, s.where(err)
		}
	}
	if s.links == 0 {
		return 0, 0, errors.New("no Vorbis stream")
	}
	if err := s.flush(); err != nil {
		return 0, 0, s.where(err)
	}
	return s.rate, s.samples, nil
}

// isVorbisID reports whether a BOS page starts a Vorbis stream: its first
// packet is the identification header.
func isVorbisID(pg oggPage) bool {
	return len(pg.body) >= 7 && pg.body[0] == 1 && string(pg.body[1:7]) == "vorbis"
}

// where says in which link and at what time err happened.
func (s *decoding) where(err error) error {
	if s.rate > 0 {
		t := float64(s.samples+int64(len(s.d.held))) / float64(s.rate)
		return fmt.Errorf("link %d, at %.2f s: %w", s.links, t, err)
	}
	return fmt.Errorf("link %d: %w", s.links, err)
}

// startLink starts a link of the chain (or the first): a fresh decoder
// for its headers.
func (s *decoding) startLink(serial uint32) {
	s.links++
	s.serial, s.headers, s.decoded, s.pos = serial, 0, 0, -1
	s.d.dec = vorbis.Decoder{}
	s.d.packet = s.d.packet[:0]
}

// page takes the packets that end on one page of the link.
func (s *decoding) page(pg oggPage) error {
	d := s.d
	// A page that does not continue a packet ends any packet a lost page
	// cut short; one that continues a packet lost with a page starts with
	// the rest of it, which is skipped.
	skipping := pg.flags&pageContinued != 0 && len(d.packet) == 0
	if pg.flags&pageContinued == 0 {
		d.packet = d.packet[:0]
	}
	// The granule position belongs to the last packet that ends on the
	// page, and so does the end of the stream.
	last := -1
	for i, n := range pg.segments {
		if n < 255 {
			last = i
		}
	}
	body := pg.body
	for i, n := range pg.segments {
		seg := body[:n]
		body = body[n:]
		if skipping {
			skipping = n == 255
			continue
		}
		if n == 255 {
			d.packet = append(d.packet, seg...) // a copy: never aliases the file
			continue
		}
		pkt := seg
		if len(d.packet) > 0 {
			d.packet = append(d.packet, seg...)
			pkt = d.packet
		}
		granule, eos := int64(-1), false
		if i == last {
			granule, eos = pg.granule, pg.flags&pageEOS != 0
		}
		if err := s.packetIn(pkt, granule, eos); err != nil {
			return err
		}
		d.packet = d.packet[:0]
	}
	return nil
}

// packetIn takes one packet: a header, or audio, whose samples it holds
// and passes on as the granule positions allow.
func (s *decoding) packetIn(pkt []byte, granule int64, eos bool) error {
	d := s.d
	if s.headers < 3 {
		if err := safely(func() error { return d.dec.ReadHeader(pkt) }); err != nil {
			return fmt.Errorf("header %d: %w", s.headers+1, err)
		}
		if s.headers++; s.headers < 3 {
			return nil
		}
		ch, rate := d.dec.Channels(), d.dec.SampleRate()
		switch {
		case ch < 1 || ch > maxChannels:
			return fmt.Errorf("%d channels (want 1 to %d)", ch, maxChannels)
		case rate < 1:
			return fmt.Errorf("sample rate %d Hz", rate)
		case s.rate != 0 && rate != s.rate:
			return fmt.Errorf("at %d Hz, an earlier link at %d Hz", rate, s.rate)
		}
		s.rate = rate
		if n := d.dec.BufferSize(); cap(d.pcm) < n {
			d.pcm = make([]float32, n)
		}
		s.keep = d.dec.BufferSize() / ch
		return nil
	}
	if len(pkt) == 0 || pkt[0]&1 != 0 {
		return nil // an empty packet, or a header: not audio
	}
	var out []float32
	err := safely(func() (err error) {
		out, err = d.dec.DecodeInto(pkt, d.pcm[:cap(d.pcm)])
		return err
	})
	if err != nil {
		return err
	}
	ch := d.dec.Channels()
	frames := len(out) / ch
	for i := range frames {
		var sum float64
		for _, v := range out[i*ch : i*ch+ch] {
			sum += float64(v)
		}
		d.held = append(d.held, sum/float64(ch))
	}
	s.decoded += int64(frames)

	if granule < 0 { // none, or invalid
		if s.pos >= 0 {
			s.pos += int64(frames)
		}
	} else if s.pos < 0 {
		// The first granule position: the stream starts where it says,
		// unless this is also its last page, which cuts the end.
		s.pos = s.decoded
		if !eos {
			front := int(min(max(s.decoded-granule, 0), int64(len(d.held))))
			d.held = d.held[:copy(d.held, d.held[front:])]
			s.pos = granule
		}
	} else {
		s.pos += int64(frames)
	}
	if eos && granule >= 0 {
		back := int(min(max(s.pos-granule, 0), int64(len(d.held))))
		d.held = d.held[:len(d.held)-back]
		return s.flush()
	}
	if s.pos >= 0 && len(d.held) > s.keep {
		return s.pass(len(d.held) - s.keep)
	}
	return nil
}

// pass passes on the first n held samples.
func (s *decoding) pass(n int) error {
	d := s.d
	if err := s.fn(s.rate, d.held[:n]); err != nil {
		return err
	}
	s.samples += int64(n)
	d.held = d.held[:copy(d.held, d.held[n:])]
	return nil
}

// flush passes on every held sample: at the end of a link.
func (s *decoding) flush() error {
	if len(s.d.held) == 0 {
		return nil
	}
	return s.pass(len(s.d.held))
}

// safely calls f, returning a panic of the decoder as an error: malformed
// packets must not bring the program down.
func safely(f func() error) (err error) {
	defer func() {
		if v := recover(); v != nil {
			err = fmt.Errorf("the decoder failed: %v", v)
		}
	}()
	return f()
}
