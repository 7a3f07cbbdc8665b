package ui

import (
	"github.com/maxence-charriere/go-app/v10/pkg/app"
)

// viewTitles name each view in the browser's tab (and its history and bookmarks).
var viewTitles = map[string]string{
	PathOverview:    "Overview",
	PathArchive:     "Archive",
	PathAgent:       "Agent",
	PathEvents:      "Events",
	PathExperiments: "Experiments",
	PathTransfer:    "Transfer",
	PathLineage:     "Lineage",
	PathReview:      "Live review",
	PathRuns:        "Runs",
}

// titleFor is the document title of the view at path: "Archive · hyperagents workbench".
func titleFor(path string) string {
	name, ok := viewTitles[path]
	if !ok {
		name = "Page not found"
	}
	return name + " · hyperagents workbench"
}

// showView gives a newly shown view its title and, when the user navigated to it (not on the
// first load), moves keyboard and screen-reader focus to its heading, as a page load would.
// The caller does not hold s.mu.
func (s *Session) showView(ctx app.Context) {
	if !app.IsClient {
		return
	}
	ctx.Page().SetTitle("%s", titleFor(ctx.Page().URL().Path))
	s.mu.Lock()
	navigated := s.shownView
	s.shownView = true
	s.mu.Unlock()
	if navigated {
		ctx.Defer(func(app.Context) { focusHeading() })
	}
}

// focusHeading moves focus to the view's top-level heading (made focusable for it).
func focusHeading() {
	h := app.Window().Get("document").Call("querySelector", "main h1")
	if !h.Truthy() {
		return
	}
	h.Call("setAttribute", "tabindex", "-1")
	h.Call("focus")
}

// skipLink is the first focusable element of every view: it leads past the navigation to the
// view's heading.
func skipLink() app.UI {
	return app.A().Class("skip-link").ID("skip-link").Href("#main").Text("Skip to content").
		OnClick(func(ctx app.Context, e app.Event) {
			e.PreventDefault()
			focusHeading()
		})
}

// markUnsavedWork tells web/storage.js whether leaving the page now would lose work, so it can ask
// first (beforeunload): a run made with saving off, or work still going on (a run, experiment,
// sweep, transfer or replay). Saved changes not yet written to IndexedDB are not asked about: the
// page writes them when it is hidden. The caller holds s.mu.
func (s *Session) markUnsavedWork() {
	if !app.IsClient {
		return
	}
	p := &s.Store
	unsaved := s.Run.run != nil && (s.Run.run == p.unsaved || p.leaveStored) && s.Run.run.Iterations() > 0
	for k := range s.jobs {
		unsaved = unsaved || s.jobs[k].running
	}
	// Views render every 100 ms during work; tell the page only when the answer changes.
	if !s.unsavedTold || unsaved != s.unsaved {
		app.Window().Set("hyperagentsUnsaved", unsaved)
		s.unsaved, s.unsavedTold = unsaved, true
	}
}

// titled gives a view its title in the prerendered page (the static site's HTML) too. Views embed
// it.
type titled struct{}

// OnPreRender implements app.PreRenderer.
func (titled) OnPreRender(ctx app.Context) {
	ctx.Page().SetTitle("%s", titleFor(ctx.Page().URL().Path))
}
