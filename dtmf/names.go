package dtmf

import (
	"strconv"
	"strings"
)

// Dialect is a naming scheme for keys.
type Dialect uint8

// The naming schemes dtmfkit speaks.
const (
	// Keypad names a key by its keypad character: "0"-"9", "*", "#", "A"-"D".
	Keypad Dialect = iota + 1
	// Graph is the Microsoft Graph tone enum: "tone0"-"tone9", "star",
	// "pound", "a"-"d" and "flash" (CSDL EnumType tone).
	Graph
	// ACS is the Azure Communication Services Call Automation Tone enum:
	// "zero"-"nine", "asterisk", "pound", "a"-"d". It has no flash.
	ACS
	// RFC4733 names a key by its telephone-event code, written in decimal:
	// "0"-"9", "10" (*), "11" (#), "12"-"15" (A-D) and "16" (flash).
	RFC4733
)

// String returns the dialect's name as used in error messages.
func (dl Dialect) String() string {
	switch dl {
	case Keypad:
		return "keypad character"
	case Graph:
		return "Graph tone"
	case ACS:
		return "ACS tone"
	case RFC4733:
		return "RFC 4733 event"
	default:
		return "Dialect(" + strconv.Itoa(int(dl)) + ")"
	}
}

// NameError reports a name that is not in a dialect's table, or a key that
// has no name in it (Flash in ACS).
type NameError struct {
	Dialect Dialect
	Name    string // the name as given, or the key's String for a key with no name
	Index   int    // position of Name in a longer input, if any; else 0
}

func (e *NameError) Error() string {
	return "dtmf: unknown " + e.Dialect.String() + " " + strconv.Quote(e.Name)
}

// graphNames and acsNames are indexed by RFC 4733 event code, which is also
// the numeric value of the Graph CSDL tone enum.
var graphNames = [17]string{
	"tone0", "tone1", "tone2", "tone3", "tone4", "tone5", "tone6", "tone7", "tone8", "tone9",
	"star", "pound", "a", "b", "c", "d", "flash",
}

var acsNames = [17]string{
	"zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine",
	"asterisk", "pound", "a", "b", "c", "d", "",
}

// eventDigits maps RFC 4733 event codes 0-16 to keys.
var eventDigits = [17]Digit{
	Digit0, Digit1, Digit2, Digit3, Digit4, Digit5, Digit6, Digit7, Digit8, Digit9,
	DigitStar, DigitPound, DigitA, DigitB, DigitC, DigitD, Flash,
}

// Event returns the RFC 4733 telephone-event code of d (0-16), or ok == false
// if d is neither a key nor Flash.
func (d Digit) Event() (code uint8, ok bool) {
	switch {
	case d >= Digit0 && d <= Digit9:
		return uint8(d - Digit0), true
	case d == DigitStar:
		return 10, true
	case d == DigitPound:
		return 11, true
	case d >= DigitA && d <= DigitD:
		return uint8(d-DigitA) + 12, true
	case d == Flash:
		return 16, true
	}
	return 0, false
}

// DigitForEvent returns the key for an RFC 4733 telephone-event code 0-16.
// Codes above 16 (other telephone events) give a *[NameError].
func DigitForEvent(code uint8) (Digit, error) {
	if int(code) < len(eventDigits) {
		return eventDigits[code], nil
	}
	return 0, &NameError{Dialect: RFC4733, Name: strconv.Itoa(int(code))}
}

// Name returns the name of d in dialect dl. A key the dialect cannot name
// (Flash in [Keypad] and [ACS], or an invalid Digit) gives a *[NameError].
func (d Digit) Name(dl Dialect) (string, error) {
	code, ok := d.Event()
	if ok {
		switch dl {
		case Keypad:
			if d.IsKey() {
				return string(rune(d)), nil
			}
		case Graph:
			return graphNames[code], nil
		case ACS:
			if name := acsNames[code]; name != "" {
				return name, nil
			}
		case RFC4733:
			return strconv.Itoa(int(code)), nil
		}
	}
	return "", &NameError{Dialect: dl, Name: d.String()}
}

// ParseName returns the key that dialect dl calls name. Matching ignores
// ASCII case, as the services are not consistent about it; formatting with
// [Digit.Name] always gives the canonical spelling. An unknown name gives a
// *[NameError] that quotes it.
func ParseName(dl Dialect, name string) (Digit, error) {
	switch dl {
	case Keypad:
		if len(name) == 1 {
			return ParseDigit(rune(name[0]))
		}
	case Graph:
		if code, ok := lookup(&graphNames, name); ok {
			return eventDigits[code], nil
		}
	case ACS:
		if code, ok := lookup(&acsNames, name); ok {
			return eventDigits[code], nil
		}
	case RFC4733:
		if code, err := strconv.ParseUint(name, 10, 8); err == nil && code < uint64(len(eventDigits)) {
			return eventDigits[code], nil
		}
	}
	return 0, &NameError{Dialect: dl, Name: name}
}

func lookup(table *[17]string, name string) (int, bool) {
	if name == "" {
		return 0, false
	}
	for code, n := range table {
		if strings.EqualFold(n, name) {
			return code, true
		}
	}
	return 0, false
}
