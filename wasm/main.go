//go:build js && wasm

// Command wasm is the workbench's browser entry: it registers the views and runs the app. Build it
// with GOOS=js GOARCH=wasm into web/app.wasm (make wasm).
package main

import (
	"github.com/maxence-charriere/go-app/v10/pkg/app"

	ui "hyperagents/app"
)

func main() {
	ui.Routes(ui.NewSession())
	app.RunWhenOnBrowser()
}
