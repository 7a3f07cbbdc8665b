package ui

import "github.com/maxence-charriere/go-app/v10/pkg/app"

// NotFound is shown for any URL that names no view, with a way back.
type NotFound struct {
	app.Compo
	titled
}

// OnMount marks the page ready.
func (n *NotFound) OnMount(ctx app.Context) { markReady() }

// Render implements app.Composer.
func (n *NotFound) Render() app.UI {
	return page(nil, "", app.Section().Class("notfound").Body(
		app.H1().Text("Page not found"),
		app.P().Text("No view lives at this address."),
		app.A().Href(href(PathOverview)).ID("back-home").Text("Back to the overview"),
	))
}
