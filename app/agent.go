package ui

import (
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"hyperagents/engine"
)

// AgentView shows one agent of the live run (/agent?id=agent-012): its task and meta policies,
// memory and lineage notes, the ancestor chain back to the seed agent with what changed at each
// step, and every prediction with its score breakdown.
type AgentView struct {
	app.Compo
	titled
	s  *Session
	id string
	q  url.Values // the address's parameters: page and wrong for the predictions
}

// OnMount attaches the view to the session.
func (v *AgentView) OnMount(ctx app.Context) { v.s.attach(ctx) }

// OnNav reads the agent id from the URL.
func (v *AgentView) OnNav(ctx app.Context) {
	v.q = ctx.Page().URL().Query()
	v.id = v.q.Get("id")
}

// Render implements app.Composer.
func (v *AgentView) Render() app.UI {
	v.s.mu.Lock()
	defer v.s.mu.Unlock()
	run := v.s.Run.run
	if run == nil {
		return page(v.s, PathAgent, app.P().Text("No run."))
	}
	a := run.Archive()
	i, ok := a.Index(v.id)
	if !ok {
		msg := "No agent id in the address: open an agent from the archive."
		if v.id != "" {
			msg = fmt.Sprintf("The live run has no agent %q (it has agent-000 to %s).", v.id, engine.AgentID(a.Len()-1))
		}
		return page(v.s, PathAgent,
			app.H1().Text("Agent"),
			app.P().Class("error").ID("agent-error").Text(msg),
			app.A().Href(href(PathArchive)).ID("to-archive").Text("Go to the archive"),
		)
	}
	e := a.At(i)
	feats := run.Domain().Features()
	if run.Config().Flavour == engine.FlavourAdaptive {
		return v.renderAdaptive(run, i, e)
	}
	return page(v.s, PathAgent,
		app.H1().ID("agent-title").Text("Agent "+e.Agent.ID),
		app.P().Class("muted").Body(
			app.Text("parent "), agentLink(e.Agent.ParentID),
			app.Text(fmt.Sprintf(" · generation %d · made at iteration %d by %s mutation", e.Agent.Generation, e.Created, e.Source)),
			app.If(i == a.Best(), func() app.UI { return app.Strong().Text(" · best agent of the run") }),
		),
		app.Section().Class("stats four").Body(
			statBox("agent-train", "Train", percent(e.Eval.TrainAccuracy)),
			statBox("agent-test", "Test", percent(e.Eval.TestAccuracy)),
			statBox("agent-fp", "False positives", strconv.Itoa(e.Eval.FalsePos)),
			statBox("agent-fn", "False negatives", strconv.Itoa(e.Eval.FalseNeg)),
		),
		app.P().Class("summary").Text(e.Eval.Summary),
		app.Div().Class("grid three").Body(
			taskCard(&e.Agent, feats),
			metaCard(&e.Agent, feats),
			notesCard(&e.Agent),
		),
		ancestorCard(a, i, run.Domain()),
		predictionsCard(run.Domain(), e, feats),
	)
}

// kv is one row of a two-column table.
func kv(k, v string) app.UI {
	return app.Tr().Body(app.Th().Text(k), app.Td().Class("num").Text(v))
}

func taskCard(a *engine.Agent, feats []string) app.UI {
	rows := make([]app.UI, 0, len(feats)+3)
	for i, f := range feats {
		rows = append(rows, kv("weight "+f, num3(a.Task.Weights[i])))
	}
	rows = append(rows,
		kv("threshold", num3(a.Task.Threshold)),
		kv("review style", string(a.Task.ReviewStyle)),
		kv("cutoff (threshold + style)", num3(a.Task.Cutoff())))
	return app.Section().Class("card").ID("task-policy").Body(
		app.H2().Text("Task policy"),
		app.P().Class("muted").Text("How it reviews: accept when the weighted feature sum plus rule adjustments reaches the cutoff."),
		app.Table().Class("kv").Body(rows...),
	)
}

func metaCard(a *engine.Agent, feats []string) app.UI {
	return app.Section().Class("card").ID("meta-policy").Body(
		app.H2().Text("Meta policy"),
		app.P().Class("muted").Text("How it makes children: which weight to push, step sizes and noise."),
		app.Table().Class("kv").Body(
			kv("focus", feats[a.Meta.Focus]),
			kv("weight step", num3(a.Meta.WeightStep)),
			kv("threshold step", num3(a.Meta.ThresholdStep)),
			kv("exploration scale", num3(a.Meta.ExplorationScale)),
		),
	)
}

func notesCard(a *engine.Agent) app.UI {
	list := func(id string, notes []string) app.UI {
		if len(notes) == 0 {
			return app.P().ID(id).Class("muted").Text("none")
		}
		return app.Ol().ID(id).Body(app.Range(notes).Slice(func(i int) app.UI { return app.Li().Text(notes[i]) }))
	}
	return app.Section().Class("card").ID("notes").Body(
		app.H2().Text("Memory notes"),
		list("memory-notes", a.Meta.Memory),
		app.H2().Text("Lineage notes"),
		list("lineage-notes", a.Lineage),
	)
}

// ancestorCard lists the chain from the agent back to the seed: each step's task and meta changes
// and fitness delta against its parent.
func ancestorCard(a *engine.Archive, i int, d engine.Domain) app.UI {
	chain := a.Ancestors(i)
	rows := make([]app.UI, 0, len(chain))
	for k, ci := range chain {
		e := a.At(ci)
		var delta string
		var task, meta []string
		if k+1 < len(chain) {
			p := a.At(chain[k+1])
			delta = signed(engine.Round(e.Eval.Fitness-p.Eval.Fitness, 4))
			for _, c := range engine.Diff(&p.Agent, &e.Agent, d) {
				s := fmt.Sprintf("%s %s → %s", c.Field, c.From, c.To)
				if c.Field == "memory" {
					s = memoryChange(p.Agent.Meta.Memory, e.Agent.Meta.Memory)
				}
				if c.Part == "task" {
					task = append(task, s)
				} else {
					meta = append(meta, s)
				}
			}
		}
		cls := "delta"
		if strings.HasPrefix(delta, "+") {
			cls += " up"
		} else if strings.HasPrefix(delta, "-") {
			cls += " down"
		}
		changes := func(cs []string, seed bool) app.UI {
			if seed {
				return app.Span().Class("muted").Text("seed agent")
			}
			if len(cs) == 0 {
				return app.Span().Class("muted").Text("no change")
			}
			return app.Ul().Body(app.Range(cs).Slice(func(j int) app.UI { return app.Li().Text(cs[j]) }))
		}
		seed := k+1 == len(chain)
		rows = append(rows, app.Tr().Class("ancestor").Body(
			app.Td().Body(agentLink(e.Agent.ID)),
			app.Td().Class("num").Text(strconv.Itoa(e.Created)),
			app.Td().Class("num").Text(percent(e.Eval.TrainAccuracy)),
			app.Td().Class("num "+cls).Text(delta),
			app.Td().Body(changes(task, seed)),
			app.Td().Body(changes(meta, seed)),
		))
	}
	return app.Section().Class("card").ID("ancestors").Body(
		app.H2().Text(fmt.Sprintf("Ancestor chain (%d steps back to the seed agent)", len(chain)-1)),
		app.Div().Class("table-wrap").Body(app.Table().Class("data").Body(
			app.THead().Body(app.Tr().Body(
				app.Th().Text("Agent"), app.Th().Class("num").Text("Iteration"), app.Th().Class("num").Text("Train"),
				app.Th().Class("num").Text("Δ fitness"), app.Th().Text("Task policy changes"), app.Th().Text("Meta policy changes"),
			)),
			app.TBody().Body(rows...),
		)),
	)
}

// predictionsCard explains every verdict: each feature's contribution, the rule adjustments, the
// score against the cutoff, and whether the verdict matches the label.
func predictionsCard(d engine.Domain, e *engine.Entry, feats []string) app.UI {
	type ex struct {
		split string
		x     *engine.Example
	}
	var all []ex
	lab, ok := d.(engine.Labelled)
	if !ok {
		return app.Div()
	}
	train, test := lab.Train(), lab.Test()
	for i := range train {
		all = append(all, ex{"train", &train[i]})
	}
	for i := range test {
		all = append(all, ex{"test", &test[i]})
	}
	cols := []column{{label: "Repository"}, {label: "Split"}}
	for _, f := range feats {
		cols = append(cols, column{label: strings.ReplaceAll(f, "_", " "), num: true})
	}
	cols = append(cols, column{label: "Adjustments"}, column{label: "Score", num: true},
		column{label: "Cutoff", num: true}, column{label: "Verdict"}, column{label: "Label"})
	verdict := map[bool]string{true: "accept", false: "reject"}
	rows := make([]row, 0, len(all))
	wrong := 0
	for _, r := range all {
		b := r.x.Explain(&e.Agent.Task)
		ok := b.Accept == (r.x.Label == 1)
		cells := []cell{{text: r.x.Name, title: r.x.ID}, {text: r.split}}
		for k, c := range b.Contributions {
			cells = append(cells, cell{text: num3(c), title: fmt.Sprintf("%s %.2f × weight %.3f", feats[k], r.x.Features[k], e.Agent.Task.Weights[k])})
		}
		adj := make([]string, 0, len(b.Adjustments))
		for _, a := range b.Adjustments {
			adj = append(adj, fmt.Sprintf("%+.2f %s", a.Value, a.Reason))
		}
		label := verdict[r.x.Label == 1] + " ✓"
		if !ok {
			label = verdict[r.x.Label == 1] + " ✗ wrong"
		}
		cells = append(cells,
			cell{text: strings.Join(adj, "; "), class: "small"},
			cell{text: num3(b.Score)},
			cell{text: num3(b.Cutoff)},
			cell{text: verdict[b.Accept], class: "verdict " + verdict[b.Accept]},
			cell{text: label},
		)
		rw := row{id: "pred-" + r.x.ID, cells: cells}
		if !ok {
			rw.class = "wrong"
			wrong++
		}
		rows = append(rows, rw)
	}
	return app.Section().Class("card").ID("predictions").Body(
		app.H2().Text(fmt.Sprintf("Predictions (%d of %d wrong)", wrong, len(all))),
		app.P().Class("muted").Text("Score = Σ feature × weight + rule adjustments; accepted when the score reaches the cutoff. Test rows are shown for insight; evolution never sees them."),
		app.Div().Class("table-wrap").Body(rawTable("predictions-table", "data", cols, rows)),
	)
}

// memoryChange says what a step did to the memory notes: "+ note" for each added, "− note" for
// each dropped (the list keeps the last few).
func memoryChange(before, after []string) string {
	var out []string
	for _, n := range after {
		if !slices.Contains(before, n) {
			out = append(out, "+ "+n)
		}
	}
	for _, n := range before {
		if !slices.Contains(after, n) {
			out = append(out, "− "+n)
		}
	}
	if len(out) == 0 {
		return "memory reordered"
	}
	return "memory " + strings.Join(out, " ")
}

// renderAdaptive is the Agent view of an adaptive run's agent: scores on the three splits, the
// policy in its domain's shape, the knobs, notes, ancestors and, on a classification domain,
// every example's prediction.
func (v *AgentView) renderAdaptive(run *engine.Run, i int, e *engine.Entry) app.UI {
	a := run.Archive()
	d := run.Domain()
	errs := fmt.Sprintf("%d / %d", e.Eval.FalsePos, e.Eval.FalseNeg)
	errLabel := "Train FP / FN"
	if d.Info().Shape.Task == engine.TaskMulticlass {
		errs, errLabel = strconv.Itoa(e.Eval.FalseNeg), "Train errors"
	}
	return page(v.s, PathAgent,
		app.H1().ID("agent-title").Text("Agent "+e.Agent.ID),
		app.P().Class("muted").Body(
			app.Text("parent "), agentLink(e.Agent.ParentID),
			app.Text(fmt.Sprintf(" · generation %d · made at iteration %d by %s mutation · %s", e.Agent.Generation, e.Created, e.Source, d.Name())),
			app.If(i == a.Chosen(), func() app.UI { return app.Strong().Text(" · the run's agent chosen on validation") }),
		),
		app.Section().Class("stats four").Body(
			statBox("agent-train", "Train", score(e.Eval.TrainAccuracy)),
			statBox("agent-val", "Validation", score(e.Eval.ValAccuracy)),
			statBox("agent-test", "Test", score(e.Eval.TestAccuracy)),
			statBox("agent-errors", errLabel, errs),
		),
		app.P().Class("summary").Text(e.Eval.Summary),
		app.Div().Class("grid two").Body(
			app.Section().Class("card").ID("task-policy").Body(
				app.H2().Text("Task policy"),
				app.P().Class("muted").Text(d.Info().Shape.Task+" policy of "+strconv.Itoa(d.Info().Shape.Params())+" numbers"),
				policyView(d, &e.Agent, true),
			),
			app.Section().Class("card").ID("meta-policy").Body(
				app.H2().Text("Meta policy"),
				app.P().Class("muted").Text("How it makes children: step knobs and how it edits itself."),
				knobsTable(&e.Agent),
			),
		),
		notesCard(&e.Agent),
		ancestorCard(a, i, d),
		adaptivePredictions(d, e, v.q),
	)
}

// adaptivePredictions lists every example of a classification domain with the agent's prediction
// and whether it is right, train and validation and test.
func adaptivePredictions(d engine.Domain, e *engine.Entry, q url.Values) app.UI {
	lab, ok := d.(engine.Labelled)
	if !ok {
		return app.Div()
	}
	onlyWrong := q.Get("wrong") == "1"
	classes := lab.Classes()
	cols := []column{{label: "Example"}, {label: "Split"}, {label: "Label"}, {label: "Predicted"}, {label: ""}}
	var rows []row
	wrong, total := 0, 0
	for s, xs := range [][]engine.Example{lab.Train(), lab.Val(), lab.Test()} {
		split := []string{"train", "validation", "test"}[s]
		for k := range xs {
			x := &xs[k]
			total++
			pred := engine.PredictClass(lab, &e.Agent.Task, x)
			mark, cls := "✓", ""
			if pred != x.Label {
				mark, cls = "✗ wrong", "wrong"
				wrong++
			} else if onlyWrong {
				continue
			}
			rows = append(rows, row{class: cls, cells: []cell{{text: x.Name, title: x.ID}, {text: split}, {text: classes[x.Label]}, {text: classes[pred]}, {text: mark}}})
		}
	}
	var msgs []string
	pg := queryPage(q, len(rows), &msgs)
	link := func(page int, wrong bool) string {
		v := url.Values{"id": {e.Agent.ID}}
		if page > 0 {
			v.Set("page", strconv.Itoa(page+1))
		}
		if wrong {
			v.Set("wrong", "1")
		}
		return href(PathAgent) + "?" + v.Encode() + "#predictions"
	}
	toggle := app.A().ID("predictions-wrong").Href(link(0, true)).Text("show only the wrong ones")
	if onlyWrong {
		toggle = app.A().ID("predictions-all").Href(link(0, false)).Text("show every example")
	}
	return app.Section().Class("card").ID("predictions").Body(
		app.H2().Text("Predictions"),
		app.P().Class("muted").ID("predictions-summary").Body(
			app.Text(fmt.Sprintf("%d of %d examples wrong (train, validation and test; test is shown, never used) · ", wrong, total)),
			toggle,
		),
		notices(msgs),
		app.Div().Class("table-wrap").Body(rawTable("predictions-table", "data", cols, rows[pg*pageSize:min(len(rows), (pg+1)*pageSize)])),
		pager("predictions-pager", pg, len(rows), func(p int) string { return link(p, onlyWrong) }),
	)
}
