package decoder_test

import (
	"fmt"

	"github.com/dtmfkit/dtmfkit/dtmf"
	"github.com/dtmfkit/dtmfkit/dtmf/decoder"
	"github.com/dtmfkit/dtmfkit/internal/dtmftest"
)

// A key whose high tone is 12 dB under its low one, then a good key: the
// hook says why the first was refused and when the second was confirmed.
func ExampleDecoder_SetExplain() {
	sig := dtmftest.NewSignal(8000, 4000)
	sig.AddPress(dtmftest.Press{Key: '4', LowLevel: -8, HighLevel: -20, Start: 800, Len: 640})
	sig.AddPress(dtmftest.Press{Key: '7', LowLevel: -10, HighLevel: -10, Start: 2400, Len: 640})
	d, err := decoder.New(decoder.Config{})
	if err != nil {
		panic(err)
	}
	rate := d.Config().SampleRate
	d.SetExplain(func(x decoder.Decision) {
		fmt.Printf("%.0f-%.0f ms key %v: %v", rate.Millis(x.Start), rate.Millis(x.End), x.Key, x.Rule)
		if x.Rule == decoder.Accepted {
			fmt.Printf(", confirmed at %.0f ms\n", rate.Millis(x.Detected))
			return
		}
		fmt.Printf(", twist %.1f dB (limit -%.0f)\n", x.Measured.Twist, x.Limits.MaxNormalTwist)
	})
	var events []dtmf.Event
	events = d.Decode(events, sig.Int16())
	events = d.Flush(events)
	fmt.Println(len(events), "events")
	// Output:
	// 85-195 ms key 4: twist, twist -10.7 dB (limit -9)
	// 300-380 ms key 7: accepted, confirmed at 330 ms
	// 2 events
}
