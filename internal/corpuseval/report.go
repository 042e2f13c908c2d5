package corpuseval

import (
	"cmp"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/dtmfkit/dtmfkit/internal/corpus"
)

// Print writes the report's tables: talk-off per source and half, the
// worst files (up to worst of them), talk-down per half, the miss classes,
// the comparison if there is one, and the time each step took.
func (r *Report) Print(w io.Writer, worst int) error {
	for _, section := range []func(io.Writer) error{
		r.printTalkOff,
		func(w io.Writer) error { return r.printWorst(w, worst) },
		r.printTalkDown,
		r.printClasses,
		r.printCompare,
		r.printTimes,
	} {
		if err := section(w); err != nil {
			return err
		}
	}
	return nil
}

// hours formats seconds as hours.
func hours(s float64) string { return fmt.Sprintf("%.2f", s/3600) }

// perHour formats keys per hour.
func perHour(t Tally) string { return fmt.Sprintf("%.2f", t.PerHour()) }

func (r *Report) printTalkOff(w io.Writer) error {
	fmt.Fprintf(w, "TALK-OFF: false keys of %s on the real-audio corpus, one receiver per file\n", r.Receiver)
	fmt.Fprintf(w, "(files and hours as decoded; per format the false keys and false keys per hour)\n\n")
	tw := &table{left: 3}
	head := []string{"half", "source", "kind", "files", "hours"}
	for _, f := range r.Formats {
		head = append(head, f.Label, "/h")
	}
	tw.add(head...)
	line := func(half, source, kind string, keep func(corpus.Entry) bool) {
		cells := []string{half, source, kind}
		for i, t := range r.TalkOff {
			s := t.Tally(keep)
			if i == 0 {
				cells = append(cells, fmt.Sprint(s.Files), hours(s.Seconds))
			}
			cells = append(cells, fmt.Sprint(s.Keys), perHour(s))
		}
		tw.add(cells...)
	}
	for _, half := range r.Halves {
		for _, t := range corpus.Totals(r.entriesOf(half)) {
			line(half, t.Package, t.Kind, func(e corpus.Entry) bool {
				return e.Half == half && e.Package == t.Package && e.Kind == t.Kind
			})
		}
		for _, kind := range []string{corpus.KindSpeech, corpus.KindMusic} {
			line(half, "all "+kind, "", func(e corpus.Entry) bool { return e.Half == half && e.Kind == kind })
		}
		line(half, "total", "", func(e corpus.Entry) bool { return e.Half == half })
		tw.add()
	}
	if len(r.Halves) > 1 {
		line("both", "total", "", func(corpus.Entry) bool { return true })
		tw.add()
	}
	return tw.write(w)
}

func (r *Report) entriesOf(half string) []corpus.Entry {
	var out []corpus.Entry
	for _, e := range r.Entries {
		if e.Half == half {
			out = append(out, e)
		}
	}
	return out
}

// falseKey is one false key: where, in which format, and what.
type falseKey struct {
	Format Format
	Entry  corpus.Entry
	Key    Key
}

// rate is the sample rate its offsets count.
func (k falseKey) rate() int { return int(k.Format.Rate) }

// falseKeys returns the false keys of talk-off runs, in the order of the
// runs and files.
func falseKeys(runs []*TalkOff) []falseKey {
	var out []falseKey
	for _, t := range runs {
		for _, f := range t.Files {
			for _, k := range f.Keys {
				out = append(out, falseKey{Format: t.Format, Entry: f.Entry, Key: k})
			}
		}
	}
	return out
}

// displayPath shortens an entry's path for tables.
func displayPath(e corpus.Entry) string {
	p := strings.TrimPrefix(e.Path, "usr/share/games/")
	p = strings.TrimPrefix(p, "usr/share/")
	return e.Package + ": " + p
}

// seconds formats a sample offset at rate as seconds, or "?".
func seconds(n int64, rate int) string {
	if n < 0 {
		return "?"
	}
	return fmt.Sprintf("%.3f", float64(n)/float64(rate))
}

// millis formats a key's duration at rate in ms, or "?".
func millis(k Key, rate int) string {
	d := k.Duration()
	if d < 0 {
		return "?"
	}
	return fmt.Sprintf("%.0f", float64(d)*1000/float64(rate))
}

func (r *Report) printWorst(w io.Writer, worst int) error {
	keys := falseKeys(r.TalkOff)
	if len(keys) == 0 || worst <= 0 {
		return nil
	}
	count := map[string]int{}
	for _, k := range keys {
		count[k.Entry.Package+"/"+k.Entry.Path]++
	}
	var files []string
	for f := range count {
		files = append(files, f)
	}
	slices.SortFunc(files, func(a, b string) int {
		return cmp.Or(cmp.Compare(count[b], count[a]), strings.Compare(a, b))
	})
	files = files[:min(worst, len(files))]
	fmt.Fprintf(w, "WORST FILES: the %d files with the most false keys over all formats, each key (time: the key's start)\n\n", len(files))
	tw := &table{left: 4}
	tw.add("file", "half", "format", "key", "time s", "ms")
	for _, f := range files {
		for _, k := range keys {
			if k.Entry.Package+"/"+k.Entry.Path == f {
				tw.add(displayPath(k.Entry), k.Entry.Half, k.Format.Label, k.Key.Digit.String(),
					seconds(k.Key.Start, k.rate()), millis(k.Key, k.rate()))
			}
		}
	}
	tw.add()
	return tw.write(w)
}

// WriteFalseKeys writes every false key of the receiver measured, one a
// line: format, half, file (package/path), time (s), key and duration (ms),
// tab-separated, after a header line.
func (r *Report) WriteFalseKeys(w io.Writer) error {
	return writeFalseKeys(w, r.TalkOff)
}

// WriteComparandFalseKeys writes the false keys of the comparison's
// receiver named name as WriteFalseKeys does; it reports false if there
// is no such receiver with results.
func (r *Report) WriteComparandFalseKeys(w io.Writer, name string) (bool, error) {
	for _, c := range r.Compare {
		if c.Receiver == name && c.TalkOff != nil {
			return true, writeFalseKeys(w, []*TalkOff{c.TalkOff})
		}
	}
	return false, nil
}

func writeFalseKeys(w io.Writer, runs []*TalkOff) error {
	if _, err := fmt.Fprintln(w, "# format\thalf\tfile\ttime_s\tkey\tduration_ms"); err != nil {
		return err
	}
	for _, k := range falseKeys(runs) {
		_, err := fmt.Fprintf(w, "%s\t%s\t%s/%s\t%s\t%s\t%s\n", k.Format.Name, k.Entry.Half, k.Entry.Package, k.Entry.Path,
			seconds(k.Key.Start, k.rate()), k.Key.Digit, millis(k.Key, k.rate()))
		if err != nil {
			return err
		}
	}
	return nil
}

// ratioLabel formats a ratio in dB with its sign: "+6 dB", "0 dB", "-7 dB".
func ratioLabel(db float64) string {
	if db == 0 {
		return "0 dB"
	}
	return fmt.Sprintf("%+.0f dB", db)
}

// fraction formats n of total.
func fraction(n, total int) string { return fmt.Sprintf("%d/%d", n, total) }

func (r *Report) printTalkDown(w io.Writer) error {
	p := r.Plan
	fmt.Fprintf(w, "TALK-DOWN: %d sequences of %d keys per ratio under each half's speech (-20 dBm0 active level, ITU-T P.56),\n", p.Sequences, p.Keys)
	fmt.Fprintf(w, "fewer where the speech was silent; keys: found/sent (matched by time), exact: sequences exactly right, extra: keys not sent\n\n")
	tw := &table{left: 1}
	tw.add(r.scoreHead("half", "ratio")...)
	for _, half := range r.Halves {
		byFormat := make([][]Score, len(r.Formats))
		for i, f := range r.Formats {
			for _, td := range r.TalkDown {
				if td.Half == half && td.Format == f {
					byFormat[i] = td.ScoreByRatio(p.Ratios, ByTime)
				}
			}
		}
		for ri, ratio := range p.Ratios {
			cells := []string{half, ratioLabel(ratio)}
			for i := range r.Formats {
				cells = append(cells, scoreCells(byFormat[i], ri)...)
			}
			tw.add(cells...)
		}
		tw.add()
	}
	return tw.write(w)
}

// scoreHead returns the heading of a table of scores per format.
func (r *Report) scoreHead(first ...string) []string {
	for _, f := range r.Formats {
		first = append(first, f.Label+" keys", "exact", "extra")
	}
	return first
}

// scoreCells formats scores[i] as keys, exact and extra cells.
func scoreCells(scores []Score, i int) []string {
	if i >= len(scores) {
		return []string{"-", "-", "-"}
	}
	s := scores[i]
	return []string{fraction(s.Found, s.Keys), fraction(s.Exact, s.Sequences), fmt.Sprint(s.Extra)}
}

func (r *Report) printClasses(w io.Writer) error {
	fmt.Fprintf(w, "MISS CLASSES of issue 9 (internal/talkdown): keys found/sent (matched in order), sequences exactly right, extra keys\n\n")
	tw := &table{left: 2}
	tw.add(r.scoreHead("class", "speech")...)
	for _, name := range r.classNames() {
		cells := []string{name[0], cmp.Or(name[1], "-")}
		for _, f := range r.Formats {
			i := slices.IndexFunc(r.Classes, func(c ClassScore) bool {
				return c.Class == name[0] && c.Half == name[1] && c.Format == f
			})
			if i < 0 {
				cells = append(cells, "-", "-", "-")
				continue
			}
			cells = append(cells, scoreCells([]Score{r.Classes[i].Score}, 0)...)
		}
		tw.add(cells...)
	}
	tw.add()
	return tw.write(w)
}

// classNames returns each class and half, in the order measured.
func (r *Report) classNames() [][2]string {
	var names [][2]string
	for _, c := range r.Classes {
		n := [2]string{c.Class, c.Half}
		if !slices.Contains(names, n) {
			names = append(names, n)
		}
	}
	// The halves of each class together.
	first := map[string]int{}
	for i, n := range names {
		if _, ok := first[n[0]]; !ok {
			first[n[0]] = i
		}
	}
	slices.SortStableFunc(names, func(a, b [2]string) int { return cmp.Compare(first[a[0]], first[b[0]]) })
	return names
}

func (r *Report) printCompare(w io.Writer) error {
	if len(r.Compare) == 0 {
		return nil
	}
	fmt.Fprintf(w, "COMPARISON at 8 kHz, on the same files and mixes; keys matched in order for every receiver (multimon-ng gives no\n")
	fmt.Fprintf(w, "positions); cells: false keys (per hour), or exact sequences, keys found/sent, +extra keys\n\n")
	tw := &table{left: 1}
	head := []string{"measure"}
	for _, c := range r.Compare {
		head = append(head, c.Receiver)
	}
	tw.add(head...)
	cell := func(c Comparison, f func(Comparison) string) string {
		if c.Err != nil {
			return "n/a"
		}
		return f(c)
	}
	line := func(name string, f func(Comparison) string) {
		cells := []string{name}
		for _, c := range r.Compare {
			cells = append(cells, cell(c, f))
		}
		tw.add(cells...)
	}
	for _, half := range r.Halves {
		keep := func(e corpus.Entry) bool { return e.Half == half }
		var secs float64
		for _, e := range r.entriesOf(half) {
			secs += e.Seconds
		}
		line(fmt.Sprintf("talk-off, %s half (%.2f h)", half, secs/3600), func(c Comparison) string {
			t := c.TalkOff.Tally(keep)
			return fmt.Sprintf("%d (%.2f/h)", t.Keys, t.PerHour())
		})
	}
	scoreCell := func(s Score) string {
		return fmt.Sprintf("%s %s +%d", fraction(s.Exact, s.Sequences), fraction(s.Found, s.Keys), s.Extra)
	}
	for _, half := range r.Halves {
		for ri, ratio := range r.Plan.Ratios {
			line(fmt.Sprintf("talk-down, %s half, %s", half, ratioLabel(ratio)), func(c Comparison) string {
				for _, td := range c.TalkDown {
					if td.Half == half {
						return scoreCell(td.ScoreByRatio(r.Plan.Ratios, InOrder)[ri])
					}
				}
				return "-"
			})
		}
	}
	for _, name := range r.classNames() {
		label := name[0]
		if name[1] != "" {
			label += ", " + name[1] + " speech"
		}
		line(label, func(c Comparison) string {
			for _, cs := range c.Classes {
				if cs.Class == name[0] && cs.Half == name[1] {
					return scoreCell(cs.Score)
				}
			}
			return "-"
		})
	}
	if err := tw.write(w); err != nil {
		return err
	}
	for _, c := range r.Compare {
		if c.Err != nil {
			fmt.Fprintf(w, "%s: not in the comparison: %v\n", c.Receiver, c.Err)
		}
	}
	_, err := fmt.Fprintln(w)
	return err
}

func (r *Report) printTimes(w io.Writer) error {
	fmt.Fprintln(w, "TIMES")
	for _, t := range r.Times {
		if _, err := fmt.Fprintf(w, "%7.1f s  %s\n", t.Elapsed.Seconds(), t.Step); err != nil {
			return err
		}
	}
	return nil
}

// Check returns an error if, in any format measured, the test half has
// more than bound false keys, and says what it found either way.
func (r *Report) Check(bound int) (string, error) {
	if !slices.Contains(r.Halves, corpus.HalfTest) {
		return "", fmt.Errorf("the check needs the %s half", corpus.HalfTest)
	}
	var found []string
	failed := false
	for _, t := range r.TalkOff {
		n := t.Tally(func(e corpus.Entry) bool { return e.Half == corpus.HalfTest }).Keys
		found = append(found, fmt.Sprintf("%d at %s", n, t.Format.Label))
		failed = failed || n > bound
	}
	msg := fmt.Sprintf("false keys on the %s half: %s (bound %d)", corpus.HalfTest, strings.Join(found, ", "), bound)
	if failed {
		return "", fmt.Errorf("check failed: %s", msg)
	}
	return "check passed: " + msg, nil
}
