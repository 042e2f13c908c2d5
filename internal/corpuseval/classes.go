package corpuseval

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"

	"github.com/dtmfkit/dtmfkit/dtmf"
	"github.com/dtmfkit/dtmfkit/internal/talkdown"
)

// A Class is one class of signal real recordings showed the receiver
// missing (issue 9), made by package internal/talkdown.
type Class struct {
	Name  string
	Half  string // the half whose speech it uses, or "" for none
	Cases []talkdown.Case
}

// How many cases each class has. Over talk has ten keys a case, the radio
// sequences ten, the hand-keyed and clipped ones eight.
const (
	OverTalkCases   = 10
	RadioCases      = 10
	HandKeyedCases  = 10
	ClippedCases    = 10
	classSeedPrefix = 9 // issue 9: every class's random source is seeded (9, class number)
)

// OverTalkRatios are the tone-to-speech ratios of the over-talk class, dB.
var OverTalkRatios = []float64{0, -7}

// ClippedOverdrives are the overdrives of the clipped class, dB above the
// level at which a key's peaks reach full scale.
var ClippedOverdrives = []float64{6, 12, 20}

// OverTalkClasses returns the over-talk classes of one half's speech at
// rate: keys laid over the talk at each of [OverTalkRatios], 100 ms on,
// 150 ms off, [OverTalkCases] sequences each. They use the speech the
// talk-down plan p leaves over (from len(p.Ratios)·p.Stride on), split
// equally between the ratios; where that is too short for every case (a
// small corpus), a class has fewer cases, or none.
func OverTalkClasses(speech []int16, rate dtmf.SampleRate, half string, p TalkDownPlan) []Class {
	start := min(int64(len(speech)), int64(len(p.Ratios))*rate.N(p.Stride))
	rest := speech[start:]
	share := len(rest) / len(OverTalkRatios)
	var classes []Class
	for i, ratio := range OverTalkRatios {
		// talkdown.OverTalk fails only when the speech runs out, and then
		// returns the cases it had room for.
		rng := rand.New(rand.NewPCG(classSeedPrefix, uint64(1+i)))
		cases, _ := talkdown.OverTalk(rng, rate, rest[i*share:(i+1)*share], OverTalkCases, ratio)
		classes = append(classes, Class{Name: "over talk " + ratioLabel(ratio), Half: half, Cases: cases})
	}
	return classes
}

// SignalClasses returns the classes that need no speech, at rate: a radio
// encoder's 40 ms tones with 20 ms gaps, hand-keyed 30-43 ms tones, and
// keys clipped at each of [ClippedOverdrives].
func SignalClasses(rate dtmf.SampleRate) []Class {
	seed := func(n uint64) *rand.Rand { return rand.New(rand.NewPCG(classSeedPrefix, n)) }
	classes := []Class{
		{Name: "radio 40/20 ms", Cases: talkdown.RadioTiming(seed(10), rate, RadioCases)},
		{Name: "hand-keyed 30-43 ms", Cases: talkdown.HandKeyed(seed(11), rate, HandKeyedCases)},
	}
	for i, od := range ClippedOverdrives {
		classes = append(classes, Class{
			Name:  fmt.Sprintf("clipped +%.0f dB", od),
			Cases: talkdown.Clipped(seed(uint64(12+i)), rate, ClippedCases, od),
		})
	}
	return classes
}

// ScoreClass runs r on every case of c in format f, jobs at a time, and
// scores the keys in order (a case records its keys, not where they are).
func ScoreClass(ctx context.Context, r Receiver, f Format, c Class, jobs int) (Score, error) {
	scores := make([]Score, len(c.Cases))
	err := forEach(ctx, jobs, len(c.Cases), func(ctx context.Context, i int) error {
		cs := c.Cases[i]
		pcm := cs.PCM
		if f.MuLaw {
			pcm = f.Apply(slices.Clone(pcm))
		}
		keys, err := r.Keys(ctx, pcm, f.Rate)
		if err != nil {
			return fmt.Errorf("%s on %s (%s): %w", r.Name(), cs.Name, f.Label, err)
		}
		want, err := dtmf.AppendDigits(nil, cs.Want)
		if err != nil {
			return fmt.Errorf("%s: %w", cs.Name, err)
		}
		scores[i] = scoreInOrder(want, keys)
		return nil
	})
	var total Score
	for _, s := range scores {
		total.Add(s)
	}
	return total, err
}
