package ui

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"hyperagents/chart"
	"hyperagents/engine"
	"hyperagents/store"
)

// RunsState is the runs view's state: renaming, deleting, replays, the comparison and the last
// import's report.
type RunsState struct {
	Renaming  string // run id whose name is being edited
	NameIn    string
	NameErr   string
	Deleting  string // run id waiting for the delete confirmation
	Compare   []string
	Verify    map[string]string // run id → replay result or progress
	Report    string
	ImportErr string
	Err       string
	replay    *engine.Replay
	curves    map[string]curve // compared runs' best-train curves, by run id
}

// curve is a run's best train accuracy per iteration, thinned, as of a number of iterations.
type curve struct {
	iterations int
	xs, ys     []float64
}

// compareColors are the colours of compared runs, in order.
var compareColors = []string{chart.ColorHyperagent, chart.ColorBaseline, "#6a4c93", "#c9a227", "#2d6a4f", "#9d0208", "#3a86ff", "#7a6a5a"}

// RunsView lists the runs saved in this browser: open, rename, delete, export, replay, compare, and
// import files by picker or drag-and-drop.
type RunsView struct {
	app.Compo
	titled
	s          *Session
	compareSVG string // the compare chart as last drawn, for its download
}

// OnMount attaches the view to the session.
func (v *RunsView) OnMount(ctx app.Context) { v.s.attach(ctx) }

// Render implements app.Composer.
func (v *RunsView) Render() app.UI {
	v.s.mu.Lock()
	defer v.s.mu.Unlock()
	p, st := &v.s.Store, &v.s.Runs
	if !p.booted {
		return page(v.s, PathRuns, app.H1().Text("Runs"), app.P().ID("runs-loading").Text("Opening the runs saved in this browser…"))
	}
	if p.db == nil {
		return page(v.s, PathRuns, app.H1().Text("Runs"), app.P().Class("error").Text("No database: "+p.Msg))
	}
	runs, err := p.db.Runs()
	if err != nil {
		st.Err = err.Error()
	}
	sweeps, err := p.db.Sweeps()
	if err != nil {
		st.Err = err.Error()
	}
	ro := p.ReadOnly
	persist := "kept in this browser (SQLite, saved to IndexedDB)"
	if ro {
		persist = "read-only in this tab"
	}
	return page(v.s, PathRuns,
		app.H1().Text("Runs"),
		app.P().Class("muted").ID("runs-summary").
			DataSet("load-ms", p.LoadMS).DataSet("serialize-ms", p.SerializeMS).DataSet("put-ms", p.PutMS).DataSet("bytes", p.Bytes).
			DataSet("put-bytes", p.PutBytes).
			Text(fmt.Sprintf("%d run(s) and %d sweep(s), %s; the database is %s, opened at start in %.0f ms; %s",
				len(runs), len(sweeps), persist, sizeKB(p.Bytes), p.LoadMS, lastSave(p))),
		app.If(len(runs) == 0 && len(sweeps) == 0 && p.booted, func() app.UI {
			return app.P().ID("runs-none").Class("notice").Text(
				"Nothing is saved yet. Runs appear here as you make them on the Overview (while “save new runs” is on), sweeps when they finish on Experiments; or import a file someone shared with you.")
		}),
		app.Div().Class("controls runs-actions").Body(
			app.Button().ID("export-db").Text("Export database (.sqlite)").OnClick(v.s.onExportAll),
			app.Label().Class("button secondary file").For("import-file").Body(
				app.Text("Import .sqlite files…"),
				app.Input().Type("file").ID("import-file").Accept(".sqlite,.sqlite3,.db,application/vnd.sqlite3,application/x-sqlite3").Multiple(true).
					Disabled(ro).OnChange(v.onPick),
			),
			app.Div().ID("drop-zone").Class("drop-zone").Text("…or drop them here").On("hyperagents-drop", v.onDrop),
		),
		app.If(st.Report != "", func() app.UI { return app.P().Class("notice-ok").ID("import-report").Text(st.Report) }),
		app.If(st.ImportErr != "", func() app.UI { return app.P().Class("error").ID("import-error").Text(st.ImportErr) }),
		app.If(st.Err != "", func() app.UI { return app.P().Class("error").ID("runs-error").Text(st.Err) }),
		app.If(len(runs) == 0, func() app.UI {
			return app.P().ID("no-runs").Text("No runs yet: runs are saved here as they go, from the Overview. Import a file to see someone else's.")
		}),
		app.If(len(runs) > 0, func() app.UI { return v.renderTable(runs, ro) }),
		app.If(len(st.Compare) > 0, func() app.UI { return v.renderCompare(runs) }),
		app.If(len(sweeps) > 0, func() app.UI { return v.renderSweeps(sweeps, ro) }),
	)
}

// lastSave says what the session's last save to browser storage cost.
func lastSave(p *Persistence) string {
	if p.lastSave.IsZero() {
		return "nothing saved in this session yet."
	}
	return fmt.Sprintf("the last save took %.0f ms (serialize %.0f + write %.0f) and wrote %s, the parts that changed.",
		p.SerializeMS+p.PutMS, p.SerializeMS, p.PutMS, sizeKB(p.PutBytes))
}

// sizeKB formats a byte count.
func sizeKB(n int) string {
	if n == 0 {
		return "none yet"
	}
	return fmt.Sprintf("%.0f KB", float64(n)/1024)
}

func (v *RunsView) renderTable(runs []store.RunInfo, ro bool) app.UI {
	st := &v.s.Runs
	live := v.s.Store.runID
	rows := make([]app.UI, 0, len(runs))
	for _, ri := range runs {
		id := ri.ID
		name := app.UI(app.Span().Class("run-name").Text(ri.Name))
		if st.Renaming == id {
			name = app.Form().Class("rename").OnSubmit(v.s.submit(v.s.renameRun)).Body(
				app.Input().Type("text").ID("rename-input").Value(st.NameIn).AutoFocus(true).
					OnInput(v.s.handle(func(ctx app.Context) { st.NameIn = ctx.JSSrc().Get("value").String() })),
				app.Button().Type("submit").ID("rename-save").Text("Save"),
				app.If(st.NameErr != "", func() app.UI { return app.Span().Class("error").ID("rename-error").Text(st.NameErr) }),
			)
		}
		verify := st.Verify[id]
		fp := ri.LastHash
		if len(fp) > 12 {
			fp = fp[:12]
		}
		cls := "run"
		if id == live {
			cls += " live"
		}
		rows = append(rows, app.Tr().ID("run-"+id).Class(cls).Body(
			app.Td().Body(app.Input().Type("checkbox").ID("cmp-"+id).Title("compare").Aria("label", "Compare "+ri.Name).Checked(slices.Contains(st.Compare, id)).
				OnChange(v.s.handle(func(ctx app.Context) { v.s.toggleCompare(id) }))),
			app.Td().Class("name").Body(name, app.If(id == live, func() app.UI { return app.Span().Class("tag tag-llm").Text(" live") }),
				app.Div().Class("config muted small").Text(store.DefaultName(ri.Config, ri.Domain))),
			app.Td().Text(ri.Created.Local().Format("2006-01-02 15:04")),
			app.Td().Class("num iterations").Text(strconv.Itoa(ri.Iterations)),
			app.Td().Class("num").Text(accuracy(ri.BestTrain, ri.Config.Flavour)),
			app.Td().Class("num").Text(accuracy(ri.BestTest, ri.Config.Flavour)),
			app.Td().Body(agentLinkIf(ri.BestAgent, id == live)),
			app.Td().Class("mono fingerprint").Title(ri.LastHash).Text(fp),
			app.Td().Class("verify").ID("verify-"+id).Text(verify),
			app.Td().Body(app.Div().Class("actions").Body(
				app.Button().ID("open-"+id).Class("small").Text("Open").OnClick(v.s.handle(func(ctx app.Context) { v.s.openFromRuns(ctx, id) })),
				app.Button().ID("replay-"+id).Class("small secondary").Text("Replay").Disabled(st.replay != nil).
					OnClick(v.s.handle(func(ctx app.Context) { v.s.startReplay(ctx, id) })),
				app.Button().ID("export-"+id).Class("small secondary").Text(".sqlite").OnClick(v.s.handle(func(ctx app.Context) { v.s.exportRun(id, false) })),
				app.Button().ID("csv-"+id).Class("small secondary").Text("CSV").OnClick(v.s.handle(func(ctx app.Context) { v.s.exportRun(id, true) })),
				app.Button().ID("rename-"+id).Class("small secondary").Text("Rename").Disabled(ro).
					OnClick(v.s.handle(func(ctx app.Context) { st.Renaming, st.NameIn, st.NameErr = id, ri.Name, "" })),
				app.Button().ID("delete-"+id).Class("small danger").Disabled(ro).
					Text(map[bool]string{true: "Confirm delete", false: "Delete"}[st.Deleting == id]).
					OnClick(v.s.handle(func(ctx app.Context) { v.s.deleteRun(ctx, id) })),
			)),
		))
	}
	return app.Div().Class("table-wrap").Body(app.Table().Class("data").ID("runs-table").Body(
		app.THead().Body(app.Tr().Body(
			app.Th().Text("Compare"), app.Th().Text("Name and configuration"),
			app.Th().Text("Created"), app.Th().Class("num").Text("Iterations"), app.Th().Class("num").Text("Best train"), app.Th().Class("num").Text("Best test"),
			app.Th().Text("Best agent"), app.Th().Text("Fingerprint"), app.Th().Text("Replay"), app.Th().Text(""),
		)),
		app.TBody().Body(rows...),
	))
}

// agentLinkIf links an agent of the live run; agents of other runs are plain text.
func agentLinkIf(id string, live bool) app.UI {
	if live {
		return agentLink(id)
	}
	return app.Text(id)
}

func (v *RunsView) renderCompare(runs []store.RunInfo) app.UI {
	st := &v.s.Runs
	var series []chart.Series
	for i, id := range st.Compare {
		var ri store.RunInfo
		for _, r := range runs {
			if r.ID == id {
				ri = r
			}
		}
		c, ok := st.curves[id]
		if !ok || c.iterations != ri.Iterations {
			// Read the metrics only when the run has changed: renders come every 100 ms while a
			// run goes on, and reading thousands of rows takes longer than that in the browser.
			ps, err := v.s.Store.db.Progress(id)
			if err != nil {
				continue
			}
			step := max(1, len(ps)/400)
			c = curve{iterations: ri.Iterations}
			for k := 0; k < len(ps); k += step {
				c.xs = append(c.xs, float64(ps[k].Iteration))
				c.ys = append(c.ys, ps[k].BestFitness)
			}
			if st.curves == nil {
				st.curves = map[string]curve{}
			}
			st.curves[id] = c
		}
		series = append(series, chart.Series{Name: ri.Name, Color: compareColors[i%len(compareColors)], X: c.xs, Y: c.ys})
	}
	svg := chart.SVG([]chart.Panel{{Title: "Best train accuracy", XLabel: "iteration", Percent: true, IntegerX: true, YMin: 0.4, YMax: 1.02, Series: series}},
		chart.Options{PanelWidth: 720, PanelHeight: 280})
	v.compareSVG = svg
	return app.Section().Class("card chart").ID("compare-chart").Body(app.Raw(svg),
		v.s.chartDownloads("compare", "compare-runs", func() string { return v.compareSVG }, v.s.compareRows))
}

// toggleCompare adds or removes a run from the comparison. The caller holds mu.
func (s *Session) toggleCompare(id string) {
	st := &s.Runs
	if i := slices.Index(st.Compare, id); i >= 0 {
		st.Compare = slices.Delete(st.Compare, i, i+1)
	} else {
		st.Compare = append(st.Compare, id)
	}
}

// openFromRuns makes a saved run the live one and shows it on the overview. The caller holds mu.
func (s *Session) openFromRuns(ctx app.Context, id string) {
	s.saveRun()
	s.snapshot(ctx, true)
	if err := s.openRun(id); err != nil {
		s.Runs.Err = err.Error()
		return
	}
	// Navigating renders the overview, which takes the session lock this handler holds: do it
	// after the handler returns.
	ctx.Defer(func(ctx app.Context) { ctx.Navigate(href(PathOverview)) })
}

// renameRun saves the name being edited. The caller holds mu.
func (s *Session) renameRun(ctx app.Context) {
	st := &s.Runs
	if err := s.Store.db.Rename(st.Renaming, st.NameIn); err != nil {
		st.NameErr = trimStore(err)
		return
	}
	st.Renaming, st.NameErr = "", ""
	s.Store.dirty = true
	s.snapshot(ctx, true)
}

// deleteRun asks for confirmation, then deletes. The caller holds mu.
func (s *Session) deleteRun(ctx app.Context, id string) {
	st := &s.Runs
	if st.Deleting != id {
		st.Deleting = id
		return
	}
	st.Deleting = ""
	if id == s.Store.runID {
		s.stop(jobRun)
		s.Store.runID, s.Store.savedRun = "", nil
		localSet(currentRunKey, "")
		s.Run.reset()
	}
	if err := s.Store.db.Delete(id); err != nil {
		st.Err = err.Error()
		return
	}
	if i := slices.Index(st.Compare, id); i >= 0 {
		st.Compare = slices.Delete(st.Compare, i, i+1)
	}
	delete(st.Verify, id)
	delete(st.curves, id)
	s.Store.dirty = true
	s.snapshot(ctx, true)
}

// exportRun downloads one run as a database file or its metrics as CSV. The caller holds mu.
func (s *Session) exportRun(id string, csv bool) {
	if id == s.Store.runID {
		s.saveRun()
	}
	var data []byte
	var err error
	if csv {
		data, err = s.Store.db.CSV(id)
	} else {
		data, err = s.Store.db.Export(id)
	}
	if err != nil {
		s.Runs.Err = err.Error()
		return
	}
	if csv {
		downloadBytes("run-"+id+".csv", data, "text/csv")
	} else {
		downloadBytes("run-"+id+".sqlite", data, "application/vnd.sqlite3")
	}
}

// startReplay re-executes run id from its configuration and compares every iteration's archive
// hash with the saved ones, in slices. The caller holds mu.
func (s *Session) startReplay(ctx app.Context, id string) {
	st := &s.Runs
	if st.Verify == nil {
		st.Verify = map[string]string{}
	}
	p, ri, err := s.Store.db.Replay(id)
	if err != nil {
		st.Verify[id] = "cannot replay: " + trimStore(err)
		return
	}
	st.replay = p
	_ = ri
	s.start(ctx, jobReplay, steps(func() (bool, error) {
		if err := p.Step(); err != nil {
			return false, err
		}
		done, total := p.Progress()
		st.Verify[id] = fmt.Sprintf("replaying %d / %d", done, total)
		return p.Done(), nil
	}), func(err error) {
		st.replay = nil
		st.Verify[id] = verdict(s.Store.db, id, p, err)
	})
}

// verdict is what a finished replay of run id says: "verified ✓ (N iterations)" when every stored
// number is what the re-executed run gives (the same check as the command line's replay), else
// the first difference.
func verdict(db *store.DB, id string, p *engine.Replay, err error) string {
	if err != nil {
		return "replay failed: " + err.Error()
	}
	if err := db.Verify(id, p); err != nil {
		return "differs: " + strings.TrimPrefix(trimStore(err), "differs from the run: ")
	}
	_, total := p.Progress()
	return fmt.Sprintf("verified ✓ (%d iterations)", total)
}

// trimStore drops the package prefix of a store error for people.
func trimStore(err error) string { return strings.TrimPrefix(err.Error(), "store: ") }

// onPick imports the files chosen in the file picker.
func (v *RunsView) onPick(ctx app.Context, e app.Event) {
	files := ctx.JSSrc().Get("files")
	v.s.importFiles(ctx, files)
	ctx.JSSrc().Set("value", "")
}

// onDrop imports the files dropped on the drop zone, which web/storage.js kept.
func (v *RunsView) onDrop(ctx app.Context, e app.Event) {
	v.s.importFiles(ctx, app.Window().Get("hyperagentsDropped"))
}

// importFiles reads and imports every file of a FileList, one after another, then saves.
func (s *Session) importFiles(ctx app.Context, files app.Value) {
	if !files.Truthy() {
		return
	}
	n := files.Get("length").Int()
	list := make([]app.Value, n)
	for i := range n {
		list[i] = files.Index(i)
	}
	s.mu.Lock()
	s.Runs.Report, s.Runs.ImportErr = "", ""
	ro := s.Store.ReadOnly || s.Store.db == nil
	s.mu.Unlock()
	if ro {
		s.mu.Lock()
		s.Runs.ImportErr = "This tab is read-only: import in the tab that saves the runs."
		s.mu.Unlock()
		return
	}
	ctx.Async(func() {
		var reports, errs []string
		for _, f := range list {
			name := f.Get("name").String()
			if size := f.Get("size").Int(); size > store.MaxFileSize {
				errs = append(errs, fmt.Sprintf("%s: %d MB, more than the %d MB a database may have.", name, size>>20, store.MaxFileSize>>20))
				continue
			}
			data, err := readFile(f)
			if err != nil {
				errs = append(errs, fmt.Sprintf("%s: could not be read: %v", name, err))
				continue
			}
			s.mu.Lock()
			rep, err := s.Store.db.Import(data)
			if err == nil && len(rep.Imported)+len(rep.ImportedSweeps) > 0 {
				s.Store.dirty = true
			}
			s.mu.Unlock()
			if err != nil {
				errs = append(errs, fmt.Sprintf("%s: %s. Nothing was imported from it; your runs are unchanged.", name, trimStore(err)))
				continue
			}
			reports = append(reports, name+": "+rep.String())
		}
		s.mu.Lock()
		s.Runs.Report = strings.Join(reports, " ")
		s.Runs.ImportErr = strings.Join(errs, " ")
		s.snapshot(ctx, true)
		s.mu.Unlock()
		s.notify()
	})
}
