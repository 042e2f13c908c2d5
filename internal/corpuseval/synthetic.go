package corpuseval

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"time"

	"github.com/dtmfkit/dtmfkit/audio/wavio"
	"github.com/dtmfkit/dtmfkit/dtmf"
	"github.com/dtmfkit/dtmfkit/internal/corpus"
	"github.com/dtmfkit/dtmfkit/internal/dtmftest"
)

// The synthetic corpus's one false key, in its test half's music file.
const (
	SyntheticPackage = "dtmfkit-synthetic"
	SyntheticKey     = dtmf.Digit5
	SyntheticKeyAt   = time.Second            // its onset
	SyntheticKeyLen  = 200 * time.Millisecond // its length
)

// WriteSyntheticCorpus writes a small stand-in for the real-audio corpus
// into dir, for tests and for trying the tool without make corpus: a
// manifest (dir/manifest.json) and WAV files at 8000 and 16000 Hz in a
// cache folder (dir/cache), which it returns. Each half has a speech file
// of speech (noise in syllable-like bursts, from a seeded source; no
// tones) and a 3 s music file (a quiet chord of non-DTMF notes); the test
// half's music file also holds one key, [SyntheticKey], at −10 dBm0 per
// tone, from [SyntheticKeyAt] for [SyntheticKeyLen]: a false key every
// receiver should report.
func WriteSyntheticCorpus(dir string, speech time.Duration) (manifest, cache string, err error) {
	files := []struct {
		entry  corpus.Entry
		render func(rate dtmf.SampleRate) []int16
	}{
		{corpus.Entry{Path: "speech/tune.ogg", Kind: corpus.KindSpeech, Half: corpus.HalfTune},
			func(rate dtmf.SampleRate) []int16 { return syntheticSpeech(rate, speech, 1) }},
		{corpus.Entry{Path: "speech/test.ogg", Kind: corpus.KindSpeech, Half: corpus.HalfTest},
			func(rate dtmf.SampleRate) []int16 { return syntheticSpeech(rate, speech, 2) }},
		{corpus.Entry{Path: "music/tune.ogg", Kind: corpus.KindMusic, Half: corpus.HalfTune},
			func(rate dtmf.SampleRate) []int16 { return syntheticMusic(rate, false) }},
		{corpus.Entry{Path: "music/test.ogg", Kind: corpus.KindMusic, Half: corpus.HalfTest},
			func(rate dtmf.SampleRate) []int16 { return syntheticMusic(rate, true) }},
	}
	cache = filepath.Join(dir, "cache")
	var entries []corpus.Entry
	for _, f := range files {
		e := f.entry
		e.Package, e.Version = SyntheticPackage, "1.0"
		sum := sha256.Sum256([]byte(e.Path))
		e.SHA256 = hex.EncodeToString(sum[:])
		for _, rate := range corpus.Rates {
			pcm := f.render(dtmf.SampleRate(rate))
			e.Seconds = float64(len(pcm)) / float64(rate)
			if err := writeWAV(e.WAVPath(cache, rate), rate, pcm); err != nil {
				return "", "", err
			}
		}
		entries = append(entries, e)
	}
	b, err := corpus.MarshalManifest(entries)
	if err != nil {
		return "", "", err
	}
	manifest = filepath.Join(dir, "manifest.json")
	if err := os.WriteFile(manifest, b, 0o644); err != nil {
		return "", "", err
	}
	return manifest, cache, nil
}

// syntheticSpeech returns d of noise in bursts of 120-300 ms, 60-200 ms
// apart, at about −20 dBm0 while sounding.
func syntheticSpeech(rate dtmf.SampleRate, d time.Duration, seed uint64) []int16 {
	rng := rand.New(rand.NewPCG(seed, 1))
	sig := dtmftest.NewSignal(rate, rate.N(d))
	rms := dtmftest.RMS(-20)
	var lp float64
	for i := int64(0); i < int64(len(sig.X)); {
		on := rate.N(time.Duration(120+rng.IntN(180)) * time.Millisecond)
		for n := int64(0); n < on && i < int64(len(sig.X)); n, i = n+1, i+1 {
			// A one-pole low-pass tilts the noise towards low frequencies,
			// as speech is; the factor restores its level.
			lp = 0.7*lp + 0.3*rng.NormFloat64()
			sig.X[i] = lp * rms * 2.4 * math.Sin(math.Pi*float64(n)/float64(on))
		}
		i += rate.N(time.Duration(60+rng.IntN(140)) * time.Millisecond)
	}
	return sig.Int16()
}

// syntheticMusic returns 3 s of an A minor chord (220, 261.6 and 329.6
// Hz) at −30 dBm0 per note, with the synthetic key if withKey.
func syntheticMusic(rate dtmf.SampleRate, withKey bool) []int16 {
	sig := dtmftest.NewSignal(rate, rate.N(3*time.Second))
	for _, f := range []float64{220, 261.63, 329.63} {
		sig.AddTone(dtmftest.Tone{Freq: f, Level: -30, Len: int64(len(sig.X)), Ramp: rate.N(20 * time.Millisecond)})
	}
	if withKey {
		sig.AddPress(dtmftest.Press{Key: SyntheticKey, LowLevel: -10, HighLevel: -10,
			Start: rate.N(SyntheticKeyAt), Len: rate.N(SyntheticKeyLen), Ramp: rate.N(3 * time.Millisecond)})
	}
	return sig.Int16()
}

// writeWAV writes pcm as a 16-bit WAV file at rate, making its folder.
func writeWAV(path string, rate int, pcm []int16) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	w, err := wavio.NewWriter(f, wavio.WriterConfig{SampleRate: rate, Length: int64(len(pcm))})
	if err == nil {
		err = w.Write(pcm)
		err = errors.Join(err, w.Close())
	}
	return errors.Join(err, f.Close())
}
