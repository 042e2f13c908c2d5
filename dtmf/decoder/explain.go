package decoder

import (
	"math"
	"strconv"
	"time"

	"github.com/dtmfkit/dtmfkit/dtmf"
)

// Rule names what decided a candidate: [Accepted], or the rule that refused
// it. The frame rules (RulePeak to RuleTonalShare) judge each 20 ms analysis
// frame; the tracker's rules (RuleTooShort, RuleUnsteady, RuleCrowded) judge
// how long and how steadily a candidate lasted; the talk-off rules
// (RuleAlreadyPresent to RuleVoicePitch) whether its tones came from a
// generator rather than from a voice or music.
type Rule uint8

const (
	// Accepted: the key was reported.
	Accepted Rule = iota
	// RulePeak: another filter of a group was within 8 dB of the group's
	// strongest (3 dB for a candidate the talk-off rules must vouch for).
	RulePeak
	// RuleLevel: a tone was below MinLevel.
	RuleLevel
	// RuleFrequency: a tone was further from its nominal frequency than
	// MaxDeviation plus 1.5 Hz (or no steady frequency could be measured).
	RuleFrequency
	// RuleTwist: the high-group tone was too far below (normal twist) or
	// above (reverse twist) the low-group tone.
	RuleTwist
	// RuleTonalShare: the two tones carried less than 30 % of the energy of
	// the signal's first difference (60 % for a clean candidate).
	RuleTonalShare
	// RuleTooShort: the tones did not last MinOn (with a press that short
	// they must also be clean).
	RuleTooShort
	// RuleUnsteady: the tones lasted but never held steady (their
	// amplitudes within 60 % of their mean over a frame, filling the latest
	// 5 ms block) for MinOn without a gap over 10 ms.
	RuleUnsteady
	// RuleAlreadyPresent: the tones were already there before the onset.
	RuleAlreadyPresent
	// RuleChord: a third steady partial stood beside the two tones.
	RuleChord
	// RuleSidebands: energy beside a tone that a steady sine does not leave.
	RuleSidebands
	// RuleHarmonics: a tone's 2nd or 3rd harmonic, or the high tone's
	// sub-octave.
	RuleHarmonics
	// RuleHarmonicSeries: the tones were two harmonics of a fundamental
	// whose other harmonics were there too.
	RuleHarmonicSeries
	// RuleVoicePitch: the tones were harmonics of the periodicity of what
	// was left: a voice.
	RuleVoicePitch
	// RuleCrowded: the tones shared the signal with as much other sound and
	// ended before lasting 45 ms (55 ms if Measurement.Covered).
	RuleCrowded

	numRules
)

var publicRuleNames = [numRules]string{
	Accepted:           "accepted",
	RulePeak:           "peak",
	RuleLevel:          "level",
	RuleFrequency:      "frequency",
	RuleTwist:          "twist",
	RuleTonalShare:     "tonal share",
	RuleTooShort:       "too short",
	RuleUnsteady:       "unsteady",
	RuleAlreadyPresent: "already present",
	RuleChord:          "chord",
	RuleSidebands:      "sidebands",
	RuleHarmonics:      "harmonics",
	RuleHarmonicSeries: "harmonic series",
	RuleVoicePitch:     "voice pitch",
	RuleCrowded:        "crowded",
}

// String returns the rule's short name, as "twist" or "voice pitch".
func (r Rule) String() string {
	if r < numRules {
		return publicRuleNames[r]
	}
	return "Rule(" + strconv.Itoa(int(r)) + ")"
}

// IsFrameRule reports whether r is one of the rules judging single
// analysis frames (peak, level, frequency, twist, tonal share).
func (r Rule) IsFrameRule() bool { return r >= RulePeak && r <= RuleTonalShare }

// IsTalkOff reports whether r is one of the talk-off rules.
func (r Rule) IsTalkOff() bool { return r >= RuleAlreadyPresent && r <= RuleVoicePitch }

// Measurement holds what the receiver measured of a candidate's tones in
// one 20 ms analysis frame, in the units of the limits.
type Measurement struct {
	// LowLevel and HighLevel are the tones' levels, dBm0 per tone,
	// corrected for their frequency offsets.
	LowLevel, HighLevel float64
	// Twist is HighLevel − LowLevel, dB: negative is normal twist.
	Twist float64
	// LowDev and HighDev are the tones' offsets from their nominal
	// frequencies, in per cent.
	LowDev, HighDev float64
	// Peak is how far, in dB, each tone stands above the other filters of
	// its group: the smaller of the two margins.
	Peak float64
	// TonalShare is the fraction (0 to 1) of the energy of the signal's
	// first difference that the two tones carry.
	TonalShare float64

	// TalkOff reports whether the talk-off figures below were measured:
	// the candidate passed every frame rule and lasted long enough to be
	// asked.
	TalkOff bool
	// PriorLow and PriorHigh are the least levels each tone's filter read
	// in the recent past relative to the tone, dB: a key rises from
	// silence (very negative), a voice's partial glides in (near 0).
	PriorLow, PriorHigh float64
	// Chord is the strongest steady partial in the other six filters over
	// the press, relative to the weaker tone, dB (−Inf for none).
	Chord float64
	// Purity is how far, in dB, the weaker tone stands above what is left
	// of the frame once both tones are fitted and subtracted. At
	// [Limits.PureAbove] or more the purity probes (sidebands, harmonics,
	// harmonic series) cannot refuse the pair.
	Purity float64
	// Crowded reports that the tones share the frame with as much other
	// sound: such a key must last 45 ms.
	Crowded bool
	// Covered reports that energy beside a tone was taken for the speech
	// the key is pressed over (the tones still dominating the frame): such
	// a key must last 55 ms.
	Covered bool
}

// Limits are the bounds a candidate's measurements are judged against, for
// its key's two frequencies.
type Limits struct {
	MinLevel        float64 // dBm0 per tone
	MaxNormalTwist  float64 // dB the high tone may be below the low, allowance included
	MaxReverseTwist float64 // dB the high tone may be above the low, allowance included
	LowDev, HighDev float64 // per cent of each tone's nominal frequency (MaxDeviation plus 1.5 Hz)
	Peak, LoosePeak float64 // dB margin over the group's other filters: a clean candidate, a loose one
	TonalShare      float64 // share of a clean candidate
	LooseTonalShare float64 // least share of any candidate
	MaxPriorLow     float64 // dB: prior presence allowed for the low tone
	MaxPriorHigh    float64 // dB: and for the high tone
	MaxChord        float64 // dB: strongest third steady partial allowed
	PureAbove       float64 // dB: purity from which the purity probes pass
	MinOn           time.Duration
}

// Decision is the receiver's verdict on one candidate: a span of 20 ms
// analysis frames (one every 5 ms) in which one key's pair of tones stood
// out, refused frames included, with gaps up to 10 ms bridged. See
// [Decoder.SetExplain] for which spans are reported.
type Decision struct {
	Key  dtmf.Digit
	Rule Rule // Accepted, or the rule that refused the candidate
	// Start and End bound the candidate in input samples (End exclusive):
	// for an accepted key its onset and end as in its events; otherwise the
	// start of the span's first frame and the end of its last.
	Start, End int64
	// Detected is the input offset of an accepted key's KeyDown (where it
	// was confirmed); −1 for a refused candidate.
	Detected int64
	// Frames counts the span's analysis frames; Refused those the frame
	// rules refused, and FrameRule the rule that refused most of them
	// (Accepted if none did). Every frame of a candidate refused by a frame
	// rule was refused by one; Rule is then FrameRule.
	Frames, Refused int
	FrameRule       Rule
	// Measured is the measurement of the span's strongest frame among
	// those that passed every frame rule, or, if none did, among those
	// FrameRule refused; with the latest talk-off figures.
	Measured Measurement
	Limits   Limits
}

// SetExplain sets fn to be told the receiver's decision on each candidate
// it considered, as the decision is made: an accepted key at its KeyUp, a
// refused candidate once its span has ended. fn nil turns this off, and
// then it costs nothing. Candidates are reported when some frame of theirs
// passed every frame rule (the talk-off and tracker rules decided), or
// when their frames were refused over at least MinOn (a key the frame
// rules refused, say for its twist) with the tones standing out of their
// groups (a margin of at least 3 dB) in most of them; shorter or weaker
// flickers, which speech and noise leave by the hundred, are not. Setting
// fn changes no event. fn must not call the Decoder's methods.
// SetExplain allocates; decoding while it is set costs more (each frame is
// measured), but allocates nothing.
func (d *Decoder) SetExplain(fn func(Decision)) {
	if fn == nil {
		d.ex = nil
		return
	}
	d.ex = &explainer{fn: fn, d: d}
}

// explainer follows the candidates for SetExplain.
type explainer struct {
	fn func(Decision)
	d  *Decoder

	// The frame analyse judged in this sub-block, if any.
	hasFrame  bool
	frameK    int64
	frameRule Rule
	frameRow  uint8
	frameCol  uint8

	span span
}

// span gathers the frames of one candidate.
type span struct {
	open        bool
	key         dtmf.Digit
	row, col    uint8
	first, last int64 // sub-blocks ending its first and last frames
	frames      int
	counts      [RuleTonalShare + 1]int         // frames per frame rule (Accepted: passed)
	margins     [RuleTonalShare + 1]int         // of those, frames whose tones stood out (prominent)
	best        [RuleTonalShare + 1]Measurement // strongest frame per rule
	bestLevel   [RuleTonalShare + 1]float64
	candFirst   int64 // first and last frames that passed
	candLast    int64
	talked      bool
	talk        Rule
	talkM       Measurement
}

// frame is called by analyse for each frame it judges.
func (e *explainer) frame(k int64, r Rule, row, col int) {
	e.hasFrame, e.frameK, e.frameRule = true, k, r
	e.frameRow, e.frameCol = uint8(row), uint8(col)
}

// hop runs the tracker on sub-block d.sub−1 and follows what it did.
func (e *explainer) hop(dst []dtmf.Event, d *Decoder) []dtmf.Event {
	n := len(dst)
	dst = d.track.hop(dst, d)
	e.events(dst[n:])
	if e.hasFrame {
		e.hasFrame = false
		e.add(e.frameK, e.frameRule, int(e.frameRow), int(e.frameCol))
	}
	k := d.sub - 1
	if s := &e.span; s.open && k-s.last > bridgeSubs && !e.held() {
		e.close()
	}
	return dst
}

// held reports whether the tracker is following the open span's key
// (confirming it, holding it, or waiting to see whether it was a short
// press), when no frames are analysed.
func (e *explainer) held() bool {
	t := &e.d.track
	return t.state != idle && t.cand.key == e.span.key
}

// events follows the tracker's events: a KeyUp completes an accepted key.
func (e *explainer) events(events []dtmf.Event) {
	for _, ev := range events {
		if ev.Kind != dtmf.KeyUp {
			continue
		}
		s := &e.span
		var dec Decision
		if s.open && s.key == ev.Digit {
			e.fill(&dec)
			s.open = false
		} else {
			r, c, _ := ev.Digit.Position()
			dec.Limits = e.limits(r, 4+c)
		}
		dec.Key, dec.Rule = ev.Digit, Accepted
		dec.Start, dec.End, dec.Detected = ev.Start, ev.End, ev.Detected
		e.fn(dec)
	}
}

// add adds the frame ending with sub-block k, judged r, to the open span
// or starts another.
func (e *explainer) add(k int64, r Rule, row, col int) {
	d := e.d
	key := dtmf.Grid[row][col-4]
	s := &e.span
	if s.open && (s.key != key || k-s.last > bridgeSubs+1) {
		e.close()
	}
	if !s.open {
		*s = span{open: true, key: key, row: uint8(row), col: uint8(col), first: k, candFirst: -1}
		for i := range s.bestLevel {
			s.bestLevel[i] = math.Inf(-1)
		}
	}
	s.last = k
	s.frames++
	m := d.measureFrame(k, row, col)
	s.counts[r]++
	if e.prominent(r, m) {
		s.margins[r]++
	}
	if lvl := min(m.LowLevel, m.HighLevel); lvl > s.bestLevel[r] {
		s.bestLevel[r], s.best[r] = lvl, m
	}
	if r == Accepted {
		if s.candFirst < 0 {
			s.candFirst = k
		}
		s.candLast = k
	}
}

// prominent reports whether the tones of a frame that r judged stood out
// as a key's would: by LoosePeak above the other filters of their groups
// and carrying LooseTonalShare of the energy, bar the one of these r
// itself refused the frame for.
func (e *explainer) prominent(r Rule, m Measurement) bool {
	peak, share := m.Peak >= powerDB(loosePeak), m.TonalShare >= looseTonal
	switch r {
	case RulePeak:
		return share
	case RuleTonalShare:
		return peak
	}
	return peak && share
}

// close ends the open span, reporting it if it was a candidate.
func (e *explainer) close() {
	s := &e.span
	if !s.open {
		return
	}
	s.open = false
	var dec Decision
	e.fill(&dec)
	if s.counts[Accepted] == 0 {
		// Refused by the frame rules throughout: report it only if it
		// lasted MinOn, its tones standing out of their groups.
		fr := dec.FrameRule
		minFrames := int(math.Ceil(e.d.p.cfg.MinOn.Seconds() / subDuration.Seconds()))
		if s.counts[fr] < minFrames || 2*s.margins[fr] < s.counts[fr] {
			return
		}
	}
	e.fn(dec)
}

// fill sets dec from the open span: its key, extent, verdict and figures.
func (e *explainer) fill(dec *Decision) {
	d, s := e.d, &e.span
	m := int64(d.p.subLen) * int64(d.p.decim)
	dec.Key = s.key
	dec.Start = max(0, (s.first-frameSubs+1)*m)
	dec.End = min((s.last+1)*m, d.inputN)
	dec.Detected = -1
	dec.Frames = s.frames
	dec.Limits = e.limits(int(s.row), int(s.col))
	most := 0
	for r := RulePeak; r <= RuleTonalShare; r++ {
		dec.Refused += s.counts[r]
		if s.counts[r] > 0 && s.counts[r] >= most {
			dec.FrameRule, most = r, s.counts[r] // ties go to the later rule
		}
	}
	if s.counts[Accepted] == 0 {
		dec.Rule = dec.FrameRule
		dec.Measured = s.best[dec.FrameRule]
		return
	}
	dec.Measured = s.best[Accepted]
	if s.talked {
		tm := s.talkM
		tm.LowLevel, tm.HighLevel, tm.Twist = dec.Measured.LowLevel, dec.Measured.HighLevel, dec.Measured.Twist
		tm.LowDev, tm.HighDev = dec.Measured.LowDev, dec.Measured.HighDev
		tm.Peak, tm.TonalShare = dec.Measured.Peak, dec.Measured.TonalShare
		dec.Measured = tm
	}
	// Not reported (the caller overrides this for a key that was): the
	// tracker's verdict.
	last := float64(s.candLast-s.candFirst)*subDuration.Seconds() + float64(frameSubs)*subDuration.Seconds()
	switch {
	case !s.talked && dec.Refused >= s.counts[Accepted]:
		// A few frames passed among many the frame rules refused (the
		// edges of a tone, say): those rules refused it.
		dec.Rule = dec.FrameRule
		dec.Measured = s.best[dec.FrameRule]
	case s.talked && s.talk != Accepted:
		dec.Rule = s.talk
	case s.talked && dec.Measured.Crowded && last >= d.p.cfg.MinOn.Seconds():
		dec.Rule = RuleCrowded
	case last >= d.p.cfg.MinOn.Seconds()+float64(frameSubs)*subDuration.Seconds():
		dec.Rule = RuleUnsteady
	default:
		dec.Rule = RuleTooShort
	}
}

// talkOff is told each talk-off decision (tracker.refuse).
func (e *explainer) talkOff(k int64, key dtmf.Digit, v verdict) {
	s := &e.span
	if !s.open || s.key != key {
		return
	}
	s.talked = true
	s.talk = v.rule
	d, t := e.d, &e.d.track
	pr, pc := t.priorPresence(d, k)
	chord := t.otherPartial(d, k)
	s.talkM = Measurement{
		TalkOff:   true,
		PriorLow:  amplitudeDB(pr),
		PriorHigh: amplitudeDB(pc),
		Chord:     powerDB(chord),
		Purity:    d.purity(k),
		Crowded:   v.crowded,
		Covered:   v.covered,
	}
}

// flush ends the stream: the KeyUp events Flush's tracker produced, then
// the open span.
func (e *explainer) flush(events []dtmf.Event) {
	e.events(events)
	e.close()
	e.reset()
}

// reset forgets the open span.
func (e *explainer) reset() {
	e.span = span{}
	e.hasFrame = false
}

// limits returns the limits for the key of filters row and col.
func (e *explainer) limits(row, col int) Limits {
	p := &e.d.p
	return Limits{
		MinLevel:        p.cfg.MinLevel,
		MaxNormalTwist:  p.cfg.MaxNormalTwist + TwistAllowance,
		MaxReverseTwist: p.cfg.MaxReverseTwist + TwistAllowance,
		LowDev:          100 * p.maxDev(row) / filterFreq(row),
		HighDev:         100 * p.maxDev(col) / filterFreq(col),
		Peak:            powerDB(peakRatio),
		LoosePeak:       powerDB(loosePeak),
		TonalShare:      tonalRatio,
		LooseTonalShare: looseTonal,
		MaxPriorLow:     amplitudeDB(maxPrior),
		MaxPriorHigh:    amplitudeDB(maxPriorHigh),
		MaxChord:        powerDB(maxOther),
		PureAbove:       sidebandReject,
		MinOn:           p.cfg.MinOn,
	}
}

// measureFrame measures the pair of filters row and col in the frame
// ending with sub-block k as analyse does, without deciding anything.
func (d *Decoder) measureFrame(k int64, row, col int) Measurement {
	p := &d.p
	var sums [numFilters]complex128
	var pow [numFilters]float64
	d.frameSums(k, &sums, &pow)
	margin := math.Inf(1)
	for i := range numFilters {
		if i == row || i == col {
			continue
		}
		best := pow[row]
		if i >= 4 {
			best = pow[col]
		}
		if pow[i] > 0 {
			margin = min(margin, powerDB(best/pow[i]))
		}
	}
	n := frameWeightSum * float64(p.subLen)
	ampR, ampC := 2*math.Sqrt(pow[row])/n, 2*math.Sqrt(pow[col])/n
	var devR, devC float64
	if dev, step, ok := d.freqOffset(row, k, sums[row]); ok {
		devR = dev
		ampR, _ = d.toneAmplitude(row, k, dev, step)
	}
	if dev, step, ok := d.freqOffset(col, k, sums[col]); ok {
		devC = dev
		ampC, _ = d.toneAmplitude(col, k, dev, step)
	}
	m := Measurement{
		LowLevel:  amplitudeDB(ampR / float64(p.gain[row])),
		HighLevel: amplitudeDB(ampC / float64(p.gain[col])),
		LowDev:    100 * devR / filterFreq(row),
		HighDev:   100 * devC / filterFreq(col),
		Peak:      margin,
	}
	m.Twist = m.HighLevel - m.LowLevel
	if ed := d.diffEnergy(k); ed > 0 {
		m.TonalShare = (ampR*ampR*p.slope(row) + ampC*ampC*p.slope(col)) / 2 * n / ed
	}
	return m
}

// purity returns how far, in dB, the weaker of the pending key's tones
// stands above what is left of the frame ending with k once both are
// fitted and subtracted (impure's first measure, without its side effects).
func (d *Decoder) purity(k int64) float64 {
	span := frameSubs * d.p.subLen
	var buf [frameSubs * maxSubLen]float64
	fit := d.track.fitTones(d, k, buf[:span])
	c, wsum, residual := fit.c, fit.wsum, fit.residual
	weaker := min(abs(c[0]), abs(c[1])) * wsum
	if residual <= 0 {
		return math.Inf(1)
	}
	return powerDB(weaker * weaker / (float64(span) * residual))
}

func amplitudeDB(a float64) float64 { return 20 * math.Log10(a) }
func powerDB(p float64) float64     { return 10 * math.Log10(p) }
