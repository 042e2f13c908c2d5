#!/bin/sh
# Builds dtmfrx, the harness around spandsp's dtmf_rx that the talkoff tool
# compares the receiver with (talkoff -compare; see ../README.md).
# Needs a C compiler and Debian's libspandsp-dev:
#
#     apt-get install libspandsp-dev
#     sh internal/cmd/talkoff/spandsp/build.sh out/talkoff/bin/dtmfrx
set -eu
out=${1:?usage: build.sh OUTPUT}
dir=$(dirname "$0")
flags=$(pkg-config --cflags --libs spandsp 2>/dev/null || echo -lspandsp)
mkdir -p "$(dirname "$out")"
# shellcheck disable=SC2086 # $flags is a list of flags
${CC:-cc} -O2 -Wall -Wextra -o "$out" "$dir/dtmfrx.c" $flags -lm
