package ui

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"hyperagents/chart"
	"hyperagents/engine"
)

// Limits of the overview's inputs.
const (
	maxOverviewIterations = 100_000
	sliceBudget           = 8 * time.Millisecond // work per slice before the page gets the thread back
	chartPoints           = 400                  // the live chart draws at most this many iterations
)

// Overview runs one configuration live: stats bar, controls, progress, live chart and best agent.
type Overview struct {
	app.Compo

	mode, flavour     string
	seedIn, itersIn   string
	seedErr, itersErr string
	err               string

	run     *engine.Run
	running bool
	target  int // iteration the current Run click stops at
	start   int // iteration the current Run click started from
	gen     int // bumps on every start/stop so stale slice loops end
}

// OnInit sets the form's defaults.
func (o *Overview) OnInit() {
	o.mode, o.flavour = engine.ModeHyperagent.String(), engine.FlavourStandard.String()
	o.seedIn, o.itersIn = "7", "30"
}

// OnMount starts a fresh run so the page shows the seed agent at once.
func (o *Overview) OnMount(ctx app.Context) {
	if o.run == nil {
		o.reset()
	}
	markReady()
}

// OnDismount stops a running loop.
func (o *Overview) OnDismount() {
	o.running = false
	o.gen++
}

// config reads the form. It reports problems in the inline messages and returns ok=false; nothing
// runs with a silently changed value.
func (o *Overview) config() (engine.Config, int, bool) {
	o.seedErr, o.itersErr, o.err = "", "", ""
	var c engine.Config
	m, err := engine.ParseMode(o.mode)
	if err != nil {
		o.err = err.Error()
		return c, 0, false
	}
	f, err := engine.ParseFlavour(o.flavour)
	if err != nil {
		o.err = err.Error()
		return c, 0, false
	}
	seed, err := strconv.ParseUint(strings.TrimSpace(o.seedIn), 10, 64)
	if err != nil || seed > engine.MaxSeed {
		o.seedErr = fmt.Sprintf("Seed must be a whole number from 0 to %d.", uint64(engine.MaxSeed))
	}
	n, err := strconv.Atoi(strings.TrimSpace(o.itersIn))
	if err != nil || n < 1 || n > maxOverviewIterations {
		o.itersErr = fmt.Sprintf("Iterations must be a whole number from 1 to %d.", maxOverviewIterations)
	}
	if o.seedErr != "" || o.itersErr != "" {
		return c, 0, false
	}
	return engine.Config{Mode: m, Flavour: f, Seed: seed}, n, true
}

// reset starts a new run from the form's configuration, if it is valid.
func (o *Overview) reset() bool {
	cfg, _, ok := o.config()
	if !ok {
		return false
	}
	d, err := engine.NewCodeReview()
	if err == nil {
		o.run, err = engine.New(cfg, d)
	}
	if err != nil {
		o.err = err.Error()
		return false
	}
	o.running = false
	o.gen++
	return true
}

// ensureRun resets when the form names another configuration than the current run's.
func (o *Overview) ensureRun() (int, bool) {
	cfg, n, ok := o.config()
	if !ok {
		return 0, false
	}
	if o.run == nil || o.run.Config() != cfg {
		if !o.reset() {
			return 0, false
		}
	}
	return n, true
}

func (o *Overview) onRun(ctx app.Context, e app.Event) {
	n, ok := o.ensureRun()
	if !ok || o.running {
		return
	}
	o.start = o.run.Iterations()
	o.target = o.start + n
	o.running = true
	o.gen++
	o.loop(ctx, o.gen)
}

// loop advances the run in slices on the UI goroutine, giving the page the thread between slices.
func (o *Overview) loop(ctx app.Context, gen int) {
	ctx.Async(func() {
		for {
			done := make(chan bool, 1)
			ctx.Dispatch(func(ctx app.Context) {
				if !o.running || o.gen != gen {
					done <- true
					return
				}
				deadline := time.Now().Add(sliceBudget)
				for o.run.Iterations() < o.target && time.Now().Before(deadline) {
					if _, err := o.run.Step(context.Background()); err != nil {
						o.err = err.Error()
						o.running = false
						break
					}
				}
				if o.run.Iterations() >= o.target {
					o.running = false
				}
				done <- !o.running
			})
			if <-done {
				return
			}
			time.Sleep(time.Millisecond)
		}
	})
}

func (o *Overview) onStep(ctx app.Context, e app.Event) {
	if _, ok := o.ensureRun(); !ok || o.running {
		return
	}
	if _, err := o.run.Step(context.Background()); err != nil {
		o.err = err.Error()
	}
}

func (o *Overview) onStop(ctx app.Context, e app.Event) {
	o.running = false
	o.gen++
}

func (o *Overview) onReset(ctx app.Context, e app.Event) { o.reset() }

// Render implements app.Composer.
func (o *Overview) Render() app.UI {
	return page(PathOverview,
		o.renderStats(),
		app.Section().Class("controls").Body(o.renderForm(), o.renderButtons(), o.renderProgress()),
		app.If(o.err != "", func() app.UI { return app.P().Class("error").ID("error").Text(o.err) }),
		app.Div().Class("grid").Body(
			app.Section().Class("card chart").ID("live-chart").Body(app.Raw(o.chartSVG())),
			o.renderBest(),
		),
	)
}

func (o *Overview) renderStats() app.UI {
	var iters, size, train, test, best string = "0", "0", "–", "–", "–"
	if o.run != nil {
		b := o.run.Best()
		iters = strconv.Itoa(o.run.Iterations())
		size = strconv.Itoa(o.run.Archive().Len())
		train, test, best = percent(b.Eval.TrainAccuracy), percent(b.Eval.TestAccuracy), b.Agent.ID
	}
	stat := func(id, label, v string) app.UI {
		return app.Div().Class("stat").Body(app.Span().Class("label").Text(label), app.Span().Class("value").ID(id).Text(v))
	}
	return app.Section().Class("stats").ID("stats").Body(
		stat("stat-iterations", "Iterations", iters),
		stat("stat-archive", "Archive size", size),
		stat("stat-train", "Best train", train),
		stat("stat-test", "Best test", test),
		stat("stat-best", "Best agent", best),
	)
}

func (o *Overview) renderForm() app.UI {
	modes := make([]app.UI, 0, len(engine.Modes))
	for _, m := range engine.Modes {
		id := "mode-" + m.String()
		modes = append(modes, app.Label().Class("mode").For(id).Body(
			app.Input().Type("radio").Name("mode").ID(id).Value(m.String()).Checked(o.mode == m.String()).
				OnChange(o.ValueTo(&o.mode)),
			app.Strong().Text(m.String()),
			app.Span().Class("help").Text(" — "+m.Help()),
		))
	}
	field := func(id, label, val, errMsg string, to *string) app.UI {
		return app.Div().Class("field").Body(
			app.Label().For(id).Text(label),
			app.Input().ID(id).Type("text").Attr("inputmode", "numeric").Value(val).OnInput(o.ValueTo(to)).
				Aria("invalid", errMsg != ""),
			app.If(errMsg != "", func() app.UI { return app.Span().Class("error").ID(id + "-error").Text(errMsg) }),
		)
	}
	return app.Div().Class("form").Body(
		app.FieldSet().Body(append([]app.UI{app.Legend().Text("Mode")}, modes...)...),
		app.Div().Class("fields").Body(
			app.Div().Class("field").Body(
				app.Label().For("flavour").Text("Flavour"),
				app.Select().ID("flavour").OnChange(o.ValueTo(&o.flavour)).Body(
					app.Option().Value("standard").Selected(o.flavour == "standard").Text("standard (flaws fixed)"),
					app.Option().Value("seed").Selected(o.flavour == "seed").Text("seed (bit-exact)"),
				),
			),
			field("seed", "Seed", o.seedIn, o.seedErr, &o.seedIn),
			field("iterations", "Iterations", o.itersIn, o.itersErr, &o.itersIn),
		),
	)
}

func (o *Overview) renderButtons() app.UI {
	return app.Div().Class("buttons").Body(
		app.Button().ID("run").Text("Run").Disabled(o.running).OnClick(o.onRun),
		app.Button().ID("step").Text("Step").Disabled(o.running).OnClick(o.onStep),
		app.Button().ID("stop").Text("Stop").Disabled(!o.running).OnClick(o.onStop),
		app.Button().ID("reset").Text("Reset").OnClick(o.onReset),
	)
}

func (o *Overview) renderProgress() app.UI {
	if !o.running || o.run == nil {
		return app.Div().Class("progress idle")
	}
	done, total := o.run.Iterations()-o.start, o.target-o.start
	return app.Div().Class("progress").Body(
		app.Progress().ID("progress").Max(total).Value(done),
		app.Span().Text(fmt.Sprintf(" %d / %d", done, total)),
	)
}

// chartSVG draws best train, best test and each child's train accuracy per iteration, thinned to
// at most chartPoints iterations so long runs stay cheap to render.
func (o *Overview) chartSVG() string {
	if o.run == nil {
		return ""
	}
	n := o.run.Iterations() + 1
	step := max(1, (n+chartPoints-1)/chartPoints)
	var xs, train, test, child []float64
	for i := 0; i < n; i += step {
		p := o.run.ProgressAt(i)
		xs = append(xs, float64(i))
		train = append(train, p.BestFitness)
		test = append(test, p.BestTestAccuracy)
		child = append(child, p.ChildTrain)
	}
	return chart.SVG([]chart.Panel{{
		Title: "Accuracy per iteration", XLabel: "iteration", Percent: true, YMin: 0.3, YMax: 1.02,
		Series: []chart.Series{
			{Name: "child train", Color: "#9a8f80", X: xs, Y: child, Dots: true},
			{Name: "best train", Color: chart.ColorHyperagent, X: xs, Y: train},
			{Name: "best test", Color: chart.ColorBaseline, X: xs, Y: test, Dashed: true},
		},
	}}, chart.Options{PanelWidth: 560, PanelHeight: 260})
}

func (o *Overview) renderBest() app.UI {
	if o.run == nil {
		return app.Section().Class("card")
	}
	b := o.run.Best()
	a := b.Agent
	parent := a.ParentID
	if parent == "" {
		parent = "seed"
	}
	feats := o.run.Domain().Features()
	weights := make([]app.UI, 0, len(feats))
	for i, f := range feats {
		weights = append(weights, app.Tr().Body(app.Td().Text(f), app.Td().Class("num").Text(fmt.Sprintf("%.3f", a.Task.Weights[i]))))
	}
	return app.Section().Class("card best").ID("best-agent").Body(
		app.H2().Text("Best agent "+a.ID),
		app.P().Text(fmt.Sprintf("parent %s · generation %d · %s review · focus %s", parent, a.Generation, a.Task.ReviewStyle, feats[a.Meta.Focus])),
		app.P().Text(fmt.Sprintf("train %s · test %s · threshold %.3f", percent(b.Eval.TrainAccuracy), percent(b.Eval.TestAccuracy), a.Task.Threshold)),
		app.P().Class("summary").Text(b.Eval.Summary),
		app.Table().Class("weights").Body(weights...),
	)
}

// percent formats an accuracy as the seed's UI does: Math.round(v·100) + "%".
func percent(v float64) string { return strconv.Itoa(int(v*100+0.5)) + "%" }
