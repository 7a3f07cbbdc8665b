package ui

import (
	"fmt"
	"slices"
	"strconv"
	"time"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"hyperagents/engine"
	"hyperagents/lab"
	"hyperagents/store"
)

// TransferView is the imp@k transfer lab (/transfer): a meta policy evolved on one domain (or
// taken from a saved run), frozen and applied to another, against three controls.
type TransferView struct {
	app.Compo
	titled
	s    *Session
	msgs []string // problems with the address's parameters
}

// OnMount attaches the view to the session.
func (v *TransferView) OnMount(ctx app.Context) { v.s.attach(ctx) }

// OnNav fills the form from the address (/transfer?from=wine&to=breast_cancer&k=50&seeds=20).
func (v *TransferView) OnNav(ctx app.Context) {
	v.s.mu.Lock()
	defer v.s.mu.Unlock()
	if !v.s.Transfer.busy(v.s) {
		v.msgs = v.s.Transfer.applyQuery(ctx.Page().URL().Query())
	}
}

// Render implements app.Composer.
func (v *TransferView) Render() app.UI {
	v.s.mu.Lock()
	defer v.s.mu.Unlock()
	x := &v.s.Transfer
	return page(v.s, PathTransfer,
		app.H1().Text("Transfer: does a meta policy learned on one domain help on another?"),
		app.P().Class("muted").Text("The meta policy of an agent evolved on the source domain (the one chosen on validation, or the one whose descendants improved most), frozen, makes k children on the target from the target's initial agent. imp@k = the test score of the agent chosen on validation minus the initial agent's. It is compared with three controls, each over the same seeds: the initial meta policy, a meta policy drawn at random from the mutation prior (the control a transfer claim must beat), and one evolved on the target itself. The same as `hyperagents transfer`; the files are the command line's."),
		app.Div().ID("tr-notices").Body(notices(v.msgs)),
		v.renderForm(),
		v.renderProgress(),
		app.If(x.Err != "", func() app.UI { return app.P().Class("error").ID("tr-error").Text(x.Err) }),
		app.If(x.cancelled, func() app.UI {
			return app.P().Class("muted").ID("tr-cancelled").Text("Transfer cancelled; its runs were dropped.")
		}),
		app.If(x.result != nil, func() app.UI { return v.renderResult(x.result) }),
	)
}

func (v *TransferView) renderForm() app.UI {
	x := &v.s.Transfer
	busy := x.busy(v.s)
	bind := v.s.bindValue
	domSelect := func(id string, val *string) app.UI {
		doms := v.s.transferDomains()
		if !slices.Contains(doms, *val) {
			doms = append(doms, *val)
		}
		opts := make([]app.UI, len(doms))
		for i, d := range doms {
			opts[i] = app.Option().Value(d).Selected(d == *val).Text(d)
		}
		return app.Select().ID(id).Disabled(busy).OnChange(bind(val)).Body(opts...)
	}
	field := func(id, label, help string, dst *string) app.UI {
		msg := x.Errs[id]
		return app.Div().Class("field").Body(
			app.Label().For(id).Text(label),
			app.Input().ID(id).Type("text").Attr("inputmode", "numeric").Value(*dst).Title(help).Disabled(busy).OnInput(bind(dst)).Aria("invalid", msg != ""),
			app.If(msg != "", func() app.UI { return app.Span().Class("error").ID(id + "-error").Text(msg) }),
		)
	}
	// Saved runs of the adaptive flavour can give the meta policy instead of a source run.
	runOpts := []app.UI{app.Option().Value("").Selected(x.SourceRun == "").Text("none: evolve on the source domain")}
	if db := v.s.Store.db; db != nil && !busy { // the list cannot change while a transfer runs
		if runs, err := db.Runs(); err == nil {
			for _, ri := range runs {
				if ri.Config.Flavour == engine.FlavourAdaptive {
					runOpts = append(runOpts, app.Option().Value(ri.ID).Selected(x.SourceRun == ri.ID).
						Text(fmt.Sprintf("%s (%s, %d iterations)", ri.Name, store.DefaultName(ri.Config, ri.Domain), ri.Iterations)))
				}
			}
		}
	}
	return app.Section().Class("controls").Body(
		app.Div().Class("fields").Body(
			app.Div().Class("field").Body(app.Label().For("tr-from").Text("Source domain"), domSelect("tr-from", &x.From)),
			app.Div().Class("field").Body(app.Label().For("tr-to").Text("Target domain"), domSelect("tr-to", &x.To)),
			field("tr-k", "k (children on the target)", "how many children each arm makes on the target", &x.KIn),
			field("tr-seeds", "Seeds", "seeds 7, 20, 33, … (7 + 13·i)", &x.SeedsIn),
			field("tr-iterations", "Source iterations", "length of each source run and of each target-evolved run", &x.ItersIn),
			app.Div().Class("field").Body(app.Label().For("tr-pick").Text("Agent to transfer"),
				app.Select().ID("tr-pick").Disabled(busy).OnChange(bind(&x.Pick)).Body(
					app.Option().Value(engine.PickValidation).Selected(x.Pick == engine.PickValidation).Text("chosen on validation"),
					app.Option().Value(engine.PickGrowth).Selected(x.Pick == engine.PickGrowth).Text("growth: descendants improved most"),
				)),
		),
		app.Div().Class("field").Body(app.Label().For("tr-source-run").Text("Or take the meta policy from a saved run"),
			app.Select().ID("tr-source-run").Disabled(busy).OnChange(bind(&x.SourceRun)).Body(runOpts...)),
		app.Div().Class("buttons").Body(
			app.Button().ID("tr-run").Text("Run transfer").Disabled(busy).OnClick(v.s.handle(v.s.startTransfer)),
			app.Button().ID("tr-cancel").Class("secondary").Text("Cancel").Disabled(!busy).OnClick(v.s.handle(func(app.Context) { v.s.cancelTransfer() })),
			app.A().ID("tr-link").Class("button secondary").Href(x.link()).Text("Link to these settings"),
		),
	)
}

func (v *TransferView) renderProgress() app.UI {
	x := &v.s.Transfer
	if x.finishing {
		return app.Div().Class("progress").Body(app.Span().ID("tr-finishing").Text("Every run is done; computing the statistics…"))
	}
	if !v.s.running(jobTransfer) || x.job == nil {
		return app.Div().Class("progress idle")
	}
	j := x.job
	rate, left := 0.0, "estimating…"
	if s := time.Since(x.started).Seconds(); s > 0.2 && j.Done() > 0 {
		rate = float64(j.Done()) / s
		left = "about " + (time.Duration(float64(j.Total()-j.Done())/rate) * time.Second).Round(time.Second).String() + " left"
	}
	return app.Div().Class("progress").Body(
		app.Progress().ID("tr-progress").Max(j.Total()).Value(j.Done()),
		app.Span().ID("tr-progress-text").Text(fmt.Sprintf(" seeds %d / %d · iterations %d / %d · %.0f iterations/s · %s",
			j.SeedsDone(), j.Spec().Seeds, j.Done(), j.Total(), rate, left)),
	)
}

func (v *TransferView) renderResult(r *transferResult) app.UI {
	t, res := r.tr.Spec, r.tr.Summary.Results[0]
	f3 := func(x float64) string { return strconv.FormatFloat(x, 'f', 3, 64) }
	cols := []column{{label: "Arm"}, {label: "median [95% CI]", num: true}, {label: "mean ± std", num: true},
		{label: "Wilcoxon p vs transferred", num: true}, {label: "Holm p", num: true}, {label: "transferred higher / tied / lower", num: true}}
	rows := make([]row, 0, len(res.Conditions))
	for _, c := range res.Conditions {
		cells := []cell{{text: c.Name}, {text: f3(c.Median) + " [" + f3(c.CI[0]) + ", " + f3(c.CI[1]) + "]", class: "num"}, {text: f3(c.Mean) + " ± " + f3(c.Std), class: "num"}}
		cls := ""
		if c.Name == engine.ArmTransferred {
			cells = append(cells, cell{text: "reference", class: "muted"}, cell{}, cell{})
			cls = "reference"
		}
		for _, cmp := range res.Comparisons {
			if cmp.B == c.Name {
				p, h := "— (all tied)", "— (all tied)"
				if cmp.WilcoxonP != nil {
					p, h = formatP(*cmp.WilcoxonP), formatP(*cmp.HolmP)
				}
				cells = append(cells, cell{text: p, class: "num"}, cell{text: h, class: "num"}, cell{text: fmt.Sprintf("%d / %d / %d", cmp.Wins, cmp.Ties, cmp.Losses), class: "num"})
			}
		}
		rows = append(rows, row{id: "tr-row-" + c.Name, class: cls, cells: cells})
	}
	claims := make([]app.UI, len(r.tr.Claims))
	for i, c := range r.tr.Claims {
		claims[i] = app.Li().Text(c)
	}
	src := fmt.Sprintf("evolved on %s for %d iterations per seed (agent %s)", t.From, t.SourceIterations, t.Pick)
	if t.SourceKnobs != nil {
		src = "taken from a saved run on " + t.From
	}
	downloads := make([]app.UI, 0, len(lab.TransferFiles))
	for _, f := range lab.TransferFiles {
		data := r.tr.Files[f]
		downloads = append(downloads, app.Button().ID("dl-tr-"+fileID(f)).Class("secondary").
			OnClick(func(app.Context, app.Event) { downloadBytes(f, data, mimeOf(f)) }).
			Text(fmt.Sprintf("%s (%s)", f, fileSize(len(data)))))
	}
	return app.Div().ID("tr-result").Body(
		app.H2().ID("tr-title").Text(fmt.Sprintf("%s → %s: %s over %d seeds", t.From, t.To, res.Metric, t.Seeds)),
		app.P().ID("tr-done").Text(fmt.Sprintf("The meta policy %s, frozen, made %d children on %s in each arm. Done in %.1f s.", src, t.K, t.To, r.elapsed.Seconds())),
		app.Section().Class("card").ID("tr-claims").Body(app.H3().Text("What holds"), app.Ul().Body(claims...)),
		app.Div().Class("table-wrap").Body(rawTable("tr-table", "data", cols, rows)),
		app.If(!r.chartLater, func() app.UI { return v.renderChart(r) }),
		app.Div().Class("buttons downloads").Body(downloads...),
	)
}

// renderChart is the transfer's strip chart with its readout.
func (v *TransferView) renderChart(r *transferResult) app.UI {
	return app.Section().Class("card chart").ID("tr-chart").Body(
		app.Div().Class("chart-plot").TabIndex(0).Aria("describedby", "tr-readout").
			Title("Point at an arm, or focus the chart and use ← →, to read it").
			OnMouseMove(v.s.handleEvent(v.s.Transfer.onArmPoint)).
			OnFocus(v.s.handle(func(app.Context) { v.s.Transfer.stepArm("") })).
			OnKeyDown(v.s.handleEvent(func(ctx app.Context, e app.Event) {
				if v.s.Transfer.stepArm(e.Get("key").String()) {
					e.PreventDefault()
				}
			})).
			Body(app.Raw(`<div class="svg-wrap">`+string(r.tr.Files[lab.TransferSVG])+`</div>`)),
		app.P().ID("tr-readout").Class("readout small").Aria("live", "polite").Text(orHelpArm(v.s.Transfer.ArmReadout)),
	)
}
