package ui

import (
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"hyperagents/chart"
)

// chartPointHelp is what a chart's readout says before the pointer is on it.
const chartPointHelp = "Point at a chart (or focus it and press ← →) to read every condition's value at that iteration."

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

// pointerAcross is how far across the SVG drawn inside src the pointer of e is (0 at its left
// edge, 1 at its right), and the SVG; ok is false when there is no drawn SVG.
func pointerAcross(src app.Value, e app.Event) (float64, app.Value, bool) {
	svg := src.Call("querySelector", "svg")
	if !svg.Truthy() {
		return 0, nil, false
	}
	rect := svg.Call("getBoundingClientRect")
	w := rect.Get("width").Float()
	if w <= 0 {
		return 0, nil, false
	}
	return (e.Get("clientX").Float() - rect.Get("left").Float()) / w, svg, true
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

// chartCursor is where the keyboard reads a multi-panel chart: a panel and one of its x values.
type chartCursor struct {
	panel int
	x     float64
	set   bool
}

// key moves the cursor over panels by key — ← → to the previous or next drawn x, Home and End to
// the ends, ↑ ↓ to the panel before or after — and reports whether the key was one of those.
// The first key (or the focus) puts it on the first panel's last x.
func (c *chartCursor) key(panels []chart.Panel, k string) bool {
	if len(panels) == 0 {
		return false
	}
	if !c.set || c.panel >= len(panels) {
		c.start(panels)
		if k != "ArrowLeft" && k != "ArrowRight" && k != "Home" && k != "End" && k != "ArrowUp" && k != "ArrowDown" {
			return false
		}
	}
	xs := chart.Xs(panels[c.panel])
	if len(xs) == 0 {
		return false
	}
	i, _ := slices.BinarySearch(xs, c.x)
	switch k {
	case "ArrowLeft":
		i = max(0, min(i, len(xs))-1)
	case "ArrowRight":
		if i < len(xs) && xs[i] == c.x {
			i++
		}
		i = min(len(xs)-1, i)
	case "Home":
		i = 0
	case "End":
		i = len(xs) - 1
	case "ArrowUp", "ArrowDown":
		step := 1
		if k == "ArrowUp" {
			step = -1
		}
		c.panel = (c.panel + step + len(panels)) % len(panels)
		c.clamp(panels)
		return true
	default:
		return false
	}
	c.x = xs[i]
	return true
}

// start puts the cursor on the first panel's last x.
func (c *chartCursor) start(panels []chart.Panel) {
	c.panel, c.set = 0, true
	c.clamp(panels)
	if xs := chart.Xs(panels[0]); len(xs) > 0 {
		c.x = xs[len(xs)-1]
	}
}

// clamp keeps the cursor's x within its panel's drawn x values.
func (c *chartCursor) clamp(panels []chart.Panel) {
	xs := chart.Xs(panels[c.panel])
	if len(xs) > 0 {
		c.x = max(xs[0], min(xs[len(xs)-1], c.x))
	}
}

// readableChart is a chart's drawing made readable: pointing reads the values under the pointer,
// and when it has the focus the arrow keys step through them (↑ ↓ change panel); the words go to
// *readout, shown in the element readoutID. panels gives the chart's panels and options when an
// event comes (go-app keeps the handlers of the first render, so they must not capture them).
func (s *Session) readableChart(readoutID string, cur *chartCursor, readout *string, panels func() ([]chart.Panel, chart.Options, bool), drawing ...app.UI) app.UI {
	return app.Div().Class("chart-plot").TabIndex(0).Aria("describedby", readoutID).
		Title("Point at the chart, or focus it and use ← → (↑ ↓ for another panel), to read the values").
		OnMouseMove(s.handleEvent(func(ctx app.Context, e app.Event) {
			if ps, o, ok := panels(); ok {
				*readout = pointedValues(ctx.JSSrc(), e, ps, o)
			}
		})).
		OnFocus(s.handle(func(ctx app.Context) {
			if ps, _, ok := panels(); ok && len(ps) > 0 {
				if !cur.set || cur.panel >= len(ps) {
					cur.start(ps)
				}
				*readout = describeValues(ps[cur.panel], cur.x)
			}
		})).
		OnKeyDown(s.handleEvent(func(ctx app.Context, e app.Event) {
			ps, _, ok := panels()
			if !ok || !cur.key(ps, e.Get("key").String()) {
				return
			}
			e.PreventDefault()
			*readout = describeValues(ps[cur.panel], cur.x)
		})).
		Body(drawing...)
}
