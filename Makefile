# dtmfkit: make demo runs the main job, make test runs every check CI runs.
GO       ?= go
FUZZTIME ?= 10s
# The fuzzer minimises every new input it finds, for up to a minute each by
# default; on the decoder targets, whose runs take milliseconds, that would
# leave little time for fuzzing.
FUZZMINIMIZETIME ?= 2s
BIN      := bin/dtmfwav
DEMO     := out
# The loopback port of the demo's server.
DEMO_PORT ?= 18089

.PHONY: all build test vet fmt-check bench bench-receiver bench-all fixtures demo fuzz conformance corpus sdk-check clean

all: build

build:
	$(GO) build -o $(BIN) ./cmd/dtmfwav

# gofmt, go vet and the race-enabled tests, then the media server's load
# test at full size without the race detector (500 calls; under -race it
# runs 200): what .ci/run runs.
test: fmt-check vet
	$(GO) test -race ./...
	$(GO) test -count=1 -run '^TestLoad$$' ./bridge/media

fmt-check:
	@out=$$(gofmt -l .); if [ -n "$$out" ]; then echo "gofmt -w needed on:"; echo "$$out"; exit 1; fi

vet:
	$(GO) vet ./...

# The receiver conformance suite with its report.
conformance:
	$(GO) test ./dtmf/decoder -run Conformance -v -count=1 | grep -E 'conformance_test|^(ok|FAIL|---)'

# The end-to-end benchmarks (bench/, see bench/README.md) as a short
# table; the raw output, for benchstat, in out/bench.txt. bench-all runs
# every package's benchmarks.
bench:
	@mkdir -p $(DEMO)
	$(GO) test -run='^$$' -bench=. -benchmem ./bench | tee $(DEMO)/bench.txt | $(GO) run ./internal/cmd/benchtable
	@$(MAKE) --no-print-directory sidebyside

# The decoder against spandsp's dtmf_rx on the same raw audio, paired runs
# (internal/cmd/sidebyside, bench/README.md): an hour of dense DTMF and an
# hour of call-like audio at 8 kHz, and dtmfkit's cost at 16 and 48 kHz.
# Without libspandsp-dev the spandsp column is left out, and says so.
# SIDEBYSIDEFLAGS adds flags: -runs N, -minutes N, -baseline REV.
.PHONY: sidebyside
sidebyside:
	$(GO) run ./internal/cmd/sidebyside -dir $(DEMO)/sidebyside $(SIDEBYSIDEFLAGS)

# The receiver's cost on speech against the receiver before issue 9
# (cd2e711), side by side: bench/receiver-cost.sh [BASE].
bench-receiver:
	bash bench/receiver-cost.sh $(BASE)

bench-all:
	$(GO) test -run='^$$' -bench=. -benchmem ./...

# Regenerate testdata/wav (and its README) from testdata/wav/manifest.json.
fixtures:
	$(GO) test ./cmd/dtmfwav -run TestFixtures -update -count=1

# The real-audio corpus of issue 9 (testdata/corpus/README.md): fetch the
# Debian packages testdata/corpus/manifest.json lists (apt-get download),
# unpack them (dpkg -x), check each file against the manifest and convert
# it to 8 and 16 kHz WAV in $DTMFKIT_CORPUS, else ~/.cache/dtmfkit/corpus.
# Steps already done are skipped. CORPUSFLAGS adds flags: -cache DIR, -j N,
# -v; -write-manifest rebuilds the manifest.
corpus:
	$(GO) run ./internal/cmd/corpus $(CORPUSFLAGS)

# The receiver on the real-audio corpus (internal/cmd/talkoff/README.md):
# make corpus, then every file decoded at 8 kHz, 16 kHz and 8 kHz mu-law
# (false keys per source, per hour, per half; the worst files), talk-down
# under each half's speech at +6 to -7 dB, and issue 9's miss classes.
# Tables on stdout and in out/talkoff/report.txt, every false key in
# out/talkoff/falsekeys.txt. TALKOFFFLAGS adds flags: -compare (spandsp's
# dtmf_rx and multimon-ng, where installed), -check (fail if the test half
# has a false key), -half test, -formats 8k,ulaw, -j N.
.PHONY: talkoff
talkoff: corpus
	$(GO) run ./internal/cmd/talkoff $(TALKOFFFLAGS)

# Generate a phone number as 16 kHz audio, decode it back, print the
# notifications Graph and ACS would send for it, explain and plot a call
# with a key, refused speech and a key in noise (out/call.png), render a Graph
# sendDtmfTones request as audio; then serve it as a live call: dtmfwav
# serve on loopback, dtmfwav stream playing the file into it as ACS and as
# a Graph relay, the notifications arriving at stream's local callback.
demo: build
	@mkdir -p $(DEMO)
	@echo '== dtmfwav gen: "14255550123#" as 16 kHz WAV, 80 ms tones, 60 ms gaps, -8 dBm0'
	./$(BIN) gen -rate 16000 -tone 80ms -gap 60ms -level -8 -lead 200ms -o $(DEMO)/demo.wav 14255550123#
	@echo '== dtmfwav decode: the keys'
	./$(BIN) decode $(DEMO)/demo.wav
	@echo '== dtmfwav decode -format jsonl: each key with its onset, end and the moment it was confirmed'
	./$(BIN) decode -format jsonl $(DEMO)/demo.wav
	@echo '== dtmfwav decode -format graph: the commsNotifications (toneInfo, sequenceId) Microsoft Graph sends, first three'
	./$(BIN) decode -format graph -call-id 57dab8b1-894c-409a-b240-bd8beae78896 $(DEMO)/demo.wav > $(DEMO)/graph.jsonl
	@head -3 $(DEMO)/graph.jsonl
	@echo '== dtmfwav decode -format acs: the ContinuousDtmfRecognitionToneReceived events ACS sends, first two'
	./$(BIN) decode -format acs -call-id 401f3500-08a1-4b38-b5ef-1b0f1a40e5c4 -server-call-id aHR0cHM6Ly9hcGkuZXhhbXBsZS5jb20vY29udi8x -correlation-id 53be6977-d832-4d8c-a4d0-2b3c4d5e6f70 $(DEMO)/demo.wav > $(DEMO)/acs.jsonl
	@head -2 $(DEMO)/acs.jsonl
	@echo '== dtmfwav decode -explain: a call with a key, speech the receiver refuses twice, and a key under noise; one line per candidate (cut at 150 characters)'
	$(GO) run ./internal/cmd/democall -o $(DEMO)/call.wav
	./$(BIN) decode -explain $(DEMO)/call.wav > $(DEMO)/call-explain.txt
	@cut -c1-150 $(DEMO)/call-explain.txt
	@echo '== dtmfwav plot: the same call as a picture, spectrogram, level and decisions'
	./$(BIN) plot $(DEMO)/call.wav -width 1000 -height 600 -o $(DEMO)/call.png
	@echo "   wrote $(DEMO)/call.png"
	@echo '== dtmfwav gen -request: a Graph sendDtmfTones body into audio, with the operation and its completion'
	./$(BIN) gen -request bridge/testdata/seed/graph-senddtmftones-request.json -call-id 481f3600-983e-4276-9b59-c1b30ec8d125 -o $(DEMO)/request.wav
	./$(BIN) decode $(DEMO)/request.wav
	@echo '== dtmfwav serve + dtmfwav stream: the number as a live call (4x real time); each key reaches the local callback'
	@echo '   as the service would send it, and the tones of sendDtmfTones come back in the call audio (lines cut at 150 characters)'
	@set -e; DTMFKIT_TOKEN=demo ./$(BIN) serve -listen 127.0.0.1:$(DEMO_PORT) 2>$(DEMO)/serve.log & pid=$$!; \
	trap 'kill $$pid 2>/dev/null || true' EXIT; \
	echo "   DTMFKIT_TOKEN=demo ./$(BIN) serve -listen 127.0.0.1:$(DEMO_PORT)     (log: $(DEMO)/serve.log)"; \
	echo "   DTMFKIT_TOKEN=demo ./$(BIN) stream -acs -speed 4 -send 42 -callback-listen 127.0.0.1:0 ws://127.0.0.1:$(DEMO_PORT) $(DEMO)/demo.wav"; \
	DTMFKIT_TOKEN=demo ./$(BIN) stream -acs -speed 4 -send 42 -wait 500ms -callback-listen 127.0.0.1:0 ws://127.0.0.1:$(DEMO_PORT) $(DEMO)/demo.wav > $(DEMO)/stream-acs.txt; \
	cut -c1-150 $(DEMO)/stream-acs.txt; \
	echo "   DTMFKIT_TOKEN=demo ./$(BIN) stream -graph -speed 4 -callback-listen 127.0.0.1:0 ws://127.0.0.1:$(DEMO_PORT) $(DEMO)/demo.wav"; \
	DTMFKIT_TOKEN=demo ./$(BIN) stream -graph -speed 4 -wait 500ms -callback-listen 127.0.0.1:0 ws://127.0.0.1:$(DEMO_PORT) $(DEMO)/demo.wav > $(DEMO)/stream-graph.txt; \
	head -5 $(DEMO)/stream-graph.txt | cut -c1-150; echo '...'; tail -1 $(DEMO)/stream-graph.txt; \
	kill -TERM $$pid; wait $$pid; echo "== dtmfwav serve: SIGTERM, calls ended, notifications drained, exit status $$?"

# The services' official SDKs as test clients of dtmfwav serve's handlers
# (this needs the npm registry and the module proxy; make test does not):
# the ACS Call Automation JS SDK, pinned in bridge/media/testdata/sdk,
# drives the ACS handler and parses its events and media messages
# (TestCallAutomationSDK, skipped by make test while the SDK is not
# installed); the Microsoft Graph Go SDK, in a module of its own there so
# that go.mod stays free of it, drives the Graph handler and reads its
# notifications.
SDK_DIR := bridge/media/testdata/sdk
sdk-check:
	@mkdir -p $(DEMO)
	cd $(SDK_DIR) && npm ci --no-audit --no-fund
	$(GO) test -count=1 -run '^TestCallAutomationSDK$$' -v ./bridge/media > $(DEMO)/sdk-check.log 2>&1 || { cat $(DEMO)/sdk-check.log; exit 1; }
	@grep -E '^(--- |ok)' $(DEMO)/sdk-check.log; ! grep -q -- '--- SKIP' $(DEMO)/sdk-check.log
	cd $(SDK_DIR)/graph && $(GO) run .

# Run every fuzz target for FUZZTIME (default 10s) each, minimising new
# inputs for at most FUZZMINIMIZETIME.
fuzz:
	@set -e; for pkg in $$($(GO) list ./...); do \
	  dir=$$($(GO) list -f '{{.Dir}}' $$pkg); \
	  for f in $$(grep -ho '^func Fuzz[A-Za-z0-9_]*' $$dir/*_test.go 2>/dev/null | sed 's/^func //'); do \
	    echo "== $$pkg $$f"; \
	    $(GO) test -run='^$$' -fuzz="^$$f$$" -fuzztime=$(FUZZTIME) -fuzzminimizetime=$(FUZZMINIMIZETIME) $$pkg; \
	  done; \
	done

clean:
	rm -rf bin $(DEMO)
