package encoder_test

import (
	"math"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/dtmfkit/dtmfkit/dsp/goertzel"
	"github.com/dtmfkit/dtmfkit/dtmf"
	"github.com/dtmfkit/dtmfkit/dtmf/encoder"
)

var rates = []dtmf.SampleRate{8000, 11025, 16000, 22050, 24000, 32000, 44100, 48000, 88200, 96000, 176400, 192000}

// reference computes sample n of key d's tone directly from the definition,
// with math.Sin, independently of the encoder's oscillator.
func reference(cfg encoder.Config, d dtmf.Digit, n, toneLen, rampLen int64) float64 {
	fl, fh, _ := d.Freqs()
	r := float64(cfg.SampleRate)
	v := encoder.Peak(cfg.Level)*math.Sin(2*math.Pi*fl*float64(n)/r) +
		encoder.Peak(cfg.Level+cfg.Twist)*math.Sin(2*math.Pi*fh*float64(n)/r)
	ramp := func(i int64) float64 {
		return 0.5 - 0.5*math.Cos(math.Pi*(float64(i)+0.5)/float64(rampLen))
	}
	switch {
	case n < rampLen:
		v *= ramp(n)
	case n >= toneLen-rampLen:
		v *= ramp(toneLen - 1 - n)
	}
	return v
}

func TestSamplesMatchDefinitionAtEveryRate(t *testing.T) {
	const keys = "123A456B789C*0#D"
	for _, rate := range rates {
		cfg := encoder.Config{SampleRate: rate, Tone: 40 * time.Millisecond, Gap: 30 * time.Millisecond,
			Level: -7, Twist: -2.5, Lead: 5 * time.Millisecond, Trail: 7 * time.Millisecond}
		e, err := encoder.New(cfg)
		require.NoError(t, err)
		pcm, err := e.Append(nil, keys)
		require.NoError(t, err)

		toneLen, gapLen := rate.N(cfg.Tone), rate.N(cfg.Gap)
		lead, trail := rate.N(cfg.Lead), rate.N(cfg.Trail)
		rampLen := rate.N(encoder.DefaultRamp)
		require.EqualValues(t, lead+16*toneLen+15*gapLen+trail, len(pcm), "rate %v", rate)
		require.EqualValues(t, len(pcm), e.SequenceLen(16))

		var worst float64
		pos := lead
		assert.Equal(t, make([]int16, lead), pcm[:lead], "lead silence at %v", rate)
		for i, c := range keys {
			d := dtmf.Digit(c)
			for n := range toneLen {
				want := reference(e.Config(), d, n, toneLen, rampLen)
				worst = max(worst, math.Abs(float64(pcm[pos+n])-want))
			}
			pos += toneLen
			if i < len(keys)-1 {
				assert.Equal(t, make([]int16, gapLen), pcm[pos:pos+gapLen], "gap after %c at %v", c, rate)
				pos += gapLen
			}
		}
		assert.Equal(t, make([]int16, trail), pcm[pos:], "trail silence at %v", rate)
		// Rounding to the nearest integer is the only difference allowed.
		assert.LessOrEqual(t, worst, 0.5+1e-6, "rate %v", rate)
	}
}

// steady returns the samples of tone i of a sequence, without its ramps.
func steady(pcm []int16, e *encoder.Encoder, i int) []float64 {
	cfg := e.Config()
	r := cfg.SampleRate
	start := r.N(cfg.Lead) + int64(i)*(r.N(cfg.Tone)+r.N(cfg.Gap)) + r.N(cfg.Ramp)
	n := r.N(cfg.Tone) - 2*r.N(cfg.Ramp)
	x := make([]float64, n)
	for j := range x {
		x[j] = float64(pcm[start+int64(j)])
	}
	return x
}

func dBm0(amplitude float64) float64 { return 20*math.Log10(amplitude/32767) + 3.14 }

func TestLevelAndFrequencyMeasuredByGoertzel(t *testing.T) {
	// Level within ±0.1 dB of the setting, read by a Goertzel filter over
	// the steady part of each tone; frequency exact to within 0.05 Hz,
	// read as the phase advance between the two halves of a 1 s tone.
	const levelTol, freqTol = 0.1, 0.05
	for _, rate := range rates {
		for _, lv := range []struct{ level, twist float64 }{{-10, 0}, {-4, -3}, {-25, 4}, {-40, 0}} {
			e, err := encoder.New(encoder.Config{SampleRate: rate, Tone: time.Second, Level: lv.level, Twist: lv.twist})
			require.NoError(t, err)
			for _, d := range []dtmf.Digit{dtmf.Digit1, dtmf.DigitD, dtmf.Digit5} {
				pcm, err := e.Append(nil, d.String())
				require.NoError(t, err)
				x := steady(pcm, e, 0)
				fl, fh, _ := d.Freqs()
				for _, tone := range []struct{ freq, level float64 }{{fl, lv.level}, {fh, lv.level + lv.twist}} {
					f := goertzel.New(tone.freq, float64(rate))
					f.Update(x)
					assert.InDelta(t, tone.level, dBm0(f.Amplitude()), levelTol,
						"%v Hz at %v, key %v", tone.freq, rate, d)
					assert.InDelta(t, tone.freq, measureFreq(x, tone.freq, float64(rate)), freqTol,
						"key %v at %v", d, rate)
				}
			}
		}
	}
}

// measureFreq estimates the frequency of the sine near freq in x from the
// phase advance of its DFT between the first and second half of x.
func measureFreq(x []float64, freq, rate float64) float64 {
	half := len(x) / 2
	a, b := goertzel.New(freq, rate), goertzel.New(freq, rate)
	a.Update(x[:half])
	b.Update(x[half : 2*half])
	// b's phase is referenced to its own first sample, half samples after
	// a's: the sine advanced by ω·half in between. Unwrap around ω_freq.
	adv := 2 * math.Pi * freq * float64(half) / rate
	w := adv + math.Remainder(phase(b.DFT())-phase(a.DFT())-adv, 2*math.Pi)
	return w * rate / (2 * math.Pi * float64(half))
}

func phase(z complex128) float64 { return math.Atan2(imag(z), real(z)) }

func TestFillIsIndependentOfBufferSize(t *testing.T) {
	e, err := encoder.New(encoder.Config{SampleRate: 16000, Lead: 3 * time.Millisecond, Trail: 11 * time.Millisecond})
	require.NoError(t, err)
	want, err := e.Append(nil, "0123456789*#ABCD")
	require.NoError(t, err)
	rng := rand.New(rand.NewPCG(1, 1))
	for _, size := range []int{1, 7, 31, 33, 160, 320, 441, 100000, 0} {
		require.NoError(t, e.Start("0123456789*#abcd"))
		require.EqualValues(t, len(want), e.Len())
		var got []int16
		buf := make([]int16, 100000)
		for {
			n := size
			if n == 0 {
				n = 1 + rng.IntN(700)
			}
			k := e.Fill(buf[:n])
			got = append(got, buf[:k]...)
			if k < n {
				break
			}
		}
		assert.Zero(t, e.Remaining())
		assert.Zero(t, e.Fill(buf[:10]), "Fill after the end")
		assert.Equal(t, want, got, "frames of %d", size)
	}
}

func TestAppendKeepsDst(t *testing.T) {
	e, err := encoder.New(encoder.Config{})
	require.NoError(t, err)
	dst := []int16{1, 2, 3}
	out, err := e.Append(dst, "5")
	require.NoError(t, err)
	assert.Equal(t, []int16{1, 2, 3}, out[:3])
	assert.EqualValues(t, 3+e.Len(), len(out))
	out2, err := e.Append(out[:3], "x")
	require.Error(t, err)
	assert.Len(t, out2, 3, "dst unchanged on error")
}

func TestDefaults(t *testing.T) {
	e, err := encoder.New(encoder.Config{})
	require.NoError(t, err)
	assert.Equal(t, encoder.Config{SampleRate: 8000, Tone: 100 * time.Millisecond, Gap: 100 * time.Millisecond,
		Level: -10, Ramp: 3 * time.Millisecond}, e.Config())
	e, err = encoder.New(encoder.Config{Ramp: encoder.NoRamp})
	require.NoError(t, err)
	assert.Zero(t, e.Config().Ramp)
	pcm, err := e.Append(nil, "1")
	require.NoError(t, err)
	// Without a ramp the tone starts at full amplitude: the second sample
	// is already the plain sum of the two sines.
	want := encoder.Peak(-10) * (math.Sin(2*math.Pi*697/8000) + math.Sin(2*math.Pi*1209/8000))
	assert.EqualValues(t, int16(math.Round(want)), pcm[1])
}

func TestDurationRounding(t *testing.T) {
	// 11025 Hz: 50 ms is 551.25 samples → 551; 10 ms is 110.25 → 110;
	// 0.5 ms is 5.5125 → 6; at 8000 Hz 0.0625 ms is exactly half a sample → 1.
	tests := []struct {
		rate dtmf.SampleRate
		d    time.Duration
		want int64
	}{
		{11025, 50 * time.Millisecond, 551},
		{11025, 10 * time.Millisecond, 110},
		{11025, 500 * time.Microsecond, 6},
		{8000, 62500 * time.Nanosecond, 1},
		{8000, 62499 * time.Nanosecond, 0},
		{44100, time.Minute, 2646000},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, tt.rate.N(tt.d), "%v at %v", tt.d, tt.rate)
	}
}

func TestConfigErrors(t *testing.T) {
	tests := []struct {
		name string
		cfg  encoder.Config
		want string
	}{
		{"rate low", encoder.Config{SampleRate: 7999}, "sample rate 7999 Hz is outside 8000-192000 Hz"},
		{"rate high", encoder.Config{SampleRate: 192001}, "encoder: sample rate 192001 Hz is outside 8000-192000 Hz"},
		{"negative tone", encoder.Config{Tone: -time.Millisecond}, "tone length -1ms is negative"},
		{"absurd gap", encoder.Config{Gap: time.Hour}, "gap 1h0m0s is longer than 1m0s"},
		{"absurd lead", encoder.Config{Lead: 2 * time.Minute}, "lead silence 2m0s is longer than 1m0s"},
		{"negative trail", encoder.Config{Trail: -1}, "trail silence -1ns is negative"},
		{"tiny tone", encoder.Config{Tone: time.Microsecond, Ramp: encoder.NoRamp}, "shorter than one sample"},
		{"ramps too long", encoder.Config{Tone: 5 * time.Millisecond}, "tone length 5ms is shorter than its two 3ms ramps"},
		{"clips", encoder.Config{Level: -2.8}, "level -2.80 dBm0 with twist +0.00 dB would clip"},
		{"clips with twist", encoder.Config{Level: -5, Twist: 4}, "level -5.00 dBm0 with twist +4.00 dB would clip: peak 33180 exceeds 32767"},
		{"too quiet", encoder.Config{Level: -100}, "level -100.00 dBm0 is below -90 dBm0"},
		{"NaN level", encoder.Config{Level: math.NaN()}, "level NaN dBm0"},
		{"absurd twist", encoder.Config{Twist: -50}, "twist -50.00 dB is beyond ±40 dB"},
	}
	for _, tt := range tests {
		_, err := encoder.New(tt.cfg)
		require.Error(t, err, tt.name)
		assert.Contains(t, err.Error(), tt.want, tt.name)
		assert.Contains(t, err.Error(), "encoder: ", tt.name)
	}
}

func TestLoudestLevelsDoNotClip(t *testing.T) {
	for _, lv := range []struct{ level, twist float64 }{{-2.9, 0}, {-0.001, -7.3}, {-9, 6}} {
		e, err := encoder.New(encoder.Config{Level: lv.level, Twist: lv.twist, Tone: time.Second})
		require.NoError(t, err, "%+v", lv)
		pcm, err := e.Append(nil, "D")
		require.NoError(t, err)
		var peak int
		for _, v := range pcm {
			peak = max(peak, abs(int(v)))
		}
		want := encoder.Peak(lv.level) + encoder.Peak(lv.level+lv.twist)
		assert.LessOrEqual(t, peak, 32767)
		// Over a second the two sines come within 1 % of their summed peaks.
		assert.InEpsilon(t, want, float64(peak), 0.01, "%+v", lv)
	}
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

func TestKeyErrors(t *testing.T) {
	e, err := encoder.New(encoder.Config{})
	require.NoError(t, err)
	tests := []struct{ keys, want string }{
		{"", "encoder: no keys to render"},
		{"12E4", `encoder: unknown key "E" at index 2 (keys are 0-9, *, #, A-D)`},
		{"1 2", `unknown key " " at index 1`},
		{"99!", "encoder: flash has no audio form (at index 2)"},
		{"5é", `unknown key "é" at index 1`},
	}
	for _, tt := range tests {
		err := e.Start(tt.keys)
		require.Error(t, err, tt.keys)
		assert.Contains(t, err.Error(), tt.want)
		assert.Zero(t, e.Len(), "idle after a failed Start")
		var ne *dtmf.NameError
		var ke *encoder.KeyError
		if tt.keys != "" && tt.keys != "99!" {
			require.ErrorAs(t, err, &ke)
			assert.Equal(t, tt.keys[ke.Index:ke.Index+len(ke.Key)], ke.Key)
			require.ErrorAs(t, err, &ne, "wraps the dtmf.NameError")
		}
	}
}

func TestAppendAllocatesNothingWithCapacity(t *testing.T) {
	e, err := encoder.New(encoder.Config{SampleRate: 16000})
	require.NoError(t, err)
	dst := make([]int16, 0, 16000)
	assert.Zero(t, testing.AllocsPerRun(50, func() {
		var err error
		dst, err = e.Append(dst[:0], "159#")
		if err != nil {
			panic(err)
		}
	}))
	buf := make([]int16, 320)
	require.NoError(t, e.Start("0123456789"))
	assert.Zero(t, testing.AllocsPerRun(50, func() { e.Fill(buf) }))
}
