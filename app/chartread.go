package ui

import (
	"fmt"
	"math"
	"strings"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"hyperagents/chart"
)

// chartPointHelp is what a chart's readout says before the pointer is on it.
const chartPointHelp = "Point at a chart to read every condition's value at that iteration."

// pointedValues reads the values under the pointer of event e on the chart drawn inside src
// (an element holding one SVG made by chart.SVG(panels, o)): "Best train accuracy, iteration 12:
// hyperagent 85.0% (band 80.0–90.0%) · baseline …". It is "" when the pointer is not on a plot.
func pointedValues(src app.Value, e app.Event, panels []chart.Panel, o chart.Options) string {
	svg := src.Call("querySelector", "svg")
	if !svg.Truthy() {
		return ""
	}
	rect := svg.Call("getBoundingClientRect")
	box := svg.Get("viewBox").Get("baseVal")
	w, h := rect.Get("width").Float(), rect.Get("height").Float()
	if w <= 0 || h <= 0 {
		return ""
	}
	px := (e.Get("clientX").Float() - rect.Get("left").Float()) / w * box.Get("width").Float()
	py := (e.Get("clientY").Float() - rect.Get("top").Float()) / h * box.Get("height").Float()
	i, x, ok := chart.Locate(panels, o, px, py)
	if !ok {
		return ""
	}
	return describeValues(panels[i], x)
}

// describeValues says every series of p at the drawn point nearest to x, in words.
func describeValues(p chart.Panel, x float64) string {
	f := func(v float64) string { return fmt.Sprintf("%.3g", v) }
	if p.Percent {
		f = func(v float64) string { return fmt.Sprintf("%.1f%%", 100*v) }
	}
	vs := chart.ValuesAt(p, x)
	parts := make([]string, 0, len(vs))
	at := 0.0
	for _, v := range vs {
		if !v.HasValues {
			continue
		}
		at = v.X
		s := v.Name + " " + f(v.Y)
		if !math.IsNaN(v.Lo) && !math.IsNaN(v.Hi) {
			s += " (band " + f(v.Lo) + "–" + f(v.Hi) + ")"
		}
		parts = append(parts, s)
	}
	if len(parts) == 0 {
		return ""
	}
	return fmt.Sprintf("%s, iteration %.0f: %s", p.Title, at, strings.Join(parts, " · "))
}
