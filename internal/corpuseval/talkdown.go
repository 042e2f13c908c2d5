package corpuseval

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"sort"
	"time"

	"github.com/dtmfkit/dtmfkit/dtmf"
	"github.com/dtmfkit/dtmfkit/internal/corpus"
	"github.com/dtmfkit/dtmfkit/internal/talkdown"
)

// TalkDownPlan says how the talk-down mixes are made from one half's
// speech. [DefaultTalkDown] is issue 9's measurement.
type TalkDownPlan struct {
	// Ratios are the tone-to-speech ratios, dB: the power of a key's two
	// tones against the speech's active level (ITU-T P.56).
	Ratios []float64
	// Sequences is how many sequences are tried per ratio; a sequence
	// whose stretch of speech is silent is skipped, so a few fewer may be
	// scored.
	Sequences int
	// Keys is the number of keys per sequence.
	Keys int
	// Stride is how far apart in the speech the ratios' sequences begin:
	// ratio i takes its speech from i·Stride on.
	Stride time.Duration
	// Speech is how much speech is read: whole files, in a fixed
	// shuffled order, until more than this is read.
	Speech time.Duration
}

// DefaultTalkDown is the talk-down measurement of issue 9, as the lead's
// research harness made it: 60 sequences of 10 keys (70-130 ms on,
// 100-250 ms off, random keys, each tone within ±1 %) per ratio, at +6,
// +3, 0, −3 and −7 dB (−7 dB is loud talk over the keys) against speech
// at −20 dBm0 active level. Ratio i's sequences come from a random source
// seeded (i, 77) and run through the speech from minute 5·i on.
var DefaultTalkDown = TalkDownPlan{
	Ratios:    []float64{6, 3, 0, -3, -7},
	Sequences: 60,
	Keys:      10,
	Stride:    5 * time.Minute,
	Speech:    30 * time.Minute,
}

// speechSeed seeds the shuffle of the speech files.
var speechSeed = [2]uint64{11, 12}

// LoadSpeech returns the speech the talk-down mixes of one half are made
// from, at rate Hz: the half's speech files sorted by path, shuffled by a
// random source seeded (11, 12), and read whole, in that order, until
// more than limit is read (or all of them).
func LoadSpeech(entries []corpus.Entry, half, cacheDir string, rate dtmf.SampleRate, limit time.Duration) ([]int16, error) {
	var files []corpus.Entry
	for _, e := range entries {
		if e.Half == half && e.Kind == corpus.KindSpeech {
			files = append(files, e)
		}
	}
	// sort.Slice, not a stable sort: files of two packages can share a
	// path, and their order is the one the research harness had.
	sort.Slice(files, func(i, j int) bool { return files[i].Path < files[j].Path })
	rng := rand.New(rand.NewPCG(speechSeed[0], speechSeed[1]))
	rng.Shuffle(len(files), func(i, j int) { files[i], files[j] = files[j], files[i] })
	var speech []int16
	for _, e := range files {
		pcm, err := readWAV(e.WAVPath(cacheDir, int(rate)), rate)
		if err != nil {
			return nil, err
		}
		speech = append(speech, pcm...)
		if int64(len(speech)) > rate.N(limit) {
			break
		}
	}
	return speech, nil
}

// A Mix is one talk-down case: a sequence of keys under speech.
type Mix struct {
	Ratio float64 // dB
	Index int     // the sequence's number within its ratio, from 0
	Seq   talkdown.Sequence
	PCM   []int16 // at Seq.Rate, before any format's transform
}

// Mixes returns the talk-down mixes of speech at rate, for each ratio in
// turn. A ratio whose share of the speech runs out gets fewer sequences.
func (p TalkDownPlan) Mixes(speech []int16, rate dtmf.SampleRate) ([]Mix, error) {
	var mixes []Mix
	for ri, ratio := range p.Ratios {
		off := int64(ri) * rate.N(p.Stride)
		rng := rand.New(rand.NewPCG(uint64(ri), 77))
		for n := range p.Sequences {
			s := talkdown.NewSequence(rng, rate, p.Keys, talkdown.TalkDownTiming, talkdown.MaxDeviation)
			if off+s.Len > int64(len(speech)) {
				break
			}
			pcm, err := s.Mix(speech[off:], ratio, talkdown.SpeechLevel)
			off += s.Len
			if errors.Is(err, talkdown.ErrSilent) {
				continue
			}
			if err != nil {
				return nil, err
			}
			mixes = append(mixes, Mix{Ratio: ratio, Index: n, Seq: s, PCM: pcm})
		}
	}
	return mixes, nil
}

// TalkDown is what a receiver reported on the talk-down mixes of one half
// in one format.
type TalkDown struct {
	Receiver string
	Format   Format
	Half     string
	Mixes    []Mix
	Keys     [][]Key // Keys[i] for Mixes[i]
}

// RunTalkDown runs r on each mix in format f, jobs at a time.
func RunTalkDown(ctx context.Context, r Receiver, f Format, half string, mixes []Mix, jobs int) (*TalkDown, error) {
	t := &TalkDown{Receiver: r.Name(), Format: f, Half: half, Mixes: mixes, Keys: make([][]Key, len(mixes))}
	err := forEach(ctx, jobs, len(mixes), func(ctx context.Context, i int) error {
		m := mixes[i]
		if m.Seq.Rate != f.Rate {
			return fmt.Errorf("a mix at %d Hz for %s", m.Seq.Rate, f.Label)
		}
		pcm := m.PCM
		if f.MuLaw {
			pcm = f.Apply(slices.Clone(pcm))
		}
		keys, err := r.Keys(ctx, pcm, f.Rate)
		if err != nil {
			return fmt.Errorf("%s on talk-down mix %+.0f dB #%d (%s): %w", r.Name(), m.Ratio, m.Index, f.Label, err)
		}
		t.Keys[i] = keys
		return nil
	})
	if err != nil {
		return nil, err
	}
	return t, nil
}

// A Score counts what a receiver got right on sequences of keys.
type Score struct {
	Sequences int // sequences scored
	Exact     int // sequences whose keys came out exactly: all, in order, nothing else
	Keys      int // keys sent
	Found     int // keys sent that were reported
	Extra     int // keys reported that match no key sent
}

// Add adds o to s.
func (s *Score) Add(o Score) {
	s.Sequences += o.Sequences
	s.Exact += o.Exact
	s.Keys += o.Keys
	s.Found += o.Found
	s.Extra += o.Extra
}

// A Matching decides which reported keys are keys sent.
type Matching uint8

const (
	// ByTime matches a reported key to the first key sent, not matched
	// yet, with the same digit and a tone that starts no more than 10 ms
	// after the reported start and ends after it: the research
	// harness's rule. It needs a receiver that places keys (Start ≥ 0).
	ByTime Matching = iota
	// InOrder matches reported keys to keys sent in order, as many as
	// possible (a longest common subsequence of the two digit strings):
	// for receivers that give no positions, and to compare receivers
	// whose positions mean different things.
	InOrder
)

// String returns "by time" or "in order".
func (m Matching) String() string {
	if m == ByTime {
		return "by time"
	}
	return "in order"
}

// ScoreByRatio scores t per ratio, in the order of the plan's ratios.
func (t *TalkDown) ScoreByRatio(ratios []float64, m Matching) []Score {
	scores := make([]Score, len(ratios))
	for i, mix := range t.Mixes {
		ri := slices.Index(ratios, mix.Ratio)
		if ri < 0 {
			continue
		}
		var s Score
		if m == ByTime {
			s = scoreByTime(mix.Seq, t.Keys[i])
		} else {
			s = scoreInOrder(wantOf(mix.Seq), t.Keys[i])
		}
		scores[ri].Add(s)
	}
	return scores
}

// wantOf returns the keys of s in order.
func wantOf(s talkdown.Sequence) []dtmf.Digit {
	want := make([]dtmf.Digit, len(s.Presses))
	for i, p := range s.Presses {
		want[i] = p.Key
	}
	return want
}

// exact reports whether keys are want, in order, and nothing else.
func exact(want []dtmf.Digit, keys []Key) bool {
	return slices.EqualFunc(want, keys, func(d dtmf.Digit, k Key) bool { return k.Digit == d })
}

// scoreByTime scores one sequence by the ByTime rule.
func scoreByTime(s talkdown.Sequence, keys []Key) Score {
	sc := Score{Sequences: 1, Keys: len(s.Presses)}
	if exact(wantOf(s), keys) {
		sc.Exact = 1
	}
	early := int64(s.Rate) / 100 // 10 ms
	used := make([]bool, len(s.Presses))
	for _, k := range keys {
		matched := false
		for pi, p := range s.Presses {
			if !used[pi] && p.Key == k.Digit && k.Start >= p.Start-early && k.Start < p.Start+p.Len {
				used[pi], matched = true, true
				break
			}
		}
		if matched {
			sc.Found++
		} else {
			sc.Extra++
		}
	}
	return sc
}

// scoreInOrder scores one sequence by the InOrder rule.
func scoreInOrder(want []dtmf.Digit, keys []Key) Score {
	sc := Score{Sequences: 1, Keys: len(want)}
	if exact(want, keys) {
		sc.Exact = 1
	}
	// The longest common subsequence, one row at a time.
	prev := make([]int, len(keys)+1)
	cur := make([]int, len(keys)+1)
	for _, w := range want {
		for j, k := range keys {
			switch {
			case k.Digit == w:
				cur[j+1] = prev[j] + 1
			default:
				cur[j+1] = max(cur[j], prev[j+1])
			}
		}
		prev, cur = cur, prev
	}
	sc.Found = prev[len(keys)]
	sc.Extra = len(keys) - sc.Found
	return sc
}
