// Package explain writes the receiver's decisions ([decoder.Decision]) as
// text: one line per candidate, with the measured values against their
// limits, for dtmfwav decode -explain.
package explain

import (
	"math"
	"strconv"

	"github.com/dtmfkit/dtmfkit/dtmf"
	"github.com/dtmfkit/dtmfkit/dtmf/decoder"
)

// AppendLine appends x as one line of text, ending in a newline: the span
// in seconds from the start of the stream (rate converts sample offsets),
// the key, the verdict, and the measurements, each followed by its limit
// in parentheses and marked with "!" where it is beyond it. For example:
//
//	0.085-0.160 s  key 5  accepted at 0.132 s  levels -9.6/-9.7 dBm0 (>= -47) ...
//
// Frame figures come from the candidate's strongest frame; the talk-off
// figures (prior, chord, purity) are given when the candidate was put to
// the talk-off rules.
func AppendLine(b []byte, x decoder.Decision, rate dtmf.SampleRate) []byte {
	sec := func(b []byte, n int64) []byte { return strconv.AppendFloat(b, float64(n)/float64(rate), 'f', 3, 64) }
	b = sec(b, x.Start)
	b = append(b, '-')
	b = sec(b, x.End)
	b = append(b, " s  key "...)
	b = append(b, x.Key.String()...)
	b = append(b, "  "...)
	if x.Rule == decoder.Accepted {
		b = append(b, "accepted at "...)
		b = sec(b, x.Detected)
		b = append(b, " s"...)
	} else {
		b = append(b, "refused: "...)
		b = append(b, x.Rule.String()...)
	}
	m, l := x.Measured, x.Limits
	b = append(b, "  frames "...)
	b = strconv.AppendInt(b, int64(x.Frames), 10)
	if x.Refused > 0 {
		b = append(b, ", "...)
		b = strconv.AppendInt(b, int64(x.Refused), 10)
		b = append(b, " refused"...)
		if x.Rule != decoder.Accepted {
			b = append(b, ", most for "...)
			b = append(b, x.FrameRule.String()...)
		}
	}
	if x.Frames == 0 {
		return append(b, '\n') // a key whose frames the hook did not see
	}
	b = append(b, "  levels "...)
	b = num(b, m.LowLevel, 1, m.LowLevel < l.MinLevel)
	b = append(b, '/')
	b = num(b, m.HighLevel, 1, m.HighLevel < l.MinLevel)
	b = append(b, " dBm0 (>= "...)
	b = num(b, l.MinLevel, 0, false)
	b = append(b, ")  twist "...)
	b = num(b, m.Twist, 1, m.Twist < -l.MaxNormalTwist || m.Twist > l.MaxReverseTwist)
	b = append(b, " dB ("...)
	b = num(b, -l.MaxNormalTwist, 0, false)
	b = append(b, " to +"...)
	b = num(b, l.MaxReverseTwist, 0, false)
	b = append(b, ")  deviation "...)
	b = signed(b, m.LowDev, 2, math.Abs(m.LowDev) > l.LowDev)
	b = append(b, '/')
	b = signed(b, m.HighDev, 2, math.Abs(m.HighDev) > l.HighDev)
	b = append(b, " % (within "...)
	b = num(b, l.LowDev, 2, false)
	b = append(b, '/')
	b = num(b, l.HighDev, 2, false)
	b = append(b, ")  peak "...)
	b = num(b, m.Peak, 1, m.Peak < l.LoosePeak)
	b = append(b, " dB (>= "...)
	b = num(b, l.Peak, 0, false)
	b = append(b, ", loose "...)
	b = num(b, l.LoosePeak, 0, false)
	b = append(b, ")  tonal "...)
	b = num(b, 100*m.TonalShare, 0, m.TonalShare < l.LooseTonalShare)
	b = append(b, " % (>= "...)
	b = num(b, 100*l.TonalShare, 0, false)
	b = append(b, ", loose "...)
	b = num(b, 100*l.LooseTonalShare, 0, false)
	b = append(b, ')')
	if m.TalkOff {
		b = append(b, "  prior "...)
		b = num(b, m.PriorLow, 1, m.PriorLow > l.MaxPriorLow)
		b = append(b, '/')
		b = num(b, m.PriorHigh, 1, m.PriorHigh > l.MaxPriorHigh || m.PriorHigh > l.MaxPriorLow)
		b = append(b, " dB (<= "...)
		b = num(b, l.MaxPriorLow, 1, false)
		b = append(b, '/')
		b = num(b, l.MaxPriorHigh, 1, false)
		b = append(b, ")  chord "...)
		b = num(b, m.Chord, 1, m.Chord > l.MaxChord)
		b = append(b, " dB (<= "...)
		b = num(b, l.MaxChord, 1, false)
		b = append(b, ")  purity "...)
		b = num(b, m.Purity, 1, false)
		b = append(b, " dB (probed below "...)
		b = num(b, l.PureAbove, 0, false)
		b = append(b, ')')
		if m.Crowded {
			b = append(b, "  crowded"...)
		}
		if m.Covered {
			b = append(b, "  covered"...)
		}
	}
	return append(b, '\n')
}

// num appends v with prec decimals ("-inf" for −Inf, as a partial that is
// absent), and "!" if beyond marks it as beyond its limit.
func num(b []byte, v float64, prec int, beyond bool) []byte {
	switch {
	case math.IsInf(v, -1):
		b = append(b, "-inf"...)
	case math.IsInf(v, 1):
		b = append(b, "inf"...)
	default:
		if v == 0 || math.Abs(v) < 0.5*math.Pow(10, -float64(prec)) {
			v = 0 // no "-0.0"
		}
		b = strconv.AppendFloat(b, v, 'f', prec, 64)
	}
	if beyond {
		b = append(b, '!')
	}
	return b
}

// signed is num with a "+" before positive values.
func signed(b []byte, v float64, prec int, beyond bool) []byte {
	if v >= 0.5*math.Pow(10, -float64(prec)) {
		b = append(b, '+')
	}
	return num(b, v, prec, beyond)
}
