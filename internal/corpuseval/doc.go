// Package corpuseval measures DTMF receivers on the real-audio corpus of
// issue 9 (package internal/corpus): what the talkoff command (make
// talkoff) prints.
//
//   - Talk-off ([RunTalkOff]): every corpus file decoded in each [Format]
//     (8 kHz, 16 kHz, 8 kHz through a G.711 μ-law round trip), one
//     receiver per file, files in parallel. The corpus holds no DTMF, so
//     every key reported is false. ITU-T Q.24 §4.5 and the Bellcore
//     talk-off tapes measure the same thing on their own recordings.
//   - Talk-down ([TalkDownPlan.Mixes], [RunTalkDown]): sequences of keys
//     mixed under each half's speech at tone-to-speech ratios against
//     the speech's ITU-T P.56 active level, by package internal/talkdown.
//     [DefaultTalkDown] is the measurement of the lead's research harness
//     (its seeds, its choice of speech, its scoring), so figures stay
//     comparable with those in issue 9.
//   - The miss classes ([OverTalkClasses], [SignalClasses]): the kinds of
//     signal real recordings showed the receiver missing.
//   - The comparison: spandsp's dtmf_rx ([Spandsp], through a small C
//     harness) and multimon-ng ([Multimon]) run on the same files and
//     mixes at 8 kHz, where they are installed.
//
// A [Receiver] is anything that turns audio into keys; [Decoder] is
// dtmfkit's. [Run] does everything and returns a [Report], whose Print
// writes the tables.
//
// # Scoring
//
// A talk-down sequence is exact when the receiver reports its keys, in
// order, and nothing else. Keys found are matched [ByTime] (the research
// harness's rule: same digit, reported start no more than 10 ms before
// the tone and before its end) in the talk-down table, and [InOrder] (a
// longest common subsequence of the digit strings) for the miss classes,
// which record keys but not where they are, and for the comparison,
// because multimon-ng reports no positions and spandsp's are detection
// times, not onsets.
//
// Unlike the signal-processing packages, this package runs goroutines:
// each run has a worker pool under the caller's context, and returns only
// after every worker has ended.
package corpuseval
