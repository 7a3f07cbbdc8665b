package chart

import (
	"context"
	"encoding/xml"
	"io"
	"math"
	"slices"
	"strings"
	"testing"

	"hyperagents/engine"
)

// wellFormed parses s as XML and counts its elements by name.
func wellFormed(t *testing.T, s string) map[string]int {
	t.Helper()
	d := xml.NewDecoder(strings.NewReader(s))
	n := map[string]int{}
	for {
		tok, err := d.Token()
		if err == io.EOF {
			return n
		}
		if err != nil {
			t.Fatalf("SVG is not well-formed XML: %v", err)
		}
		if se, ok := tok.(xml.StartElement); ok {
			n[se.Name.Local]++
		}
	}
}

func TestFiguresFromExperiment(t *testing.T) {
	d, err := engine.NewCodeReview()
	if err != nil {
		t.Fatal(err)
	}
	rows, err := engine.RunExperiment(context.Background(), engine.ExperimentConfig{
		Conditions: engine.ModeConditions(engine.Modes...), Seeds: engine.DefaultSeeds(3), Iterations: 10,
	}, d)
	if err != nil {
		t.Fatal(err)
	}
	lc := wellFormed(t, LearningCurves(rows))
	if lc["polyline"] != 6 || lc["polygon"] != 6 {
		t.Errorf("learning curves: %d lines and %d bands, want 6 and 6 (2 panels × 3 conditions)", lc["polyline"], lc["polygon"])
	}
	md := MetaPolicyDrift(rows)
	if n := wellFormed(t, md); n["polyline"] != 6 {
		t.Errorf("meta drift: %d lines, want 6 (3 panels × hyperagent, baseline)", n["polyline"])
	}
	if strings.Contains(md, "No Archive") {
		t.Error("meta drift shows no_archive; it compares hyperagent with baseline only")
	}
}

func TestSVGEscapesAndHandlesEmpty(t *testing.T) {
	s := SVG([]Panel{{Title: `<script>&"`, Series: []Series{{Name: "a<b", Color: "#000", X: []float64{1}, Y: []float64{0.5}}}}, {Title: "empty"}}, Options{Title: "t"})
	wellFormed(t, s)
	if strings.Contains(s, "<script>") {
		t.Error("title not escaped")
	}
}

func TestTicks(t *testing.T) {
	got := ticks(0.4, 1.05, 5)
	if len(got) < 3 || got[0] < 0.4 || got[len(got)-1] > 1.05 {
		t.Errorf("ticks(0.4, 1.05) = %v", got)
	}
}

func TestIntegerXTicks(t *testing.T) {
	p := Panel{IntegerX: true, Series: []Series{{X: []float64{0}, Y: []float64{0.5}}}}
	svg := SVG([]Panel{p}, Options{})
	const xTick = `text-anchor="middle" fill="#555">0.`
	if strings.Contains(svg, xTick) {
		t.Errorf("integer x axis shows fractional ticks: %s", svg)
	}
	p.IntegerX = false
	if svg := SVG([]Panel{p}, Options{}); !strings.Contains(svg, xTick) {
		t.Error("without IntegerX, fractional ticks expected on a 0..1 axis")
	}
}

func TestLegendWrapsAndKeepsEveryKey(t *testing.T) {
	var series []Series
	for _, name := range []string{"child train", "best train", "chosen: validation", "chosen: test"} {
		series = append(series, Series{Name: name, Color: "#123456", X: []float64{0, 1}, Y: []float64{0, 1}})
	}
	narrow := SVG([]Panel{{Title: "t", Series: series}}, Options{PanelWidth: 300, PanelHeight: 200})
	wide := SVG([]Panel{{Title: "t", Series: series}}, Options{PanelWidth: 900, PanelHeight: 200})
	for _, s := range series {
		if !strings.Contains(narrow, ">"+s.Name+"</text>") {
			t.Errorf("the 300-wide legend drops %q", s.Name)
		}
	}
	if !strings.Contains(narrow, `viewBox="0 0 300 242"`) {
		t.Errorf("the 300-wide chart does not grow for a second legend row: %.120s", narrow)
	}
	if !strings.Contains(wide, `viewBox="0 0 900 224"`) {
		t.Errorf("the 900-wide chart's legend should fit one row: %.120s", wide)
	}
	_, pos, rows := legendLayout([]Panel{{Series: series}}, 300)
	for i, p := range pos {
		if end := p[0] + 22 + 7*len(series[i].Name); end > 300-10 && p[0] > 14 {
			t.Errorf("key %d ends at %d, past the chart's width", i, end)
		}
	}
	if rows < 2 {
		t.Errorf("%d legend rows at 300 wide", rows)
	}
}

func TestSmoothIsACentredMovingAverage(t *testing.T) {
	in := []Panel{{Series: []Series{{Name: "s", X: []float64{0, 1, 2, 3, 4}, Y: []float64{0, 3, 6, 3, math.NaN()}}}}}
	out := Smooth(in, 3)
	want := []float64{1.5, 3, 4, 4.5, 3}
	for i, w := range want {
		if got := out[0].Series[0].Y[i]; math.Abs(got-w) > 1e-12 {
			t.Errorf("point %d: %v, want %v", i, got, w)
		}
	}
	if in[0].Series[0].Y[1] != 3 {
		t.Error("Smooth changed its input")
	}
	if got := Smooth(in, 1); &got[0] != &in[0] {
		t.Error("a window of 1 should leave the panels as they are")
	}
}

func TestLocateAndValuesAt(t *testing.T) {
	mk := func(title string) Panel {
		return Panel{Title: title, Series: []Series{
			{Name: "a", X: []float64{0, 10, 20}, Y: []float64{1, 2, 3}, Lo: []float64{0, 1, 2}, Hi: []float64{2, 3, 4}},
			{Name: "b", X: []float64{0, 10, 20}, Y: []float64{5, 6, 7}},
		}}
	}
	panels, o := []Panel{mk("left"), mk("right")}, Options{Title: "t", PanelWidth: 400, PanelHeight: 200}
	// The right panel's plot runs from 400+52 to 800-14 over x 0…20: its middle is x = 10.
	p, x, ok := Locate(panels, o, 400+52+(400-52-14)/2.0, 28+100)
	if !ok || p != 1 || math.Abs(x-10) > 1e-9 {
		t.Fatalf("Locate = %d, %v, %v; want panel 1 at x 10", p, x, ok)
	}
	for _, c := range []struct{ px, py float64 }{{10, 100}, {500, 10}, {900, 100}, {500, 28 + 250}} {
		if _, _, ok := Locate(panels, o, c.px, c.py); ok {
			t.Errorf("Locate(%v, %v) is inside a plot", c.px, c.py)
		}
	}
	vs := ValuesAt(panels[1], 13)
	if len(vs) != 2 || vs[0].Y != 2 || vs[0].Lo != 1 || vs[0].Hi != 3 || vs[1].Y != 6 || !math.IsNaN(vs[1].Lo) || vs[0].X != 10 {
		t.Errorf("ValuesAt(13) = %+v", vs)
	}
	if vs := ValuesAt(panels[0], 16); vs[0].X != 20 {
		t.Errorf("ValuesAt(16) picked x %v, want the nearest point 20", vs[0].X)
	}
}

// TestXs lists every series' x values once, in order, ignoring x values past a series' y values.
func TestXs(t *testing.T) {
	p := Panel{Series: []Series{
		{X: []float64{0, 10, 20, 30}, Y: []float64{1, 2, 3}},
		{X: []float64{5, 10, 40}, Y: []float64{1, 2, 3}},
	}}
	if got, want := Xs(p), []float64{0, 5, 10, 20, 40}; !slices.Equal(got, want) {
		t.Errorf("Xs = %v, want %v", got, want)
	}
	if got := Xs(Panel{}); len(got) != 0 {
		t.Errorf("Xs of an empty panel = %v", got)
	}
}

// TestTransferArmAt finds the arm column under x: 4 arms share the 568 units between the margins.
func TestTransferArmAt(t *testing.T) {
	r := engine.Result{Conditions: make([]engine.CondStat, 4)}
	for _, c := range []struct {
		x    float64
		arm  int
		isOn bool
	}{{55, 0, false}, {56, 0, true}, {197, 0, true}, {199, 1, true}, {400, 2, true}, {623, 3, true}, {625, 0, false}} {
		i, ok := TransferArmAt(r, c.x)
		if ok != c.isOn || (ok && i != c.arm) {
			t.Errorf("x %v: arm %d, %v; want %d, %v", c.x, i, ok, c.arm, c.isOn)
		}
	}
	if _, ok := TransferArmAt(engine.Result{}, 100); ok {
		t.Error("an arm found on a chart without arms")
	}
}
