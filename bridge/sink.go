package bridge

import "context"

// Sink takes notifications for delivery. Deliver returns an error if it
// cannot take n (a full queue, a closed sink, a cancelled ctx); a
// notification it took is its responsibility from then on. The calls hold
// their lock across Deliver, so a Sink must not call back into the call.
type Sink interface {
	Deliver(ctx context.Context, n Notification) error
}

// FuncSink is a Sink that calls a function in the caller's goroutine, for
// in-process consumers and tests.
type FuncSink func(ctx context.Context, n Notification) error

// Deliver calls f.
func (f FuncSink) Deliver(ctx context.Context, n Notification) error { return f(ctx, n) }

// ChanSink is a Sink that sends each notification on a channel, waiting
// until it is received or ctx is done.
type ChanSink chan<- Notification

// Deliver sends n on the channel.
func (c ChanSink) Deliver(ctx context.Context, n Notification) error {
	select {
	case c <- n:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
