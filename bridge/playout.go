package bridge

import (
	"context"
	"errors"

	"github.com/dtmfkit/dtmfkit/dtmf"
	"github.com/dtmfkit/dtmfkit/dtmf/encoder"
)

// Playout renders the tones of one send operation as fixed-size PCM frames,
// on demand: it never holds more than the frame it is filling. Use it like
// a bufio.Scanner:
//
//	for p.Next(frame) {
//		send(frame) // one 20 ms frame of the call's media
//	}
//	if err := p.Err(); err != nil { … }
//
// When Next produces the last frame, the operation's completion goes to the
// call's sink (Graph: completionReason completedSuccessfully; ACS:
// SendDtmfTonesCompleted). If the context given to SendDtmfTones is done
// before then, the next call to Next produces no frame and sends the
// cancellation instead (Graph: mediaOperationCanceled; ACS:
// SendDtmfTonesFailed). A Playout abandoned without either sends nothing.
// A Playout is not safe for concurrent use.
type Playout struct {
	ctx    context.Context
	enc    *encoder.Encoder
	size   int
	finish func(ctx context.Context, completed bool) error
	done   bool
	err    error
}

// Next fills frame, which must be FrameSize samples long, with the next
// frame and reports whether it did. The last frame is padded with silence.
// Next does not retain frame.
func (p *Playout) Next(frame []int16) bool {
	if len(frame) != p.size {
		panic("bridge: Playout.Next: frame length is not FrameSize")
	}
	if p.done {
		return false
	}
	if err := p.ctx.Err(); err != nil {
		p.end(false, context.Cause(p.ctx))
		return false
	}
	n := p.enc.Fill(frame)
	clear(frame[n:])
	if p.enc.Remaining() == 0 {
		p.end(true, nil)
	}
	return true
}

// end sends the completion, under a context that outlives the operation's
// own so that a cancellation can still be reported.
func (p *Playout) end(completed bool, cause error) {
	p.done = true
	err := p.finish(context.WithoutCancel(p.ctx), completed)
	p.err = errors.Join(cause, err)
}

// Err returns why the playout stopped early (the context's error), joined
// with any error delivering the completion; nil after a normal end.
func (p *Playout) Err() error { return p.err }

// FrameSize returns the number of samples in each frame.
func (p *Playout) FrameSize() int { return p.size }

// SampleRate returns the rate of the rendered audio.
func (p *Playout) SampleRate() dtmf.SampleRate { return p.enc.Config().SampleRate }

// Frames returns the number of frames the whole operation renders.
func (p *Playout) Frames() int64 { return (p.enc.Len() + int64(p.size) - 1) / int64(p.size) }
