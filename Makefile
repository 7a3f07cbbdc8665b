# hyperagents — see README.md. `make run` and `make test` are the whole set-up.
SHELL := /bin/bash
GO    ?= go
export PATH := $(shell $(GO) env GOROOT 2>/dev/null)/bin:$(PATH):/usr/local/go/bin
WASMEXEC := $(shell $(GO) env GOROOT 2>/dev/null)/lib/wasm
OUT   ?= results

.PHONY: run test fmt-check vet test-native test-wasm bench-once bench experiment

## run: run the standard 3 × 5 × 30 experiment and say where its files are
run: experiment

experiment:
	$(GO) run ./cmd/hyperagents experiment --iterations 30 --seeds 5 --out $(OUT)
	@echo "Open $(OUT)/learning_curves.svg and $(OUT)/meta_policy_drift.svg; the rows are in $(OUT)/raw_metrics.csv."

## test: every check CI runs
test: fmt-check vet test-native test-wasm bench-once

fmt-check:
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	if [ -n "$$out" ]; then echo "gofmt needed on:"; echo "$$out"; exit 1; fi
	@$(GO) mod tidy && git diff --exit-code go.mod $$(test -f go.sum && echo go.sum) || { echo "go mod tidy changed go.mod/go.sum"; exit 1; }

vet:
	$(GO) vet ./...
	GOOS=js GOARCH=wasm $(GO) vet ./...

test-native:
	$(GO) test -race -count=1 ./...

## test-wasm: the engine's tests under Node (GOOS=js GOARCH=wasm), golden event stream included
test-wasm:
	PATH="$(WASMEXEC):$$PATH" GOOS=js GOARCH=wasm $(GO) test -count=1 ./engine ./chart

bench-once:
	$(GO) test -run '^$$' -bench . -benchtime 1x ./...

## bench: the engine's speed figures, natively and under Node
bench:
	./scripts/bench-engine.sh
