package decoder_test

import "testing"

func testTalkOff(t *testing.T) { t.Skip("waiting for the talk-off corpus") }
