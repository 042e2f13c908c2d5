package corpus

import (
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"
)

// Print writes the summary: what was done, then a table of files and
// minutes per package and kind and per half, totals per kind in hours,
// and the WAV files at each rate.
func (s *Summary) Print(w io.Writer) error {
	packages := map[string]bool{}
	for _, e := range s.Entries {
		packages[e.Package] = true
	}
	if s.Wrote == "" {
		fmt.Fprintf(w, "corpus: %d packages, %d files in %s: %d checked against the manifest, %d converted, in %.1f s\n",
			len(packages), len(s.Entries), s.CacheDir, s.Checked, s.Converted, s.Elapsed.Seconds())
	} else {
		fmt.Fprintf(w, "corpus: %d packages, %d files in %s: %d selected, %d converted, in %.1f s; manifest written to %s\n",
			len(packages), len(s.Entries), s.CacheDir, s.Checked, s.Converted, s.Elapsed.Seconds(), s.Wrote)
	}
	if len(s.Left) > 0 {
		var per []string
		for _, p := range Packages() {
			n := 0
			for _, l := range s.Left {
				if l.Package == p.Name {
					n++
				}
			}
			if n > 0 {
				per = append(per, fmt.Sprintf("%s %d", p.Name, n))
			}
		}
		fmt.Fprintf(w, "corpus: %d selected files left out, shorter than %.1f s or with no audio (%s)\n", len(s.Left), MinSeconds, strings.Join(per, ", "))
	}

	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "package\tkind\tfiles\tminutes\ttune\ttest\t")
	for _, row := range Totals(s.Entries) {
		fmt.Fprintf(tw, "%s\t%s\t%d\t%.1f\t%.1f\t%.1f\t\n", row.Package, row.Kind, row.Files, row.Seconds/60, row.Tune/60, row.Test/60)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	var all Total
	for _, kind := range []string{KindSpeech, KindMusic} {
		t := sum(s.Entries, func(e Entry) bool { return e.Kind == kind })
		all.Files += t.Files
		all.Seconds += t.Seconds
		fmt.Fprintf(w, "%s: %d files, %.2f h (tune %.2f h, test %.2f h)\n", kind, t.Files, t.Seconds/3600, t.Tune/3600, t.Test/3600)
	}
	for i, rate := range Rates {
		fmt.Fprintf(w, "%d Hz: %d WAV files, %.2f h, %.0f MB in %s\n", rate, all.Files, all.Seconds/3600,
			float64(s.WAVBytes[i])/1e6, filepath.Join(s.CacheDir, strconv.Itoa(rate)))
	}
	return nil
}

// A Total sums the entries of one package and kind.
type Total struct {
	Package, Kind string
	Files         int
	// Seconds is the total duration, Tune and Test its parts in each half.
	Seconds, Tune, Test float64
}

// Totals returns the files and durations of entries per package and kind,
// in the order of [Packages] (others after them, by name).
func Totals(entries []Entry) []Total {
	order := map[string]int{}
	for i, p := range Packages() {
		order[p.Name] = i
	}
	var rows []Total
	for _, e := range entries {
		i := slices.IndexFunc(rows, func(t Total) bool { return t.Package == e.Package && t.Kind == e.Kind })
		if i < 0 {
			rows = append(rows, Total{Package: e.Package, Kind: e.Kind})
			i = len(rows) - 1
		}
		rows[i].add(e)
	}
	slices.SortFunc(rows, func(a, b Total) int {
		oa, ka := order[a.Package]
		ob, kb := order[b.Package]
		switch {
		case ka && kb && oa != ob:
			return oa - ob
		case ka != kb:
			if ka {
				return -1
			}
			return 1
		case a.Package != b.Package:
			return strings.Compare(a.Package, b.Package)
		}
		return strings.Compare(b.Kind, a.Kind) // speech before music
	})
	return rows
}

func (t *Total) add(e Entry) {
	t.Files++
	t.Seconds += e.Seconds
	if e.Half == HalfTune {
		t.Tune += e.Seconds
	} else {
		t.Test += e.Seconds
	}
}

func sum(entries []Entry, keep func(Entry) bool) Total {
	var t Total
	for _, e := range entries {
		if keep(e) {
			t.add(e)
		}
	}
	return t
}
