#!/usr/bin/env bash
# Instructions per sample the decoder spends on a signal, counted by
# callgrind (repeatable on a busy machine, unlike timings; asynchronous
# preemption is off because its signals upset callgrind):
#   internal/cmd/perfprobe/count.sh dtmf 8000
set -euo pipefail
signal=${1:-dtmf} rate=${2:-8000} secs=${3:-20}
bin=$(mktemp)
go build -o "$bin" "./$(dirname "$0")"
out=$(mktemp)
count() { GODEBUG=asyncpreemptoff=1 valgrind --tool=callgrind --callgrind-out-file="$out" "$bin" -signal "$signal" -rate "$rate" -seconds "$secs" "$@" 2>&1 | awk '/refs:/ {gsub(",", "", $NF); print $NF}'; }
total=$(count) base=$(count -decode=false)
samples=$((secs * rate))
echo "$signal at $rate Hz: $(( (total - base) / samples )) instructions per sample"
rm -f "$bin" "$out"
