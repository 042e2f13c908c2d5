// Command benchtable reads `go test -bench` output on stdin and prints the
// benchmarks' figures as a short table: one row per benchmark with its
// reported metrics (samples/s, calls/core, latency percentiles, ...) and
// allocations, ns/op and MB/s left out. make bench pipes into it; the raw
// output it reads is what benchstat compares.
package main

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"text/tabwriter"
)

func main() {
	if err := run(os.Stdin, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "benchtable:", err)
		os.Exit(1)
	}
}

// skipped are the units the table leaves out: the time and bandwidth per
// op are the same figure as samples/s, less readably.
var skipped = map[string]bool{"ns/op": true, "MB/s": true, "B/op": true}

func run(in io.Reader, out io.Writer) error {
	w := tabwriter.NewWriter(out, 2, 8, 3, ' ', 0)
	fmt.Fprintln(w, "benchmark\tfigures")
	sc := bufio.NewScanner(in)
	rows := 0
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, "--- FAIL") || strings.HasPrefix(line, "FAIL") {
			return fmt.Errorf("a benchmark failed: %s", line)
		}
		f := strings.Fields(line)
		if len(f) < 4 || !strings.HasPrefix(f[0], "Benchmark") {
			continue
		}
		var figs []string
		for i := 2; i+1 < len(f); i += 2 {
			v, err := strconv.ParseFloat(f[i], 64)
			if err != nil || skipped[f[i+1]] {
				continue
			}
			figs = append(figs, format(v)+" "+f[i+1])
		}
		name := strings.TrimPrefix(f[0], "Benchmark")
		if i := strings.LastIndexByte(name, '-'); i > 0 {
			name = name[:i] // the GOMAXPROCS suffix
		}
		fmt.Fprintf(w, "%s\t%s\n", name, strings.Join(figs, "   "))
		rows++
	}
	if err := sc.Err(); err != nil {
		return err
	}
	if rows == 0 {
		return fmt.Errorf("no benchmark results in the input")
	}
	return w.Flush()
}

// format prints v with three significant figures, in exponent form when
// large.
func format(v float64) string {
	switch {
	case v >= 1e6:
		return strconv.FormatFloat(v, 'e', 2, 64)
	case v == float64(int64(v)):
		return strconv.FormatInt(int64(v), 10)
	default:
		return strconv.FormatFloat(v, 'g', 3, 64)
	}
}
