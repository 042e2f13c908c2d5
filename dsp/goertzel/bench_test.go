package goertzel_test

import (
	"strconv"
	"testing"

	"github.com/dtmfkit/dtmfkit/dsp/goertzel"
)

func BenchmarkFilterUpdate(b *testing.B) {
	for _, n := range []int{160, 4096} {
		x := noise(n, 1)
		b.Run("size="+strconv.Itoa(n), func(b *testing.B) {
			f := goertzel.New(1209, 8000)
			b.ReportAllocs()
			b.SetBytes(int64(8 * n))
			for b.Loop() {
				f.Update(x)
			}
		})
	}
}

func BenchmarkPower(b *testing.B) {
	x := noise(205, 1)
	b.ReportAllocs()
	b.SetBytes(int64(8 * len(x)))
	for b.Loop() {
		_ = goertzel.Power(x, 1633, 8000)
	}
}
