// Package ui is the browser workbench: go-app components over the engine. Components are thin: the
// engine computes, components hold a run and render it. Long work runs in slices on the UI goroutine
// (step for a few milliseconds, render, sleep 1 ms) because Go compiled to WebAssembly cannot preempt
// and would freeze the page otherwise.
//
// Routes are registered by [Routes], which the browser entry (wasm/) and the native side (static/)
// both call, so the generated site and the running app agree on every URL.
package ui
