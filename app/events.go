package ui

import (
	"fmt"
	"net/url"
	"strconv"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"hyperagents/engine"
	"hyperagents/store"
)

// EventsView is the live run's full mutation log, newest first, optionally only the iterations
// whose child beat its parent (/events?improvements=1).
type EventsView struct {
	app.Compo
	titled
	s     *Session
	query url.Values
}

// OnMount attaches the view to the session.
func (v *EventsView) OnMount(ctx app.Context) { v.s.attach(ctx) }

// OnNav reads the URL's parameters.
func (v *EventsView) OnNav(ctx app.Context) { v.query = ctx.Page().URL().Query() }

// eventsLink is the events view's URL for a filter and 0-based page.
func eventsLink(improvements bool, pg int) string {
	q := url.Values{}
	if improvements {
		q.Set("improvements", "1")
	}
	if pg > 0 {
		q.Set("page", strconv.Itoa(pg+1))
	}
	if len(q) == 0 {
		return href(PathEvents)
	}
	return href(PathEvents + "?" + q.Encode())
}

// Render implements app.Composer.
func (v *EventsView) Render() app.UI {
	v.s.mu.Lock()
	defer v.s.mu.Unlock()
	run := v.s.Run.run
	if run == nil {
		return page(v.s, PathEvents, app.P().Text("No run."))
	}
	var msgs []string
	improvements := false
	switch s := v.query.Get("improvements"); s {
	case "", "0":
	case "1":
		improvements = true
	default:
		msgs = append(msgs, fmt.Sprintf("improvements must be 0 or 1, not %q; showing every event.", s))
	}
	a := run.Archive()
	var llmLog map[int]store.Transcript
	if v.s.LLM.run == run {
		llmLog = v.s.LLM.log
	}
	its := make([]int, 0, run.Iterations())
	for i := run.Iterations(); i >= 1; i-- {
		if !improvements || improved(a, i) {
			its = append(its, i)
		}
	}
	pg := queryPage(v.query, len(its), &msgs)
	shown := its[pg*pageSize : min(len(its), (pg+1)*pageSize)]
	rows := make([]row, 0, len(shown))
	for _, i := range shown {
		e := run.EventAt(i)
		rows = append(rows, row{id: fmt.Sprintf("event-%d", i), class: "event", cells: []cell{
			{text: strconv.Itoa(e.Iteration)},
			agentCell(e.ParentID),
			agentCell(e.ChildID),
			{text: signed(e.Delta), class: deltaClass(e.Delta)},
			{text: e.Source, tag: e.Source},
			{text: accuracy(e.Progress.ChildTrain, run.Config().Flavour)},
			{text: accuracy(e.Progress.BestFitness, run.Config().Flavour)},
			{text: eventNote(llmLog, &e), class: "small"},
		}})
	}
	cols := []column{
		{label: "Iteration", num: true}, {label: "Parent"}, {label: "Child"}, {label: "Δ fitness", num: true},
		{label: "Source"}, {label: "Child train", num: true}, {label: "Best train", num: true}, {label: "Child's error summary"},
	}
	return page(v.s, PathEvents,
		app.H1().Text("Events"),
		app.P().Class("muted").Text(fmt.Sprintf("Every mutation of the live run (%s, %s flavour, seed %d), newest first.",
			run.Config().ConditionName(), run.Config().Flavour, run.Config().Seed)),
		notices(msgs),
		app.P().Body(
			app.Label().Class("check").Body(
				app.Input().Type("checkbox").ID("improvements").Checked(improvements).
					OnChange(func(ctx app.Context, e app.Event) { ctx.Navigate(eventsLink(!improvements, 0)) }),
				app.Text(" improvements only (child fitter than its parent)"),
			),
		),
		app.P().ID("events-count").Text(fmt.Sprintf("%d of %d events", len(its), run.Iterations())),
		app.Div().Class("table-wrap").Body(rawTable("events-table", "data", cols, rows)),
		pager("events-pager", pg, len(its), func(p int) string { return eventsLink(improvements, p) }),
	)
}

// improved reports whether iteration i's child is fitter than its parent.
func improved(a *engine.Archive, i int) bool {
	c := a.At(i)
	p, ok := a.Index(c.Agent.ParentID)
	return ok && engine.Round(c.Eval.Fitness-a.At(p).Eval.Fitness, 4) > 0
}

// eventNote is an event's last column: the child's error summary, after what the model did when
// the iteration asked it.
func eventNote(log map[int]store.Transcript, e *engine.Event) string {
	t, ok := log[e.Iteration]
	switch {
	case !ok:
		return e.Summary
	case t.Fallback != "":
		return "LLM reply unusable (" + t.Fallback + "); heuristic mutation used. " + e.Summary
	}
	return fmt.Sprintf("LLM child (%d tokens). %s", t.PromptTokens+t.CompletionTokens, e.Summary)
}
