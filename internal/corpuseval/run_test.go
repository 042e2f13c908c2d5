package corpuseval_test

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/dtmfkit/dtmfkit/audio/g711"
	"github.com/dtmfkit/dtmfkit/audio/wavio"
	"github.com/dtmfkit/dtmfkit/dtmf"
	"github.com/dtmfkit/dtmfkit/internal/corpus"
	"github.com/dtmfkit/dtmfkit/internal/corpuseval"
	"github.com/dtmfkit/dtmfkit/internal/dtmftest"
)

// smallPlan is a talk-down plan small enough for the synthetic corpus: 4
// sequences of 5 keys at +6 and −7 dB, 15 s of speech apart, leaving 70 s
// of its 100 s for the over-talk classes.
var smallPlan = corpuseval.TalkDownPlan{
	Ratios:    []float64{6, -7},
	Sequences: 4,
	Keys:      5,
	Stride:    15 * time.Second,
	Speech:    60 * time.Second,
}

const speechLen = 100 * time.Second

var synthetic = sync.OnceValues(func() ([2]string, error) {
	dir, err := os.MkdirTemp("", "corpuseval-test-")
	if err != nil {
		return [2]string{}, err
	}
	manifest, cache, err := corpuseval.WriteSyntheticCorpus(dir, speechLen)
	return [2]string{manifest, cache}, err
})

// syntheticCorpus returns the synthetic corpus's entries and cache folder,
// written once for all tests (into a temporary folder TestMain removes).
func syntheticCorpus(t *testing.T) ([]corpus.Entry, string) {
	t.Helper()
	paths, err := synthetic()
	require.NoError(t, err)
	entries, err := corpus.LoadManifest(paths[0])
	require.NoError(t, err)
	return entries, paths[1]
}

func TestMain(m *testing.M) {
	code := m.Run()
	if paths, err := synthetic(); err == nil && paths[0] != "" {
		os.RemoveAll(filepath.Dir(paths[0]))
	}
	os.Exit(code)
}

// fake is a receiver made of a function.
type fake struct {
	name string
	keys func(pcm []int16) ([]corpuseval.Key, error)
}

func (f fake) Name() string { return f.name }
func (f fake) Keys(_ context.Context, pcm []int16, _ dtmf.SampleRate) ([]corpuseval.Key, error) {
	return f.keys(pcm)
}

func TestRunSyntheticCorpus(t *testing.T) {
	dtmftest.CheckGoroutines(t)
	entries, cache := syntheticCorpus(t)
	var log strings.Builder
	rep, err := corpuseval.Run(context.Background(), corpuseval.Options{
		Entries: entries, CacheDir: cache,
		Halves:  []string{corpus.HalfTune, corpus.HalfTest},
		Formats: corpuseval.Formats(),
		Compare: []corpuseval.Comparand{
			{Name: "absent", Err: errors.New("absent is not installed")},
			{Name: "broken", Receiver: fake{"broken", func([]int16) ([]corpuseval.Key, error) { return nil, errors.New("exit status 3") }}},
			{Name: "deaf", Receiver: fake{"deaf", func([]int16) ([]corpuseval.Key, error) { return nil, nil }}},
		},
		TalkDown: smallPlan,
		Jobs:     2,
		Log:      &log,
	})
	require.NoError(t, err)

	// Talk-off: the one key in the test half's music, in every format.
	require.Len(t, rep.TalkOff, 3)
	for _, to := range rep.TalkOff {
		rate := float64(to.Format.Rate)
		var found []corpuseval.Key
		for _, f := range to.Files {
			if f.Entry.Path == "music/test.ogg" {
				found = f.Keys
			} else {
				assert.Empty(t, f.Keys, "%s in %s", to.Format.Label, f.Entry.Path)
			}
		}
		require.Len(t, found, 1, to.Format.Label)
		assert.Equal(t, corpuseval.SyntheticKey, found[0].Digit)
		assert.InDelta(t, corpuseval.SyntheticKeyAt.Seconds(), float64(found[0].Start)/rate, 0.005, to.Format.Label)
		assert.InDelta(t, corpuseval.SyntheticKeyLen.Seconds(), float64(found[0].Duration())/rate, 0.01, to.Format.Label)
		test := to.Tally(func(e corpus.Entry) bool { return e.Half == corpus.HalfTest })
		assert.Equal(t, 1, test.Keys)
		assert.Equal(t, 2, test.Files)
		assert.InDelta(t, speechLen.Seconds()+3, test.Seconds, 0.01)
		assert.InDelta(t, 3600/test.Seconds, test.PerHour(), 1e-9)
	}
	_, err = rep.Check(0)
	assert.EqualError(t, err, "check failed: false keys on the test half: 1 at 8 kHz, 1 at 16 kHz, 1 at μ-law 8 kHz (bound 0)")
	msg, err := rep.Check(1)
	require.NoError(t, err)
	assert.Equal(t, "check passed: false keys on the test half: 1 at 8 kHz, 1 at 16 kHz, 1 at μ-law 8 kHz (bound 1)", msg)

	// Talk-down: every mix scored, per half and format.
	require.Len(t, rep.TalkDown, 6)
	for _, td := range rep.TalkDown {
		for _, m := range []corpuseval.Matching{corpuseval.ByTime, corpuseval.InOrder} {
			scores := td.ScoreByRatio(smallPlan.Ratios, m)
			require.Len(t, scores, 2)
			for _, s := range scores {
				assert.Equal(t, 4, s.Sequences, "%s %s", td.Half, td.Format.Label)
				assert.Equal(t, 20, s.Keys)
				assert.LessOrEqual(t, s.Found, s.Keys)
				assert.LessOrEqual(t, s.Exact, s.Sequences)
			}
		}
	}
	// Classes: the over-talk ones per half, all in every format.
	classes := map[string]int{}
	for _, c := range rep.Classes {
		classes[c.Class+"/"+c.Half] += c.Keys
	}
	assert.Equal(t, map[string]int{
		"over talk 0 dB/tune": 300, "over talk -7 dB/tune": 300, "over talk 0 dB/test": 300, "over talk -7 dB/test": 300,
		"radio 40/20 ms/": 300, "hand-keyed 30-43 ms/": 240,
		"clipped +6 dB/": 240, "clipped +12 dB/": 240, "clipped +20 dB/": 240,
	}, classes, "keys sent per class over the three formats")

	// The comparison: the receiver, then each comparand.
	require.Len(t, rep.Compare, 4)
	assert.Equal(t, "dtmfkit", rep.Compare[0].Receiver)
	assert.Same(t, rep.TalkOff[0], rep.Compare[0].TalkOff, "the 8 kHz talk-off is reused")
	assert.EqualError(t, rep.Compare[1].Err, "absent is not installed")
	assert.ErrorContains(t, rep.Compare[2].Err, "exit status 3")
	require.NoError(t, rep.Compare[3].Err)
	assert.Zero(t, rep.Compare[3].TalkOff.Tally(func(corpus.Entry) bool { return true }).Keys)
	assert.Contains(t, log.String(), "talkoff: broken failed:")

	var out strings.Builder
	require.NoError(t, rep.Print(&out, 5))
	text := out.String()
	for _, want := range []string{
		"TALK-OFF: false keys of dtmfkit",
		"WORST FILES: the 1 files",
		"TALK-DOWN: 4 sequences of 5 keys per ratio",
		"MISS CLASSES",
		"COMPARISON at 8 kHz",
		"absent: not in the comparison: absent is not installed",
		"TIMES",
	} {
		assert.Contains(t, text, want)
	}
	assert.Regexp(t, `test  all music +1 +0\.00 +1 +1200\.00 +1 +1200\.00 +1 +1200\.00\n`, text)
	assert.Regexp(t, `over talk 0 dB +tune +\d+/100`, text)
	assert.Regexp(t, `talk-off, test half \(0\.03 h\) +1 \(\d+\.\d\d/h\) +n/a +n/a +0 \(0\.00/h\)`, text)

	var keys strings.Builder
	require.NoError(t, rep.WriteFalseKeys(&keys))
	lines := strings.Split(strings.TrimSuffix(keys.String(), "\n"), "\n")
	require.Len(t, lines, 4)
	assert.Equal(t, "# format\thalf\tfile\ttime_s\tkey\tduration_ms", lines[0])
	for i, name := range []string{"8k", "16k", "ulaw"} {
		f := strings.Split(lines[1+i], "\t")
		require.Len(t, f, 6)
		assert.Equal(t, []string{name, "test", "dtmfkit-synthetic/music/test.ogg"}, f[:3])
		assert.Equal(t, "5", f[4])
		at, err := strconv.ParseFloat(f[3], 64)
		require.NoError(t, err)
		assert.InDelta(t, 1.0, at, 0.005)
	}
	ok, err := rep.WriteComparandFalseKeys(&keys, "absent")
	assert.False(t, ok)
	assert.NoError(t, err)
}

// oracle returns, for each mix and class case, exactly the keys in it: it
// knows them by the audio's fingerprint.
type oracle map[string][]corpuseval.Key

func fingerprint(pcm []int16) string {
	h := sha256.New()
	for _, v := range pcm {
		h.Write([]byte{byte(v), byte(uint16(v) >> 8)})
	}
	return string(h.Sum(nil))
}

func (o oracle) Name() string { return "oracle" }
func (o oracle) Keys(_ context.Context, pcm []int16, _ dtmf.SampleRate) ([]corpuseval.Key, error) {
	keys, ok := o[fingerprint(pcm)]
	if !ok {
		return nil, nil // a corpus file: no keys
	}
	return keys, nil
}

// A receiver that finds every key where it is gets every sequence right,
// by either matching; the plumbing loses nothing.
func TestRunScoresAPerfectReceiver(t *testing.T) {
	entries, cache := syntheticCorpus(t)
	const rate = 8000
	speech, err := corpuseval.LoadSpeech(entries, corpus.HalfTest, cache, rate, smallPlan.Speech)
	require.NoError(t, err)
	mixes, err := smallPlan.Mixes(speech, rate)
	require.NoError(t, err)
	o := oracle{}
	for _, m := range mixes {
		var keys []corpuseval.Key
		for _, p := range m.Seq.Presses {
			keys = append(keys, corpuseval.Key{Digit: p.Key, Start: p.Start, End: p.Start + p.Len})
		}
		o[fingerprint(m.PCM)] = keys
	}
	classes := append(corpuseval.OverTalkClasses(speech, rate, corpus.HalfTest, smallPlan), corpuseval.SignalClasses(rate)...)
	for _, c := range classes {
		for _, cs := range c.Cases {
			var keys []corpuseval.Key
			for _, r := range cs.Want {
				keys = append(keys, corpuseval.Key{Digit: dtmf.Digit(r), Start: -1, End: -1})
			}
			o[fingerprint(cs.PCM)] = keys
		}
	}

	rep, err := corpuseval.Run(context.Background(), corpuseval.Options{
		Entries: entries, CacheDir: cache, Halves: []string{corpus.HalfTest},
		Formats: []corpuseval.Format{corpuseval.Format8k}, Receiver: o, TalkDown: smallPlan,
	})
	require.NoError(t, err)
	require.Len(t, rep.TalkDown, 1)
	for _, m := range []corpuseval.Matching{corpuseval.ByTime, corpuseval.InOrder} {
		for _, s := range rep.TalkDown[0].ScoreByRatio(smallPlan.Ratios, m) {
			assert.Equal(t, corpuseval.Score{Sequences: 4, Exact: 4, Keys: 20, Found: 20}, s, m)
		}
	}
	require.Len(t, rep.Classes, 7)
	for _, c := range rep.Classes {
		assert.Equal(t, c.Sequences, c.Exact, c.Class)
		assert.Equal(t, c.Keys, c.Found, c.Class)
		assert.Zero(t, c.Extra, c.Class)
		assert.Positive(t, c.Keys, c.Class)
	}
}

func TestRunMissingCorpus(t *testing.T) {
	entries, cache := syntheticCorpus(t)
	opts := corpuseval.Options{Entries: entries, Halves: []string{corpus.HalfTest}, Formats: corpuseval.Formats()}

	opts.CacheDir = t.TempDir()
	_, err := corpuseval.Run(context.Background(), opts)
	var missing *corpuseval.MissingError
	require.ErrorAs(t, err, &missing)
	assert.Equal(t, fmt.Sprintf("the corpus is not in %s (no WAV file of the manifest is there): run make corpus", opts.CacheDir), err.Error())

	// One file missing at 16 kHz.
	part := t.TempDir()
	require.NoError(t, os.CopyFS(part, os.DirFS(cache)))
	var gone string
	for _, e := range entries {
		if e.Path == "speech/test.ogg" {
			gone = e.WAVPath(part, 16000)
		}
	}
	require.NoError(t, os.Remove(gone))
	opts.CacheDir = part
	_, err = corpuseval.Run(context.Background(), opts)
	require.ErrorAs(t, err, &missing)
	assert.Equal(t, fmt.Sprintf("the corpus in %s is incomplete (1 of 4 WAV files missing, first %s): run make corpus", part, gone), err.Error())

	// 8 kHz alone does not need it.
	opts.Formats = []corpuseval.Format{corpuseval.Format8k}
	opts.TalkDown = smallPlan
	_, err = corpuseval.Run(context.Background(), opts)
	assert.NoError(t, err)
}

func TestRunCancelled(t *testing.T) {
	dtmftest.CheckGoroutines(t)
	entries, cache := syntheticCorpus(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := corpuseval.Run(ctx, corpuseval.Options{Entries: entries, CacheDir: cache,
		Halves: []string{corpus.HalfTest}, Formats: corpuseval.Formats(), Jobs: 2})
	assert.ErrorIs(t, err, context.Canceled)
}

func TestParseFormats(t *testing.T) {
	tests := []struct {
		in, want, err string
	}{
		{in: "all", want: "8k 16k ulaw"},
		{in: "8k,16k,ulaw", want: "8k 16k ulaw"},
		{in: "ulaw, 8k", want: "8k ulaw"},
		{in: "16k,16k", want: "16k"},
		{in: "8k,alaw", err: `unknown format "alaw": want 8k, 16k, ulaw or all`},
		{in: "", err: `unknown format "": want 8k, 16k, ulaw or all`},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := corpuseval.ParseFormats(tt.in)
			if tt.err != "" {
				assert.EqualError(t, err, tt.err)
				return
			}
			require.NoError(t, err)
			var names []string
			for _, f := range got {
				names = append(names, f.Name)
			}
			assert.Equal(t, tt.want, strings.Join(names, " "))
		})
	}
}

func TestFormatApply(t *testing.T) {
	pcm := []int16{0, 1, 100, -100, 1000, -12345, 32767, -32768}
	assert.Equal(t, pcm, corpuseval.Format8k.Apply(append([]int16(nil), pcm...)))
	want := g711.MuLaw.AppendDecode(nil, g711.MuLaw.AppendEncode(nil, pcm))
	assert.Equal(t, want, corpuseval.FormatULaw.Apply(append([]int16(nil), pcm...)))
	assert.NotEqual(t, pcm, want)
}

// The speech of the talk-down mixes is the half's speech files sorted by
// path and shuffled by a source seeded (11, 12), as the research harness
// had it. Each file here is a constant, its number, so the order shows.
func TestLoadSpeechOrder(t *testing.T) {
	cache := t.TempDir()
	var entries []corpus.Entry
	for i, name := range []string{"a", "b", "c", "d", "e", "f", "g", "h"} {
		for j, pkg := range []string{"pkg-one", "pkg-two"} {
			e := corpus.Entry{Package: pkg, Path: "voice/" + name + ".ogg", Kind: corpus.KindSpeech, Half: corpus.HalfTest}
			n := 1 + 2*i + j
			pcm := make([]int16, 8000)
			for k := range pcm {
				pcm[k] = int16(n)
			}
			writeWAV(t, e.WAVPath(cache, 8000), pcm)
			entries = append(entries, e)
		}
	}
	entries = append(entries, corpus.Entry{Package: "pkg-one", Path: "tune.ogg", Kind: corpus.KindSpeech, Half: corpus.HalfTune},
		corpus.Entry{Package: "pkg-one", Path: "music.ogg", Kind: corpus.KindMusic, Half: corpus.HalfTest})

	order := func(limit time.Duration) []int {
		speech, err := corpuseval.LoadSpeech(entries, corpus.HalfTest, cache, 8000, limit)
		require.NoError(t, err)
		var got []int
		for i := 0; i < len(speech); i += 8000 {
			got = append(got, int(speech[i]))
		}
		return got
	}
	// Golden: the order this code gave when its talk-down figures on the
	// real corpus were checked equal to the research harness's.
	assert.Equal(t, []int{2, 6, 5, 8, 1, 9, 4, 16, 13, 7, 15, 11, 14, 10, 3, 12}, order(time.Hour))
	assert.Equal(t, []int{2, 6, 5}, order(2*time.Second), "read until more than the limit")
}

func writeWAV(t *testing.T, path string, pcm []int16) {
	t.Helper()
	require.NoError(t, os.MkdirAll(filepath.Dir(path), 0o755))
	f, err := os.Create(path)
	require.NoError(t, err)
	w, err := wavio.NewWriter(f, wavio.WriterConfig{SampleRate: 8000, Length: int64(len(pcm))})
	require.NoError(t, err)
	require.NoError(t, w.Write(pcm))
	require.NoError(t, w.Close())
	require.NoError(t, f.Close())
}
