package dtmf

import (
	"strconv"
	"strings"
)

// Digit is a DTMF key, stored as its keypad character: '0'-'9', '*', '#' or
// 'A'-'D'. [Flash] is also a Digit, for the signalling tables, but it has no
// tone pair. The zero value is not a valid Digit.
type Digit byte

// The sixteen keys, and Flash.
const (
	Digit0     Digit = '0'
	Digit1     Digit = '1'
	Digit2     Digit = '2'
	Digit3     Digit = '3'
	Digit4     Digit = '4'
	Digit5     Digit = '5'
	Digit6     Digit = '6'
	Digit7     Digit = '7'
	Digit8     Digit = '8'
	Digit9     Digit = '9'
	DigitStar  Digit = '*'
	DigitPound Digit = '#'
	DigitA     Digit = 'A'
	DigitB     Digit = 'B'
	DigitC     Digit = 'C'
	DigitD     Digit = 'D'

	// Flash is the hook-flash signal (RFC 4733 event 16, Graph "flash"). It
	// has no audio form: it is a switch-hook action, not a tone pair.
	Flash Digit = '!'
)

// LowFreqs are the Q.23 low-group (row) frequencies in Hz, top row first.
var LowFreqs = [4]float64{697, 770, 852, 941}

// HighFreqs are the Q.23 high-group (column) frequencies in Hz, left column first.
var HighFreqs = [4]float64{1209, 1336, 1477, 1633}

// Grid is the key at each row (low group) and column (high group).
var Grid = [4][4]Digit{
	{Digit1, Digit2, Digit3, DigitA},
	{Digit4, Digit5, Digit6, DigitB},
	{Digit7, Digit8, Digit9, DigitC},
	{DigitStar, Digit0, DigitPound, DigitD},
}

// Digits lists the sixteen keys in keypad order (row by row).
var Digits = [16]Digit{
	Digit1, Digit2, Digit3, DigitA,
	Digit4, Digit5, Digit6, DigitB,
	Digit7, Digit8, Digit9, DigitC,
	DigitStar, Digit0, DigitPound, DigitD,
}

// position returns the keypad row and column of d, or ok == false if d is
// not one of the sixteen keys.
func (d Digit) position() (row, col int, ok bool) {
	switch d {
	case Digit1, Digit2, Digit3, DigitA:
		row = 0
	case Digit4, Digit5, Digit6, DigitB:
		row = 1
	case Digit7, Digit8, Digit9, DigitC:
		row = 2
	case DigitStar, Digit0, DigitPound, DigitD:
		row = 3
	default:
		return 0, 0, false
	}
	switch d {
	case Digit1, Digit4, Digit7, DigitStar:
		col = 0
	case Digit2, Digit5, Digit8, Digit0:
		col = 1
	case Digit3, Digit6, Digit9, DigitPound:
		col = 2
	default:
		col = 3
	}
	return row, col, true
}

// IsKey reports whether d is one of the sixteen keys, the ones with a tone pair.
func (d Digit) IsKey() bool {
	_, _, ok := d.position()
	return ok
}

// Position returns the keypad row (index into [LowFreqs]) and column (index
// into [HighFreqs]) of d. ok is false for Flash and for invalid values.
func (d Digit) Position() (row, col int, ok bool) { return d.position() }

// Freqs returns the Q.23 low- and high-group frequencies of d in Hz. ok is
// false for Flash and for invalid values, which have no tone pair.
func (d Digit) Freqs() (low, high float64, ok bool) {
	row, col, ok := d.position()
	if !ok {
		return 0, 0, false
	}
	return LowFreqs[row], HighFreqs[col], true
}

// String returns the keypad character of d ("5", "*", "A"), "flash" for
// Flash, and "Digit(0xNN)" for anything else.
func (d Digit) String() string {
	switch {
	case d.IsKey():
		return string(rune(d))
	case d == Flash:
		return "flash"
	default:
		return "Digit(0x" + strconv.FormatUint(uint64(d), 16) + ")"
	}
}

// ParseDigit returns the key for a keypad character: '0'-'9', '*', '#', or
// 'A'-'D' in either case. Anything else gives a *[NameError].
func ParseDigit(c rune) (Digit, error) {
	if c >= 'a' && c <= 'd' {
		c -= 'a' - 'A'
	}
	if c >= 0 && c < 0x80 {
		if d := Digit(c); d.IsKey() {
			return d, nil
		}
	}
	return 0, &NameError{Dialect: Keypad, Name: string(c)}
}

// AppendDigits parses s as a string of keypad characters (as [ParseDigit])
// and appends the keys to dst. An error is a *[NameError] whose Index says
// where in s the bad character is; dst is then returned unchanged in length.
func AppendDigits(dst []Digit, s string) ([]Digit, error) {
	n := len(dst)
	for i, c := range s {
		d, err := ParseDigit(c)
		if err != nil {
			return dst[:n], &NameError{Dialect: Keypad, Name: string(c), Index: i}
		}
		dst = append(dst, d)
	}
	return dst, nil
}

// FormatDigits returns the keypad characters of ds as one string.
func FormatDigits(ds []Digit) string {
	var b strings.Builder
	b.Grow(len(ds))
	for _, d := range ds {
		b.WriteString(d.String())
	}
	return b.String()
}
