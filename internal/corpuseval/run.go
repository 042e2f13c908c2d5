package corpuseval

import (
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"time"

	"github.com/dtmfkit/dtmfkit/dtmf"
	"github.com/dtmfkit/dtmfkit/internal/corpus"
)

// Options says what [Run] measures.
type Options struct {
	Entries  []corpus.Entry // the corpus manifest's entries
	CacheDir string         // where the corpus is converted (make corpus)
	Halves   []string       // corpus.HalfTune and/or corpus.HalfTest
	Formats  []Format
	// Receiver is the receiver measured; nil means dtmfkit's, default
	// profile.
	Receiver Receiver
	// Compare holds other receivers to compare with it at 8 kHz.
	Compare []Comparand
	// TalkDown is the talk-down plan; the zero value means
	// [DefaultTalkDown].
	TalkDown TalkDownPlan
	Jobs     int       // files or mixes decoded at once; 0 means 1
	Log      io.Writer // progress, one line per step; nil means none
}

// A Comparand is a receiver to compare with, or why it is unavailable.
type Comparand struct {
	Name     string
	Receiver Receiver // nil if unavailable
	Err      error    // why it is unavailable
}

// Report is everything [Run] measured.
type Report struct {
	Receiver string
	Halves   []string
	Formats  []Format
	Plan     TalkDownPlan
	Entries  []corpus.Entry // of the halves measured
	TalkOff  []*TalkOff     // one per format, over the halves measured
	TalkDown []*TalkDown    // one per half and format
	Classes  []ClassScore
	Compare  []Comparison // the receiver first, at 8 kHz, then each comparand
	Times    []Timing
}

// ClassScore is a receiver's score on one class in one format.
type ClassScore struct {
	Class  string
	Half   string // the half whose speech the class uses, or ""
	Format Format
	Score
}

// Comparison is one receiver's results at 8 kHz for the comparison table.
type Comparison struct {
	Receiver string
	Err      error // why the receiver is not in the comparison
	TalkOff  *TalkOff
	TalkDown []*TalkDown // one per half
	Classes  []ClassScore
}

// Timing is how long one step of the run took.
type Timing struct {
	Step    string
	Elapsed time.Duration
}

// speechSet is the talk-down material of one half at one rate.
type speechSet struct {
	half     string
	rate     dtmf.SampleRate
	mixes    []Mix
	overTalk []Class
}

// Run measures the receiver on the corpus: talk-off in each format over
// the halves, talk-down and the miss classes per half and format, and, if
// comparands are given, the comparison at 8 kHz. A corpus file missing
// from the cache is a *[MissingError].
func Run(ctx context.Context, opts Options) (*Report, error) {
	if opts.Receiver == nil {
		opts.Receiver = Decoder{}
	}
	if opts.TalkDown.Ratios == nil {
		opts.TalkDown = DefaultTalkDown
	}
	jobs := max(1, opts.Jobs)
	logf := func(format string, args ...any) {
		if opts.Log != nil {
			fmt.Fprintf(opts.Log, format+"\n", args...)
		}
	}
	if len(opts.Halves) == 0 || len(opts.Formats) == 0 {
		return nil, errors.New("no half or no format to measure")
	}
	rep := &Report{Receiver: opts.Receiver.Name(), Halves: opts.Halves, Formats: opts.Formats, Plan: opts.TalkDown}
	for _, e := range opts.Entries {
		if slices.Contains(opts.Halves, e.Half) {
			rep.Entries = append(rep.Entries, e)
		}
	}
	if len(rep.Entries) == 0 {
		return nil, fmt.Errorf("no corpus file in the halves %v", opts.Halves)
	}
	comparing := len(opts.Compare) > 0
	var rates []dtmf.SampleRate
	for _, f := range opts.Formats {
		if !slices.Contains(rates, f.Rate) {
			rates = append(rates, f.Rate)
		}
	}
	if comparing && !slices.Contains(rates, Format8k.Rate) {
		rates = append(rates, Format8k.Rate)
	}
	if err := checkCache(rep.Entries, opts.CacheDir, rates); err != nil {
		return nil, err
	}
	step := func(name string, t0 time.Time) {
		d := time.Since(t0)
		rep.Times = append(rep.Times, Timing{name, d})
		logf("talkoff: %s: %.1f s", name, d.Seconds())
	}

	// Talk-off.
	for _, f := range opts.Formats {
		t0 := time.Now()
		t, err := RunTalkOff(ctx, opts.Receiver, f, rep.Entries, opts.CacheDir, jobs)
		if err != nil {
			return nil, err
		}
		rep.TalkOff = append(rep.TalkOff, t)
		all := t.Tally(func(corpus.Entry) bool { return true })
		step(fmt.Sprintf("talk-off, %s, %d files, %.2f h, %d false keys", f.Label, all.Files, all.Seconds/3600, all.Keys), t0)
	}

	// Talk-down and the classes that use speech, per half and rate.
	var sets []speechSet
	for _, half := range opts.Halves {
		for _, rate := range rates {
			t0 := time.Now()
			speech, err := LoadSpeech(opts.Entries, half, opts.CacheDir, rate, opts.TalkDown.Speech)
			if err != nil {
				return nil, err
			}
			mixes, err := opts.TalkDown.Mixes(speech, rate)
			if err != nil {
				return nil, err
			}
			over := OverTalkClasses(speech, rate, half, opts.TalkDown)
			sets = append(sets, speechSet{half, rate, mixes, over})
			step(fmt.Sprintf("%s half's speech at %v: %.1f min, %d talk-down mixes", half, rate, float64(len(speech))/float64(rate)/60, len(mixes)), t0)
		}
	}
	signal := map[dtmf.SampleRate][]Class{}
	for _, rate := range rates {
		signal[rate] = SignalClasses(rate)
	}
	t0 := time.Now()
	for _, set := range sets {
		for _, f := range opts.Formats {
			if f.Rate != set.rate {
				continue
			}
			td, err := RunTalkDown(ctx, opts.Receiver, f, set.half, set.mixes, jobs)
			if err != nil {
				return nil, err
			}
			rep.TalkDown = append(rep.TalkDown, td)
			cs, err := scoreClasses(ctx, opts.Receiver, f, set.overTalk, jobs)
			if err != nil {
				return nil, err
			}
			rep.Classes = append(rep.Classes, cs...)
		}
	}
	for _, f := range opts.Formats {
		cs, err := scoreClasses(ctx, opts.Receiver, f, signal[f.Rate], jobs)
		if err != nil {
			return nil, err
		}
		rep.Classes = append(rep.Classes, cs...)
	}
	step("talk-down and miss classes", t0)

	if !comparing {
		return rep, nil
	}
	// The comparison, at 8 kHz: the receiver first.
	comparands := append([]Comparand{{Name: opts.Receiver.Name(), Receiver: opts.Receiver}}, opts.Compare...)
	for i, c := range comparands {
		cmp := Comparison{Receiver: c.Name, Err: c.Err}
		if c.Receiver == nil {
			rep.Compare = append(rep.Compare, cmp)
			continue
		}
		t0 := time.Now()
		err := compare(ctx, &cmp, c.Receiver, rep, opts.CacheDir, sets, signal[Format8k.Rate], i == 0, jobs)
		if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
			return nil, err
		}
		if err != nil {
			// A tool that fails is reported in the table, not fatal.
			cmp = Comparison{Receiver: c.Name, Err: err}
			logf("talkoff: %s failed: %v", c.Name, err)
		}
		rep.Compare = append(rep.Compare, cmp)
		step("comparison, "+c.Name, t0)
	}
	return rep, nil
}

// compare fills cmp with r's results at 8 kHz, reusing the report's where
// r is the receiver measured (self) and they were measured.
func compare(ctx context.Context, cmp *Comparison, r Receiver, rep *Report, cacheDir string, sets []speechSet, signal []Class, self bool, jobs int) error {
	f := Format8k
	if self && slices.Contains(rep.Formats, f) {
		for _, t := range rep.TalkOff {
			if t.Format == f {
				cmp.TalkOff = t
			}
		}
		for _, t := range rep.TalkDown {
			if t.Format == f {
				cmp.TalkDown = append(cmp.TalkDown, t)
			}
		}
		for _, c := range rep.Classes {
			if c.Format == f {
				cmp.Classes = append(cmp.Classes, c)
			}
		}
		return nil
	}
	t, err := RunTalkOff(ctx, r, f, rep.Entries, cacheDir, jobs)
	if err != nil {
		return err
	}
	cmp.TalkOff = t
	for _, set := range sets {
		if set.rate != f.Rate {
			continue
		}
		td, err := RunTalkDown(ctx, r, f, set.half, set.mixes, jobs)
		if err != nil {
			return err
		}
		cmp.TalkDown = append(cmp.TalkDown, td)
		cs, err := scoreClasses(ctx, r, f, set.overTalk, jobs)
		if err != nil {
			return err
		}
		cmp.Classes = append(cmp.Classes, cs...)
	}
	cs, err := scoreClasses(ctx, r, f, signal, jobs)
	if err != nil {
		return err
	}
	cmp.Classes = append(cmp.Classes, cs...)
	return nil
}

// scoreClasses scores r on each class in format f.
func scoreClasses(ctx context.Context, r Receiver, f Format, classes []Class, jobs int) ([]ClassScore, error) {
	var out []ClassScore
	for _, c := range classes {
		s, err := ScoreClass(ctx, r, f, c, jobs)
		if err != nil {
			return nil, err
		}
		out = append(out, ClassScore{Class: c.Name, Half: c.Half, Format: f, Score: s})
	}
	return out, nil
}
