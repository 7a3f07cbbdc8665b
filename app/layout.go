package ui

import "github.com/maxence-charriere/go-app/v10/pkg/app"

// nav is the bar of links to every view, with the current one marked.
func nav(current string) app.UI {
	links := []struct{ path, label string }{
		{PathOverview, "Overview"},
	}
	items := make([]app.UI, 0, len(links))
	for _, l := range links {
		a := app.A().Href(l.path).Text(l.label)
		if l.path == current {
			a = a.Class("current").Aria("current", "page")
		}
		items = append(items, a)
	}
	return app.Header().Class("top").Body(
		app.Div().Class("brand").Text("hyperagents"),
		app.Nav().Body(items...),
	)
}

// page wraps a view's content in the common layout.
func page(current string, content ...app.UI) app.UI {
	return app.Div().Class("layout").Body(
		nav(current),
		app.Main().Body(content...),
	)
}
