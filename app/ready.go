package ui

import "github.com/maxence-charriere/go-app/v10/pkg/app"

// markReady flags the page as driven by the running app (not the prerendered HTML), so tests and
// scripts know when controls answer: <body data-app-ready="1">.
func markReady() {
	if app.IsClient {
		app.Window().Get("document").Get("body").Call("setAttribute", "data-app-ready", "1")
	}
}
