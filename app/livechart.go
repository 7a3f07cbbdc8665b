package ui

import (
	"fmt"
	"strconv"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"hyperagents/chart"
	"hyperagents/engine"
)

// liveChartWidth is the live chart's width in SVG units on a wide screen.
const liveChartWidth = 560

// liveWidth is the live chart's width in SVG units: on a narrow screen (a phone) the chart is
// drawn at the width it is shown at, so its 11 px text stays 11 px instead of shrinking.
func liveWidth() int {
	if !app.IsClient {
		return liveChartWidth
	}
	w := app.Window().Get("innerWidth").Int()
	if w <= 0 || w >= 640 {
		return liveChartWidth
	}
	// main's and the card's padding and borders: 2 × (10 + 10 + 1).
	return max(280, w-42)
}

// livePanel is the live chart: best train, best test (and for adaptive runs the chosen agent's
// validation) and each child's train score per iteration, thinned to at most chartPoints
// iterations so long runs stay cheap to render. The caller holds s.mu.
func (o *Overview) livePanel() (chart.Panel, bool) {
	run := o.s.Run.run
	if run == nil {
		return chart.Panel{}, false
	}
	n := run.Iterations() + 1
	step := max(1, (n+chartPoints-1)/chartPoints)
	var xs, train, val, test, child []float64
	lo := 0.0
	for i := 0; i < n; i += step {
		p := run.ProgressAt(i)
		xs = append(xs, float64(i))
		train = append(train, p.BestFitness)
		val = append(val, p.BestVal)
		test = append(test, p.BestTestAccuracy)
		child = append(child, p.ChildTrain)
		lo = min(lo, p.ChildTrain)
	}
	if run.Config().Flavour == engine.FlavourAdaptive {
		return chart.Panel{
			Title: "Score per iteration (chance-corrected: 0 = chance)", XLabel: "iteration", IntegerX: true, YMin: lo, YMax: 1.02,
			Series: []chart.Series{
				{Name: "child train", Color: "#9a8f80", X: xs, Y: child, Dots: true},
				{Name: "best train", Color: chart.ColorHyperagent, X: xs, Y: train},
				{Name: "chosen: validation", Color: "#5b4a9e", X: xs, Y: val},
				{Name: "chosen: test", Color: chart.ColorBaseline, X: xs, Y: test, Dashed: true},
			},
		}, true
	}
	return chart.Panel{
		Title: "Accuracy per iteration", XLabel: "iteration", Percent: true, IntegerX: true, YMin: 0.3, YMax: 1.02,
		Series: []chart.Series{
			{Name: "child train", Color: "#9a8f80", X: xs, Y: child, Dots: true},
			{Name: "best train", Color: chart.ColorHyperagent, X: xs, Y: train},
			{Name: "best test", Color: chart.ColorBaseline, X: xs, Y: test, Dashed: true},
		},
	}, true
}

// chartSVG draws the live chart ("" before there is a run). The caller holds s.mu.
func (o *Overview) chartSVG() string {
	p, ok := o.livePanel()
	if !ok {
		return ""
	}
	return chart.SVG([]chart.Panel{p}, chart.Options{PanelWidth: liveWidth(), PanelHeight: 260})
}

// renderChart is the live chart with a readout of the values at the iteration under the pointer
// (or chosen with the arrow keys when the chart has the focus) and its downloads. The caller
// holds s.mu.
func (o *Overview) renderChart() app.UI {
	return app.Section().Class("card chart").ID("live-chart").Body(
		app.Div().ID("live-chart-plot").TabIndex(0).Aria("describedby", "chart-readout").
			Title("Point at the chart, or focus it and use ← →, to read the values at an iteration").
			OnMouseMove(o.onPoint).OnMouseLeave(func(ctx app.Context, e app.Event) { o.hover = -1 }).
			OnKeyDown(o.onKey).OnFocus(o.onFocus).
			Body(app.Raw(o.chartSVG())),
		app.P().ID("chart-readout").Class("readout small").Aria("live", "polite").Text(o.readout()),
		app.Details().ID("live-chart-data").Open(o.tableOpen).
			OnToggle(func(ctx app.Context, e app.Event) { o.tableOpen = ctx.JSSrc().Get("open").Bool() }).
			Body(
				app.Summary().Text("The chart's data as a table"),
				app.If(o.tableOpen, func() app.UI { return o.dataTable() }),
			),
		o.s.chartDownloads("chart", "live-chart", o.chartSVG, o.csvRows),
	)
}

// readout says the values at the pointed iteration, or how to get them. The caller holds s.mu.
func (o *Overview) readout() string {
	run := o.s.Run.run
	if run == nil || o.hover < 0 || o.hover > run.Iterations() {
		return "Point at the chart (or focus it and press ← →) to read the values at an iteration."
	}
	p := run.ProgressAt(o.hover)
	f := percent
	if run.Config().Flavour == engine.FlavourAdaptive {
		f = score
		return fmt.Sprintf("Iteration %d: child train %s · best train %s · chosen: validation %s · chosen: test %s",
			o.hover, f(p.ChildTrain), f(p.BestFitness), f(p.BestVal), f(p.BestTestAccuracy))
	}
	return fmt.Sprintf("Iteration %d: child train %s · best train %s · best test %s", o.hover, f(p.ChildTrain), f(p.BestFitness), f(p.BestTestAccuracy))
}

// onPoint reads the iteration under the pointer.
func (o *Overview) onPoint(ctx app.Context, e app.Event) {
	f, _, ok := pointerAcross(ctx.JSSrc(), e)
	if !ok {
		return
	}
	width := liveWidth()
	px := f * float64(width)
	o.s.mu.Lock()
	defer o.s.mu.Unlock()
	p, ok := o.livePanel()
	if !ok {
		return
	}
	x, ok := chart.DataX(p, width, px)
	if !ok {
		return
	}
	o.hover = max(0, min(o.s.Run.run.Iterations(), int(x+0.5)))
}

// onFocus shows the latest iteration when the chart gets the keyboard focus.
func (o *Overview) onFocus(ctx app.Context, e app.Event) {
	o.s.mu.Lock()
	defer o.s.mu.Unlock()
	if run := o.s.Run.run; run != nil && o.hover < 0 {
		o.hover = run.Iterations()
	}
}

// onKey moves the pointed iteration with the arrow keys (Home and End jump to the ends).
func (o *Overview) onKey(ctx app.Context, e app.Event) {
	o.s.mu.Lock()
	defer o.s.mu.Unlock()
	run := o.s.Run.run
	if run == nil {
		return
	}
	last := run.Iterations()
	switch e.Get("key").String() {
	case "ArrowLeft":
		o.hover = max(0, min(last, o.hover)-1)
	case "ArrowRight":
		o.hover = min(last, o.hover+1)
	case "Home":
		o.hover = 0
	case "End":
		o.hover = last
	default:
		return
	}
	e.PreventDefault()
}

// csvRows are the live chart's data for every iteration (not thinned), as CSV rows. The caller
// holds s.mu.
func (o *Overview) csvRows() [][]string {
	run := o.s.Run.run
	if run == nil {
		return nil
	}
	rows := [][]string{{"iteration", "child_train", "best_train", "best_val", "best_test"}}
	for i := 0; i <= run.Iterations(); i++ {
		p := run.ProgressAt(i)
		rows = append(rows, []string{strconv.Itoa(i), fmtFloat(p.ChildTrain), fmtFloat(p.BestFitness), fmtFloat(p.BestVal), fmtFloat(p.BestTestAccuracy)})
	}
	return rows
}

// dataTable is the live chart's points as a table: what a screen reader reads instead of the
// drawing. The caller holds s.mu.
func (o *Overview) dataTable() app.UI {
	p, ok := o.livePanel()
	if !ok {
		return app.P().Text("No run yet.")
	}
	f := percent
	if o.s.Run.run.Config().Flavour == engine.FlavourAdaptive {
		f = score
	}
	cols := []column{{label: "Iteration", num: true}}
	for _, s := range p.Series {
		cols = append(cols, column{label: s.Name, num: true})
	}
	rows := make([]row, 0, len(p.Series[0].X))
	for i, x := range p.Series[0].X {
		r := row{cells: []cell{{text: strconv.Itoa(int(x))}}}
		for _, s := range p.Series {
			r.cells = append(r.cells, cell{text: f(s.Y[i])})
		}
		rows = append(rows, r)
	}
	return app.Div().Class("table-wrap data-scroll").Body(rawTable("live-chart-table", "data", cols, rows))
}
