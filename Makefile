# hyperagents — see README.md. `make run` and `make test` are the whole set-up.
SHELL := /bin/bash
GO    ?= go
export PATH := $(shell $(GO) env GOROOT 2>/dev/null)/bin:$(PATH):/usr/local/go/bin
WASMEXEC := $(shell $(GO) env GOROOT 2>/dev/null)/lib/wasm
OUT   ?= results

ADDR    ?= 127.0.0.1:8080
VERSION ?= $(shell git describe --always --dirty 2>/dev/null || echo dev)
REPO    ?= hyperagents

.PHONY: lighthouse proxy worker fuzz fuzz-long run test fmt-check vet test-native test-wasm bench-once bench bench-browser experiment wasm site pages findings tuned-check

## run: build web/app.wasm, generate the site into dist/ and serve it (prints the URL)
run: wasm
	@echo "run: writing the site into dist/ and compressing it, then serving it"
	$(GO) run ./static -out dist -version $(VERSION) -serve $(ADDR)

## wasm: the browser build of the workbench
wasm:
	@echo "wasm: building web/app.wasm (on a fresh machine the first build downloads the modules and compiles everything: a few minutes; later builds take seconds)"
	GOOS=js GOARCH=wasm $(GO) build -v -trimpath -ldflags="-s -w" -o web/app.wasm ./wasm 2>&1 | sed 's/^/  compiling /'; test $${PIPESTATUS[0]} -eq 0
	@echo "wasm: web/app.wasm is $$(du -h web/app.wasm | cut -f1)"

## pages: the GitHub Pages site for https://OWNER.github.io/$(REPO)/ in dist-pages/
pages: wasm
	$(GO) run ./static -out dist-pages -prefix $(REPO) -version $(VERSION)

## experiment: the standard 3 × 5 × 30 experiment from the command line, into $(OUT)/
experiment:
	$(GO) run ./cmd/hyperagents experiment --iterations 30 --seeds 5 --out $(OUT)
	@echo "Open $(OUT)/learning_curves.svg and $(OUT)/meta_policy_drift.svg; the rows are in $(OUT)/raw_metrics.csv."

## findings: the default sweep (every research domain × hyperagent, frozen, tuned, best, latest ×
## 20 seeds × 1,000 iterations) and the maze's selection comparison; writes summary.md and
## summary.json (and runs.csv, not committed) into findings/
findings:
	$(GO) run ./cmd/hyperagents sweep findings/default.json --out findings/default
	$(GO) run ./cmd/hyperagents sweep findings/maze-selection.json --out findings/maze-selection

## test: every check CI runs
test: fmt-check vet test-native test-wasm bench-once fuzz worker tuned-check

fmt-check:
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	if [ -n "$$out" ]; then echo "gofmt needed on:"; echo "$$out"; exit 1; fi
	@$(GO) mod tidy -diff || { echo "go.mod/go.sum are not tidy (run go mod tidy)"; exit 1; }

## tuned-check: the tuned meta policy of wine in engine/tuned.go is still what the tuning procedure
## picks (the cheapest domain to retune: ~10 s)
tuned-check:
	@line=$$($(GO) run ./cmd/hyperagents tune --domain wine --top 1 | tail -1 | sed 's/^[^{]*//'); \
	grep -qF "$$line" engine/tuned.go && echo "tuned-check: wine's tuned meta policy is reproduced" || \
	{ echo "tuned-check: hyperagents tune --domain wine now picks $$line, not what engine/tuned.go says"; exit 1; }

vet:
	$(GO) vet ./...
	GOOS=js GOARCH=wasm $(GO) vet ./...

test-native:
	$(GO) test -race -count=1 -timeout 45m ./...

## test-wasm: the engine's, charts' and store's tests under Node (GOOS=js GOARCH=wasm), golden event stream included
test-wasm:
	PATH="$(WASMEXEC):$$PATH" GOOS=js GOARCH=wasm $(GO) test -count=1 ./engine ./chart ./store ./lab

bench-once:
	$(GO) test -run '^$$' -bench . -benchtime 1x ./...

## bench: the engine's speed figures, natively and under Node
bench:
	./scripts/bench-engine.sh

## lighthouse: Lighthouse 12.2.3 (from npm) on every view, mobile and desktop: scores, total
## blocking time, time to interactive, bytes transferred
lighthouse:
	./scripts/lighthouse.sh

## bench-browser: the workbench's figures in headless Chromium (cold load, experiment, 10k run and
## its longest stall and long tasks, saving, app.wasm size; the lab's transfer, sweep and lineage)
bench-browser:
	$(GO) test ./e2e -run '^$$' -bench Browser -benchtime 1x -count $(or $(COUNT),3)

## fuzz: the importer's fuzz target for $(FUZZTIME) (see store/fuzz_test.go for why the binary is
## built without coverage instrumentation), the JSON parsers' and the LLM reply parsers' for about
## 10 s each. Budgets are counts of inputs (N x), not durations: Go 1.26's fuzzer can fail a run
## whose time is up while a worker is still busy, with no failing input (go.dev/issue/75804, fixed
## in Go 1.27), which a loaded machine hit once. FUZZTIME=150s still works.
FUZZTIME ?= 3000x
fuzz:
	@mkdir -p .cache && $(GO) test -c -o .cache/store.test ./store
	set -o pipefail; cd store && ../.cache/store.test -test.run '^$$' -test.fuzz FuzzImport -test.fuzztime $(FUZZTIME) \
		-test.fuzzcachedir ../.cache/fuzz 2>&1 | grep -av "not built with coverage" | tail -c 3000
	set -o pipefail; $(GO) test ./store -run '^$$' -fuzz FuzzParseJSON -fuzztime 80000x 2>&1 | tail -4
	set -o pipefail; $(GO) test ./store -run '^$$' -fuzz FuzzJSONString -fuzztime 100000x 2>&1 | tail -4
	set -o pipefail; $(GO) test ./engine -run '^$$' -fuzz '^FuzzParseProposal$$' -fuzztime 150000x 2>&1 | tail -4
	set -o pipefail; $(GO) test ./engine -run '^$$' -fuzz FuzzParseAdaptiveProposal -fuzztime 150000x 2>&1 | tail -4

## fuzz-long: the importer's fuzz target for $(FUZZN) inputs (raw bytes and SQL-level forgeries),
## then how many of each outcome: any crash, hang, change of the database by a refused import, or
## forged run that imports and replays as verified fails the target
FUZZN ?= 100000
fuzz-long:
	@mkdir -p .cache && $(GO) test -c -o .cache/store.test ./store
	@rm -f .cache/fuzz-stats
	set -o pipefail; cd store && HYPERAGENTS_FUZZ_STATS=../.cache/fuzz-stats ../.cache/store.test -test.run '^$$' -test.fuzz FuzzImport \
		-test.fuzztime $(FUZZN)x -test.timeout 0 -test.fuzzcachedir ../.cache/fuzz 2>&1 | grep -av "not built with coverage" | tail -c 3000
	@echo "outcomes (inputs: kind and what happened):"; LC_ALL=C sort .cache/fuzz-stats | uniq -c
	@echo "crashes, hangs, refused-file changes, forged-but-verified: 0 (any would have failed the run above)"

## proxy: the LLM proxy natively on 127.0.0.1:8787 (env: OPENAI_API_KEY, OPENAI_BASE_URL, PROXY_*)
proxy:
	$(GO) run ./cmd/proxy

## worker: the LLM proxy as a Cloudflare Worker in worker/build (then: cd worker && npx wrangler deploy)
worker:
	cd worker && $(GO) run github.com/syumai/workers/cmd/workers-assets-gen -mode=go
	GOOS=js GOARCH=wasm $(GO) build -trimpath -ldflags="-s -w" -o worker/build/app.wasm ./worker
	@echo "worker/build/app.wasm: $$(gzip -9 -c worker/build/app.wasm | wc -c) bytes gzip (Cloudflare's free plan allows 3 MB)"
