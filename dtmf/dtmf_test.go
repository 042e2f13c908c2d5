package dtmf_test

import (
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/dtmfkit/dtmfkit/dtmf"
)

// The cross-API table from ../shared/reference/api-wire-formats.md §0:
// Graph CSDL tone enum, ACS Tone enum, RFC 4733 §3 event codes, Q.23 Hz.
var table = []struct {
	key       dtmf.Digit
	graph     string
	acs       string
	event     uint8
	low, high float64
}{
	{dtmf.Digit0, "tone0", "zero", 0, 941, 1336},
	{dtmf.Digit1, "tone1", "one", 1, 697, 1209},
	{dtmf.Digit2, "tone2", "two", 2, 697, 1336},
	{dtmf.Digit3, "tone3", "three", 3, 697, 1477},
	{dtmf.Digit4, "tone4", "four", 4, 770, 1209},
	{dtmf.Digit5, "tone5", "five", 5, 770, 1336},
	{dtmf.Digit6, "tone6", "six", 6, 770, 1477},
	{dtmf.Digit7, "tone7", "seven", 7, 852, 1209},
	{dtmf.Digit8, "tone8", "eight", 8, 852, 1336},
	{dtmf.Digit9, "tone9", "nine", 9, 852, 1477},
	{dtmf.DigitStar, "star", "asterisk", 10, 941, 1209},
	{dtmf.DigitPound, "pound", "pound", 11, 941, 1477},
	{dtmf.DigitA, "a", "a", 12, 697, 1633},
	{dtmf.DigitB, "b", "b", 13, 770, 1633},
	{dtmf.DigitC, "c", "c", 14, 852, 1633},
	{dtmf.DigitD, "d", "d", 15, 941, 1633},
}

func TestKeyTable(t *testing.T) {
	require.Len(t, table, len(dtmf.Digits))
	for _, tt := range table {
		assert.True(t, tt.key.IsKey())
		low, high, ok := tt.key.Freqs()
		require.True(t, ok)
		assert.Equal(t, [2]float64{tt.low, tt.high}, [2]float64{low, high}, "%v", tt.key)
		row, col, ok := tt.key.Position()
		require.True(t, ok)
		assert.Equal(t, tt.key, dtmf.Grid[row][col])
		assert.Equal(t, string(rune(tt.key)), tt.key.String())

		for _, n := range []struct {
			dl   dtmf.Dialect
			name string
		}{{dtmf.Graph, tt.graph}, {dtmf.ACS, tt.acs}, {dtmf.Keypad, tt.key.String()}} {
			got, err := tt.key.Name(n.dl)
			require.NoError(t, err)
			assert.Equal(t, n.name, got, "%v in %v", tt.key, n.dl)
			back, err := dtmf.ParseName(n.dl, n.name)
			require.NoError(t, err)
			assert.Equal(t, tt.key, back)
		}
		code, ok := tt.key.Event()
		require.True(t, ok)
		assert.Equal(t, tt.event, code)
		back, err := dtmf.DigitForEvent(code)
		require.NoError(t, err)
		assert.Equal(t, tt.key, back)
	}
	// Digits lists every key once, row by row.
	seen := map[dtmf.Digit]bool{}
	for i, d := range dtmf.Digits {
		assert.Equal(t, dtmf.Grid[i/4][i%4], d)
		seen[d] = true
	}
	assert.Len(t, seen, 16)
}

func TestFlash(t *testing.T) {
	assert.False(t, dtmf.Flash.IsKey())
	_, _, ok := dtmf.Flash.Freqs()
	assert.False(t, ok, "flash has no tone pair")
	assert.Equal(t, "flash", dtmf.Flash.String())

	name, err := dtmf.Flash.Name(dtmf.Graph)
	require.NoError(t, err)
	assert.Equal(t, "flash", name)
	d, err := dtmf.ParseName(dtmf.Graph, "flash")
	require.NoError(t, err)
	assert.Equal(t, dtmf.Flash, d)

	code, ok := dtmf.Flash.Event()
	assert.True(t, ok)
	assert.EqualValues(t, 16, code)
	d, err = dtmf.DigitForEvent(16)
	require.NoError(t, err)
	assert.Equal(t, dtmf.Flash, d)

	_, err = dtmf.Flash.Name(dtmf.ACS)
	assert.EqualError(t, err, `dtmf: unknown ACS tone "flash"`, "ACS has no flash")
	_, err = dtmf.Flash.Name(dtmf.Keypad)
	assert.Error(t, err)
}

func TestParseIgnoresCase(t *testing.T) {
	for _, tt := range []struct {
		dl   dtmf.Dialect
		name string
		want dtmf.Digit
	}{
		{dtmf.Graph, "Tone7", dtmf.Digit7}, {dtmf.Graph, "POUND", dtmf.DigitPound}, {dtmf.Graph, "B", dtmf.DigitB},
		{dtmf.ACS, "Asterisk", dtmf.DigitStar}, {dtmf.ACS, "NINE", dtmf.Digit9},
		{dtmf.Keypad, "c", dtmf.DigitC}, {dtmf.RFC4733, "12", dtmf.DigitA}, {dtmf.RFC4733, "011", dtmf.DigitPound},
	} {
		got, err := dtmf.ParseName(tt.dl, tt.name)
		require.NoError(t, err, "%v %q", tt.dl, tt.name)
		assert.Equal(t, tt.want, got)
	}
}

func TestUnknownNamesAreTypedErrors(t *testing.T) {
	tests := []struct {
		dl   dtmf.Dialect
		name string
		msg  string
	}{
		{dtmf.Graph, "tone12", `dtmf: unknown Graph tone "tone12"`},
		{dtmf.Graph, "", `dtmf: unknown Graph tone ""`},
		{dtmf.Graph, "zero", `dtmf: unknown Graph tone "zero"`},
		{dtmf.ACS, "tone1", `dtmf: unknown ACS tone "tone1"`},
		{dtmf.ACS, "flash", `dtmf: unknown ACS tone "flash"`},
		{dtmf.ACS, "star", `dtmf: unknown ACS tone "star"`},
		{dtmf.Keypad, "E", `dtmf: unknown keypad character "E"`},
		{dtmf.Keypad, "12", `dtmf: unknown keypad character "12"`},
		{dtmf.RFC4733, "17", `dtmf: unknown RFC 4733 event "17"`},
		{dtmf.RFC4733, "-1", `dtmf: unknown RFC 4733 event "-1"`},
		{dtmf.Dialect(9), "x", `dtmf: unknown Dialect(9) "x"`},
	}
	for _, tt := range tests {
		_, err := dtmf.ParseName(tt.dl, tt.name)
		require.EqualError(t, err, tt.msg)
		var ne *dtmf.NameError
		require.True(t, errors.As(err, &ne))
		assert.Equal(t, tt.name, ne.Name)
		assert.Equal(t, tt.dl, ne.Dialect)
	}
	_, err := dtmf.DigitForEvent(200)
	assert.EqualError(t, err, `dtmf: unknown RFC 4733 event "200"`)
	_, err = dtmf.Digit('x').Name(dtmf.Graph)
	assert.EqualError(t, err, `dtmf: unknown Graph tone "Digit(0x78)"`)
}

func TestParseDigits(t *testing.T) {
	got, err := dtmf.AppendDigits(nil, "0123456789*#abcdABCD")
	require.NoError(t, err)
	assert.Equal(t, "0123456789*#ABCDABCD", dtmf.FormatDigits(got))

	dst := []dtmf.Digit{dtmf.Digit1}
	dst, err = dtmf.AppendDigits(dst, "23x5")
	var ne *dtmf.NameError
	require.ErrorAs(t, err, &ne)
	assert.Equal(t, 2, ne.Index)
	assert.Equal(t, "x", ne.Name)
	assert.Equal(t, []dtmf.Digit{dtmf.Digit1}, dst, "dst unchanged on error")

	for _, c := range "eE!/ \x00é" {
		_, err := dtmf.ParseDigit(c)
		assert.Error(t, err, "%q", c)
	}
}

func TestSampleRate(t *testing.T) {
	r := dtmf.SampleRate(8000)
	assert.Equal(t, int64(800), r.N(100*time.Millisecond))
	assert.Equal(t, 100*time.Millisecond, r.D(800))
	assert.Equal(t, int64(-800), r.N(-100*time.Millisecond))
	assert.Equal(t, 125*time.Microsecond, r.D(1))
	assert.InDelta(t, 12.5, r.Millis(100), 1e-12)
	assert.Equal(t, "8000 Hz", r.String())
	// A day of 48 kHz audio does not overflow.
	day := dtmf.SampleRate(48000)
	assert.Equal(t, 24*time.Hour, day.D(day.N(24*time.Hour)))
}

func TestEvent(t *testing.T) {
	up := dtmf.Event{Digit: dtmf.Digit5, Kind: dtmf.KeyUp, Start: 100, Detected: 340, End: 900}
	assert.EqualValues(t, 800, up.Duration())
	down := up
	down.Kind, down.End = dtmf.KeyDown, 0
	assert.Zero(t, down.Duration())
	assert.Equal(t, "down", dtmf.KeyDown.String())
	assert.Equal(t, "up", dtmf.KeyUp.String())
	assert.Equal(t, "EventKind(7)", dtmf.EventKind(7).String())
}
