package decoder_test

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/dtmfkit/dtmfkit/dtmf"
	"github.com/dtmfkit/dtmfkit/dtmf/decoder"
	"github.com/dtmfkit/dtmfkit/internal/dtmftest"
	"github.com/dtmfkit/dtmfkit/internal/talkoff"
)

// explainSignal is a signal the hook must not change the events of.
type explainSignal struct {
	name string
	cfg  decoder.Config
	pcm  []int16
}

// explainSignals gathers conformance signals: random presses (twist,
// deviation, ramps) clean and at 12 dB SNR, presses off frequency and
// twisted beyond the limits, the talk-off corpus (speech and music), and
// the rule fixtures.
func explainSignals(t *testing.T) []explainSignal {
	t.Helper()
	var out []explainSignal
	for _, rate := range []dtmf.SampleRate{8000, 16000, 44100} {
		for _, snr := range []float64{99, 12} {
			pcm := randomPresses(rate, snr)
			if testing.Short() || rate == 44100 {
				pcm = pcm[:len(pcm)/3]
			}
			out = append(out, explainSignal{fmt.Sprintf("presses %v %v dB", rate, snr), decoder.Config{SampleRate: rate}, pcm})
		}
		rng := rand.New(rand.NewPCG(uint64(rate), 12))
		for _, s := range []sequence{
			{rate: rate, keys: allKeys, on: 100, off: 50, low: -10, high: -10, lowDev: 0.035, highDev: -0.04, rampMs: 3, leadJitter: true},
			{rate: rate, keys: allKeys, on: 100, off: 50, low: -6, high: -18, rampMs: 3, leadJitter: true},
			{rate: rate, keys: allKeys, on: 40, off: 40, low: -20, high: -16, rampMs: 3, leadJitter: true},
		} {
			sig, _ := s.render(rng)
			out = append(out, explainSignal{fmt.Sprintf("sequence %+v", s), decoder.Config{SampleRate: rate, Profile: decoder.Strict}, sig.Int16()})
		}
	}
	for _, rate := range []int{8000, 16000} {
		clips, err := talkoff.Speech("../../testdata/talkoff", rate)
		require.NoError(t, err)
		for _, c := range append(clips, talkoff.Clips(rate)...) {
			out = append(out, explainSignal{c.Name, decoder.Config{SampleRate: dtmf.SampleRate(rate)}, c.PCM})
		}
	}
	for _, s := range dtmftest.RuleSignals(8000) {
		out = append(out, explainSignal{s.Name, decoder.Config{}, s.PCM})
	}
	return out
}

// decodeChunks decodes pcm in chunks of random sizes from rng, then flushes.
func decodeChunks(d *decoder.Decoder, pcm []int16, rng *rand.Rand) []dtmf.Event {
	var events []dtmf.Event
	for len(pcm) > 0 {
		n := min(len(pcm), 1+rng.IntN(400))
		events = d.Decode(events, pcm[:n])
		pcm = pcm[n:]
	}
	return d.Flush(events)
}

func TestExplainChangesNoEvent(t *testing.T) {
	for i, s := range explainSignals(t) {
		plain, err := decoder.New(s.cfg)
		require.NoError(t, err)
		want := decodeChunks(plain, s.pcm, rand.New(rand.NewPCG(uint64(i), 1)))

		explained, err := decoder.New(s.cfg)
		require.NoError(t, err)
		var accepted []decoder.Decision
		explained.SetExplain(func(x decoder.Decision) {
			if x.Rule == decoder.Accepted {
				accepted = append(accepted, x)
			}
		})
		got := decodeChunks(explained, s.pcm, rand.New(rand.NewPCG(uint64(i), 2)))
		require.Equal(t, want, got, s.name)

		// Each key reported is explained once, where its events put it.
		ups := dtmftest.Ups(got)
		require.Len(t, accepted, len(ups), s.name)
		for j, e := range ups {
			assert.Equal(t, [4]int64{int64(e.Digit), e.Start, e.End, e.Detected},
				[4]int64{int64(accepted[j].Key), accepted[j].Start, accepted[j].End, accepted[j].Detected}, s.name)
		}
	}
}

func TestExplainNamesEachRule(t *testing.T) {
	// Each fixture is refused by the rule it was built for, or accepted,
	// at 8 and 16 kHz. (At higher rates white noise puts most of its
	// power above the band, so the noisy fixtures would change.)
	for _, rate := range []dtmf.SampleRate{8000, 16000} {
		for _, s := range dtmftest.RuleSignals(rate) {
			d, err := decoder.New(decoder.Config{SampleRate: rate})
			require.NoError(t, err)
			var got []decoder.Decision
			d.SetExplain(func(x decoder.Decision) { got = append(got, x) })
			events := d.Flush(d.Decode(nil, s.PCM))
			var rules []string
			found := false
			for _, x := range got {
				rules = append(rules, x.Key.String()+" "+x.Rule.String())
				found = found || x.Rule.String() == s.Rule
			}
			assert.True(t, found, "%s at %v: got %v", s.Name, rate, rules)
			if s.Rule == "accepted" {
				assert.Len(t, dtmftest.Ups(events), 1, "%s at %v", s.Name, rate)
			} else {
				assert.Empty(t, events, "%s at %v", s.Name, rate)
			}
		}
	}
}

func TestExplainMeasuresAgainstLimits(t *testing.T) {
	// The twist fixture: high tone 12 dB under the low; key 4 is 770 and
	// 1209 Hz.
	var got []decoder.Decision
	d, err := decoder.New(decoder.Config{})
	require.NoError(t, err)
	d.SetExplain(func(x decoder.Decision) { got = append(got, x) })
	for _, s := range dtmftest.RuleSignals(8000) {
		if s.Name == "twist" {
			d.Flush(d.Decode(nil, s.PCM))
		}
	}
	require.Len(t, got, 1)
	x := got[0]
	assert.Equal(t, dtmf.Digit('4'), x.Key)
	assert.Equal(t, decoder.RuleTwist, x.Rule)
	assert.InDelta(t, -8, x.Measured.LowLevel, 0.5)
	assert.InDelta(t, -20, x.Measured.HighLevel, 2.5)
	assert.Less(t, x.Measured.Twist, -x.Limits.MaxNormalTwist)
	assert.InDelta(t, 9, x.Limits.MaxNormalTwist, 1e-9)
	assert.InDelta(t, 100*(0.02*770+1.5)/770, x.Limits.LowDev, 1e-9)
	assert.Equal(t, int64(-1), x.Detected)
	assert.Positive(t, x.Refused)
	assert.Less(t, x.Start, int64(800))
	assert.Greater(t, x.End, int64(800+640))
}

func TestExplainAllocatesNothingWhileDecoding(t *testing.T) {
	pcm := randomPresses(8000, 12)[:8000*5]
	d, err := decoder.New(decoder.Config{})
	require.NoError(t, err)
	n := 0
	d.SetExplain(func(decoder.Decision) { n++ })
	dst := make([]dtmf.Event, 0, 256)
	allocs := testing.AllocsPerRun(5, func() {
		dst = dst[:0]
		for i := 0; i+160 <= len(pcm); i += 160 {
			dst = d.Decode(dst, pcm[i:i+160])
		}
		dst = d.Flush(dst)
	})
	assert.Zero(t, allocs)
	assert.Positive(t, n)
}

func TestExplainOffAgain(t *testing.T) {
	d, err := decoder.New(decoder.Config{})
	require.NoError(t, err)
	n := 0
	d.SetExplain(func(decoder.Decision) { n++ })
	d.SetExplain(nil)
	d.Flush(d.Decode(nil, dtmftest.RuleSignals(8000)[0].PCM))
	assert.Zero(t, n)
}

func TestRuleString(t *testing.T) {
	for _, c := range []struct {
		r    decoder.Rule
		want string
	}{
		{decoder.Accepted, "accepted"}, {decoder.RulePeak, "peak"}, {decoder.RuleTonalShare, "tonal share"},
		{decoder.RuleVoicePitch, "voice pitch"}, {decoder.RuleCrowded, "crowded"}, {decoder.Rule(200), "Rule(200)"},
	} {
		assert.Equal(t, c.want, c.r.String())
	}
	assert.True(t, decoder.RuleTwist.IsFrameRule())
	assert.False(t, decoder.RuleChord.IsFrameRule())
	assert.True(t, decoder.RuleChord.IsTalkOff())
	assert.False(t, decoder.RuleTooShort.IsTalkOff())
}
