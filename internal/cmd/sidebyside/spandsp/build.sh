#!/bin/sh
# Builds rxbench, the spandsp side of the side-by-side speed measurement
# (internal/cmd/sidebyside, bench/README.md). Needs a C compiler and
# Debian's libspandsp-dev:
#
#     apt-get install libspandsp-dev
#     sh internal/cmd/sidebyside/spandsp/build.sh out/sidebyside/rxbench
set -eu
out=${1:?usage: build.sh OUTPUT}
dir=$(dirname "$0")
flags=$(pkg-config --cflags --libs spandsp 2>/dev/null || echo -lspandsp)
mkdir -p "$(dirname "$out")"
# shellcheck disable=SC2086 # $flags is a list of flags
${CC:-cc} -O2 -Wall -Wextra -o "$out" "$dir/rxbench.c" $flags -lm
