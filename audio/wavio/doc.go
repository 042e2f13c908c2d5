// Package wavio implements streaming readers and writers of mono 16-bit
// samples for WAV (RIFF/WAVE) files and for headerless ("raw") PCM, μ-law and
// A-law streams.
//
// It follows Microsoft's RIFF/WAVE specification ("Multimedia Programming
// Interface and Data Specifications 1.0", 1991, with its pad-byte and fact
// chunk rules), the WAVEFORMATEX documentation, and the WAVE_FORMAT_EXTENSIBLE
// ("Multiple Channel Audio Data and WAVE Files", KSDATAFORMAT SubFormat GUIDs)
// documentation. G.711 data is expanded with package
// [github.com/dtmfkit/dtmfkit/audio/g711] (ITU-T G.711).
//
// # Reading
//
// [NewReader] parses the header of a WAV stream by walking its chunks; it
// never seeks and never assumes the samples start at offset 44, so it reads
// from pipes such as a command's standard input:
//
//	offset  field
//	0       "RIFF", size (4 bytes, little-endian), "WAVE"
//	12      chunks, in any order, each an ID (4 bytes), a size (4 bytes) and
//	        that many bytes, plus a pad byte if the size is odd:
//	          "fmt "  format tag, channels, sample rate, ..., bits per sample
//	          "data"  the samples, interleaved by channel
//	          others  (LIST, fact, bext, JUNK, ...) are skipped
//
// A [Reader] then returns one mono sample per multi-channel sample, mixing
// or selecting channels as [ReaderConfig] says. It decodes
//
//	tag     format                     bits           to 16 bits
//	0x0001  integer PCM                8 (unsigned)   (b − 128) << 8
//	                                   16, 24, 32     arithmetic shift right
//	0x0003  IEEE float                 32, 64         ×32768, rounded, clamped
//	0x0006  G.711 A-law                8              G.711 expansion
//	0x0007  G.711 μ-law                8              G.711 expansion
//	0xFFFE  WAVE_FORMAT_EXTENSIBLE     any of the above, by SubFormat GUID
//
// with 1 to 32 channels and sample rates up to 1 MHz, and returns a clear
// error for anything else (compressed formats such as ADPCM or MP3,
// big-endian RIFX, RF64). Header fields are checked before they are used, and
// no buffer is ever sized by one, so a hostile header cannot make the reader
// allocate.
//
// A data chunk size of 0xFFFFFFFF (what ffmpeg writes to a pipe), of
// 0x7FFFF000 (what SoX writes to a pipe), or of 0 when the RIFF size does not
// account for any data either, means "read to the end of the stream". Any
// other size is trusted: bytes after the data chunk are not read, and a
// stream that ends early is an error that says by how much.
//
// [RawReader] reads a headerless stream of one [Encoding], and both satisfy
// [SampleReader].
//
// # Writing
//
// [Writer] writes mono 16-bit PCM, μ-law or A-law WAV files (with the fact
// chunk the specification requires for non-PCM data), and [RawWriter] writes
// headerless streams. A Writer writes the final header up front when it is
// told the number of samples, so it can write to a pipe; otherwise it needs
// an io.WriteSeeker to fix the header on Close.
//
// # Why not go-audio/wav
//
// github.com/go-audio/wav needs an io.ReadSeeker, so it cannot read a WAV
// stream from a pipe, and its RIFF parser allocates buffers sized by header
// fields it does not check. It also returns μ-law bytes and float bit
// patterns as if they were PCM, ignores the WAVE_FORMAT_EXTENSIBLE SubFormat,
// leaves the 128 bias in 8-bit samples, and decodes the pad byte of an odd
// data chunk as a sample. This package therefore has its own parser, and uses
// go-audio/wav only in its tests, as an independent implementation: files
// written by [Writer] must decode the same with go-audio/wav, and files
// written by go-audio/wav's encoder must decode the same with [Reader].
//
// # Memory
//
// Reader, RawReader, Writer and RawWriter allocate their buffers when they
// are created: 8 KiB of bytes for a Reader or RawReader, plus up to 16 KiB to
// mix the channels of a multi-channel file, and 4 KiB for a Writer or
// RawWriter. Their Read and Write methods do not allocate and do not retain
// the caller's slices. None of them closes the io.Reader or io.Writer it is
// given.
package wavio
