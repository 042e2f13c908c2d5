package dtmf_test

import (
	"fmt"

	"github.com/dtmfkit/dtmfkit/dtmf"
)

func Example() {
	d, err := dtmf.ParseDigit('*')
	if err != nil {
		fmt.Println(err)
		return
	}
	low, high, _ := d.Freqs()
	graph, _ := d.Name(dtmf.Graph)
	acs, _ := d.Name(dtmf.ACS)
	code, _ := d.Event()
	fmt.Printf("%v: %.0f+%.0f Hz, Graph %q, ACS %q, RFC 4733 event %d\n", d, low, high, graph, acs, code)

	_, err = dtmf.ParseName(dtmf.ACS, "flash")
	fmt.Println(err)
	// Output:
	// *: 941+1209 Hz, Graph "star", ACS "asterisk", RFC 4733 event 10
	// dtmf: unknown ACS tone "flash"
}
