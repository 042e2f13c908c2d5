package corpuseval

import (
	"context"
	"sync"
	"sync/atomic"
)

// forEach calls fn(ctx, i) for every i in [0, n) on up to jobs goroutines.
// The first error cancels the context the calls get, the calls not yet
// started are skipped, and forEach returns that error; it returns the
// parent context's error if that ends first. It returns only after every
// goroutine it started has ended.
func forEach(ctx context.Context, jobs, n int, fn func(ctx context.Context, i int) error) error {
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	var next atomic.Int64
	var wg sync.WaitGroup
	for range max(1, min(jobs, n)) {
		wg.Go(func() {
			for ctx.Err() == nil {
				i := int(next.Add(1) - 1)
				if i >= n {
					return
				}
				if err := fn(ctx, i); err != nil {
					cancel(err)
					return
				}
			}
		})
	}
	wg.Wait()
	if ctx.Err() != nil {
		return context.Cause(ctx)
	}
	return nil
}
