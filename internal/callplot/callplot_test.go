package callplot

import (
	"bytes"
	"image/png"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/dtmfkit/dtmfkit/dtmf"
	"github.com/dtmfkit/dtmfkit/dtmf/decoder"
	"github.com/dtmfkit/dtmfkit/internal/dtmftest"
)

func TestFreqAxisRoundTrips(t *testing.T) {
	for _, f := range []float64{0, 300, 600, 697, 941, 1209, 1633, 1700, 2500, 4000} {
		assert.InDelta(t, f, posFreq(freqPos(f)), 1e-9)
	}
	// The rows' labels, 73 Hz apart, are at least 4 % of the height apart.
	assert.Greater(t, freqPos(770)-freqPos(697), 0.04)
	assert.InDelta(t, 0, freqPos(0), 1e-12)
	assert.InDelta(t, 1, freqPos(4000), 1e-12)
}

func TestTimeTicks(t *testing.T) {
	for _, c := range []struct {
		lo, hi float64
		first  string
		labels int
	}{
		{0, 2.6, "0.0", 6}, {1.2, 1.6, "1.20", 9}, {0, 600, "0", 13},
	} {
		var labels []string
		for _, tk := range (timeTicks{labels: true}).Ticks(c.lo, c.hi) {
			if tk.Label != "" {
				labels = append(labels, tk.Label)
			}
		}
		require.NotEmpty(t, labels)
		assert.Equal(t, c.first, labels[0], "%v-%v: %v", c.lo, c.hi, labels)
		assert.Len(t, labels, c.labels, "%v-%v: %v", c.lo, c.hi, labels)
	}
}

func TestLongCallDownsampledKeepsShortKey(t *testing.T) {
	// Ten minutes at 8 kHz in noise with one 60 ms key at 5 minutes: the
	// spectrogram has one column per pixel, and the key's column holds
	// its tones 30 dB over the noise's columns.
	rate := dtmf.SampleRate(8000)
	n := int64(rate) * 600
	sig := dtmftest.NewSignal(rate, n)
	sig.AddNoise(rand.New(rand.NewPCG(1, 1)), dtmftest.RMS(-50))
	sig.AddPress(dtmftest.Press{Key: '1', LowLevel: -10, HighLevel: -10, Start: n / 2, Len: 480, Ramp: 24})
	pcm := sig.Int16()
	sg := newSpectrogram(pcm, rate, 0, len(pcm), 1000)
	require.Len(t, sg.power, 1000)
	bin := int(697.0*float64(sg.n)/float64(rate) + 0.5)
	key, quiet := sg.power[500][bin], sg.power[100][bin]
	assert.Greater(t, key, 1000*quiet)
	assert.InDelta(t, -7, sg.level[500], 1.5) // two tones at -10 dBm0 each
	assert.InDelta(t, -50, sg.level[100], 3)

	c, err := Decode(pcm, decoder.Config{SampleRate: rate})
	require.NoError(t, err)
	require.Len(t, c.Keys, 1)
	var out bytes.Buffer
	require.NoError(t, Write(&out, c, Options{Width: 1000, Height: 500}))
	img, err := png.Decode(&out)
	require.NoError(t, err)
	assert.Equal(t, 1000, img.Bounds().Dx())
	assert.Equal(t, 500, img.Bounds().Dy())
}

func TestCheckRefusesBadOptions(t *testing.T) {
	c := &Call{Rate: 8000, PCM: make([]int16, 8000)}
	for _, c2 := range []struct {
		o    Options
		want string
	}{
		{Options{Width: 100}, "size 100x720 pixels is out of range"},
		{Options{Height: 9000}, "size 1200x9000 pixels is out of range"},
		{Options{From: 2 * time.Second}, "from 2s is past the end of the audio (1s)"},
		{Options{From: time.Second / 2, To: time.Second / 4}, "empty time range from 500ms to 250ms"},
		{Options{From: -time.Second}, "empty time range"},
	} {
		err := Check(c, c2.o)
		require.Error(t, err)
		assert.Contains(t, err.Error(), c2.want)
		assert.Error(t, Write(&bytes.Buffer{}, c, c2.o))
	}
	require.NoError(t, Check(c, Options{From: time.Second / 2, To: 5 * time.Second}))
	assert.Error(t, Write(&bytes.Buffer{}, c, Options{Format: Format(9)}))
}

func TestHeadingCountsWhatIsShown(t *testing.T) {
	c := &Call{Rate: 8000,
		Keys: []dtmf.Event{{Digit: dtmf.Digit5, Kind: dtmf.KeyUp, Start: 8000, End: 8800}, {Digit: dtmf.Digit8, Kind: dtmf.KeyUp, Start: 24000, End: 24800}},
		Decisions: []decoder.Decision{{Rule: decoder.Accepted, Start: 8000, End: 8800}, {Rule: decoder.RuleSidebands, Start: 16000, End: 16400},
			{Rule: decoder.Accepted, Start: 24000, End: 24800}}}
	assert.Equal(t, `call.wav: keys "58", 1 candidate refused`, heading("call.wav", c, 0, 4))
	assert.Equal(t, `keys "5", 0 candidates refused`, heading("", c, 0.5, 1.5))
	assert.Equal(t, `keys "8", 1 candidate refused`, heading("", c, 2.01, 3.5))
}
