package ui

import (
	"fmt"
	"strconv"
	"strings"
	"sync"

	"github.com/maxence-charriere/go-app/v10/pkg/app"
)

// Fonts the views use, prepared by fontWarmup. The e2e suite (fontsWarmed) checks every text on
// every view against the prepared ones, so a size or weight added to web/app.css or a chart must
// be added here too.
var (
	// fontSizes are the page's text sizes in CSS pixels, for regular and monospace text (headings
	// sized in em land on 17.55 and 22.5).
	fontSizes = []float64{10, 11, 12, 12.5, 13, 13.5, 14, 15, 16, 17, 17.55, 18, 19, 22, 22.5}
	// fontWeights are the weights used with them.
	fontWeights = []int{400, 500, 600, 700}
	// chartFontSizes and chartFontWeights are the charts' (chart/*.go) text in SVG units.
	chartFontSizes   = []int{10, 11, 12, 13, 14}
	chartFontWeights = []int{400, 600}
)

// fontWarmup is an invisible block of text in every font the views use (fontSizes × fontWeights
// in the page's sans-serif and monospace; the charts' sizes and weights in an SVG). It is part of
// the prerendered HTML, so the browser prepares those fonts at the first layout, while the page is
// still loading.
//
// Why: in Chromium on Linux, the first text in a new font, weight or size asks the browser
// process for its rendering settings and waits for the answer. While the WebAssembly module is
// being optimised in the background (the first ten or so seconds after a load, on a two-core
// machine) the answer took 0.3–2 s, so a finished sweep or transfer, whose tables and charts
// brought new sizes, froze the page that long (BenchmarkBrowserLab). A chart scaled to its card
// would need a new size at every scale; drawn with geometricPrecision (web/app.css) it does not.
func fontWarmup() app.UI { return app.Raw(fontWarmupHTML()) }

// fontWarmupHTML is fontWarmup's HTML, made once: one raw element is cheaper for every render to
// compare than a hundred spans.
var fontWarmupHTML = sync.OnceValue(func() string {
	var b strings.Builder
	b.WriteString(`<div class="font-warmup" aria-hidden="true">`)
	for _, size := range fontSizes {
		for _, weight := range fontWeights {
			style := fmt.Sprintf("font-size:%spx;font-weight:%d", strconv.FormatFloat(size, 'f', -1, 64), weight)
			fmt.Fprintf(&b, `<span style="%s">Aa0</span><span class="mono" style="%s">Aa0</span>`, style, style)
		}
	}
	b.WriteString(`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 40 40" width="40" height="40" font-family="system-ui, sans-serif">`)
	for _, size := range chartFontSizes {
		for _, weight := range chartFontWeights {
			fmt.Fprintf(&b, `<text y="20" font-size="%d" font-weight="%d">Aa0</text>`, size, weight)
		}
	}
	b.WriteString(`</svg></div>`)
	return b.String()
})
