package ui

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"hyperagents/chart"
	"hyperagents/engine"
)

// maxWeightRows is how many weights a single-output policy lists (the largest first) when it has
// no picture; the Agent view lists them all.
const maxWeightRows = 12

// policyView shows an adaptive task policy in the shape of its domain: the digits' weights as 8×8
// heat maps, a multi-class policy or the maze's controller as a matrix (outputs × features, with
// the maze's trajectories), any other policy as its weights, largest first, with its threshold.
// all lists every weight instead of the largest.
func policyView(d engine.Domain, a *engine.Agent, all bool) app.UI {
	shape, feats := d.Info().Shape, d.Features()
	var parts []app.UI
	if svg, ok := chart.Picture(d, a); ok {
		parts = append(parts, app.Div().Class("picture").ID("policy-picture").Body(app.Raw(svg)))
	}
	switch {
	case shape.Task == engine.TaskBinary && len(feats) == 64:
		// the heat map says it all
	case len(shape.Outputs) > 1 && len(feats) <= 16:
		parts = append(parts, matrixTable(shape, feats, a))
	case len(shape.Outputs) == 1:
		parts = append(parts, weightsTable(feats, a.Task.Weights, all))
	}
	var extra string
	switch shape.Task {
	case engine.TaskBinary:
		extra = fmt.Sprintf("threshold %.4f: %q when the weighted sum reaches it", a.Task.Threshold, shape.Outputs[0])
	case engine.TaskMulticlass:
		bs := make([]string, len(a.Task.Biases))
		for i, b := range a.Task.Biases {
			bs[i] = fmt.Sprintf("%s %+.3f", shape.Outputs[i], b)
		}
		extra = "biases: " + strings.Join(bs, ", ")
	}
	if extra != "" {
		parts = append(parts, app.P().Class("muted small").ID("policy-extra").Text(extra))
	}
	return app.Div().Class("policy").Body(parts...)
}

// matrixTable is a weight matrix: one row per output, one column per feature.
func matrixTable(shape engine.Shape, feats []string, a *engine.Agent) app.UI {
	head := []app.UI{app.Th().Text("")}
	for _, f := range feats {
		head = append(head, app.Th().Class("num").Text(strings.ReplaceAll(f, "_", " ")))
	}
	if shape.Task == engine.TaskMulticlass {
		head = append(head, app.Th().Class("num").Text("bias"))
	}
	rows := []app.UI{app.Tr().Body(head...)}
	for o, out := range shape.Outputs {
		cells := []app.UI{app.Th().Text(out)}
		for j := range feats {
			cells = append(cells, weightCell(a.Task.Weights[o*len(feats)+j]))
		}
		if shape.Task == engine.TaskMulticlass {
			cells = append(cells, weightCell(a.Task.Biases[o]))
		}
		rows = append(rows, app.Tr().Body(cells...))
	}
	return app.Div().Class("table-wrap").Body(app.Table().Class("matrix").ID("policy-matrix").Body(rows...))
}

// weightCell is a number tinted by its sign and size.
func weightCell(w float64) app.UI {
	cls := "num"
	switch {
	case w > 0.05:
		cls += " pos"
	case w < -0.05:
		cls += " neg"
	}
	return app.Td().Class(cls).Text(fmt.Sprintf("%.3f", w))
}

// weightsTable lists a single-output policy's weights, largest first (the first maxWeightRows
// unless all).
func weightsTable(feats []string, w []float64, all bool) app.UI {
	idx := make([]int, len(w))
	for i := range idx {
		idx[i] = i
	}
	slices.SortStableFunc(idx, func(a, b int) int { return cmp.Compare(math.Abs(w[b]), math.Abs(w[a])) })
	shown := idx
	if !all && len(idx) > maxWeightRows {
		shown = idx[:maxWeightRows]
	}
	rows := make([]app.UI, 0, len(shown)+1)
	for _, i := range shown {
		rows = append(rows, app.Tr().Body(app.Td().Text(feats[i]), weightCell(w[i])))
	}
	if len(shown) < len(idx) {
		rows = append(rows, app.Tr().Body(app.Td().Class("muted").Text(fmt.Sprintf("… and %d more (the Agent view lists them all)", len(idx)-len(shown))), app.Td()))
	}
	return app.Table().Class("weights").ID("policy-weights").Body(rows...)
}

// knobsTable lists an adaptive meta policy's knobs with what each does.
func knobsTable(a *engine.Agent) app.UI {
	rows := make([]app.UI, 0, engine.NumKnobs)
	for k, spec := range engine.Knobs {
		rows = append(rows, app.Tr().Title(spec.Help).Body(
			app.Th().Text(knobLabel(spec)),
			app.Td().Class("num").ID("knob-"+spec.Name).Text(fmt.Sprintf("%.4g", a.Meta.Knobs[k])),
		))
	}
	return app.Table().Class("kv").ID("knobs").Body(rows...)
}

// knobLabel names a knob by its symbol, adding the long name when it says something more.
func knobLabel(spec engine.KnobSpec) string {
	if spec.Symbol == spec.Name {
		return spec.Name
	}
	return spec.Symbol + " (" + spec.Name + ")"
}
