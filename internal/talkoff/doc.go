// Package talkoff synthesises music-like talk-off material: audio that a
// DTMF receiver must never report as a key. [Clips] renders every clip,
// deterministically, at any sample rate from [MinSampleRate] up, for the
// decoder's conformance tests. The speech half of the corpus is not here:
// it is espeak-ng output committed under testdata/talkoff (see its
// README.md).
//
// # Why music and voices are hard
//
// Talk-off is a receiver mistaking other sound for a key: ITU-T Q.24 and
// the Bellcore talk-off tapes measure it. Music and voices come close to
// DTMF in several ways. Equal-tempered notes sit on keypad frequencies
// (ITU-T Q.23):
//
//	row     697 Hz   F5   698.5 Hz  +0.2 %
//	row     941 Hz   Bb5  932.3 Hz  -0.9 %
//	column 1336 Hz   E6  1318.5 Hz  -1.3 %
//	column 1477 Hz   F#6 1480.0 Hz  +0.2 %
//
// so Fmaj7 (F5 with E6), C7 (Bb5 with E6) and F# major (A#5 with F#6)
// voicings hold a row and a column note for whole beats. Besides:
//
//   - Harmonics of one note pair up: the 4th and 7th harmonics of F3
//     (174.6 Hz) are 698 and 1222 Hz. The ratio 7/4 is within 1 % of
//     every diagonal of the keypad (697/1209 to 941/1633), 7/3 and 9/7 are
//     within 0.5 % of 697/1633 and 941/1209, and 2 and 3/2 are just inside
//     the ±3.5 % tolerance of several pairs.
//   - Formants boost the two harmonics that matter: an "ah" or "uh" puts
//     the first formant near 700-860 Hz and the second near 1.1-1.3 kHz.
//   - In the telephone band (up to about 3.4 kHz) a note above 1.1 kHz
//     keeps one or two harmonics: whistles, flutes and high woodwinds are
//     nearly pure tones.
//   - Vibrato holds still at its turning points, and glides and sirens
//     sweep through every band.
//
// # The clips
//
// Each clip is 2 to 6 s long and peaks between -20 and -1 dBFS.
//
//	organ-pipe-fmaj7-c7     pipe organ, steady principal chorus with chiff:
//	                        Fmaj7 with F5 and E6, C7 with Bb5 and E6
//	organ-rotary-ii-v-i     tonewheel organ (888000000, percussion, fast
//	                        rotary speaker) comping Gm7-C7-Fmaj7
//	pad-sawtooth-c7-fsharp  detuned sawtooth pad through a sweeping resonant
//	                        low-pass: C7 (Bb5, E6), F# (A#5, C#6, F#6)
//	chip-pulse-arpeggios    sound-chip pulse wave cycling chord notes every
//	                        20 ms, square bass, noise hi-hat
//	clarinet-duet           two clarinets (odd harmonics), one high, one in
//	                        the low register
//	flute-and-piano         nearly pure flute melody with breath and vibrato
//	                        over low piano chords
//	piano-arpeggios-pedal   piano (stretched, decaying partials) arpeggios
//	                        with the pedal down, up to E6 and to F#6
//	bells-rounds            three church bells with inharmonic split
//	                        partials; the treble's tierce is F5 and its
//	                        tenth F#6
//	band-groove             drums, bass, organ stabs and a sawtooth lead
//	drum-fill               kick, snare, hi-hat, four toms and a crash
//	noise-bursts            white, low-, band- and high-passed noise and
//	                        clicks, 1 to 400 ms
//	sweep-sine-log          one sine from 300 Hz to 3.4 kHz
//	sweep-harmonic          a buzzy harmonic tone sweeping 120-500-120 Hz
//	siren-wail              electronic wail, 650-1450 Hz, square wave
//	                        through a horn
//	siren-yelp              electronic yelp, 650-1550 Hz, 3.5 sweeps a
//	                        second
//	siren-hi-lo-doppler     two-tone horn on a passing vehicle: Doppler
//	                        shift and level change
//	whistle-melody          one whistler, glides and vibrato, 700 Hz-1.8 kHz
//	whistle-calls           wolf whistle, slide whistle, warbled bird call
//	whistle-duet-thirds     two whistlers in thirds, each with their own
//	                        vibrato and timing
//	sung-vowels-bass        held vowels; "uh" on F3 boosts harmonics 4 and 7
//	sung-vowels-soprano     held vowels; "ah" on Bb4 and D5 boosts
//	                        harmonics 2 and 3
//	sung-melody-tenor       a melody on changing vowels
//	sung-melody-child       a child's tune: high, little vibrato, more jitter
//	choir-satb              eight voices, two a part, each with its own
//	                        vibrato, detuning and onset
//
// Singing is formant synthesis: a band-limited glottal pulse train (about
// -6 dB an octave after lip radiation) with period jitter and amplitude
// shimmer, vibrato of 5-6 Hz and up to ±55 cents that grows in after
// 0.25 s, gliding between notes, through a cascade of four formant
// resonators (Peterson and Barney's vowels, scaled for the voice) that
// move with the vowels. Everything is additive or filtered synthesis with
// every partial faded out below Nyquist, so nothing aliases at 8 kHz.
//
// # Keeping genuine DTMF out
//
// Two steady pure tones within ±3.5 % of a row and a column frequency for
// 40 ms or more would legitimately be a key, so the clips avoid them:
//
//   - nearly pure voices (whistles, flute, high clarinet, sines) never
//     sound in the row region (672-974 Hz) and the column region
//     (1167-1690 Hz) at the same time;
//   - harmonic-rich timbres and chords may hold notes on keypad
//     frequencies, steadily (the organ), because the other partials and
//     chord tones carry much of the energy;
//   - sung high notes avoid vowels and pitches whose two boosted harmonics
//     carry nearly all the energy in a row and a column band (a soprano's
//     or child's "ah" on E5 to F#5 is one: it would be a key by this
//     definition, so it is not here);
//   - the tests check every clip with an oracle that knows nothing of
//     receivers: in no 40 ms window may the strongest row tone and column
//     tone within ±3.5 % (twist within 10 dB) carry 80 % or more of the
//     0-4 kHz energy. A clean key scores 1.0; the hardest clips score
//     0.7-0.78.
//
// Output is the same on every call. Across CPU architectures it can
// differ in the last bit where the compiler fuses multiply-adds.
package talkoff
