// Package chart draws line charts as standalone SVG: panels side by side, each with lines, optional
// shaded bands (mean ± std) and axes. The CLI writes its output to files and the browser workbench
// embeds the same markup, so both show identical charts.
//
// Output is a pure function of the input: no clock, no randomness, numbers printed with fixed
// precision.
package chart

import (
	"fmt"
	"html"
	"math"
	"strconv"
	"strings"
)

// Series is one line of a panel, with an optional band (Lo, Hi) drawn under it.
type Series struct {
	Name   string
	Color  string // CSS colour, e.g. "#b8582f"
	X, Y   []float64
	Lo, Hi []float64 // optional band, same length as X
	Dashed bool
	Dots   bool // draw points instead of a line
}

// Panel is one chart: a title, axes and its series.
type Panel struct {
	Title  string
	XLabel string
	YLabel string
	// YMin and YMax fix the y range; when equal, it is fitted to the data.
	YMin, YMax float64
	// Percent labels the y axis in percent (0.85 → 85%).
	Percent bool
	// IntegerX keeps only whole-number x ticks (iterations).
	IntegerX bool
	Series   []Series
}

// Options sizes the figure.
type Options struct {
	Title       string
	PanelWidth  int // default 420
	PanelHeight int // default 260
	Columns     int // panels per row; default all in one row
}

// withDefaults fills in the default panel size.
func (o Options) withDefaults() Options {
	if o.PanelWidth <= 0 {
		o.PanelWidth = 420
	}
	if o.PanelHeight <= 0 {
		o.PanelHeight = 260
	}
	return o
}

// grid is where n panels go: the height of the title above them and how many panels a row holds.
func (o Options) grid(n int) (top, cols int) {
	if o.Title != "" {
		top = titleHeight
	}
	cols = n
	if o.Columns > 0 && o.Columns < cols {
		cols = o.Columns
	}
	return top, cols
}

// Colors of the ablation conditions, as in the seed's plots.
const (
	ColorHyperagent = "#b8582f"
	ColorBaseline   = "#1a7d79"
	ColorNoArchive  = "#7a6a5a"
)

const (
	marginLeft   = 52
	marginRight  = 14
	marginTop    = 30
	marginBottom = 42
	titleHeight  = 28
	legendHeight = 24
)

// SVG renders the panels side by side with a shared legend of every distinct series name.
func SVG(panels []Panel, o Options) string {
	o = o.withDefaults()
	top, cols := o.grid(len(panels))
	rows := (len(panels) + max(1, cols) - 1) / max(1, cols)
	w := o.PanelWidth * max(1, cols)
	_, _, legendRows := legendLayout(panels, w)
	h := top + o.PanelHeight*max(1, rows) + legendHeight + (legendRows-1)*legendRow
	var b strings.Builder
	// A chart with a title is named by its <title>; one without is named by its panels' titles.
	name := ""
	if o.Title == "" {
		var titles []string
		for _, p := range panels {
			if p.Title != "" {
				titles = append(titles, p.Title)
			}
		}
		if name = strings.Join(titles, "; "); name == "" {
			name = "chart"
		}
		name = ` aria-label="` + esc(name) + `"`
	}
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %d %d" width="%d" height="%d" font-family="system-ui, sans-serif" font-size="11" role="img"%s>`, w, h, w, h, name)
	fmt.Fprintf(&b, `<rect width="%d" height="%d" fill="#fff"/>`, w, h)
	if o.Title != "" {
		fmt.Fprintf(&b, `<title>%s</title><text x="%d" y="19" text-anchor="middle" font-size="14" font-weight="600">%s</text>`,
			esc(o.Title), w/2, esc(o.Title))
	}
	for i, p := range panels {
		drawPanel(&b, p, (i%cols)*o.PanelWidth, top+(i/cols)*o.PanelHeight, o.PanelWidth, o.PanelHeight)
	}
	drawLegend(&b, panels, top+o.PanelHeight*max(1, rows), w)
	b.WriteString(`</svg>`)
	return b.String()
}

func drawPanel(b *strings.Builder, p Panel, x0, y0, pw, ph int) {
	left, right := float64(x0+marginLeft), float64(x0+pw-marginRight)
	top, bottom := float64(y0+marginTop), float64(y0+ph-marginBottom)
	xmin, xmax, ymin, ymax := bounds(p)
	sx := func(v float64) float64 { return left + (v-xmin)/(xmax-xmin)*(right-left) }
	sy := func(v float64) float64 { return bottom - (v-ymin)/(ymax-ymin)*(bottom-top) }

	fmt.Fprintf(b, `<g class="panel"><text x="%s" y="%d" text-anchor="middle" font-size="12" font-weight="600">%s</text>`,
		num((left+right)/2), y0+18, esc(p.Title))
	for _, t := range ticks(ymin, ymax, 5) {
		y := sy(t)
		label := trimFloat(t)
		if p.Percent {
			label = strconv.Itoa(int(math.Round(t*100))) + "%"
		}
		fmt.Fprintf(b, `<line x1="%s" x2="%s" y1="%s" y2="%s" stroke="#e3e3e3"/><text x="%s" y="%s" text-anchor="end" fill="#555">%s</text>`,
			num(left), num(right), num(y), num(y), num(left-5), num(y+4), label)
	}
	for _, t := range ticks(xmin, xmax, 6) {
		if p.IntegerX && t != math.Round(t) {
			continue
		}
		x := sx(t)
		fmt.Fprintf(b, `<line x1="%s" x2="%s" y1="%s" y2="%s" stroke="#999"/><text x="%s" y="%s" text-anchor="middle" fill="#555">%s</text>`,
			num(x), num(x), num(bottom), num(bottom+4), num(x), num(bottom+16), trimFloat(t))
	}
	fmt.Fprintf(b, `<rect x="%s" y="%s" width="%s" height="%s" fill="none" stroke="#999"/>`,
		num(left), num(top), num(right-left), num(bottom-top))
	if p.XLabel != "" {
		fmt.Fprintf(b, `<text x="%s" y="%s" text-anchor="middle" fill="#333">%s</text>`, num((left+right)/2), num(bottom+32), esc(p.XLabel))
	}
	if p.YLabel != "" {
		fmt.Fprintf(b, `<text transform="translate(%d %s) rotate(-90)" text-anchor="middle" fill="#333">%s</text>`,
			x0+12, num((top+bottom)/2), esc(p.YLabel))
	}
	for _, s := range p.Series {
		if len(s.Lo) == len(s.X) && len(s.Hi) == len(s.X) && len(s.X) > 0 {
			var pts []string
			for i := range s.X {
				pts = append(pts, num(sx(s.X[i]))+","+num(sy(s.Hi[i])))
			}
			for i := len(s.X) - 1; i >= 0; i-- {
				pts = append(pts, num(sx(s.X[i]))+","+num(sy(s.Lo[i])))
			}
			fmt.Fprintf(b, `<polygon points="%s" fill="%s" fill-opacity="0.18" stroke="none"/>`, strings.Join(pts, " "), esc(s.Color))
		}
	}
	for _, s := range p.Series {
		n := min(len(s.X), len(s.Y))
		if s.Dots {
			// One path of zero-length round-capped segments: a dot per point, one element in all,
			// so live charts stay cheap for the browser to replace.
			fmt.Fprintf(b, `<path stroke="%s" stroke-opacity="0.55" stroke-width="4" stroke-linecap="round" fill="none" data-series="%s" d="`, esc(s.Color), esc(s.Name))
			for i := range n {
				fmt.Fprintf(b, `M%s %sh0`, num(sx(s.X[i])), num(sy(s.Y[i])))
			}
			b.WriteString(`"/>`)
			continue
		}
		pts := make([]string, n)
		for i := range n {
			pts[i] = num(sx(s.X[i])) + "," + num(sy(s.Y[i]))
		}
		dash := ""
		if s.Dashed {
			dash = ` stroke-dasharray="5 3"`
		}
		fmt.Fprintf(b, `<polyline points="%s" fill="none" stroke="%s" stroke-width="2"%s data-series="%s"/>`,
			strings.Join(pts, " "), esc(s.Color), dash, esc(s.Name))
	}
	b.WriteString(`</g>`)
}

func drawLegend(b *strings.Builder, panels []Panel, y0, w int) {
	items, pos, _ := legendLayout(panels, w)
	// Each key is drawn as its series is: a dot, a dashed line or a solid line.
	for i, it := range items {
		x, y := pos[i][0], y0+pos[i][1]*legendRow
		switch {
		case it.Dots:
			fmt.Fprintf(b, `<circle cx="%d" cy="%d" r="3" fill="%s"/><circle cx="%d" cy="%d" r="3" fill="%s"/>`,
				x+3, y+12, esc(it.Color), x+13, y+12, esc(it.Color))
		case it.Dashed:
			fmt.Fprintf(b, `<line x1="%d" y1="%d" x2="%d" y2="%d" stroke="%s" stroke-width="2.5" stroke-dasharray="5 3"/>`,
				x, y+12, x+18, y+12, esc(it.Color))
		default:
			fmt.Fprintf(b, `<line x1="%d" y1="%d" x2="%d" y2="%d" stroke="%s" stroke-width="2.5"/>`,
				x, y+12, x+18, y+12, esc(it.Color))
		}
		fmt.Fprintf(b, `<text x="%d" y="%d" fill="#333">%s</text>`, x+22, y+16, esc(it.Name))
	}
}

// legendRow is the height of each further row of a legend that wraps.
const legendRow = 18

// legendLayout places the legend's keys (every distinct series name, in order) in rows that fit
// width w: each key's x and row. It returns the keys, their places and the number of rows.
func legendLayout(panels []Panel, w int) ([]Series, [][2]int, int) {
	var items []Series
	seen := map[string]bool{}
	for _, p := range panels {
		for _, s := range p.Series {
			if s.Name != "" && !seen[s.Name] {
				seen[s.Name] = true
				items = append(items, s)
			}
		}
	}
	pos := make([][2]int, len(items))
	x, row := 14, 0
	for i, it := range items {
		width := 22 + 7*len(it.Name)
		if x > 14 && x+width > w-10 {
			x, row = 14, row+1
		}
		pos[i] = [2]int{x, row}
		x += width + 14
	}
	return items, pos, row + 1
}

// bounds returns the data ranges of a panel, padded so flat data still has a height.
func bounds(p Panel) (xmin, xmax, ymin, ymax float64) {
	xmin, xmax = math.Inf(1), math.Inf(-1)
	ymin, ymax = math.Inf(1), math.Inf(-1)
	for _, s := range p.Series {
		for i, x := range s.X {
			xmin, xmax = math.Min(xmin, x), math.Max(xmax, x)
			for _, v := range []([]float64){s.Y, s.Lo, s.Hi} {
				if i < len(v) && !math.IsNaN(v[i]) {
					ymin, ymax = math.Min(ymin, v[i]), math.Max(ymax, v[i])
				}
			}
		}
	}
	if math.IsInf(xmin, 0) {
		xmin, xmax = 0, 1
	}
	if xmax <= xmin {
		xmax = xmin + 1
	}
	if p.YMax > p.YMin {
		return xmin, xmax, p.YMin, p.YMax
	}
	if math.IsInf(ymin, 0) {
		ymin, ymax = 0, 1
	}
	if ymax <= ymin {
		ymin, ymax = ymin-0.5*math.Max(math.Abs(ymin)*0.1, 0.01), ymax+0.5*math.Max(math.Abs(ymax)*0.1, 0.01)
	}
	pad := (ymax - ymin) * 0.06
	return xmin, xmax, ymin - pad, ymax + pad
}

// ticks returns about n round values spanning [lo, hi].
func ticks(lo, hi float64, n int) []float64 {
	span := hi - lo
	if span <= 0 || n < 1 {
		return []float64{lo}
	}
	step := math.Pow(10, math.Floor(math.Log10(span/float64(n))))
	for _, m := range []float64{1, 2, 2.5, 5, 10} {
		if span/(step*m) <= float64(n) {
			step *= m
			break
		}
	}
	var out []float64
	for v := math.Ceil(lo/step) * step; v <= hi+step*1e-9; v += step {
		out = append(out, math.Round(v/step)*step)
	}
	return out
}

func num(v float64) string { return strconv.FormatFloat(v, 'f', 1, 64) }

func trimFloat(v float64) string {
	if math.Abs(v) < 1e-12 {
		v = 0
	}
	return strconv.FormatFloat(v, 'g', 4, 64)
}

func esc(s string) string { return html.EscapeString(s) }

// DataX is the x value under the horizontal position px (in the SVG's units) of a chart of one
// panel p drawn width wide by SVG: what a pointer over the chart points at. ok is false outside
// the plot area.
func DataX(p Panel, width int, px float64) (x float64, ok bool) {
	left, right := float64(marginLeft), float64(width-marginRight)
	if px < left || px > right || right <= left {
		return 0, false
	}
	xmin, xmax, _, _ := bounds(p)
	return xmin + (px-left)/(right-left)*(xmax-xmin), true
}
