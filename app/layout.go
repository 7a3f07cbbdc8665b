package ui

import "github.com/maxence-charriere/go-app/v10/pkg/app"

// navLinks are the views in the navigation bar. Agent detail is reached from links, not the bar.
var navLinks = []struct{ path, label string }{
	{PathOverview, "Overview"},
	{PathArchive, "Archive"},
	{PathEvents, "Events"},
	{PathLineage, "Lineage"},
	{PathExperiments, "Experiments"},
	{PathTransfer, "Transfer"},
	{PathReview, "Live review"},
	{PathRuns, "Runs"},
}

// nav is the bar of links to every view, with the current one marked, and the save status.
func nav(s *Session, current string) app.UI {
	items := make([]app.UI, 0, len(navLinks))
	for _, l := range navLinks {
		a := app.A().Href(href(l.path)).Text(l.label).ID("nav-" + navID(l.path))
		if l.path == current {
			a = a.Class("current").Aria("current", "page")
		}
		items = append(items, a)
	}
	if s != nil {
		s.markUnsavedWork()
	}
	return app.Header().Class("top").Body(
		skipLink(),
		app.Div().Class("brand").Text("hyperagents"),
		app.Nav().Aria("label", "Views").Body(items...),
		app.A().ID("what-is-this").Class("help-link").Href(href(PathOverview)+"?intro=1").Text("What is this?"),
		app.If(s != nil, func() app.UI { return saveStatus(s) }),
	)
}

// navID is the id suffix of a view's navigation link: "overview", "archive", …
func navID(path string) string {
	if path == PathOverview {
		return "overview"
	}
	return path[1:]
}

// page wraps a view's content in the common layout. s is nil for views without a session; the
// caller holds s.mu.
func page(s *Session, current string, content ...app.UI) app.UI {
	return app.Div().Class("layout").Body(
		nav(s, current),
		app.If(s != nil, func() app.UI { return banners(s) }),
		app.Main().ID("main").Body(content...),
		fontWarmup(),
	)
}
