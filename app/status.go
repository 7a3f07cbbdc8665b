package ui

import (
	"fmt"

	"github.com/maxence-charriere/go-app/v10/pkg/app"
)

// saveStatus is the navigation bar's note on where the runs are. The caller holds s.mu.
func saveStatus(s *Session) app.UI {
	p := &s.Store
	text, class := "", "status"
	switch {
	case !p.booted:
		text = "opening saved runs…"
	case p.ReadOnly:
		text, class = "read-only", "status warn"
	case p.db == nil || p.SaveErr != "" || p.leaveStored:
		text, class = "not saved", "status bad"
	case s.Run.run != nil && s.Run.run == p.unsaved:
		text, class = "this run is not saved", "status warn"
	case p.saving:
		text = "saving…"
	case p.dirty:
		text = "unsaved changes"
	case s.Run.run != nil && p.savedRun == s.Run.run:
		text, class = fmt.Sprintf("saved · iteration %d", p.savedAt), "status ok"
	default:
		text, class = "saved", "status ok"
	}
	return app.A().ID("save-status").Class(class).Href(href(PathRuns)).Title("Runs are kept in this browser (SQLite in IndexedDB). Open the Runs view to export or import them.").Text(text)
}

// banners shows storage problems above every view. The caller holds s.mu.
func banners(s *Session) app.UI {
	p := &s.Store
	var items []app.UI
	if p.ReadOnly {
		items = append(items, app.P().Class("banner warn").ID("readonly-banner").Text(
			"The workbench is open in another tab, which saves the runs. This tab is read-only: it shows the saved runs but cannot run, import, rename or delete. Close the other tab and reload this one to work here."))
	}
	if p.Msg != "" {
		items = append(items, app.P().Class("banner bad").ID("storage-message").Text(p.Msg))
	}
	if p.SaveErr != "" {
		items = append(items, app.Div().Class("banner bad").ID("save-error").Body(
			app.Span().Text(p.SaveErr+" "),
			app.Button().ID("banner-export").Class("secondary").Text("Export the database").OnClick(s.onExportAll),
		))
	}
	if len(items) == 0 {
		return app.Div()
	}
	return app.Div().Class("banners").Body(items...)
}

// onExportAll downloads the whole database.
func (s *Session) onExportAll(ctx app.Context, e app.Event) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.Store.db == nil {
		return
	}
	s.saveRun()
	data, err := s.Store.db.Bytes()
	if err != nil {
		s.Store.SaveErr = "Export failed: " + err.Error()
		return
	}
	downloadBytes("hyperagents.sqlite", data, "application/vnd.sqlite3")
}
