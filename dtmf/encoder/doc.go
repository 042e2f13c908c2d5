// Package encoder generates DTMF key sequences as 16-bit PCM: each key is the
// sum of its ITU-T Q.23 low- and high-group sines, at exact frequencies,
// with raised-cosine on/off ramps, at any sample rate from 8000 to 192000 Hz.
//
// The defaults follow common generator practice and the ITU-T Q.24 receiver
// limits: 100 ms tones separated by 100 ms of silence (Microsoft Graph's
// delayBetweenTonesMs), −10 dBm0 per tone, no twist, 3 ms ramps. Levels use
// the G.711 convention: a full-scale sine is +3.14 dBm0, so a tone at L dBm0
// has a peak of 32767 × 10^((L−3.14)/20).
//
// An [Encoder] renders a whole sequence with [Encoder.Append], or streams it
// into caller-owned buffers with [Encoder.Start] and [Encoder.Fill] so that a
// long sequence never sits in memory; the samples are the same whatever the
// buffer sizes. An Encoder is not safe for concurrent use.
package encoder
