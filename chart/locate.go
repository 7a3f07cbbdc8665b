package chart

import (
	"math"
	"slices"
	"sort"
)

// Locate finds what a pointer points at on a chart drawn by SVG(panels, o): the panel under the
// position (px, py), in the SVG's units, and the x value there. ok is false outside every plot
// area.
func Locate(panels []Panel, o Options, px, py float64) (panel int, x float64, ok bool) {
	o = o.withDefaults()
	top, cols := o.grid(len(panels))
	if cols == 0 || py < float64(top) {
		return 0, 0, false
	}
	col, row := int(px)/o.PanelWidth, (int(py)-top)/o.PanelHeight
	panel = row*cols + col
	if col >= cols || panel >= len(panels) || px < 0 {
		return 0, 0, false
	}
	x, ok = DataX(panels[panel], o.PanelWidth, px-float64(col*o.PanelWidth))
	return panel, x, ok
}

// Value is one series' value at an x: its name, the value and its band (NaN when the series has
// none).
type Value struct {
	Name      string
	X, Y      float64
	Lo, Hi    float64
	HasValues bool
}

// ValuesAt is every series of p at the drawn point nearest to x.
func ValuesAt(p Panel, x float64) []Value {
	out := make([]Value, 0, len(p.Series))
	for _, s := range p.Series {
		v := Value{Name: s.Name, Lo: math.NaN(), Hi: math.NaN()}
		if n := len(s.X); n > 0 && len(s.Y) == n {
			i := sort.SearchFloat64s(s.X, x)
			if i == n || (i > 0 && x-s.X[i-1] < s.X[i]-x) {
				i--
			}
			v.X, v.Y, v.HasValues = s.X[i], s.Y[i], true
			if len(s.Lo) == n && len(s.Hi) == n {
				v.Lo, v.Hi = s.Lo[i], s.Hi[i]
			}
		}
		out = append(out, v)
	}
	return out
}

// Xs lists the x values drawn on p, every series together, in increasing order without repeats:
// the points a keyboard steps through.
func Xs(p Panel) []float64 {
	var xs []float64
	for _, s := range p.Series {
		xs = append(xs, s.X[:min(len(s.X), len(s.Y))]...)
	}
	slices.Sort(xs)
	return slices.Compact(xs)
}
