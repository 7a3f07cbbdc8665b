//go:build js && wasm

// Command wasm is the workbench's browser entry: it registers the views and runs the app. Build it
// with GOOS=js GOARCH=wasm into web/app.wasm (make wasm).
package main

import (
	"runtime/debug"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	ui "hyperagents/app"
)

func main() {
	// Go's collector marks in one piece whenever the page's goroutines wait, which under
	// WebAssembly is a task of its own, 6–44 ms for this page's heap: collecting a fifth as often
	// made a transfer in the page ~20% faster with fewer long tasks (BenchmarkBrowserLab). The
	// limit keeps a large archive's heap from growing fivefold.
	debug.SetGCPercent(400)
	debug.SetMemoryLimit(256 << 20)
	ui.Routes(ui.NewSession())
	app.RunWhenOnBrowser()
}
