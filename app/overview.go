package ui

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"hyperagents/engine"
)

// chartPoints is how many iterations the live chart draws at most.
const chartPoints = 300

// Overview runs one configuration live: stats bar, controls, progress, live chart and best agent.
type Overview struct {
	app.Compo
	titled
	s     *Session
	hover int // the iteration the pointer or keyboard points at on the live chart; -1 for none
	// tableOpen shows the live chart's data as a table.
	tableOpen bool
}

// OnMount attaches the view to the session, which re-renders it while the run goes on.
func (o *Overview) OnMount(ctx app.Context) { o.s.attach(ctx) }

// OnNav opens the first-visit panel on a first visit and on /?intro=1 (the "What is this?" link).
func (o *Overview) OnNav(ctx app.Context) {
	o.s.mu.Lock()
	defer o.s.mu.Unlock()
	o.s.Intro.decide()
	if ctx.Page().URL().Query().Get("intro") == "1" {
		o.s.Intro.Open = true
	}
}

// Render implements app.Composer.
func (o *Overview) Render() app.UI {
	o.s.mu.Lock()
	defer o.s.mu.Unlock()
	r := &o.s.Run
	return page(o.s, PathOverview,
		app.H1().Text("Overview"),
		o.renderIntro(),
		o.renderStats(),
		app.Section().Class("controls").Body(o.renderForm(), o.renderButtons(), o.renderProgress(), o.renderLLM()),
		app.If(r.Err != "", func() app.UI { return app.P().Class("error").ID("error").Text(r.Err) }),
		app.Div().Class("grid").Body(
			o.renderChart(),
			o.renderBest(),
		),
	)
}

func (o *Overview) renderStats() app.UI {
	var iters, size, train, val, test, best string = "0", "0", "–", "–", "–", "–"
	adaptive := false
	if run := o.s.Run.run; run != nil {
		b := run.Best()
		adaptive = run.Config().Flavour == engine.FlavourAdaptive
		iters = strconv.Itoa(run.Iterations())
		size = strconv.Itoa(run.Archive().Len())
		train, test, best = percent(b.Eval.TrainAccuracy), percent(b.Eval.TestAccuracy), b.Agent.ID
		if adaptive {
			p := run.ProgressAt(run.Iterations())
			train, val, test = score(p.BestFitness), score(b.Eval.ValAccuracy), score(b.Eval.TestAccuracy)
		}
	}
	if adaptive {
		return app.Section().Class("stats six").ID("stats").Body(
			statBox("stat-iterations", "Iterations", iters),
			statBox("stat-archive", "Archive size", size),
			statBox("stat-train", "Best train", train),
			statBox("stat-val", "Chosen: validation", val),
			statBox("stat-test", "Chosen: test", test),
			app.Div().Class("stat").Body(app.Span().Class("label").Text("Chosen agent"),
				app.A().Class("value").ID("stat-best").Href(agentHref(best)).Text(best)),
		)
	}
	return app.Section().Class("stats").ID("stats").Body(
		statBox("stat-iterations", "Iterations", iters),
		statBox("stat-archive", "Archive size", size),
		statBox("stat-train", "Best train", train),
		statBox("stat-test", "Best test", test),
		app.Div().Class("stat").Body(app.Span().Class("label").Text("Best agent"),
			app.A().Class("value").ID("stat-best").Href(agentHref(best)).Text(best)),
	)
}

func (o *Overview) renderForm() app.UI {
	r := &o.s.Run
	cur, presetOK := r.mode()
	modes := make([]app.UI, 0, len(engine.Modes))
	for _, m := range engine.Modes {
		id := "mode-" + m.String()
		meta, sel := m.Preset()
		modes = append(modes, app.Label().Class("mode").For(id).Body(
			app.Input().Type("radio").Name("mode").ID(id).Value(m.String()).Checked(presetOK && cur == m).
				OnChange(o.s.handle(func(app.Context) { r.setMode(m) })),
			app.Strong().Text(m.String()),
			app.Span().Class("help").Text(fmt.Sprintf(" — %s × %s: %s", meta, sel, m.Help())),
		))
	}
	field := func(id, label, val, errMsg string, to *string) app.UI {
		return app.Div().Class("field").Body(
			app.Label().For(id).Text(label),
			app.Input().ID(id).Type("text").Attr("inputmode", "numeric").Value(val).OnInput(o.s.bindValue(to)).
				Aria("invalid", errMsg != ""),
			app.If(errMsg != "", func() app.UI { return app.Span().Class("error").ID(id + "-error").Text(errMsg) }),
		)
	}
	var info engine.DomainInfo
	if d, err := r.domain(); err == nil {
		info = d.Info()
	}
	domOpts := make([]app.UI, 0, len(engine.DomainFamilies)+1)
	listed := false
	for _, fam := range engine.DomainFamilies {
		name := fam
		if fam == "hidden" {
			name = fmt.Sprintf("hidden:%d", engine.DefaultHiddenTask)
		}
		domOpts = append(domOpts, app.Option().Value(name).Selected(r.Domain == name).Text(name))
		listed = listed || r.Domain == name
	}
	if !listed { // an opened run's task or split, e.g. hidden:4 or wine@3
		domOpts = append(domOpts, app.Option().Value(r.Domain).Selected(true).Text(r.Domain))
	}
	metaOpts := make([]app.UI, 0, len(engine.MetaModes))
	for _, m := range engine.MetaModes {
		metaOpts = append(metaOpts, app.Option().Value(m.String()).Selected(r.Meta == m.String()).Text(m.String()))
	}
	selOpts := make([]app.UI, 0, len(engine.Selections))
	for _, sel := range engine.Selections {
		selOpts = append(selOpts, app.Option().Value(sel.String()).Selected(r.Selection == sel.String()).Text(sel.String()))
	}
	return app.Div().Class("form").Body(
		app.Div().Class("domain-pick").Body(
			app.Div().Class("field").Body(
				app.Label().For("domain").Text("Domain"),
				app.Select().ID("domain").OnChange(o.s.handle(func(ctx app.Context) { r.setDomain(ctx.JSSrc().Get("value").String()) })).Body(domOpts...),
			),
			app.P().Class("about").ID("domain-about").Text(info.Description),
			app.P().Class("muted small").ID("domain-source").Text("Source: "+info.Source),
		),
		app.FieldSet().Body(append([]app.UI{app.Legend().Text("Mode (the seed's presets)")}, modes...)...),
		app.Div().Class("fields").Body(
			app.Div().Class("field").Body(
				app.Label().For("meta").Text("Meta"),
				app.Select().ID("meta").OnChange(o.s.bindValue(&r.Meta)).Body(metaOpts...),
			),
			app.Div().Class("field").Body(
				app.Label().For("selection").Text("Selection"),
				app.Select().ID("selection").OnChange(o.s.bindValue(&r.Selection)).Body(selOpts...),
			),
			app.Div().Class("field").Body(
				app.Label().For("flavour").Text("Flavour"),
				flavourSelect("flavour", r.Flavour, r.Domain == engine.CodeReviewName, o.s.bindValue(&r.Flavour)),
			),
			field("seed", "Seed", r.SeedIn, r.SeedErr, &r.SeedIn),
			field("iterations", "Iterations", r.ItersIn, r.ItersErr, &r.ItersIn),
		),
		app.P().Class("muted small").ID("condition-help").Text(conditionHelp(r.Meta, r.Selection)),
	)
}

// conditionHelp says in words what the chosen meta mode and selection do.
func conditionHelp(meta, selection string) string {
	var parts []string
	if m, err := engine.ParseMetaMode(meta); err == nil {
		parts = append(parts, "Meta "+m.String()+": "+m.Help()+".")
	}
	if s, err := engine.ParseSelection(selection); err == nil {
		parts = append(parts, "Selection "+s.String()+": "+s.Help()+".")
	}
	return strings.Join(parts, " ")
}

func (o *Overview) renderButtons() app.UI {
	running, ro, waiting := o.s.running(jobRun), o.s.Store.ReadOnly, o.s.Run.waiting()
	return app.Div().Class("buttons").Body(
		app.Label().Class("check save-runs").Body(
			app.Input().Type("checkbox").ID("save-runs").Checked(!o.s.Store.NoSave).Disabled(ro).
				OnChange(o.s.handle(func(ctx app.Context) { o.s.setNoSave(!ctx.JSSrc().Get("checked").Bool()) })),
			app.Text(" save new runs in this browser as they go (0.1–1 ms per iteration, the most in a newly opened page)"),
		),
		app.Button().ID("run").Text(o.runLabel()).Title("Run the form's number of iterations; on an existing run with the same settings, add them to it").Disabled(running || ro || waiting).OnClick(o.s.handle(o.s.startRun)),
		app.Button().ID("step").Text("Step").Title("Add one iteration: one parent drawn, one child made and evaluated").Disabled(running || ro || waiting).OnClick(o.s.handle(o.s.stepRun)),
		app.Button().ID("stop").Text("Stop").Title("Stop after the current slice; Run continues from there").Disabled(!running).OnClick(o.s.handle(o.s.stopRun)),
		app.Button().ID("reset").Text("Reset").Title("Start again from the initial agent with the form's settings (a saved run stays under Runs)").Disabled(ro || waiting).OnClick(o.s.handle(o.s.resetRun)),
		app.If(o.s.Run.run != nil && o.s.Run.run == o.s.Store.unsaved && o.s.Run.run.Iterations() > 0 && o.s.Store.writable(), func() app.UI {
			return app.Button().ID("save-now").Class("secondary").Text("Save this run").
				Title("Saving was off when this run started; save every iteration so far, and the rest as it goes").
				OnClick(o.s.handle(o.s.saveNow))
		}),
		app.If(waiting && !running, func() app.UI {
			return app.Span().ID("llm-waiting").Class("muted small").
				Text(fmt.Sprintf("Waiting for the model's reply to iteration %d; the run stopped after it.", o.s.Run.run.Pending().Iteration))
		}),
	)
}

// runLabel says what Run will do: start a run, or add the form's iterations to the live one
// (which it continues rather than restarts, as long as the settings are the same).
func (o *Overview) runLabel() string {
	r := &o.s.Run
	n, err := strconv.Atoi(strings.TrimSpace(r.ItersIn))
	if err != nil || n <= 0 {
		return "Run"
	}
	if r.run != nil && r.run.Iterations() > 0 && r.run.Domain().Name() == r.Domain {
		return fmt.Sprintf("Add %d iterations", n)
	}
	return fmt.Sprintf("Run %d iterations", n)
}

func (o *Overview) renderProgress() app.UI {
	r := &o.s.Run
	if !o.s.running(jobRun) || r.run == nil {
		return app.Div().Class("progress idle")
	}
	done, total := r.run.Iterations()-r.start, r.target-r.start
	return app.Div().Class("progress").Body(
		app.Progress().ID("progress").Max(total).Value(done),
		app.Span().Text(fmt.Sprintf(" %d / %d", done, total)),
	)
}

func (o *Overview) renderBest() app.UI {
	run := o.s.Run.run
	if run == nil {
		return app.Section().Class("card")
	}
	b := run.Best()
	a := b.Agent
	feats := run.Domain().Features()
	if run.Config().Flavour == engine.FlavourAdaptive {
		return app.Section().Class("card best").ID("best-agent").Body(
			app.H2().Body(app.Text("Chosen agent "), app.A().Href(agentHref(a.ID)).Text(a.ID)),
			app.P().Body(app.Text("parent "), agentLink(a.ParentID),
				app.Text(fmt.Sprintf(" · generation %d · chosen on validation", a.Generation))),
			app.P().Text(fmt.Sprintf("train %s · validation %s · test %s", score(b.Eval.TrainAccuracy), score(b.Eval.ValAccuracy), score(b.Eval.TestAccuracy))),
			app.P().Class("summary").Text(b.Eval.Summary),
			policyView(run.Domain(), &a, false),
			app.H2().Text("Meta policy"),
			knobsTable(&a),
		)
	}
	weights := make([]app.UI, 0, len(feats))
	for i, f := range feats {
		weights = append(weights, app.Tr().Body(app.Td().Text(f), app.Td().Class("num").Text(fmt.Sprintf("%.3f", a.Task.Weights[i]))))
	}
	return app.Section().Class("card best").ID("best-agent").Body(
		app.H2().Body(app.Text("Best agent "), app.A().Href(agentHref(a.ID)).Text(a.ID)),
		app.P().Body(app.Text("parent "), agentLink(a.ParentID),
			app.Text(fmt.Sprintf(" · generation %d · %s review · focus %s", a.Generation, a.Task.ReviewStyle, feats[a.Meta.Focus]))),
		app.P().Text(fmt.Sprintf("train %s · test %s · threshold %.3f", percent(b.Eval.TrainAccuracy), percent(b.Eval.TestAccuracy), a.Task.Threshold)),
		app.P().Class("summary").Text(b.Eval.Summary),
		app.Table().Class("weights").Body(weights...),
	)
}

// renderLLM is the LLM settings panel with the badge saying where mutations come from.
func (o *Overview) renderLLM() app.UI {
	l := &o.s.LLM
	if o.s.Run.run != nil && l.run != o.s.Run.run {
		l.forRun(o.s.Run.run)
	}
	text, cls := l.badge()
	field := func(id, label, val string, dst *string) app.UI {
		return app.Div().Class("field").Body(
			app.Label().For(id).Text(label),
			app.Input().ID(id).Type("text").Value(val).OnInput(o.s.bindValue(dst)),
		)
	}
	return app.Details().Class("llm").Open(l.Settings.Enabled).Body(
		app.Summary().Body(
			app.Span().ID("llm-badge").Class(cls).Text(text),
			app.Span().ID("llm-tokens").Class("muted small").Text(fmt.Sprintf(" · this run: %d tokens in %d model calls (budget %d)", l.tokens, l.calls, l.Settings.Budget)),
		),
		app.Div().Class("fields").Body(
			app.Label().Class("check").Body(
				app.Input().Type("checkbox").ID("llm-enabled").Checked(l.Settings.Enabled).
					OnChange(o.s.handle(func(ctx app.Context) {
						if !l.apply(ctx.JSSrc().Get("checked").Bool()) {
							ctx.JSSrc().Set("checked", false)
						}
					})),
				app.Text(" propose mutations with an LLM"),
			),
			field("llm-proxy", "Proxy URL", l.ProxyIn, &l.ProxyIn),
			field("llm-model", "Model", l.ModelIn, &l.ModelIn),
			field("llm-budget", "Token budget per run", l.BudgetIn, &l.BudgetIn),
			app.Button().ID("llm-save").Class("secondary").Text("Save settings").OnClick(o.s.handle(func(app.Context) { l.apply(l.Settings.Enabled) })),
		),
		app.If(l.FormErr != "", func() app.UI { return app.P().Class("error").ID("llm-error").Text(l.FormErr) }),
		app.P().Class("muted small").Text("The page asks the model through your proxy (make proxy), which holds the API key. A reply that cannot be used, a refusal or a failed call falls back to the heuristic mutation for that iteration; the Events view says why. Every request and reply is saved with the run, so it replays offline."),
	)
}
