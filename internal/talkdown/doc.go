// Package talkdown builds the receiver's hardest real-audio tests: DTMF keys
// mixed under recorded speech at a given tone-to-speech ratio (talk-down),
// and the signal classes real recordings showed the receiver missing: keys
// laid over loud talk, a radio encoder's 40 ms tones with 20 ms gaps,
// hand-keyed 30 ms tones and overdriven, clipped keys.
//
// Levels follow ITU-T G.711 (a full-scale sine is +3.14 dBm0). Speech is
// set to its active speech level by ITU-T P.56 method B ([ActiveLevel]),
// and a ratio is the power of a key's two tones together against the
// speech's active power: at 0 dB, two equal tones are each 3 dB below the
// speech. Everything is made from a seeded random source, so a case is the
// same on every run.
package talkdown
