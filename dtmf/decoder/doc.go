// Package decoder is a streaming DTMF receiver: it finds key presses in
// live audio of any chunking at any sample rate from 8000 to 192000 Hz, to
// the receiver requirements of ITU-T Q.24 (AT&T column): frequency
// tolerance, twist, level range, operate and non-operate times,
// interruptions, noise, dial tone and talk-off.
//
// # Use
//
// A [Decoder] consumes 16-bit (or float) samples with [Decoder.Decode] and
// appends [dtmf.Event] values: a KeyDown as soon as a key is confirmed,
// about 32 ms after it begins, and a KeyUp with its end when it is
// released. Events carry sample offsets: Start (the onset, placed to
// within a millisecond or two), Detected (when the decoder became sure) and
// End. [Decoder.Flush] ends a stream; [Decoder.Reset] starts a new one. A
// Decoder holds 1,856 bytes at 8 kHz and allocates nothing per call, so a
// host can run one per call leg for 100,000 calls in 186 MB; it is not safe
// for concurrent use.
//
// # How it works
//
// Audio at 16 kHz and above is first decimated by 2 to 24, to 8-12 kHz,
// by an integer, order-3 CIC filter (three additions per sample). Its
// nulls fall where what would alias into the DTMF band comes from, which
// they keep at least 33.6 dB below a tone in the band at any rate from 48
// to 192 kHz. A 48 kHz stream costs about twice what an 8 kHz one does, a
// 192 kHz one three to four times.
//
// The audio is cut into 5 ms blocks. For each block eight Goertzel filters
// at the Q.23 frequencies give the block's DFT at each,
//
//	s[n] = x[n] + 2cos(ω)·s[n−1] − s[n−2]
//	X    = e^(−jω·n₀)·e^(−jω(M−1))·(s[M−1] − e^(−jω)·s[M−2])
//
// referenced to the absolute sample index n₀ of the block's first sample,
// so that blocks add up coherently. Blocks whose energy cannot hold an
// acceptable tone skip the filters, and while a key is held only its own
// two run. A DC offset is tracked and removed.
//
// Every 5 ms the last four blocks form a 20 ms frame that is tested:
//   - one row and one column filter dominate their groups by 8 dB;
//   - each tone's frequency, from the phase advance of the frame sums over
//     5 and 10 ms, is within MaxDeviation (2 % + 1.5 Hz) of nominal: so
//     tones off by 1.5 % + 2 Hz pass and tones off by 3.5 % fail, which
//     magnitude alone cannot separate;
//   - each tone, its amplitude corrected for that offset, is above
//     MinLevel, and the twist is within the profile's limits;
//   - the two tones carry at least 60 % of the energy of the signal's first
//     difference, which removes DC and weighs dial tone and the low
//     formants of speech down.
//
// A frame that misses the first or the last only because something else
// sounds with the key (its other filters within 8 dB but 3 dB below, the
// tones carrying 30 to 60 %) still makes a candidate: under speech a key
// does not dominate its band, and the talk-off rules below decide.
//
// Presence is then followed block by block for the frame's key, with its
// two tones unmixed (over 5 ms they leak into each other's filters). A key
// is confirmed when its tones are steady over a frame and have lasted
// MinOn (25 ms) in a block they fill; interruptions of up to 10 ms are
// bridged; it ends after MinOff (20 ms) without them.
//
// # Talk-off
//
// Before a key is confirmed, the talk-off rules ask whether its tones came
// from a generator rather than from a voice or an instrument, which can put
// two partials within a key's tolerance. They were chosen on real
// recordings (the tuning half of testdata/corpus, with keys mixed under its
// speech) and are measured on the other half (make talkoff):
//
//   - the tones rose from their absence: each filter keeps the least power
//     it read in the recent past (a floor that climbs back 6 dB in 60 ms);
//     a voice's partial that glides or swells into a key's tolerance was
//     already there;
//   - no third steady partial stands beside them in the other six filters,
//     as a chord's other notes do (speech under a key leaves only what
//     moves);
//   - fitted to the last 20 ms of samples and subtracted, they leave nothing
//     a generator would not: no sidebands (vibrato, beating), no 2nd or 3rd
//     harmonic or high-group sub-octave (Q.23 puts a generator's distortion
//     20 dB down) that stands out of what is around it as a partial does
//     (speech under a key fills that band evenly), and, if the two are
//     harmonics of one fundamental, none of its other harmonics;
//   - they are not harmonics of the periodicity of what is left: a voice
//     whose pitch puts two of its harmonics on a key leaves the rest of its
//     harmonic comb, whose period the two tones share (not tested on an
//     overdriven frame, an eighth of it at full scale, whose distortion
//     products share it by construction; speech clipped on its peaks is).
//
// A key that passes them but whose tones share the frame with as much other
// sound (crowded: the weaker tone is not above what is left, as it stands
// and with low frequencies discounted; never in a frame that reaches full
// scale, where clipping's products crowd any tones) is confirmed only once it has lasted
// 45 ms, its tones still steady: a key pressed under speech goes on, where
// a voice's two partials that passed for one seldom last or hold so long.
// In such a frame, when the tones still dominate it (what is left is less
// than 5 dB above the weaker), energy beside a tone up to 13 dB under it is
// taken for the speech the key is pressed over, not for the tone's own
// wavering, unless a harmonic probe refused the candidate before; a key
// passed so must last 55 ms.
// Keys in the clear keep their latency (about 33 ms); keys under talk take
// about 12 ms more. Presses shorter than MinOn plus 3 ms are reported only
// if their tones stand 15 dB clear of everything else.
//
// A generator's tones, clean or in noise, leave so little that the probes
// need not run. Onsets and ends are placed inside the edge blocks by
// fitting the steady tones, truncated at each sample, to the filters'
// outputs: for a tone with ramps, at the half-amplitude point of the rise
// and fall.
//
// # Why
//
// [Decoder.SetExplain] tells the caller the verdict on each candidate: one
// [Decision] per span of frames in which a key's pair stood out, the
// [Rule] that refused it (a frame rule: peak, level, frequency, twist,
// tonal share; a tracker rule: too short, unsteady, crowded; or a talk-off
// rule) or [Accepted], with the measured values and their [Limits]. Unset,
// it costs a nil check per frame and changes no event.
//
// # Profiles
//
// [Default] accepts twist up to 8 dB either way, as hand-dialled phones
// need (their high group is often 5-7 dB above the low); [Strict] is the
// AT&T receiver, with reverse twist limited to 4 dB. Every limit can be set
// in [Config].
//
// The package's conformance suite (go test ./dtmf/decoder -run Conformance
// -v) checks each receiver requirement and prints a report.
package decoder
