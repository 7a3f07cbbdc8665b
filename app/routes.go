package ui

import "github.com/maxence-charriere/go-app/v10/pkg/app"

// Paths of the workbench's views.
const (
	PathOverview = "/"
)

// Pages lists every routed path, for the static site generator.
var Pages = []string{PathOverview}

// Routes registers every view with go-app, and last a catch-all for the not-found view (go-app v10
// ignores app.NotFound in the browser).
func Routes() {
	app.Route(PathOverview, app.NewZeroComponentFactory(&Overview{}))
	app.RouteWithRegexp(".*", app.NewZeroComponentFactory(&NotFound{}))
}
