// Package bench holds dtmfkit's end-to-end benchmarks: decoder throughput
// on dense DTMF, speech, call audio and silence at 8, 16, 48, 96 and 192 kHz;
// detection latency; encoder and bridge throughput; and the memory a call
// costs. The parts have their own benchmarks in their packages.
//
// The signals are those of the issue that set the targets: dense DTMF is
// spandsp's throughput signal (keys of 50 ms on, 55 ms off at −10 dBm0),
// fed in 20 ms chunks as Teams and ACS media streaming deliver it. Run
// them with make bench; README.md records the figures and how to compare
// runs with benchstat.
package bench
