package decoder_test

import (
	"math/rand/v2"
	"runtime"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/dtmfkit/dtmfkit/dtmf"
	"github.com/dtmfkit/dtmfkit/dtmf/decoder"
	"github.com/dtmfkit/dtmfkit/internal/dtmftest"
)

// TestLongRunMemoryFlat decodes three minutes of call audio on each of
// many calls, as a media server does: 8 kHz in 20 ms chunks, interleaved
// across the calls, a quiet line with a key every few seconds. The calls
// start at different points of a 10 s loop of audio. After the first half
// minute (the decoders' own start-up) the heap must not grow and the
// decoders must allocate nothing, and every key must be found.
func TestLongRunMemoryFlat(t *testing.T) {
	const (
		calls    = 16
		rate     = dtmf.SampleRate(8000)
		chunk    = 160                    // 20 ms
		loop     = 10 * int(rate)         // samples in the loop of audio
		chunks   = 3 * 60 * 50            // three minutes
		perCheck = 30 * 50                // chunks between memory checks
		loopKeys = "15#"                  // at 2.5 s, 5.5 s and 8.5 s of the loop
		keysCap  = 3 * 18 * len(loopKeys) // room for the keys of three minutes, and more
	)
	rng := rand.New(rand.NewPCG(6, 6))
	sig := dtmftest.NewSignal(rate, int64(loop))
	for i, c := range loopKeys {
		level := -15 - 10*rng.Float64()
		sig.AddPress(dtmftest.Press{Key: dtmf.Digit(c), LowLevel: level, HighLevel: level + 2,
			Start: int64(2500+3000*i) * int64(rate) / 1000, Len: rate.N(80 * time.Millisecond), Ramp: 16})
	}
	sig.AddNoise(rng, dtmftest.RMS(-60))
	audio := sig.Int16()

	type call struct {
		d      *decoder.Decoder
		offset int // chunks into the loop at which the call starts
		keys   []byte
	}
	cs := make([]call, calls)
	for i := range cs {
		d, err := decoder.New(decoder.Config{SampleRate: rate})
		require.NoError(t, err)
		// Start at whole seconds, between the keys.
		cs[i] = call{d: d, offset: (i % 10) * 50, keys: make([]byte, 0, keysCap)}
	}
	events := make([]dtmf.Event, 0, 16)

	// Every 30 s: the heap after a collection, and the allocations since
	// the last check, counted without the collection (the runtime
	// allocates for its own workers while collecting). One P, as in
	// testing.AllocsPerRun, keeps the runtime from starting threads, and
	// allocating for them, in between.
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1))
	heap := make([]uint64, 0, chunks/perCheck+1) // allocated up front
	var allocs uint64                            // after the first 30 s
	var ms runtime.MemStats
	for n := range chunks + 1 {
		if n%perCheck == 0 {
			mallocs := ms.Mallocs
			runtime.ReadMemStats(&ms)
			if n > perCheck {
				allocs += ms.Mallocs - mallocs
			}
			runtime.GC()
			runtime.ReadMemStats(&ms)
			heap = append(heap, ms.HeapAlloc)
		}
		if n == chunks {
			break
		}
		for i := range cs {
			c := &cs[i]
			at := (c.offset + n) % (loop / chunk) * chunk
			events = c.d.Decode(events[:0], audio[at:at+chunk])
			for _, e := range events {
				if e.Kind == dtmf.KeyUp {
					c.keys = append(c.keys, byte(e.Digit))
				}
			}
		}
	}

	for i, c := range cs {
		// The keys of the loop, from the call's starting point, 18 times.
		var want []byte
		for range chunks / (loop / chunk) {
			for k := range loopKeys {
				if at := 2500 + 3000*k; at/1000 >= c.offset/50 {
					want = append(want, loopKeys[k])
				}
			}
			for k := range loopKeys {
				if at := 2500 + 3000*k; at/1000 < c.offset/50 {
					want = append(want, loopKeys[k])
				}
			}
		}
		assert.Equal(t, string(want), string(c.keys), "call %d", i)
	}
	// The runtime itself allocates now and then (a timer, a thread): a few
	// objects and bytes. A decoder that allocated per chunk would show
	// calls×7500 allocations here, and per key calls×45.
	assert.Less(t, allocs, uint64(calls), "allocations after the first 30 s")
	for j, h := range heap[2:] {
		assert.LessOrEqual(t, h, heap[1]+4<<10, "heap at minute %.1f, against minute 0.5", float64(j+2)/2)
	}
	t.Logf("%d calls × 3 min: heap every 30 s %v bytes; %d allocations after the first 30 s", calls, heap, allocs)
}
