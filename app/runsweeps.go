package ui

import (
	"encoding/json"
	"fmt"
	"net/url"
	"strings"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"hyperagents/engine"
	"hyperagents/store"
)

// renderSweeps is the Runs view's table of the sweeps saved in this browser: open one on the
// Experiments view, export it as a file, or delete it.
func (v *RunsView) renderSweeps(sweeps []store.SweepInfo, ro bool) app.UI {
	st := &v.s.Runs
	rows := make([]app.UI, 0, len(sweeps))
	for _, si := range sweeps {
		id := si.ID
		shape := ""
		var spec engine.Spec // read, not validated: validating builds every domain
		if err := json.Unmarshal([]byte(si.Spec), &spec); err == nil {
			names := make([]string, len(spec.Conditions))
			for i, c := range spec.Conditions {
				names[i] = c.Name
			}
			shape = fmt.Sprintf("%s × %s × %d seeds", strings.Join(spec.Domains, ", "), strings.Join(names, ", "), spec.Seeds)
		}
		rows = append(rows, app.Tr().ID("sweep-"+id).Class("sweep-row").Body(
			app.Td().Class("name").Body(app.Span().Class("run-name").Text(si.Name), app.Div().Class("config muted small").Text(shape)),
			app.Td().Text(si.Created.Local().Format("2006-01-02 15:04")),
			app.Td().Class("num").Text(fmt.Sprint(si.Runs)),
			app.Td().Class("num").Text(fmt.Sprint(si.Iterations)),
			app.Td().Class("num").Text(sizeKB(si.CSVBytes)),
			app.Td().Body(app.Div().Class("actions").Body(
				app.A().ID("open-sweep-"+id).Class("button small").Href(href(PathExperiments)+"?"+url.Values{"sweep": {id}}.Encode()).Text("Open"),
				app.Button().ID("export-sweep-"+id).Class("small secondary").Text(".sqlite").
					OnClick(v.s.handle(func(app.Context) {
						data, err := v.s.Store.db.ExportSweeps(id)
						if err != nil {
							st.Err = err.Error()
							return
						}
						downloadBytes("sweep-"+id+".sqlite", data, "application/vnd.sqlite3")
					})),
				app.Button().ID("delete-sweep-"+id).Class("small danger").Disabled(ro).
					Text(map[bool]string{true: "Confirm delete", false: "Delete"}[st.Deleting == "sweep:"+id]).
					OnClick(v.s.handle(func(ctx app.Context) { v.s.deleteSweep(ctx, id) })),
			)),
		))
	}
	return app.Section().ID("sweeps").Body(
		app.H2().Text("Sweeps"),
		app.Div().Class("table-wrap").Body(app.Table().Class("data").ID("sweeps-table").Body(
			app.THead().Body(app.Tr().Body(
				app.Th().Text("Name and shape"), app.Th().Text("Created"), app.Th().Class("num").Text("Runs"),
				app.Th().Class("num").Text("Iterations"), app.Th().Class("num").Text("runs.csv"), app.Th().Text(""),
			)),
			app.TBody().Body(rows...),
		)),
	)
}

// deleteSweep asks for confirmation, then deletes saved sweep id. The caller holds mu.
func (s *Session) deleteSweep(ctx app.Context, id string) {
	st := &s.Runs
	if st.Deleting != "sweep:"+id {
		st.Deleting = "sweep:" + id
		return
	}
	st.Deleting = ""
	if err := s.Store.db.DeleteSweep(id); err != nil {
		st.Err = err.Error()
		return
	}
	if r := s.Sweep.result; r != nil && r.id == id {
		r.id = ""
		s.Sweep.SaveMsg, s.Sweep.SaveErr = "", "Deleted from this browser; download the files to keep them."
	}
	s.Store.dirty = true
	s.snapshot(ctx, true)
}
