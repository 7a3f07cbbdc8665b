package ui

import "github.com/maxence-charriere/go-app/v10/pkg/app"

// markReady flags the page as driven by the running app (not the prerendered HTML), so tests and
// scripts know when controls answer: <body data-app-ready="1">. The first time, it also records
// the milliseconds since navigation start in data-ready-ms (the cold-load figure of the browser
// benchmark).
func markReady() {
	if !app.IsClient {
		return
	}
	body := app.Window().Get("document").Get("body")
	if body.Call("getAttribute", "data-app-ready").IsNull() {
		ms := app.Window().Get("performance").Call("now").Float()
		body.Call("setAttribute", "data-ready-ms", int(ms))
	}
	body.Call("setAttribute", "data-app-ready", "1")
}
