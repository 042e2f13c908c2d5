package corpuseval

import (
	"context"
	"errors"
	"math/rand/v2"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/dtmfkit/dtmfkit/dtmf"
	"github.com/dtmfkit/dtmfkit/internal/dtmftest"
	"github.com/dtmfkit/dtmfkit/internal/talkdown"
)

func digits(t *testing.T, s string) []dtmf.Digit {
	t.Helper()
	d, err := dtmf.AppendDigits(nil, s)
	require.NoError(t, err)
	return d
}

func keysOf(s string) []Key {
	var keys []Key
	for _, r := range s {
		keys = append(keys, Key{Digit: dtmf.Digit(r), Start: -1, End: -1})
	}
	return keys
}

func TestScoreInOrder(t *testing.T) {
	tests := []struct {
		want, got string
		score     Score
	}{
		{"1234", "1234", Score{Sequences: 1, Exact: 1, Keys: 4, Found: 4}},
		{"1234", "", Score{Sequences: 1, Keys: 4}},
		{"1234", "124", Score{Sequences: 1, Keys: 4, Found: 3}},
		{"1234", "12534", Score{Sequences: 1, Keys: 4, Found: 4, Extra: 1}},
		{"1234", "4321", Score{Sequences: 1, Keys: 4, Found: 1, Extra: 3}},
		{"1123", "1223", Score{Sequences: 1, Keys: 4, Found: 3, Extra: 1}},
		{"461####333", "461###333", Score{Sequences: 1, Keys: 10, Found: 9}},
	}
	for _, tt := range tests {
		t.Run(tt.want+"/"+tt.got, func(t *testing.T) {
			assert.Equal(t, tt.score, scoreInOrder(digits(t, tt.want), keysOf(tt.got)))
		})
	}
}

// The research harness's rule: a key counts for a press with its digit
// if it starts no more than 10 ms before the press and before its end.
func TestScoreByTime(t *testing.T) {
	s, err := talkdown.SequenceOf(rand.New(rand.NewPCG(1, 1)), 8000, "159", 100*time.Millisecond, 100*time.Millisecond, 0)
	require.NoError(t, err)
	// Presses at 800, 2400 and 4000 samples, 800 long.
	require.Equal(t, []int64{800, 2400, 4000}, []int64{s.Presses[0].Start, s.Presses[1].Start, s.Presses[2].Start})
	k := func(d dtmf.Digit, start int64) Key { return Key{Digit: d, Start: start, End: start + 800} }
	tests := []struct {
		name  string
		keys  []Key
		score Score
	}{
		{"all on time", []Key{k('1', 800), k('5', 2400), k('9', 4000)}, Score{1, 1, 3, 3, 0}},
		{"10 ms early counts", []Key{k('1', 720), k('5', 2400), k('9', 4000)}, Score{1, 1, 3, 3, 0}},
		{"earlier does not", []Key{k('1', 719), k('5', 2400), k('9', 4000)}, Score{1, 1, 3, 2, 1}},
		{"at the end does not", []Key{k('1', 800), k('5', 3200), k('9', 4000)}, Score{1, 1, 3, 2, 1}},
		{"wrong digit", []Key{k('1', 800), k('6', 2400)}, Score{1, 0, 3, 1, 1}},
		{"a press counts once", []Key{k('1', 800), k('1', 900), k('5', 2400), k('9', 4000)}, Score{1, 0, 3, 3, 1}},
		{"none", nil, Score{1, 0, 3, 0, 0}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.score, scoreByTime(s, tt.keys))
		})
	}
}

func TestForEach(t *testing.T) {
	dtmftest.CheckGoroutines(t)
	t.Run("every index once", func(t *testing.T) {
		var seen [100]atomic.Int32
		require.NoError(t, forEach(context.Background(), 4, len(seen), func(_ context.Context, i int) error {
			seen[i].Add(1)
			return nil
		}))
		for i := range seen {
			assert.EqualValues(t, 1, seen[i].Load(), "index %d", i)
		}
	})
	t.Run("the first error stops the rest", func(t *testing.T) {
		boom := errors.New("boom")
		var calls atomic.Int32
		err := forEach(context.Background(), 2, 1000, func(ctx context.Context, i int) error {
			calls.Add(1)
			if i == 3 {
				return boom
			}
			return nil
		})
		assert.ErrorIs(t, err, boom)
		assert.Less(t, calls.Load(), int32(1000))
	})
	t.Run("cancelled", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		err := forEach(ctx, 2, 10, func(context.Context, int) error { return nil })
		assert.ErrorIs(t, err, context.Canceled)
	})
	t.Run("no work", func(t *testing.T) {
		assert.NoError(t, forEach(context.Background(), 3, 0, func(context.Context, int) error {
			t.Error("called")
			return nil
		}))
	})
}

func TestTable(t *testing.T) {
	tb := &table{left: 2}
	tb.add("half", "source", "8 kHz", "/h")
	tb.add("tune", "fillets-ng-data-cs", "7", "7.95")
	tb.add()
	tb.add("test", "μ-law", "12", "1.90")
	var b strings.Builder
	require.NoError(t, tb.write(&b))
	assert.Equal(t, ""+
		"half  source              8 kHz    /h\n"+
		"tune  fillets-ng-data-cs      7  7.95\n"+
		"\n"+
		"test  μ-law                  12  1.90\n", b.String())
}
