package ui

import (
	"fmt"
	"strconv"
	"time"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"hyperagents/chart"
	"hyperagents/engine"
)

// ExperimentsView runs conditions × seeds × iterations in the browser with a progress bar and
// cancel, then shows the learning curves, meta-policy drift, the summary table and downloads.
type ExperimentsView struct {
	app.Compo
	titled
	s *Session
}

// OnMount attaches the view to the session.
func (v *ExperimentsView) OnMount(ctx app.Context) {
	v.s.attach(ctx)
	v.s.mu.Lock()
	defer v.s.mu.Unlock()
	v.s.restoreExperiment(ctx)
}

// OnNav applies /experiments?spec=JSON (fills the editor) or ?sweep=ID (shows a saved sweep).
func (v *ExperimentsView) OnNav(ctx app.Context) {
	q := ctx.Page().URL().Query()
	if raw, ok := q["spec"]; ok {
		v.s.mu.Lock()
		if !v.s.running(jobSweep) {
			v.s.Sweep.applyLink(raw[0])
		}
		v.s.mu.Unlock()
	}
	if id := q.Get("sweep"); id != "" {
		v.s.whenBooted(func() {
			v.s.mu.Lock()
			v.s.openSweep(id)
			v.s.mu.Unlock()
			v.s.notify()
		})
	}
}

// Render implements app.Composer.
func (v *ExperimentsView) Render() app.UI {
	v.s.mu.Lock()
	defer v.s.mu.Unlock()
	x := &v.s.Experiment
	return page(v.s, PathExperiments,
		app.H1().Text("Experiments"),
		v.renderSweep(),
		app.H2().ID("seed-experiment").Text("The seed's experiment (code_review)"),
		app.P().Class("muted").Text("Run every chosen condition with the seeds 7, 20, 33, … (7 + 13·i, as the seed system) for the same number of iterations, here in the browser. The CSV is the same file `hyperagents experiment` writes for the same settings."),
		app.Section().Class("controls").Body(v.renderForm(), v.renderButtons(), v.renderProgress()),
		app.If(x.Err != "", func() app.UI { return app.P().Class("error").ID("exp-error").Text(x.Err) }),
		app.If(x.cancelled, func() app.UI { return app.P().Class("muted").ID("exp-cancelled").Text("Experiment cancelled.") }),
		app.If(x.result != nil, func() app.UI { return v.renderResult(x.result, x.elapsed) }),
	)
}

func (v *ExperimentsView) renderForm() app.UI {
	x := &v.s.Experiment
	conds := make([]app.UI, 0, len(engine.Modes))
	for i, m := range engine.Modes {
		id := "cond-" + m.String()
		conds = append(conds, app.Label().Class("mode").For(id).Body(
			app.Input().Type("checkbox").ID(id).Checked(x.Conditions[i]).
				OnChange(v.s.handle(func(ctx app.Context) { x.Conditions[i] = ctx.JSSrc().Get("checked").Bool() })),
			app.Strong().Text(" "+m.String()),
			app.Span().Class("help").Text(" — "+m.Help()),
		))
	}
	bind := v.s.bindValue
	field := func(id, label, val, msg string, dst *string) app.UI {
		return app.Div().Class("field").Body(
			app.Label().For(id).Text(label),
			app.Input().ID(id).Type("text").Attr("inputmode", "numeric").Value(val).OnInput(bind(dst)).Aria("invalid", msg != ""),
			app.If(msg != "", func() app.UI { return app.Span().Class("error").ID(id + "-error").Text(msg) }),
		)
	}
	return app.Div().Class("form").Body(
		app.FieldSet().Body(append([]app.UI{app.Legend().Text("Conditions")}, conds...)...),
		app.Div().Class("fields").Body(
			app.Div().Class("field").Body(app.Label().For("exp-flavour").Text("Flavour"), flavourSelect("exp-flavour", x.Flavour, true, bind(&x.Flavour))),
			field("exp-seeds", "Seeds", x.SeedsIn, x.SeedsErr, &x.SeedsIn),
			field("exp-iterations", "Iterations", x.ItersIn, x.ItersErr, &x.ItersIn),
		),
	)
}

func (v *ExperimentsView) renderButtons() app.UI {
	running := v.s.running(jobExperiment)
	return app.Div().Class("buttons").Body(
		app.Button().ID("exp-run").Text("Run experiment").Disabled(running).
			OnClick(v.s.handle(func(ctx app.Context) { v.s.startExperiment(ctx, v.s.Run.codeReview()) })),
		app.Button().ID("exp-cancel").Class("secondary").Text("Cancel").Disabled(!running).
			OnClick(v.s.handle(func(app.Context) { v.s.cancelExperiment() })),
	)
}

func (v *ExperimentsView) renderProgress() app.UI {
	x := &v.s.Experiment
	if !v.s.running(jobExperiment) || x.exp == nil {
		return app.Div().Class("progress idle")
	}
	return app.Div().Class("progress").Body(
		app.Progress().ID("exp-progress").Max(x.exp.Total()).Value(x.exp.Done()),
		app.Span().Text(fmt.Sprintf(" %d / %d iterations", x.exp.Done(), x.exp.Total())),
	)
}

func (v *ExperimentsView) renderResult(r *experimentResult, elapsed time.Duration) app.UI {
	f3 := func(x float64) string { return strconv.FormatFloat(x, 'f', 3, 64) }
	stat := func(s engine.Stat) []app.UI {
		return []app.UI{
			app.Td().Class("num").Text(f3(s.Mean) + " ± " + f3(s.Std)),
			app.Td().Class("num").Text(f3(s.Median)),
			app.Td().Class("num").Text("[" + f3(s.CILow) + ", " + f3(s.CIHigh) + "]"),
		}
	}
	rows := make([]app.UI, 0, len(r.summaries))
	for _, s := range r.summaries {
		cells := []app.UI{app.Td().Body(app.Span().Class("swatch cond-" + s.Condition.Name).Text(s.Condition.Name))}
		cells = append(cells, stat(s.BestTrain)...)
		cells = append(cells, stat(s.BestTest)...)
		cells = append(cells, app.Td().Class("num").Text(strconv.Itoa(s.BestTrain.N)))
		rows = append(rows, app.Tr().ID("summary-"+s.Condition.Name).Body(cells...))
	}
	conds := ""
	for i, c := range r.cfg.Conditions {
		if i > 0 {
			conds += ", "
		}
		conds += c.Name
	}
	return app.Div().ID("exp-result").Body(
		app.P().ID("exp-done").Text(fmt.Sprintf("Done: %s flavour, %s × %d seeds × %d iterations in %d ms.",
			r.cfg.Flavour, conds, len(r.cfg.Seeds), r.cfg.Iterations, elapsed.Milliseconds())),
		app.If(v.s.Experiment.Restored, func() app.UI {
			return app.P().ID("exp-restored").Class("muted small").Text("Your last experiment, shown again after the reload: " +
				"its settings are kept in this browser and re-run (an experiment is deterministic, so the numbers are the ones you had).")
		}),
		app.Section().Class("card").Body(
			app.H2().Text("Summary at the last iteration"),
			app.P().Class("muted").Text("Mean ± population std over seeds (the seed's report), median, and a 95% percentile-bootstrap interval for the median (10,000 resamples)."),
			app.Div().Class("table-wrap").Body(app.Table().Class("data").ID("summary-table").Body(
				app.THead().Body(
					app.Tr().Body(app.Th().Rowspan(2).Text("Condition"), app.Th().ColSpan(3).Text("Best train"), app.Th().ColSpan(3).Text("Best test"),
						app.Th().Class("num").Rowspan(2).Text("seeds")),
					app.Tr().Body(
						app.Th().Class("num").Text("mean ± std"), app.Th().Class("num").Text("median"), app.Th().Class("num").Text("95% CI"),
						app.Th().Class("num").Text("mean ± std"), app.Th().Class("num").Text("median"), app.Th().Class("num").Text("95% CI")),
				),
				app.TBody().Body(rows...),
			)),
			app.P().ID("exp-caveat").Class("muted small").Text("What this shows and does not: on this 30-row domain runs saturate within about ten iterations, so the conditions usually tie and a std of 0 is saturation, not precision. The table describes these seeds; it tests no difference (no p-values here). To compare conditions, run a sweep above on a research domain: it reports Wilcoxon tests."),
			app.Div().Class("buttons downloads").Body(
				app.A().ID("download-csv").Class("button").Href(r.csvURL).Attr("download", "raw_metrics.csv").
					Text(fmt.Sprintf("Download CSV (%d KB)", (r.csvBytes+1023)/1024)),
				app.A().ID("download-learning").Class("button secondary").Href(r.learnURL).Attr("download", "learning_curves.svg").Text("Learning curves SVG"),
				app.A().ID("download-drift").Class("button secondary").Href(r.driftURL).Attr("download", "meta_policy_drift.svg").Text("Meta-policy drift SVG"),
			),
		),
		app.Section().Class("card chart").ID("learning-curves").Body(
			v.s.readableChart("learning-readout", &v.s.Experiment.learnCursor, &v.s.Experiment.LearnReadout, func() ([]chart.Panel, chart.Options, bool) {
				if r := v.s.Experiment.result; r != nil {
					return r.learnPanels, r.learnOpts, true
				}
				return nil, chart.Options{}, false
			}, app.Raw(r.learning)),
			app.P().ID("learning-readout").Class("readout small").Aria("live", "polite").Text(orHelp(v.s.Experiment.LearnReadout)),
		),
		app.Section().Class("card chart").ID("meta-drift").Body(
			app.Label().Class("check small").Body(
				app.Input().Type("checkbox").ID("drift-smooth").Checked(v.s.Experiment.SmoothDrift).
					OnChange(v.s.handle(func(ctx app.Context) { v.s.Experiment.setSmoothDrift(ctx.JSSrc().Get("checked").Bool()) })),
				app.Text(fmt.Sprintf(" smooth: moving average over %d iterations (the download stays the raw curves)", driftWindow(r.cfg.Iterations))),
			),
			v.s.readableChart("drift-readout", &v.s.Experiment.driftCursor, &v.s.Experiment.DriftReadout, func() ([]chart.Panel, chart.Options, bool) {
				x := &v.s.Experiment
				if r := x.result; r != nil {
					if x.SmoothDrift {
						return x.smoothedPanels, r.driftOpts, true
					}
					return r.driftPanels, r.driftOpts, true
				}
				return nil, chart.Options{}, false
			},
				app.If(!v.s.Experiment.SmoothDrift, func() app.UI { return app.Raw(r.drift) }),
				app.If(v.s.Experiment.SmoothDrift, func() app.UI { return app.Raw(`<div class="svg-wrap">` + v.s.Experiment.smoothed + `</div>`) }),
			),
			app.P().ID("drift-readout").Class("readout small").Aria("live", "polite").Text(orHelp(v.s.Experiment.DriftReadout)),
		),
	)
}

// orHelp is a chart readout, or how to get one.
func orHelp(readout string) string {
	if readout == "" {
		return chartPointHelp
	}
	return readout
}
