package corpus

import (
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"math"
	"slices"
)

// AssignHalves returns entries with Half set: every file listed in
// previous (by package and path) keeps its half there, so the split never
// changes once made; the others are split so that the two halves of each
// package's speech, and of its music, have nearly the same duration.
//
// Within a package, files with the same bytes (the same SHA256) go to the
// same half, so a copy of a tuning file is never scored; call such a group
// a unit. Where at most 20 units are to be placed, every split is tried
// and the most even taken (the first in an order by duration and hash).
// Otherwise the units are placed longest first, each into the half that
// has less audio so far (the longest-processing-time rule), ties broken
// by a hash of "package/path"; then, while moving one unit or swapping two
// brings the halves closer, the best such move is made. The halves differ
// by at most the duration of one file, and much less where there are
// many. The result depends only on the entries, not their order.
func AssignHalves(entries, previous []Entry) []Entry {
	prev := make(map[string]string, len(previous))
	for _, e := range previous {
		prev[e.key()] = e.Half
	}
	out := slices.Clone(entries)
	byPackage := make(map[string][]int) // by package and kind
	for i := range out {
		k := out[i].Package + "\x00" + out[i].Kind
		byPackage[k] = append(byPackage[k], i)
	}
	for _, idx := range byPackage {
		assignPackage(out, idx, prev)
	}
	return out
}

// A unit is a set of files with the same bytes, placed together.
type unit struct {
	members []int // indexes into the entries
	seconds float64
	hash    string // the smallest hash of "package/path" among the members
	half    string // set if any member has a half already
}

// assignPackage splits the files out[idx], one package's of one kind.
func assignPackage(out []Entry, idx []int, prev map[string]string) {
	units := make(map[string]*unit)
	total := map[string]float64{}
	for _, i := range idx {
		e := &out[i]
		u := units[e.SHA256]
		if u == nil {
			u = &unit{}
			units[e.SHA256] = u
		}
		u.members = append(u.members, i)
		u.seconds += e.Seconds
		h := sha256.Sum256([]byte(e.key()))
		if hx := hex.EncodeToString(h[:]); u.hash == "" || hx < u.hash {
			u.hash = hx
		}
		if half, ok := prev[e.key()]; ok && (half == HalfTune || half == HalfTest) {
			e.Half = half
			total[half] += e.Seconds
			if u.half == "" {
				u.half = half
			}
		} else {
			e.Half = ""
		}
	}
	var open []*unit
	for _, u := range units {
		open = append(open, u)
	}
	slices.SortFunc(open, func(a, b *unit) int {
		if c := cmp.Compare(b.seconds, a.seconds); c != 0 {
			return c
		}
		return cmp.Compare(a.hash, b.hash)
	})
	var free []*unit // the units placed now, which may move
	for _, u := range open {
		if u.half != "" {
			for _, i := range u.members {
				if out[i].Half == "" {
					out[i].Half = u.half
					total[u.half] += out[i].Seconds
				}
			}
			continue
		}
		switch {
		case total[HalfTune] < total[HalfTest]:
			u.half = HalfTune
		case total[HalfTest] < total[HalfTune]:
			u.half = HalfTest
		case u.hash[len(u.hash)-1]%2 == 0:
			u.half = HalfTune
		default:
			u.half = HalfTest
		}
		total[u.half] += u.seconds
		free = append(free, u)
	}
	if len(free) <= maxExhaustive {
		exhaustive(free, total)
	} else {
		improve(free, total[HalfTune]-total[HalfTest])
	}
	for _, u := range free {
		for _, i := range u.members {
			out[i].Half = u.half
		}
	}
}

// maxExhaustive is the most units exhaustive splits (2^20 splits).
const maxExhaustive = 20

// exhaustive places free units in the most even of all splits; total
// holds the seconds already in each half, free units included.
func exhaustive(free []*unit, total map[string]float64) {
	base := total[HalfTune] - total[HalfTest] // with every free unit where it is
	for _, u := range free {
		if u.half == HalfTune {
			base -= u.seconds
		} else {
			base += u.seconds
		}
	}
	best, bestMask := math.Inf(1), 0
	for mask := range 1 << len(free) {
		d := base
		for i, u := range free {
			if mask&(1<<i) != 0 {
				d += u.seconds // in tune
			} else {
				d -= u.seconds
			}
		}
		if math.Abs(d) < best-1e-9 {
			best, bestMask = math.Abs(d), mask
		}
	}
	for i, u := range free {
		if bestMask&(1<<i) != 0 {
			u.half = HalfTune
		} else {
			u.half = HalfTest
		}
	}
}

// improve makes the move of one unit, or the swap of two, that brings the
// halves closest, while it brings them closer; diff is tune − test.
func improve(free []*unit, diff float64) {
	signed := func(u *unit) float64 { // what u adds to diff
		if u.half == HalfTune {
			return u.seconds
		}
		return -u.seconds
	}
	other := func(h string) string {
		if h == HalfTune {
			return HalfTest
		}
		return HalfTune
	}
	for range 1000 {
		best, a, b := math.Abs(diff), -1, -1
		for i, u := range free {
			if d := math.Abs(diff - 2*signed(u)); d < best-1e-9 {
				best, a, b = d, i, -1
			}
			for j := i + 1; j < len(free); j++ {
				v := free[j]
				if v.half == u.half {
					continue
				}
				if d := math.Abs(diff - 2*signed(u) - 2*signed(v)); d < best-1e-9 {
					best, a, b = d, i, j
				}
			}
		}
		if a < 0 {
			return
		}
		diff -= 2 * signed(free[a])
		free[a].half = other(free[a].half)
		if b >= 0 {
			diff -= 2 * signed(free[b])
			free[b].half = other(free[b].half)
		}
	}
}
