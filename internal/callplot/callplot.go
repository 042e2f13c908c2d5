// Package callplot draws a picture of a call for dtmfwav plot: a
// spectrogram of the telephone band (0-4 kHz, log magnitude, the eight
// DTMF frequencies of ITU-T Q.23 marked and labelled on its frequency
// axis), the signal's level over time under it, and the receiver's
// decisions on the same time axis: each key reported as a labelled span
// from its onset to its end with its confirmation instant marked, each
// candidate it refused as an outlined span named by the rule that refused
// it ([decoder.Rule]). It draws with gonum.org/v1/plot, as PNG or SVG.
package callplot

import (
	"fmt"
	"image"
	"image/color"
	"io"
	"math"
	"strconv"
	"time"

	"gonum.org/v1/gonum/dsp/fourier"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/palette/moreland"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
	"gonum.org/v1/plot/vg/vgsvg"

	"github.com/dtmfkit/dtmfkit/dtmf"
	"github.com/dtmfkit/dtmfkit/dtmf/decoder"
	"github.com/dtmfkit/dtmfkit/dtmf/encoder"
)

// Call is a recording and what the receiver made of it.
type Call struct {
	Rate      dtmf.SampleRate
	PCM       []int16
	Keys      []dtmf.Event       // the KeyUp events: each key with its onset, end and confirmation
	Decisions []decoder.Decision // every candidate's verdict, accepted and refused
}

// Decode runs a receiver configured by cfg (its SampleRate is pcm's) over
// pcm and returns the call with its keys and decisions.
func Decode(pcm []int16, cfg decoder.Config) (*Call, error) {
	d, err := decoder.New(cfg)
	if err != nil {
		return nil, err
	}
	c := &Call{Rate: d.Config().SampleRate, PCM: pcm}
	d.SetExplain(func(x decoder.Decision) { c.Decisions = append(c.Decisions, x) })
	events := d.Flush(d.Decode(nil, pcm))
	for _, e := range events {
		if e.Kind == dtmf.KeyUp {
			c.Keys = append(c.Keys, e)
		}
	}
	return c, nil
}

// Format is the picture's file format.
type Format uint8

const (
	PNG Format = iota
	SVG
)

// Options are what Write draws and how large.
type Options struct {
	// From and To bound the time shown; To 0 means the end of the call.
	From, To time.Duration
	// Width and Height are the picture's size in pixels (for SVG, CSS
	// pixels: 0.75 pt each). Defaults 1200 and 720; each 300 to 8000.
	Width, Height int
	Format        Format
	// Title heads the picture (a file name, say); the keys found follow it.
	Title string
}

// Limits of Options.
const (
	DefaultWidth  = 1200
	DefaultHeight = 720
	MinSize       = 300
	MaxSize       = 8000
)

// Check reports whether o can draw c: an error names a size out of range
// or a time range outside the audio.
func Check(c *Call, o Options) error {
	_, _, err := o.bounds(c)
	return err
}

// bounds fills in o's defaults and returns the time range it shows, in
// seconds.
func (o *Options) bounds(c *Call) (from, to float64, err error) {
	if o.Width == 0 {
		o.Width = DefaultWidth
	}
	if o.Height == 0 {
		o.Height = DefaultHeight
	}
	if o.Width < MinSize || o.Width > MaxSize || o.Height < MinSize || o.Height > MaxSize {
		return 0, 0, fmt.Errorf("callplot: size %dx%d pixels is out of range (each %d to %d)", o.Width, o.Height, MinSize, MaxSize)
	}
	total := float64(len(c.PCM)) / float64(c.Rate)
	from, to = o.From.Seconds(), o.To.Seconds()
	switch {
	case from < 0 || o.To < 0 || (o.To != 0 && to <= from):
		return 0, 0, fmt.Errorf("callplot: empty time range from %v to %v", o.From, o.To)
	case from >= total:
		return 0, 0, fmt.Errorf("callplot: from %v is past the end of the audio (%v)", o.From, durationOf(total))
	}
	if o.To == 0 {
		to = total
	}
	return from, min(to, total), nil
}

// Write draws c as o says and writes the picture to w.
func Write(w io.Writer, c *Call, o Options) error {
	from, to, err := o.bounds(c)
	if err != nil {
		return err
	}
	rate := float64(c.Rate)

	// Points: at 96 dpi a pixel is 0.75 pt.
	const ptPerPx = 0.75
	width, height := vg.Length(float64(o.Width)*ptPerPx), vg.Length(float64(o.Height)*ptPerPx)
	a, b := int(math.Floor(from*rate)), int(math.Ceil(to*rate))
	cols := max(1, min(o.Width, (b-a)/max(1, windowLen(c.Rate)/4)))
	sg := newSpectrogram(c.PCM, c.Rate, a, b, cols)

	spec, err := spectrumPlot(sg, from, to, o.Title, c)
	if err != nil {
		return err
	}
	level := levelPlot(sg, from, to)
	keys := decisionPlot(c, from, to)

	var cv vg.CanvasWriterTo
	switch o.Format {
	case PNG:
		img := image.NewRGBA(image.Rect(0, 0, o.Width, o.Height))
		cv = vgimg.PngCanvas{Canvas: vgimg.NewWith(vgimg.UseImage(img), vgimg.UseDPI(96))}
	case SVG:
		cv = vgsvg.New(width, height)
	default:
		return fmt.Errorf("callplot: unknown format %d", o.Format)
	}
	dc := draw.New(cv)
	drawStacked(dc, []*plot.Plot{spec, level, keys}, []float64{0.58, 0.17, 0.25})
	_, err = cv.WriteTo(w)
	return err
}

func durationOf(s float64) time.Duration {
	return time.Duration(s * float64(time.Second)).Round(time.Millisecond)
}

// drawStacked draws the plots one above the other, in the given shares of
// the canvas's height, with their data areas aligned left and right.
func drawStacked(dc draw.Canvas, plots []*plot.Plot, shares []float64) {
	h := dc.Max.Y - dc.Min.Y
	top := dc.Max.Y
	canvases := make([]draw.Canvas, len(plots))
	var left, right vg.Length
	for i, p := range plots {
		c := dc
		c.Max.Y = top
		c.Min.Y = top - vg.Length(shares[i])*h
		top = c.Min.Y
		canvases[i] = c
		da := p.DataCanvas(c)
		left = max(left, da.Min.X-c.Min.X)
		right = max(right, c.Max.X-da.Max.X)
	}
	for i, p := range plots {
		c := canvases[i]
		da := p.DataCanvas(c)
		p.Draw(draw.Crop(c, left-(da.Min.X-c.Min.X), (c.Max.X-da.Max.X)-right, 0, 0))
	}
}

// The frequency axis magnifies the DTMF band: 0-600 Hz takes the lowest
// 12 % of the height, 600-1700 Hz the next 66 %, 1700-4000 Hz the rest,
// so that the rows' labels, 73 Hz apart, do not collide.
var freqKnots = [...][2]float64{{0, 0}, {600, 0.12}, {1700, 0.78}, {4000, 1}}

// freqPos maps a frequency to the axis position, 0 to 1.
func freqPos(f float64) float64 {
	for i := 1; i < len(freqKnots); i++ {
		lo, hi := freqKnots[i-1], freqKnots[i]
		if f <= hi[0] || i == len(freqKnots)-1 {
			return lo[1] + (hi[1]-lo[1])*(f-lo[0])/(hi[0]-lo[0])
		}
	}
	return 1
}

// posFreq is freqPos's inverse.
func posFreq(u float64) float64 {
	for i := 1; i < len(freqKnots); i++ {
		lo, hi := freqKnots[i-1], freqKnots[i]
		if u <= hi[1] || i == len(freqKnots)-1 {
			return lo[0] + (hi[0]-lo[0])*(u-lo[1])/(hi[1]-lo[1])
		}
	}
	return freqKnots[len(freqKnots)-1][0]
}

// spectrumRange is the span of the colour scale, dB relative to a 0 dBm0
// sine in a bin.
const spectrumFloor, spectrumTop = -80.0, 0.0

func spectrumPlot(sg *spectrogram, from, to float64, title string, c *Call) (*plot.Plot, error) {
	const rows = 400
	img := image.NewRGBA(image.Rect(0, 0, len(sg.power), rows))
	cmap := moreland.BlackBody()
	cmap.SetMin(spectrumFloor)
	cmap.SetMax(spectrumTop)
	binHz := float64(sg.rate) / float64(sg.n)
	for y := range rows {
		u := 1 - (float64(y)+0.5)/rows // image rows run top down
		bin := int(math.Round(posFreq(u) / binHz))
		for x, col := range sg.power {
			v := spectrumFloor
			if bin < len(col) && col[bin] > 0 {
				v = max(spectrumFloor, min(spectrumTop, 10*math.Log10(col[bin]/sg.ref)))
			}
			clr, err := cmap.At(v)
			if err != nil {
				return nil, err
			}
			img.Set(x, y, clr)
		}
	}
	p := plot.New()
	p.Title.Text = heading(title, c, from, to)
	p.Add(plotter.NewImage(img, from, 0, to, 1))
	p.X.Min, p.X.Max = from, to
	p.Y.Min, p.Y.Max = 0, 1
	p.X.Tick.Marker = timeTicks{}
	p.Y.Label.Text = "Hz"
	var ticks []plot.Tick
	for _, f := range []float64{0, 300} {
		ticks = append(ticks, plot.Tick{Value: freqPos(f), Label: strconv.Itoa(int(f))})
	}
	for _, f := range dtmf.LowFreqs {
		ticks = append(ticks, plot.Tick{Value: freqPos(f), Label: strconv.Itoa(int(f))})
	}
	for _, f := range dtmf.HighFreqs {
		ticks = append(ticks, plot.Tick{Value: freqPos(f), Label: strconv.Itoa(int(f))})
	}
	for _, f := range []float64{2000, 3000, 4000} {
		ticks = append(ticks, plot.Tick{Value: freqPos(f), Label: strconv.Itoa(int(f))})
	}
	p.Y.Tick.Marker = plot.ConstantTicks(ticks)
	p.Y.Tick.Label.Font.Size = vg.Points(8)
	// The DTMF frequencies, marked across the picture's edges.
	p.Add(dtmfMarks{})
	return p, nil
}

// heading is the title with the keys found and the candidates refused
// that the picture shows: those that overlap from to to (seconds).
func heading(title string, c *Call, from, to float64) string {
	rate := float64(c.Rate)
	shown := func(start, end int64) bool { return float64(end)/rate > from && float64(start)/rate < to }
	keys := make([]byte, 0, len(c.Keys))
	for _, k := range c.Keys {
		if shown(k.Start, k.End) {
			keys = append(keys, k.Digit.String()...)
		}
	}
	refused := 0
	for _, x := range c.Decisions {
		if x.Rule != decoder.Accepted && shown(x.Start, x.End) {
			refused++
		}
	}
	noun := "candidates"
	if refused == 1 {
		noun = "candidate"
	}
	s := fmt.Sprintf("keys %q, %d %s refused", keys, refused, noun)
	if title != "" {
		s = title + ": " + s
	}
	return s
}

// dtmfMarks draws short ticks at the DTMF frequencies on both edges of the
// spectrogram, over the image.
type dtmfMarks struct{}

func (dtmfMarks) Plot(c draw.Canvas, p *plot.Plot) {
	_, trY := p.Transforms(&c)
	sty := draw.LineStyle{Color: color.RGBA{R: 0x40, G: 0xc0, B: 0xff, A: 0xff}, Width: vg.Points(1.2)}
	mark := vg.Points(8)
	for _, fs := range [][4]float64{dtmf.LowFreqs, dtmf.HighFreqs} {
		for _, f := range fs {
			y := trY(freqPos(f))
			c.StrokeLine2(sty, c.Min.X, y, c.Min.X+mark, y)
			c.StrokeLine2(sty, c.Max.X-mark, y, c.Max.X, y)
		}
	}
}

// timeTicks labels about ten ticks a panel across at steps of 1, 2 or 5
// times a power of ten seconds, with a minor tick between labels.
type timeTicks struct{ labels bool }

func (tt timeTicks) Ticks(lo, hi float64) []plot.Tick {
	step := math.Pow(10, math.Floor(math.Log10((hi-lo)/10)))
	for _, m := range []float64{1, 2, 5, 10} {
		if (hi-lo)/(m*step) <= 12 {
			step *= m
			break
		}
	}
	prec := max(0, int(-math.Floor(math.Log10(step))))
	var ts []plot.Tick
	for i := math.Ceil(lo / step * 2); i*step/2 <= hi+1e-9; i++ {
		v := i * step / 2
		t := plot.Tick{Value: v}
		if int(i)%2 == 0 && tt.labels {
			t.Label = strconv.FormatFloat(v, 'f', prec, 64)
		}
		ts = append(ts, t)
	}
	return ts
}

func levelPlot(sg *spectrogram, from, to float64) *plot.Plot {
	p := plot.New()
	pts := make(plotter.XYs, len(sg.level))
	span := (to - from) / float64(len(sg.level))
	for i, v := range sg.level {
		pts[i].X = from + (float64(i)+0.5)*span
		pts[i].Y = max(levelFloor, v)
	}
	line, err := plotter.NewLine(pts)
	if err == nil { // only NaN or Inf would fail, and there are none
		line.Color = color.RGBA{R: 0x20, G: 0x50, B: 0xa0, A: 0xff}
		p.Add(line)
	}
	p.X.Min, p.X.Max = from, to
	p.Y.Min, p.Y.Max = levelFloor, 0
	p.X.Tick.Marker = timeTicks{}
	p.Y.Label.Text = "dBm0"
	p.Add(plotter.NewGrid())
	return p
}

// levelFloor is the bottom of the level panel, dBm0.
const levelFloor = -70.0

// Colours of the decision panel.
var (
	keyFill     = color.RGBA{R: 0x3c, G: 0xb0, B: 0x4a, A: 0xff}
	refusedLine = color.RGBA{R: 0xd0, G: 0x30, B: 0x20, A: 0xff}
	confirmLine = color.RGBA{A: 0xff}
)

func decisionPlot(c *Call, from, to float64) *plot.Plot {
	p := plot.New()
	p.Add(decisions{c: c})
	p.X.Min, p.X.Max = from, to
	p.Y.Min, p.Y.Max = 0, 2
	p.X.Label.Text = "time (s)"
	p.X.Tick.Marker = timeTicks{labels: true}
	p.Y.Tick.Marker = plot.ConstantTicks{{Value: 0.5, Label: "refused"}, {Value: 1.5, Label: "keys"}}
	return p
}

// decisions draws the keys in the upper lane, as filled spans from onset
// to end with the key's name and a line at the instant it was confirmed,
// and the refused candidates in the lower lane, as outlined spans named
// "key: rule". A label is left out where it would overlap the one before.
type decisions struct{ c *Call }

func (d decisions) Plot(c draw.Canvas, p *plot.Plot) {
	trX, trY := p.Transforms(&c)
	rate := float64(d.c.Rate)
	sty := draw.TextStyle{Color: color.Black, Font: p.Y.Tick.Label.Font, Handler: p.Y.Tick.Label.Handler, XAlign: draw.XCenter, YAlign: draw.YCenter}
	sty.Font.Size = vg.Points(9)
	lane := func(x0, x1 float64, y0, y1 float64) (vg.Rectangle, bool) {
		if x1 < p.X.Min || x0 > p.X.Max {
			return vg.Rectangle{}, false
		}
		x0, x1 = max(x0, p.X.Min), min(x1, p.X.Max)
		r := vg.Rectangle{Min: vg.Point{X: trX(x0), Y: trY(y0)}, Max: vg.Point{X: trX(x1), Y: trY(y1)}}
		if r.Max.X-r.Min.X < vg.Points(1) {
			r.Max.X = r.Min.X + vg.Points(1)
		}
		return r, true
	}
	label := func(r vg.Rectangle, txt string, last *vg.Length, y vg.Length) {
		w := sty.Width(txt)
		x := (r.Min.X + r.Max.X) / 2
		if x-w/2 < *last+vg.Points(2) {
			return
		}
		c.FillText(sty, vg.Point{X: x, Y: y}, txt)
		*last = x + w/2
	}
	lastKey, lastRefused := vg.Length(math.Inf(-1)), vg.Length(math.Inf(-1))
	for _, k := range d.c.Keys {
		r, ok := lane(float64(k.Start)/rate, float64(k.End)/rate, 1.1, 1.6)
		if !ok {
			continue
		}
		c.FillPolygon(keyFill, rectPoints(r))
		if t := float64(k.Detected) / rate; t >= p.X.Min && t <= p.X.Max {
			x := trX(t)
			c.StrokeLine2(draw.LineStyle{Color: confirmLine, Width: vg.Points(1.5)}, x, trY(1.05), x, trY(1.65))
		}
		label(r, k.Digit.String(), &lastKey, trY(1.8))
	}
	outline := draw.LineStyle{Color: refusedLine, Width: vg.Points(1), Dashes: []vg.Length{vg.Points(3), vg.Points(2)}}
	for _, x := range d.c.Decisions {
		if x.Rule == decoder.Accepted {
			continue
		}
		r, ok := lane(float64(x.Start)/rate, float64(x.End)/rate, 0.1, 0.6)
		if !ok {
			continue
		}
		pts := rectPoints(r)
		c.StrokeLines(outline, append(pts, pts[0]))
		label(r, x.Key.String()+": "+x.Rule.String(), &lastRefused, trY(0.8))
	}
}

func rectPoints(r vg.Rectangle) []vg.Point {
	return []vg.Point{r.Min, {X: r.Max.X, Y: r.Min.Y}, r.Max, {X: r.Min.X, Y: r.Max.Y}}
}

// spectrogram holds, per column of the picture, the power in each FFT bin
// up to 4 kHz and the signal's level, each the largest over the analysis
// windows within the column: a long call is downsampled to the picture's
// width without losing a short key.
type spectrogram struct {
	rate  dtmf.SampleRate
	n     int         // window length (about 32 ms)
	ref   float64     // the power of a 0 dBm0 sine in its bin
	power [][]float64 // [column][bin]
	level []float64   // dBm0 per column
}

// windowLen is the analysis window: 32 ms, 256 samples at 8 kHz.
func windowLen(rate dtmf.SampleRate) int { return max(16, int(math.Round(float64(rate)*0.032))) }

// peak0 is the peak of a 0 dBm0 sine in 16-bit samples.
var peak0 = encoder.Peak(0)

func newSpectrogram(pcm []int16, rate dtmf.SampleRate, a, b, cols int) *spectrogram {
	n := windowLen(rate)
	fft := fourier.NewFFT(n)
	win := make([]float64, n)
	var wsum float64
	for i := range win {
		win[i] = 0.5 - 0.5*math.Cos(2*math.Pi*(float64(i)+0.5)/float64(n))
		wsum += win[i]
	}
	bins := min(n/2+1, int(4000*float64(n)/float64(rate))+2)
	sg := &spectrogram{rate: rate, n: n, power: make([][]float64, cols), level: make([]float64, cols)}
	amp := peak0 * wsum / 2
	sg.ref = amp * amp
	x := make([]float64, n)
	coeff := make([]complex128, n/2+1)
	span := float64(b-a) / float64(cols)
	for j := range cols {
		col := make([]float64, bins)
		lo, hi := float64(a)+float64(j)*span, float64(a)+float64(j+1)*span
		count := max(1, int(math.Ceil((hi-lo)/float64(n/2))))
		var loud float64
		for w := range count {
			centre := lo + (hi-lo)*(float64(w)+0.5)/float64(count)
			start := int(math.Round(centre)) - n/2
			var ms float64
			for i := range x {
				v := 0.0
				if k := start + i; k >= 0 && k < len(pcm) {
					v = float64(pcm[k])
				}
				ms += v * v
				x[i] = v * win[i]
			}
			loud = max(loud, ms/float64(n))
			fft.Coefficients(coeff, x)
			for k := range col {
				p := real(coeff[k])*real(coeff[k]) + imag(coeff[k])*imag(coeff[k])
				col[k] = max(col[k], p)
			}
		}
		sg.power[j] = col
		sg.level[j] = levelFloor
		if loud > 0 {
			sg.level[j] = 10 * math.Log10(loud/(peak0*peak0/2))
		}
	}
	return sg
}
