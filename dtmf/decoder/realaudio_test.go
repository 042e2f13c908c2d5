package decoder_test

import (
	"encoding/json"
	"flag"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/dtmfkit/dtmfkit/audio/g711"
	"github.com/dtmfkit/dtmfkit/audio/wavio"
	"github.com/dtmfkit/dtmfkit/dtmf"
	"github.com/dtmfkit/dtmfkit/dtmf/decoder"
	"github.com/dtmfkit/dtmfkit/internal/corpus"
	"github.com/dtmfkit/dtmfkit/internal/dtmftest"
	"github.com/dtmfkit/dtmfkit/internal/talkdown"
)

// update regenerates testdata/realaudio from its manifest and the real-audio
// corpus (make corpus): go test ./dtmf/decoder -run TestRealAudioFixtures -update.
var update = flag.Bool("update", false, "regenerate testdata/realaudio from the corpus")

const realDir = "testdata/realaudio"

// realPiece is one entry of testdata/realaudio/manifest.json: seconds of a
// corpus file from start, written (8 kHz mu-law) to file; pieces that share
// a file are joined in order.
type realPiece struct {
	File    string  `json:"file"`
	Package string  `json:"package"`
	Path    string  `json:"path"`
	Start   float64 `json:"start"`
	Seconds float64 `json:"seconds"`
	About   string  `json:"about"`
}

func realManifest(t *testing.T) []realPiece {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(realDir, "manifest.json"))
	require.NoError(t, err)
	var ps []realPiece
	require.NoError(t, json.Unmarshal(b, &ps))
	return ps
}

// readLaw reads a WAV of any encoding wavio takes as 16-bit samples.
func readLaw(t *testing.T, name string) []int16 {
	t.Helper()
	f, err := os.Open(name)
	require.NoError(t, err)
	defer f.Close()
	r, err := wavio.NewReader(f, wavio.ReaderConfig{})
	require.NoError(t, err)
	pcm, err := wavio.ReadAll(r, 0)
	require.NoError(t, err)
	return pcm
}

// TestRealAudioFixtures checks testdata/realaudio against its manifest and,
// with -update, cuts it afresh from the corpus.
func TestRealAudioFixtures(t *testing.T) {
	pieces := realManifest(t)
	byFile := map[string][]realPiece{}
	var order []string
	for _, p := range pieces {
		if _, ok := byFile[p.File]; !ok {
			order = append(order, p.File)
		}
		byFile[p.File] = append(byFile[p.File], p)
	}
	if *update {
		cache := corpus.DefaultCacheDir()
		for _, name := range order {
			var pcm []int16
			for _, p := range byFile[name] {
				e := corpus.Entry{Package: p.Package, Path: p.Path}
				src := readLaw(t, e.WAVPath(cache, 8000))
				from := int(math.Round(p.Start * 8000))
				to := min(len(src), from+int(math.Round(p.Seconds*8000)))
				require.Less(t, from, to, "%s: %s from %.3f s", name, p.Path, p.Start)
				pcm = append(pcm, src[from:to]...)
			}
			writeMuLaw(t, filepath.Join(realDir, name), pcm)
		}
	}
	for _, name := range order {
		var want float64
		for _, p := range byFile[name] {
			want += p.Seconds
		}
		got := float64(len(readLaw(t, filepath.Join(realDir, name)))) / 8000
		assert.InDelta(t, want, got, 0.01*float64(len(byFile[name]))+0.001, name)
	}
}

func writeMuLaw(t *testing.T, name string, pcm []int16) {
	t.Helper()
	f, err := os.Create(name)
	require.NoError(t, err)
	w, err := wavio.NewWriter(f, wavio.WriterConfig{SampleRate: 8000, Encoding: wavio.MuLaw, Length: int64(len(pcm))})
	require.NoError(t, err)
	require.NoError(t, w.Write(pcm))
	require.NoError(t, w.Close())
	require.NoError(t, f.Close())
}

// The places where the receiver before issue 9 reported keys in real speech
// and music (tuning half of the corpus) stay quiet.
func TestRealAudioTalkOff(t *testing.T) {
	seen := map[string]bool{}
	for _, p := range realManifest(t) {
		if !strings.HasPrefix(p.File, "talkoff-") || seen[p.File] {
			continue
		}
		seen[p.File] = true
		pcm := readLaw(t, filepath.Join(realDir, p.File))
		for _, rate := range []dtmf.SampleRate{8000, 16000} {
			in := pcm
			if rate == 16000 {
				in = upsample2(pcm)
			}
			d, err := decoder.New(decoder.Config{SampleRate: rate})
			require.NoError(t, err)
			got := dtmftest.Keys(d.Flush(d.Decode(nil, in)))
			assert.Empty(t, got, "%s at %v (%s: %s)", p.File, rate, p.Package, p.About)
		}
	}
}

// upsample2 doubles the rate by a half-band interpolator (a windowed sinc
// of 31 taps): enough to play 8 kHz audio at 16 kHz for the decoder.
func upsample2(x []int16) []int16 {
	const half = 15
	var h [2*half + 1]float64
	for i := range h {
		n := float64(i - half)
		w := 0.5 + 0.5*math.Cos(math.Pi*n/float64(half+1))
		if n == 0 {
			h[i] = 1
		} else {
			h[i] = math.Sin(math.Pi*n/2) / (math.Pi * n / 2) * w
		}
	}
	y := make([]int16, 2*len(x))
	for i := range y {
		var s float64
		for j := range h {
			k := i - (j - half)
			if k%2 == 0 && k >= 0 && k/2 < len(x) {
				s += h[j] * float64(x[k/2])
			}
		}
		y[i] = int16(max(-32768, min(32767, math.Round(s))))
	}
	return y
}

// Keys laid over real talk (testdata/realaudio/speech.wav, 91 s of the
// held-back half's speech; 100 ms tones, 150 ms pauses) at tone-to-speech
// ratios of 0 and -7 dB, the first class the independent check saw missed
// (11 and 1 of 16 keys found), and +6 and -3 dB. The floors are what this
// receiver finds, with no extra key; the receiver before issue 9 found
// 52, 49, 38 and 32 of the 60.
func TestRealAudioOverTalk(t *testing.T) {
	speech := readLaw(t, filepath.Join(realDir, "speech.wav"))
	rng := rand.New(rand.NewPCG(21, 22))
	floors := []struct {
		ratio    float64
		minFound int // of 60 keys
	}{{6, 59}, {0, 59}, {-3, 55}, {-7, 55}}
	for _, f := range floors {
		cases, err := talkdown.OverTalk(rng, 8000, speech, 6, f.ratio)
		require.NoError(t, err)
		found, extra := 0, 0
		for _, c := range cases {
			d, err := decoder.New(decoder.Config{SampleRate: 8000})
			require.NoError(t, err)
			got := dtmftest.Keys(d.Flush(d.Decode(nil, c.PCM)))
			n := lcs(got, c.Want)
			found += n
			extra += len(got) - n
		}
		t.Logf("keys over talk at %+.0f dB: %d of 60 found, %d extra", f.ratio, found, extra)
		assert.GreaterOrEqual(t, found, f.minFound, "keys found at %+.0f dB", f.ratio)
		assert.Zero(t, extra, "extra keys at %+.0f dB", f.ratio)
	}
}

// lcs returns the length of the longest common subsequence of a and b: the
// keys of want that got holds in order.
func lcs(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for i := range a {
		for j := range b {
			switch {
			case a[i] == b[j]:
				cur[j+1] = prev[j] + 1
			default:
				cur[j+1] = max(cur[j], prev[j+1])
			}
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// The other classes the independent check saw missed, synthesised: a radio
// encoder's 40 ms tones with 20 ms gaps ("461####333" and runs of repeated
// keys), hand-keyed tones of 30-43 ms, and keys overdriven 6 dB past full
// scale and clipped, at 8 and 16 kHz and through G.711. (Harder clipping
// is not yet passed: at 12 dB 27 and 25 of 30 sequences are exact, at 20
// dB 11 and 17; the 3rd-harmonic probe refuses the rest.)
func TestMissedClasses(t *testing.T) {
	for _, rate := range []dtmf.SampleRate{8000, 16000} {
		rng := rand.New(rand.NewPCG(7, 7))
		sets := []struct {
			name  string
			cases []talkdown.Case
		}{
			{"radio 40/20 ms", talkdown.RadioTiming(rng, rate, 20)},
			{"hand-keyed 30-43 ms", talkdown.HandKeyed(rng, rate, 20)},
			{"clipped +6 dB", talkdown.Clipped(rng, rate, 20, 6)},
		}
		for _, set := range sets {
			exact := 0
			for _, c := range set.cases {
				pcm := c.PCM
				if rate == 8000 && strings.HasPrefix(set.name, "radio") {
					pcm = g711.MuLaw.AppendDecode(nil, g711.MuLaw.AppendEncode(nil, pcm))
				}
				d, err := decoder.New(decoder.Config{SampleRate: rate})
				require.NoError(t, err)
				got := dtmftest.Keys(d.Flush(d.Decode(nil, pcm)))
				if assert.Equal(t, c.Want, got, "%v %s", rate, c.Name) {
					exact++
				}
			}
			t.Log(fmt.Sprintf("%v %s: %d/%d exact", rate, set.name, exact, len(set.cases)))
		}
	}
}
