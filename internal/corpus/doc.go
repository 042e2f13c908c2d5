// Package corpus builds and describes the real-audio corpus of issue 9:
// about 4.6 hours of recorded speech and 8.1 hours of music from Debian
// packages (all Ogg Vorbis), converted to 16-bit mono WAV at 8000 and
// 16000 Hz, on which the DTMF receiver's false detections (talk-off) are
// measured. testdata/corpus/README.md says what is in it.
//
// # Use
//
// A program that decodes the corpus reads the committed manifest with
// [LoadManifest] and finds each file's conversion with [Entry.WAVPath]
// in [DefaultCacheDir]:
//
//	entries, err := corpus.LoadManifest("testdata/corpus/manifest.json")
//	...
//	for _, e := range entries {
//		if e.Half != corpus.HalfTest { continue }
//		path := e.WAVPath(corpus.DefaultCacheDir(), 8000)
//		...
//	}
//
// [Build] (make corpus, internal/cmd/corpus) makes the cache:
//
//	CACHE/debs/PACKAGE_VERSION.deb      apt-get download PACKAGE=VERSION
//	CACHE/src/PACKAGE/...               dpkg -x (nothing is installed)
//	CACHE/8000/PACKAGE/PATH.wav         each source file at 8000 Hz
//	CACHE/16000/PACKAGE/PATH.wav        and at 16000 Hz
//
// where PATH is the file's path in the package, with the ':' of a file in
// a zip archive made a '/'. Each step is skipped when done (a stamp file
// in each folder records the version it holds). Every run checks each
// source file's SHA256 against the manifest.
//
// # Conversion
//
// Each file is decoded with github.com/jfreymuth/vorbis under this
// package's Ogg reader (RFC 3533; see monoDecoder for why not
// github.com/jfreymuth/oggvorbis), mixed to mono as the mean of its
// channels, resampled by package audio/resample (passband flat to 0.9 of
// the output's Nyquist frequency, 80 dB or more of attenuation beyond it),
// scaled by 32768, rounded and clipped to 16 bits. Nothing is normalised:
// the level is as recorded. Files shorter than [MinSeconds] are left out.
//
// # Halves
//
// [AssignHalves] splits the corpus into a tuning half and a held-back
// test half, by source file, so that each package's speech and music
// are split evenly by duration, copies of a file stay together, and a
// file keeps its half in every later manifest.
package corpus
