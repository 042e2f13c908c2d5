package main

import (
	"encoding/binary"
	"encoding/xml"
	"image/png"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/dtmfkit/dtmfkit/internal/dtmftest"
)

func TestPlotWritesPictureOfRequestedSize(t *testing.T) {
	dir := t.TempDir()
	for _, in := range genFormats {
		for _, rate := range []string{"8000", "44100"} {
			audio := filepath.Join(dir, in.format+rate)
			_, stderr, code := cli(t, nil, "gen", "-rate", rate, "-format", in.format, "-o", audio, "159#")
			require.Zero(t, code, stderr)
			for _, size := range [][2]string{{"640", "400"}, {"1201", "777"}} {
				name := in.format + rate + "-" + size[0]
				args := append([]string{"plot", "-rate", rate, "-width", size[0], "-height", size[1]}, in.decode...)

				pngPath := filepath.Join(dir, name+".png")
				_, stderr, code = cli(t, nil, append(args, audio, "-o", pngPath)...)
				require.Zero(t, code, stderr)
				f, err := os.Open(pngPath)
				require.NoError(t, err)
				img, err := png.Decode(f)
				f.Close()
				require.NoError(t, err, name)
				assert.Equal(t, size[0]+"x"+size[1], itoa(img.Bounds().Dx())+"x"+itoa(img.Bounds().Dy()), name)

				svgPath := filepath.Join(dir, name+".svg")
				_, stderr, code = cli(t, nil, append(args, audio, "-o", svgPath)...)
				require.Zero(t, code, stderr)
				w, h := svgSize(t, svgPath)
				assert.InDelta(t, atof(t, size[0])*0.75, w, 0.01, name)
				assert.InDelta(t, atof(t, size[1])*0.75, h, 0.01, name)
			}
		}
	}
}

func TestPlotZoomAndChannel(t *testing.T) {
	dir := t.TempDir()
	audio := filepath.Join(dir, "keys.wav")
	_, stderr, code := cli(t, nil, "gen", "-o", audio, "-lead", "1s", "123")
	require.Zero(t, code, stderr)
	out := filepath.Join(dir, "zoom.png")
	_, stderr, code = cli(t, nil, "plot", "-from", "1s", "-to", "1200ms", audio, "-o", out)
	require.Zero(t, code, stderr)
	_, err := os.Stat(out)
	require.NoError(t, err)
	// The right channel of a stereo file whose left one is silent: key 5
	// (770 and 1336 Hz, 100 ms at 8 kHz) as one decoded by decode.
	sig := dtmftest.NewSignal(8000, 2400)
	sig.AddPress(dtmftest.Press{Key: '5', LowLevel: -10, HighLevel: -10, Start: 800, Len: 800})
	var data []byte
	for _, v := range sig.Int16() {
		data = binary.LittleEndian.AppendUint16(binary.LittleEndian.AppendUint16(data, 0), uint16(v))
	}
	stereo := filepath.Join(dir, "stereo.wav")
	require.NoError(t, os.WriteFile(stereo, wavFile(1, 2, 8000, 4, 16, uint32(len(data)), data), 0o644))
	for _, ch := range []string{"1", "2"} {
		out := filepath.Join(dir, "ch"+ch+".svg")
		_, stderr, code = cli(t, nil, "plot", "-channel", ch, stereo, "-o", out)
		require.Zero(t, code, stderr)
		svg, err := os.ReadFile(out)
		require.NoError(t, err)
		// The title names the keys found.
		assert.Equal(t, ch == "2", strings.Contains(string(svg), "keys &#34;5&#34;"), "channel %s", ch)
	}
}

func TestPlotRefusesBadFlagsAndInput(t *testing.T) {
	dir := t.TempDir()
	audio := filepath.Join(dir, "keys.wav")
	_, stderr, code := cli(t, nil, "gen", "-o", audio, "5")
	require.Zero(t, code, stderr)
	garbage := filepath.Join(dir, "garbage.wav")
	require.NoError(t, os.WriteFile(garbage, []byte("this is not a RIFF file at all"), 0o644))
	empty := filepath.Join(dir, "empty.raw")
	require.NoError(t, os.WriteFile(empty, nil, 0o644))
	out := filepath.Join(dir, "out.png")
	for _, c := range []struct {
		args []string
		code int
		msg  string
	}{
		{[]string{audio}, 2, "plot: -o FILE is required"},
		{[]string{audio, "-o", filepath.Join(dir, "x.jpg")}, 2, "want a .png or .svg file name"},
		{[]string{audio, "-o", out, "-width", "10"}, 2, "width 10 pixels is outside 300-8000"},
		{[]string{audio, "-o", out, "-height", "90000"}, 2, "height 90000 pixels is outside 300-8000"},
		{[]string{audio, "-o", out, "-from", "-1s"}, 2, "-from -1s is negative"},
		{[]string{audio, "-o", out, "-from", "2s", "-to", "1s"}, 2, "-to 1s is not after -from 2s"},
		{[]string{audio, "-o", out, "-from", "5m"}, 1, "past the end of the audio"},
		{[]string{audio, "-o", out, "-from", "soon"}, 2, "invalid value \"soon\" for flag -from"},
		{[]string{audio, "-o", out, "-bogus"}, 2, "flag provided but not defined: -bogus"},
		{[]string{audio, audio, "-o", out}, 2, "want at most one FILE argument, got 2"},
		{[]string{audio, "-o", out, "-encoding", "ulaw"}, 2, "-encoding goes with -raw"},
		{[]string{"-raw", "-encoding", "mp3", empty, "-o", out}, 2, "mp3"},
		{[]string{"-raw", "-rate", "4000", empty, "-o", out}, 2, "4000 Hz is outside"},
		{[]string{"-profile", "loose", audio, "-o", out}, 2, "unknown profile \"loose\""},
		{[]string{garbage, "-o", out}, 1, "garbage.wav: "},
		{[]string{"-raw", empty, "-o", out}, 1, "no audio to plot"},
		{[]string{filepath.Join(dir, "missing.wav"), "-o", out}, 1, "no such file"},
		{[]string{dir, "-o", out}, 1, "is a directory"},
	} {
		stdout, stderr, code := cli(t, nil, append([]string{"plot"}, c.args...)...)
		assert.Equal(t, c.code, code, "%v: %s", c.args, stderr)
		assert.Empty(t, stdout, "%v", c.args)
		assert.Contains(t, stderr, c.msg, "%v", c.args)
		assert.True(t, strings.HasPrefix(stderr, "dtmfwav: ") && strings.Count(stderr, "\n") == 1, "one line: %q", stderr)
		_, err := os.Stat(out)
		assert.True(t, os.IsNotExist(err), "%v left %s", c.args, out)
	}
}

// svgSize returns the width and height, in points, of the SVG file at path.
func svgSize(t *testing.T, path string) (w, h float64) {
	t.Helper()
	f, err := os.Open(path)
	require.NoError(t, err)
	defer f.Close()
	var root struct {
		XMLName xml.Name
		Width   string `xml:"width,attr"`
		Height  string `xml:"height,attr"`
	}
	require.NoError(t, xml.NewDecoder(f).Decode(&root))
	require.Equal(t, "svg", root.XMLName.Local)
	return atof(t, strings.TrimSuffix(root.Width, "pt")), atof(t, strings.TrimSuffix(root.Height, "pt"))
}

func itoa(n int) string { return strconv.Itoa(n) }

func atof(t *testing.T, s string) float64 {
	t.Helper()
	v, err := strconv.ParseFloat(s, 64)
	require.NoError(t, err)
	return v
}
