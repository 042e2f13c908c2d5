package bench

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"runtime"
	"slices"
	"testing"
	"time"

	"github.com/dtmfkit/dtmfkit/bridge"
	"github.com/dtmfkit/dtmfkit/bridge/acs"
	"github.com/dtmfkit/dtmfkit/bridge/graph"
	"github.com/dtmfkit/dtmfkit/dtmf"
	"github.com/dtmfkit/dtmfkit/dtmf/decoder"
	"github.com/dtmfkit/dtmfkit/dtmf/encoder"
	"github.com/dtmfkit/dtmfkit/internal/dtmftest"
)

// chunk is the media frame length calls deliver audio in.
const chunk = 20 * time.Millisecond

// BenchmarkDecode is the decoder's throughput on one core: samples/s, and
// calls/core, the number of call legs at that rate one core keeps up with.
// The steady state allocates nothing (allocs/op counts a whole minute of
// audio).
func BenchmarkDecode(b *testing.B) {
	for _, name := range []string{"dtmf", "speech", "call", "silence"} {
		for _, rate := range rates {
			b.Run(fmt.Sprintf("signal=%s/rate=%d", name, rate), func(b *testing.B) {
				pcm := signal(b, name, rate)
				d, err := decoder.New(decoder.Config{SampleRate: rate})
				if err != nil {
					b.Fatal(err)
				}
				n := int(rate.N(chunk))
				events := make([]dtmf.Event, 0, 2048)
				keys := 0 // confirmed (the last key's KeyUp needs Flush)
				b.SetBytes(int64(2 * len(pcm)))
				b.ReportAllocs()
				for b.Loop() {
					events = events[:0]
					for i := 0; i+n <= len(pcm); i += n {
						events = d.Decode(events, pcm[i:i+n])
					}
					keys = countDown(events)
					d.Reset()
				}
				perSec := float64(len(pcm)) * float64(b.N) / b.Elapsed().Seconds()
				b.ReportMetric(perSec, "samples/s")
				b.ReportMetric(perSec/float64(rate), "calls/core")
				if name == "dtmf" && keys != 571 {
					b.Fatalf("decoded %d keys of 571", keys)
				}
				if name != "dtmf" && keys != 0 {
					b.Fatalf("decoded %d keys from %s", keys, name)
				}
			})
		}
	}
}

// BenchmarkLatency measures how soon a key is confirmed after its true
// onset (the start of its rise), over 1000 presses of random keys at random
// alignments, 60 ms on and off with 3 ms ramps at −10 dBm0: p50, p95 and
// max in ms, and the error of the reported onset. The figures do not depend
// on the machine; ns/op is the cost of decoding the 2 minutes of audio.
func BenchmarkLatency(b *testing.B) {
	for _, rate := range []dtmf.SampleRate{8000, 16000} {
		b.Run(fmt.Sprintf("rate=%d", rate), func(b *testing.B) {
			pcm, starts := presses(rate, 1000)
			var latency, onsetErr []float64
			for b.Loop() {
				d, err := decoder.New(decoder.Config{SampleRate: rate})
				if err != nil {
					b.Fatal(err)
				}
				var events []dtmf.Event
				n := int(rate.N(chunk))
				for i := 0; i < len(pcm); i += n {
					events = d.Decode(events, pcm[i:min(i+n, len(pcm))])
				}
				ups := dtmftest.Ups(d.Flush(events))
				if len(ups) != len(starts) {
					b.Fatalf("%d keys of %d", len(ups), len(starts))
				}
				latency, onsetErr = latency[:0], onsetErr[:0]
				for i, e := range ups {
					latency = append(latency, rate.Millis(e.Detected-starts[i]))
					onsetErr = append(onsetErr, math.Abs(rate.Millis(e.Start-starts[i])))
				}
			}
			slices.Sort(latency)
			slices.Sort(onsetErr)
			b.ReportMetric(percentile(latency, 50), "p50-ms")
			b.ReportMetric(percentile(latency, 95), "p95-ms")
			b.ReportMetric(latency[len(latency)-1], "max-ms")
			b.ReportMetric(percentile(onsetErr, 50), "onset-p50-ms")
			b.ReportMetric(onsetErr[len(onsetErr)-1], "onset-max-ms")
		})
	}
}

// presses renders n random keys, 60 ms on and off with 3 ms ramps, after a
// random lead, and returns the audio with each press's true onset.
func presses(rate dtmf.SampleRate, n int) ([]int16, []int64) {
	rng := rand.New(rand.NewPCG(7, 7))
	on, ramp := rate.N(60*time.Millisecond), rate.N(3*time.Millisecond)
	jitter := rate.N(10 * time.Millisecond)
	sig := dtmftest.NewSignal(rate, int64(n)*(2*on+jitter)+rate.N(time.Second))
	starts := make([]int64, n)
	pos := rate.N(30 * time.Millisecond)
	for i := range starts {
		pos += rng.Int64N(jitter) // any alignment to the decoder's blocks
		starts[i] = pos
		sig.AddPress(dtmftest.Press{Key: dtmf.Digits[rng.IntN(16)], LowLevel: -10, HighLevel: -10,
			Start: pos, Len: on, Ramp: ramp, Phase: rng.Float64() * 2 * math.Pi})
		pos += 2 * on
	}
	return sig.Int16(), starts
}

// countDown returns the number of KeyDown events.
func countDown(events []dtmf.Event) int {
	n := 0
	for _, e := range events {
		if e.Kind == dtmf.KeyDown {
			n++
		}
	}
	return n
}

func percentile(sorted []float64, p float64) float64 {
	return sorted[max(0, int(math.Ceil(p/100*float64(len(sorted))))-1)]
}

// BenchmarkEncode is the sine-pair generator's rendering rate, in 20 ms
// frames, of a 16-key sequence with the default 100 ms tones and gaps.
func BenchmarkEncode(b *testing.B) {
	for _, rate := range rates {
		b.Run(fmt.Sprintf("rate=%d", rate), func(b *testing.B) {
			e, err := encoder.New(encoder.Config{SampleRate: rate})
			if err != nil {
				b.Fatal(err)
			}
			keys := "0123456789*#ABCD"
			frame := make([]int16, rate.N(chunk))
			total := e.SequenceLen(len(keys))
			b.SetBytes(2 * total)
			b.ReportAllocs()
			for b.Loop() {
				if err := e.Start(keys); err != nil {
					b.Fatal(err)
				}
				for e.Fill(frame) > 0 {
				}
			}
			b.ReportMetric(float64(total)*float64(b.N)/b.Elapsed().Seconds(), "samples/s")
		})
	}
}

// BenchmarkPipeline is the whole detector side of a bot: 16 kHz call audio
// in 20 ms frames through the decoder to Microsoft Graph and ACS
// notification JSON (the sink only counts the bytes). notifications/s is
// keys reported per second of CPU; samples/s is the audio rate it keeps up
// with.
func BenchmarkPipeline(b *testing.B) {
	const rate = 16000
	ctx := context.Background()
	pcm := signal(b, "dtmf", rate)
	for _, format := range []string{"graph", "acs"} {
		b.Run("format="+format, func(b *testing.B) {
			var bytes, notes int
			sink := bridge.FuncSink(func(_ context.Context, n bridge.Notification) error {
				bytes += len(n.Body)
				notes++
				return nil
			})
			h := newCall(b, format, sink)
			det, err := bridge.NewDetector(h, decoder.Config{SampleRate: rate})
			if err != nil {
				b.Fatal(err)
			}
			n := int(dtmf.SampleRate(rate).N(chunk))
			b.SetBytes(int64(2 * len(pcm)))
			b.ReportAllocs()
			for b.Loop() {
				for i := 0; i+n <= len(pcm); i += n {
					if err := det.Decode(ctx, pcm[i:i+n]); err != nil {
						b.Fatal(err)
					}
				}
				if err := det.Flush(ctx); err != nil {
					b.Fatal(err)
				}
			}
			secs := b.Elapsed().Seconds()
			b.ReportMetric(float64(notes)/secs, "notifications/s")
			b.ReportMetric(float64(len(pcm))*float64(b.N)/secs, "samples/s")
			if notes < 571*b.N {
				b.Fatalf("%d notifications for %d passes of 571 keys", notes, b.N)
			}
		})
	}
}

// newCall returns a call subscribed to tones (Graph) or recognising them
// continuously (ACS), delivering to sink.
func newCall(b *testing.B, format string, sink bridge.Sink) bridge.EventHandler {
	cfg := bridge.Config{CallID: "57dab8b1-894c-409a-b240-bd8beae78896", ServerCallID: "aHR0cHM6Ly9hcGkuZXhhbXBsZS5jb20vY29udi8x",
		CorrelationID: "53be6977-d832-4d8c-a4d0-2b3c4d5e6f70", Sink: sink}
	if format == "graph" {
		g, err := bridge.NewGraphCall(cfg)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := g.SubscribeToTone(graph.SubscribeToToneRequest{}); err != nil {
			b.Fatal(err)
		}
		return g
	}
	a, err := bridge.NewACSCall(cfg)
	if err != nil {
		b.Fatal(err)
	}
	if err := a.StartContinuousDtmfRecognition(acsRecognition()); err != nil {
		b.Fatal(err)
	}
	return a
}

// BenchmarkDecoderMemory reports the heap one decoder holds (its state and
// buffers, as the allocator's size classes round them) at each rate: what
// a call leg costs in memory.
func BenchmarkDecoderMemory(b *testing.B) {
	for _, rate := range rates {
		b.Run(fmt.Sprintf("rate=%d", rate), func(b *testing.B) {
			const n = 2000
			keep := make([]*decoder.Decoder, n)
			var per float64
			for b.Loop() {
				var before, after runtime.MemStats
				runtime.GC()
				runtime.ReadMemStats(&before)
				for i := range keep {
					d, err := decoder.New(decoder.Config{SampleRate: rate})
					if err != nil {
						b.Fatal(err)
					}
					keep[i] = d
				}
				runtime.ReadMemStats(&after)
				per = float64(after.TotalAlloc-before.TotalAlloc) / n
			}
			runtime.KeepAlive(keep)
			b.ReportMetric(per, "bytes/decoder")
			b.ReportMetric(math.Floor(1<<30/per), "decoders/GiB")
		})
	}
}

// acsRecognition is a continuous recognition request for a phone number.
func acsRecognition() acs.ContinuousDtmfRecognitionRequest {
	return acs.ContinuousDtmfRecognitionRequest{
		TargetParticipant: acs.CommunicationIdentifierModel{Kind: "phoneNumber", PhoneNumber: &acs.PhoneNumberIdentifierModel{Value: "+14255550123"}},
		OperationContext:  "bench",
	}
}
