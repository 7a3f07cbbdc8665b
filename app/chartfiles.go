package ui

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"strconv"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"hyperagents/engine"
)

// chartDownloads is a chart's two download buttons: the drawing as SVG (name.svg) and its data as
// CSV (name.csv), both made on click. Their ids are id-svg and id-csv. The handlers run with s.mu
// held. go-app keeps the handlers of the first render, so svg and data must read the state when
// they are called, not values captured when the buttons were rendered.
func (s *Session) chartDownloads(id, name string, svg func() string, data func() [][]string) app.UI {
	return app.Div().Class("chart-actions").Body(
		app.Button().ID(id+"-svg").Class("secondary small").Text("Download SVG").OnClick(s.handle(func(app.Context) {
			if b := svg(); b != "" {
				downloadBytes(name+".svg", []byte(b), "image/svg+xml")
			}
		})),
		app.Button().ID(id+"-csv").Class("secondary small").Text("Download data (CSV)").OnClick(s.handle(func(app.Context) {
			var b bytes.Buffer
			w := csv.NewWriter(&b)
			if err := w.WriteAll(data()); err == nil {
				downloadBytes(name+".csv", b.Bytes(), "text/csv")
			}
		})),
	)
}

// fmtFloat writes a number for a CSV file: the shortest form that reads back exactly.
func fmtFloat(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }

// archiveRows is a run's archive as CSV rows: every agent with its parent, generation, iteration,
// children and scores.
func archiveRows(run *engine.Run) [][]string {
	if run == nil {
		return nil
	}
	a := run.Archive()
	rows := [][]string{{"agent_id", "parent_id", "generation", "created_iteration", "children", "fitness", "train", "validation", "test"}}
	for i := 0; i < a.Len(); i++ {
		e := a.At(i)
		rows = append(rows, []string{e.Agent.ID, e.Agent.ParentID, strconv.Itoa(e.Agent.Generation), strconv.Itoa(e.Created),
			strconv.Itoa(a.Children(i)), fmtFloat(e.Eval.Fitness), fmtFloat(e.Eval.TrainAccuracy), fmtFloat(e.Eval.ValAccuracy), fmtFloat(e.Eval.TestAccuracy)})
	}
	return rows
}

// mazeEndRows is where every agent of a maze run ended its train episode, as CSV rows.
func mazeEndRows(run *engine.Run) [][]string {
	if run == nil {
		return nil
	}
	m, ok := run.Domain().(*engine.Maze)
	if !ok {
		return nil
	}
	a := run.Archive()
	start := m.Starts(0)[0]
	rows := [][]string{{"agent_id", "created_iteration", "end_x", "end_y"}}
	for i := 0; i < a.Len(); i++ {
		e := a.At(i)
		_, end := m.Episode(&e.Agent.Task, start, nil)
		rows = append(rows, []string{e.Agent.ID, strconv.Itoa(e.Created), fmtFloat(end.X), fmtFloat(end.Y)})
	}
	return rows
}

// compareRows are the compared runs' best train accuracy at every iteration, as CSV rows (one row
// per run and iteration). The caller holds s.mu.
func (s *Session) compareRows() [][]string {
	rows := [][]string{{"run_id", "run_name", "iteration", "best_train"}}
	names := map[string]string{}
	if runs, err := s.Store.db.Runs(); err == nil {
		for _, r := range runs {
			names[r.ID] = r.Name
		}
	}
	for _, id := range s.Runs.Compare {
		ps, err := s.Store.db.Progress(id)
		if err != nil {
			s.Runs.Err = fmt.Sprintf("Reading run %s: %v", id, err)
			continue
		}
		for _, p := range ps {
			rows = append(rows, []string{id, names[id], strconv.Itoa(p.Iteration), fmtFloat(p.BestFitness)})
		}
	}
	return rows
}
