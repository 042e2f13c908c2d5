#!/bin/sh
# Makes the Ogg Vorbis fixtures of internal/corpus's tests (see README.md).
# Needs python3 and oggenc (Debian: vorbis-tools). Run from this folder.
set -eu
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# wav NAME RATE SECONDS LEFT [RIGHT]: 16-bit WAV of sines, each channel
# given as FREQ:AMP[+FREQ:AMP...] (amplitude relative to full scale).
wav() {
	python3 - "$@" <<'PY'
import math, struct, sys, wave
name, rate, secs = sys.argv[1], int(sys.argv[2]), float(sys.argv[3])
chans = [[tuple(map(float, t.split(":"))) for t in c.split("+")] for c in sys.argv[4:]]
n = round(rate * secs)
with wave.open(name, "wb") as w:
    w.setnchannels(len(chans)); w.setsampwidth(2); w.setframerate(rate)
    frames = bytearray()
    for i in range(n):
        for c in chans:
            v = sum(a * math.sin(2 * math.pi * f * i / rate) for f, a in c)
            frames += struct.pack("<h", max(-32768, min(32767, round(v * 32767))))
    w.writeframes(bytes(frames))
PY
}

wav "$tmp/stereo.wav" 44100 0.5 440:0.5 1000:0.25
wav "$tmp/mono.wav" 22050 0.3 3000:0.4+6000:0.4
wav "$tmp/link2.wav" 22050 0.2 500:0.3 500:0.3
wav "$tmp/short.wav" 8000 0.1 1000:0.5
wav "$tmp/empty.wav" 8000 0 0:0

enc() { oggenc -Q -q 8 --serial "$3" -o "$2" "$1"; }
enc "$tmp/stereo.wav" stereo-44100.ogg 1
enc "$tmp/mono.wav" mono-22050.ogg 2
enc "$tmp/link2.wav" "$tmp/link2.ogg" 3
cat mono-22050.ogg "$tmp/link2.ogg" > chained-22050.ogg
enc "$tmp/short.wav" short-8000.ogg 4
enc "$tmp/empty.wav" empty.ogg 5
