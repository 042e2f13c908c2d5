package corpus

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// syntheticCorpus returns packages of files with seeded random durations:
// many short speech files, a few long music files, and copies.
func syntheticCorpus() []Entry {
	rng := rand.New(rand.NewPCG(1, 1))
	var entries []Entry
	add := func(pkg, kind string, n int, mean float64) {
		for i := range n {
			sha := fmt.Sprintf("%064x", rng.Uint64())
			entries = append(entries, Entry{
				Package: pkg, Version: "1.0-1", Path: fmt.Sprintf("usr/share/%s/%s/%04d.ogg", pkg, kind, i),
				Kind: kind, Seconds: roundSeconds(mean * (0.2 + 1.6*rng.Float64())), SHA256: sha,
			})
		}
	}
	add("speech-a", KindSpeech, 1800, 3.4)
	add("speech-b", KindSpeech, 800, 8)
	add("music-a", KindMusic, 41, 180)
	add("music-b", KindMusic, 16, 200)
	add("music-c", KindMusic, 10, 420)
	add("mixed", KindSpeech, 130, 3)
	add("mixed", KindMusic, 15, 100)
	// Three copies of one file, and a pair: same bytes, other paths.
	for i, j := range []int{10, 20, 30, 40, 50} {
		src := entries[i%2]
		e := entries[j]
		e.SHA256, e.Seconds = src.SHA256, src.Seconds
		entries[j] = e
	}
	return entries
}

// halfSeconds returns the seconds in each half by package and kind.
func halfSeconds(entries []Entry) map[string]map[string]float64 {
	t := map[string]map[string]float64{}
	for _, e := range entries {
		k := e.Package + " " + e.Kind
		if t[k] == nil {
			t[k] = map[string]float64{}
		}
		t[k][e.Half] += e.Seconds
	}
	return t
}

func TestAssignHalvesBalance(t *testing.T) {
	entries := syntheticCorpus()
	got := AssignHalves(entries, nil)
	require.Len(t, got, len(entries))
	longest := map[string]float64{}
	for _, e := range entries {
		k := e.Package + " " + e.Kind
		longest[k] = max(longest[k], e.Seconds)
	}
	for pkg, h := range halfSeconds(got) {
		tune, test := h[HalfTune], h[HalfTest]
		require.Len(t, h, 2, "%s: only tune and test", pkg)
		diff := math.Abs(tune - test)
		assert.LessOrEqual(t, diff, longest[pkg], "%s: halves differ by at most one file", pkg)
		assert.Less(t, diff/(tune+test), 0.03, "%s: tune %.1f s, test %.1f s", pkg, tune, test)
		t.Logf("%s: tune %.1f s, test %.1f s (%.2f %%)", pkg, tune, test, 100*diff/(tune+test))
	}
	// Copies share a half.
	bySHA := map[string]string{}
	for _, e := range got {
		if h, ok := bySHA[e.Package+e.SHA256]; ok {
			assert.Equal(t, h, e.Half, "%s: a copy in the other half", e.Path)
		}
		bySHA[e.Package+e.SHA256] = e.Half
	}
	// The input is not changed.
	for _, e := range entries {
		assert.Empty(t, e.Half)
	}
}

// The split depends only on the files, not their order.
func TestAssignHalvesDeterministic(t *testing.T) {
	entries := syntheticCorpus()
	want := AssignHalves(entries, nil)
	rng := rand.New(rand.NewPCG(2, 2))
	for range 3 {
		shuffled := slices.Clone(entries)
		rng.Shuffle(len(shuffled), func(i, j int) { shuffled[i], shuffled[j] = shuffled[j], shuffled[i] })
		got := AssignHalves(shuffled, nil)
		slices.SortFunc(got, cmpEntries)
		w := slices.Clone(want)
		slices.SortFunc(w, cmpEntries)
		require.Equal(t, w, got)
	}
}

// Files the previous manifest lists keep their half; new files are added
// so as to keep each package balanced.
func TestAssignHalvesStable(t *testing.T) {
	entries := syntheticCorpus()
	old := AssignHalves(entries[:len(entries)-300], nil) // an older version of the packages
	got := AssignHalves(entries, old)
	kept := map[string]string{}
	for _, e := range old {
		kept[e.key()] = e.Half
	}
	for _, e := range got {
		if h, ok := kept[e.key()]; ok {
			require.Equal(t, h, e.Half, e.Path)
		}
	}
	for pkg, h := range halfSeconds(got) {
		diff := math.Abs(h[HalfTune] - h[HalfTest])
		assert.Less(t, diff/(h[HalfTune]+h[HalfTest]), 0.03, pkg)
	}

	// A half from the previous manifest wins even where the rule would
	// choose otherwise.
	flipped := slices.Clone(old)
	for i := range flipped {
		if flipped[i].Half == HalfTune {
			flipped[i].Half = HalfTest
		} else {
			flipped[i].Half = HalfTune
		}
	}
	got = AssignHalves(old, flipped)
	for i := range got {
		assert.Equal(t, flipped[i].Half, got[i].Half)
	}
}
