#!/usr/bin/env bash
# receiver-cost.sh [BASE]: what the receiver costs on speech against the
# receiver of commit BASE (default cd2e711, the receiver before issue 9),
# side by side on this machine. internal/cmd/sidebyside/driver is built against
# both trees (BASE in a temporary git worktree) and decodes:
#   - real speech at 8 kHz: dtmf/decoder/testdata/realaudio/speech.wav (91 s);
#   - espeak-ng speech at 16 kHz: testdata/talkoff/speech-*.wav (158 s).
# With valgrind it counts instructions (callgrind; the same count on every
# run, whatever else the machine does), less those of reading the files;
# without, it takes the median CPU time of five paired runs.
set -euo pipefail
cd "$(dirname "$0")/.."
base=${1:-cd2e711}
tmp=$(mktemp -d)
trap 'git worktree remove --force "$tmp/base" >/dev/null 2>&1 || true; rm -rf "$tmp"' EXIT
git worktree add --detach "$tmp/base" "$base" >/dev/null 2>&1
mkdir -p "$tmp/base/internal/cmd/sidebyside/driver"
cp internal/cmd/sidebyside/driver/main.go "$tmp/base/internal/cmd/sidebyside/driver/"
go build -o "$tmp/head" ./internal/cmd/sidebyside/driver
(cd "$tmp/base" && go build -o "$tmp/base.bin" ./internal/cmd/sidebyside/driver)

# instructions BIN ARGS...: callgrind's instruction count of one run.
instructions() {
	GODEBUG=asyncpreemptoff=1 GOMAXPROCS=1 valgrind --tool=callgrind \
		--callgrind-out-file=/dev/null "$@" 2>&1 >/dev/null | awk '/I *refs:/ {gsub(",", "", $4); print $4}'
}
# cputime BIN FILES...: the median ns/sample of five runs.
cputime() {
	local bin=$1
	shift
	for _ in 1 2 3 4 5; do "$bin" -min-time 500ms "$@" | awk '{print $(NF-1)}'; done | sort -g | sed -n 3p
}

printf '%-34s %14s %14s %8s\n' "speech" "$base" "HEAD" "HEAD/$base"
for set in "real speech, 8 kHz|dtmf/decoder/testdata/realaudio/speech.wav" \
	"espeak-ng speech, 16 kHz|$(echo testdata/talkoff/speech-*.wav)"; do
	name=${set%%|*}
	read -r -a files <<<"${set#*|}"
	if command -v valgrind >/dev/null 2>&1; then
		read0=$(instructions "$tmp/head" -decode=false "${files[@]}")
		b=$(( $(instructions "$tmp/base.bin" -repeat 1 "${files[@]}") - read0 ))
		h=$(( $(instructions "$tmp/head" -repeat 1 "${files[@]}") - read0 ))
		unit="instructions"
	else
		b=$(cputime "$tmp/base.bin" "${files[@]}")
		h=$(cputime "$tmp/head" "${files[@]}")
		unit="ns/sample (CPU time, median of 5)"
	fi
	printf '%-34s %14s %14s %8s\n' "$name" "$b" "$h" "$(awk -v b="$b" -v h="$h" 'BEGIN {printf "%.3f", h/b}')"
done
echo "($unit)"
