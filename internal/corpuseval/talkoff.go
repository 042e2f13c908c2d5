package corpuseval

import (
	"context"
	"fmt"

	"github.com/dtmfkit/dtmfkit/internal/corpus"
)

// FileKeys is what a receiver reported in one corpus file: every key is a
// false key, since the corpus holds no DTMF.
type FileKeys struct {
	Entry   corpus.Entry
	Samples int64
	Keys    []Key
}

// TalkOff is a receiver's false keys on corpus files in one format.
type TalkOff struct {
	Receiver string
	Format   Format
	Files    []FileKeys // in the order of the entries decoded
}

// RunTalkOff decodes each entry's WAV file in cacheDir in format f with
// r, jobs files at a time.
func RunTalkOff(ctx context.Context, r Receiver, f Format, entries []corpus.Entry, cacheDir string, jobs int) (*TalkOff, error) {
	t := &TalkOff{Receiver: r.Name(), Format: f, Files: make([]FileKeys, len(entries))}
	err := forEach(ctx, jobs, len(entries), func(ctx context.Context, i int) error {
		e := entries[i]
		pcm, err := readWAV(e.WAVPath(cacheDir, int(f.Rate)), f.Rate)
		if err != nil {
			return err
		}
		keys, err := r.Keys(ctx, f.Apply(pcm), f.Rate)
		if err != nil {
			return fmt.Errorf("%s on %s/%s (%s): %w", r.Name(), e.Package, e.Path, f.Label, err)
		}
		t.Files[i] = FileKeys{Entry: e, Samples: int64(len(pcm)), Keys: keys}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return t, nil
}

// A Tally is a count of false keys over some audio.
type Tally struct {
	Files   int
	Seconds float64
	Keys    int
}

// PerHour returns the false keys per hour of audio.
func (t Tally) PerHour() float64 {
	if t.Seconds == 0 {
		return 0
	}
	return float64(t.Keys) * 3600 / t.Seconds
}

// Tally counts the false keys in the files for which keep is true.
func (t *TalkOff) Tally(keep func(corpus.Entry) bool) Tally {
	var s Tally
	for _, f := range t.Files {
		if keep(f.Entry) {
			s.Files++
			s.Seconds += float64(f.Samples) / float64(t.Format.Rate)
			s.Keys += len(f.Keys)
		}
	}
	return s
}
