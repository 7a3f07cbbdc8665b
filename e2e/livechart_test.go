//go:build !(js && wasm)

package e2e

import (
	"encoding/csv"
	"fmt"
	"math"
	"strconv"
	"strings"
	"testing"
)

// TestLiveChartAnswersQuestions points at the live chart: the readout gives every series' value
// at that iteration (the same as the chart's downloaded data), the arrow keys move it, the legend
// draws the dashed series dashed, and the chart downloads as SVG and CSV.
func TestLiveChartAnswersQuestions(t *testing.T) {
	ctx := browser(t)
	open(t, ctx, "/", "run")
	setInput(t, ctx, "iterations", "30")
	click(t, ctx, "run")
	waitText(t, ctx, "stat-iterations", "30")

	rows := readCSV(t, download(t, ctx, "chart-csv"))
	if len(rows) != 32 || strings.Join(rows[0], ",") != "iteration,child_train,best_train,best_val,best_test" {
		t.Fatalf("the chart's CSV has %d rows, header %v", len(rows), rows[0])
	}
	if got, want := pct(t, rows[31][2]), text(t, ctx, "stat-train"); got != want {
		t.Errorf("CSV best train at 30 is %s, the page shows %s", got, want)
	}

	// Point at iteration 15: the plot runs from x=52 to x=546 of the 560-wide SVG over 0…30.
	eval[bool](t, ctx, `(() => {
		const plot = document.getElementById("live-chart-plot"), r = plot.querySelector("svg").getBoundingClientRect();
		const x = r.left + (52 + 15 / 30 * (546 - 52)) / 560 * r.width;
		plot.dispatchEvent(new MouseEvent("mousemove", {clientX: x, clientY: r.top + r.height / 2, bubbles: true}));
		return true;
	})()`)
	want := fmt.Sprintf("Iteration 15: child train %s · best train %s · best test %s", pct(t, rows[16][1]), pct(t, rows[16][2]), pct(t, rows[16][4]))
	waitText(t, ctx, "chart-readout", want)

	// The keyboard: focus shows the last iteration, ← goes back one.
	eval[bool](t, ctx, `(document.getElementById("live-chart-plot").dispatchEvent(new MouseEvent("mouseleave")), true)`)
	eval[bool](t, ctx, `(document.getElementById("live-chart-plot").dispatchEvent(new FocusEvent("focus")), true)`)
	waitJS(t, ctx, "the readout at iteration 30", `document.getElementById("chart-readout").textContent.startsWith("Iteration 30:")`)
	eval[bool](t, ctx, `(document.getElementById("live-chart-plot").dispatchEvent(new KeyboardEvent("keydown", {key: "ArrowLeft", bubbles: true})), true)`)
	waitJS(t, ctx, "the readout at iteration 29", `document.getElementById("chart-readout").textContent.startsWith("Iteration 29:")`)

	// The data-table alternative: one row per drawn iteration, the same numbers as the CSV.
	eval[bool](t, ctx, `(document.querySelector("#live-chart-data summary").click(), true)`)
	waitJS(t, ctx, "the chart's data table", `document.querySelectorAll("#live-chart-table tbody tr").length === 31`)
	if got, want := eval[string](t, ctx, `document.querySelector("#live-chart-table tbody tr:nth-child(16)").innerText`), "15\t"+pct(t, rows[16][1])+"\t"+pct(t, rows[16][2])+"\t"+pct(t, rows[16][4]); got != want {
		t.Errorf("the table's row for iteration 15 reads %q, want %q", got, want)
	}
	if n := count(t, ctx, `#live-chart svg line[stroke-dasharray]`); n != 1 {
		t.Errorf("the legend has %d dashed keys, want 1 (best test)", n)
	}
	svg := string(download(t, ctx, "chart-svg"))
	if !strings.HasPrefix(svg, "<svg") || !strings.Contains(svg, "Accuracy per iteration") {
		t.Errorf("the downloaded SVG starts %.60q", svg)
	}
	screenshot(t, ctx, "live-chart-readout")
	fontsWarmed(t, ctx, "live-chart-readout")
}

// readCSV parses a CSV file or fails the test.
func readCSV(t *testing.T, b []byte) [][]string {
	t.Helper()
	rows, err := csv.NewReader(strings.NewReader(string(b))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

// pct formats a CSV fraction as the page does (0.85 → "85%").
func pct(t *testing.T, s string) string {
	t.Helper()
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		t.Fatal(err)
	}
	return fmt.Sprintf("%.0f%%", math.Round(v*100))
}
