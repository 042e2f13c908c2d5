package g711_test

import (
	"fmt"

	"github.com/dtmfkit/dtmfkit/audio/g711"
)

// Encode a few samples with each law and decode them again: the result is the
// nearest G.711 level on the 16-bit scale.
func Example() {
	pcm := []int16{0, 1000, -1000, 32767}
	for _, law := range []g711.Law{g711.MuLaw, g711.ALaw} {
		codes := law.AppendEncode(nil, pcm)
		fmt.Printf("%-6v % x -> %v\n", law, codes, law.AppendDecode(nil, codes))
	}
	// Output:
	// mu-law ff ce 4e 80 -> [0 988 -988 32124]
	// A-law  d5 fa 7a aa -> [8 1008 -1008 32256]
}

func ExampleLaw_Decode() {
	fmt.Println(g711.MuLaw.Decode(0xFF), g711.MuLaw.Decode(0x7F), g711.ALaw.Decode(0xD5))
	// Output: 0 0 8
}
