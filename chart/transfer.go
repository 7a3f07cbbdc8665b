package chart

import (
	"fmt"
	"math"
	"strings"

	"hyperagents/engine"
)

// armColors colour the transfer's arms, in engine.TransferArms order.
var armColors = []string{ColorHyperagent, "#7a6a5a", "#5b4a9e", ColorBaseline}

// The strip chart's width and side margins, in SVG units: [TransferArmAt] reads them too.
const armsW, armsLeft, armsRight = 640, 56, 16

// TransferArmAt is the arm whose column holds x (in the SVG's units) on TransferArms(r), and
// whether x is on one.
func TransferArmAt(r engine.Result, x float64) (int, bool) {
	n := len(r.Conditions)
	if n == 0 {
		return 0, false
	}
	col := float64(armsW-armsLeft-armsRight) / float64(n)
	i := int(math.Floor((x - armsLeft) / col))
	return i, x >= armsLeft && i >= 0 && i < n
}

// TransferArms draws a transfer's arms side by side: every seed's imp@k as a dot (jittered
// deterministically), the median as a bar and its 95% bootstrap interval as a whisker, with the
// zero line (no improvement over the initial agent).
func TransferArms(r engine.Result) string {
	const w, h, left, right, top, bottom = armsW, 300, armsLeft, armsRight, 34, 46
	ymin, ymax := 0.0, 0.0
	for _, c := range r.Conditions {
		for _, v := range append(append([]float64(nil), c.Values...), c.CI[0], c.CI[1]) {
			ymin, ymax = math.Min(ymin, v), math.Max(ymax, v)
		}
	}
	if ymax-ymin < 1e-9 {
		ymax = ymin + 1
	}
	pad := (ymax - ymin) * 0.06
	ymin, ymax = ymin-pad, ymax+pad
	sy := func(v float64) float64 { return float64(h-bottom) - (v-ymin)/(ymax-ymin)*float64(h-bottom-top) }
	col := float64(w-left-right) / float64(max(1, len(r.Conditions)))
	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %d %d" width="%d" height="%d" font-family="system-ui, sans-serif" font-size="11" role="img">`, w, h, w, h)
	title := fmt.Sprintf("%s on %s per arm: every seed, median and 95%% CI", r.Metric, r.Domain)
	fmt.Fprintf(&b, `<title>%s</title><rect width="%d" height="%d" fill="#fff"/>`, esc(title), w, h)
	fmt.Fprintf(&b, `<text x="%d" y="20" text-anchor="middle" font-size="13" font-weight="600">%s</text>`, w/2, esc(title))
	for _, t := range ticks(ymin, ymax, 5) {
		fmt.Fprintf(&b, `<line x1="%d" x2="%d" y1="%s" y2="%s" stroke="#e3e3e3"/><text x="%d" y="%s" text-anchor="end" fill="#555">%s</text>`,
			left, w-right, num(sy(t)), num(sy(t)), left-5, num(sy(t)+4), trimFloat(t))
	}
	fmt.Fprintf(&b, `<line x1="%d" x2="%d" y1="%s" y2="%s" stroke="#333" stroke-dasharray="4 3"/>`, left, w-right, num(sy(0)), num(sy(0)))
	for i, c := range r.Conditions {
		color := armColors[i%len(armColors)]
		cx := float64(left) + col*(float64(i)+0.5)
		fmt.Fprintf(&b, `<g class="arm" data-arm="%s">`, esc(c.Name))
		for k, v := range c.Values {
			jitter := (float64((k*7919)%13)/12 - 0.5) * col * 0.35
			fmt.Fprintf(&b, `<circle cx="%s" cy="%s" r="3.5" fill="%s" fill-opacity="0.55"><title>%s seed %d: %s</title></circle>`,
				num(cx+jitter), num(sy(v)), color, esc(c.Name), k, trimFloat(v))
		}
		fmt.Fprintf(&b, `<line x1="%s" x2="%s" y1="%s" y2="%s" stroke="#222" stroke-width="1.5"/>`, num(cx), num(cx), num(sy(c.CI[0])), num(sy(c.CI[1])))
		fmt.Fprintf(&b, `<line x1="%s" x2="%s" y1="%s" y2="%s" stroke="#222" stroke-width="3"><title>%s median %s [%s, %s]</title></line>`,
			num(cx-col*0.22), num(cx+col*0.22), num(sy(c.Median)), num(sy(c.Median)), esc(c.Name), trimFloat(c.Median), trimFloat(c.CI[0]), trimFloat(c.CI[1]))
		fmt.Fprintf(&b, `<text x="%s" y="%d" text-anchor="middle" fill="#333">%s</text></g>`, num(cx), h-bottom+18, esc(c.Name))
	}
	fmt.Fprintf(&b, `<rect x="%d" y="%d" width="%d" height="%d" fill="none" stroke="#999"/>`, left, top, w-left-right, h-bottom-top)
	fmt.Fprintf(&b, `<text x="%d" y="%d" fill="#555">dashed: 0, no improvement over the initial agent</text>`, left, h-10)
	b.WriteString(`</svg>`)
	return b.String()
}
