package decoder_test

import (
	"math/rand/v2"
	"testing"
)

func testG711(t *testing.T, rng *rand.Rand) { t.Skip("waiting for audio/g711") }
func testTalkOff(t *testing.T)              { t.Skip("waiting for the talk-off corpus") }
