//go:build !(js && wasm)

package e2e

import (
	"fmt"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// stallJS runs start (JavaScript statements), then polls done (an expression) with 1 ms timers
// and resolves to [milliseconds until done, the longest gap between two timers]: how long the
// work took and the longest the page could not answer meanwhile.
func stallJS(start, done string) string {
	return fmt.Sprintf(`new Promise(resolve => {
		let last = performance.now(), worst = 0;
		const t0 = last;
		const beat = () => {
			const now = performance.now();
			worst = Math.max(worst, now - last);
			last = now;
			if (%s) return resolve([now - t0, worst]);
			setTimeout(beat, 1);
		};
		%s;
		setTimeout(beat, 1);
	})`, done, start)
}

// redrawn is a stallJS end: the element id has gone (a new job removed the last result) and is
// back.
func redrawn(id string) string {
	return fmt.Sprintf(`(() => {
		const gone = "gone-" + %q;
		if (!document.getElementById(%q)) { window[gone] = true; return false; }
		return window[gone] === true;
	})()`, id, id)
}

// BenchmarkBrowserLab measures the research lab in headless Chromium and reports:
//
//   - transfer_ms, transfer_stall_ms: wine → breast_cancer, k 50, 20 seeds, 1,000 source
//     iterations, from the click to the result with its chart drawn (the page draws the chart
//     after the table), and the longest main-thread stall meanwhile
//     (goals ≤ 30,000 ms, i.e. 3× the command line's 10 s goal, and ≤ 50 ms)
//   - sweep_ms, sweep_stall_ms: the quick sweep preset (2 domains × 3 conditions × 5 seeds × 200
//     iterations) to its result with the learning curves drawn, and its longest stall (goal ≤ 50)
//   - transfer_again_ms, transfer_again_stall_ms, sweep_again_ms, sweep_again_stall_ms: each run
//     a second time in the same page, when Chromium has run their code before
//   - lineage10k_ms: the Lineage view of a 10,000-agent run, from the click to the drawn tree
//     (goal ≤ 300); lineage10k_again_ms: the same after a visit to the Overview, when Chromium
//     has run the view's code before
//   - scrub_ms: the slowest of ten scrubs of its selection iteration, input to redrawn tree
//     (goal ≤ 50)
func BenchmarkBrowserLab(b *testing.B) {
	bigDB := filepath.Join(b.TempDir(), "big10k.sqlite")
	cmd := exec.Command("go", "run", "./cmd/hyperagents", "run", "--domain", "wine", "--iterations", "9999", "--db", bigDB)
	cmd.Dir = ".."
	if out, err := cmd.CombinedOutput(); err != nil {
		b.Fatalf("CLI: %v\n%s", err, out)
	}
	var tr, trStall, sw, swStall, trAgain, trStallAgain, swAgain, swStallAgain, lin, linAgain, scrub float64
	for b.Loop() {
		ctx := browserFor(b, 10*time.Minute)
		open(b, ctx, "/transfer", "tr-run")
		res := eval[[]float64](b, ctx, stallJS(`document.getElementById("tr-run").click()`, `!!document.getElementById("tr-chart")`))
		tr, trStall = res[0], res[1]

		click(b, ctx, "nav-experiments")
		waitVisible(b, ctx, "sweep-run")
		res = eval[[]float64](b, ctx, stallJS(`document.getElementById("sweep-run").click()`, `!!document.getElementById("sweep-curves")`))
		sw, swStall = res[0], res[1]

		// Both again, in the same page: the same work without Chromium's first runs of its code.
		// A new job removes the last result, so each ends when its chart has gone and come back.
		click(b, ctx, "nav-transfer")
		waitVisible(b, ctx, "tr-run")
		res = eval[[]float64](b, ctx, stallJS(`document.getElementById("tr-run").click()`, redrawn("tr-chart")))
		trAgain, trStallAgain = res[0], res[1]
		click(b, ctx, "nav-experiments")
		waitVisible(b, ctx, "sweep-run")
		res = eval[[]float64](b, ctx, stallJS(`document.getElementById("sweep-run").click()`, redrawn("sweep-curves")))
		swAgain, swStallAgain = res[0], res[1]

		click(b, ctx, "nav-runs")
		waitVisible(b, ctx, "runs-summary")
		do(b, ctx, chromedp.SetUploadFiles(chromedp.ID("import-file"), []string{bigDB}))
		waitVisible(b, ctx, "import-report")
		id := eval[string](b, ctx, `[...document.querySelectorAll("#runs-table tr.run")].find(r => r.querySelector(".iterations").textContent === "9999").id.slice(4)`)
		click(b, ctx, "open-"+id)
		waitText(b, ctx, "stat-iterations", "9999")
		openLineage := func() float64 {
			return eval[float64](b, ctx, `new Promise(resolve => {
				const t0 = performance.now();
				document.getElementById("nav-lineage").click();
				const tick = () => document.getElementById("lineage-svg") ? resolve(performance.now() - t0) : requestAnimationFrame(tick);
				tick();
			})`)
		}
		lin = openLineage()
		scrub = 0
		for _, at := range []int{100, 900, 2500, 4000, 5200, 6100, 7300, 8000, 9100, 9999} {
			ms := eval[float64](b, ctx, fmt.Sprintf(`new Promise(resolve => {
				const el = document.getElementById("lineage-at"), t0 = performance.now();
				el.value = "%d";
				el.dispatchEvent(new Event("input", {bubbles: true}));
				const tick = () => document.getElementById("lineage").dataset.at === "%d" ? resolve(performance.now() - t0) : requestAnimationFrame(tick);
				tick();
			})`, at, at))
			scrub = max(scrub, ms)
		}
		// The view again, after the Overview: the same work, without Chromium's first runs of its code.
		click(b, ctx, "nav-overview")
		waitVisible(b, ctx, "run")
		linAgain = openLineage()
	}
	b.ReportMetric(tr, "transfer_ms")
	b.ReportMetric(trStall, "transfer_stall_ms")
	b.ReportMetric(sw, "sweep_ms")
	b.ReportMetric(swStall, "sweep_stall_ms")
	b.ReportMetric(trAgain, "transfer_again_ms")
	b.ReportMetric(trStallAgain, "transfer_again_stall_ms")
	b.ReportMetric(swAgain, "sweep_again_ms")
	b.ReportMetric(swStallAgain, "sweep_again_stall_ms")
	b.ReportMetric(lin, "lineage10k_ms")
	b.ReportMetric(linAgain, "lineage10k_again_ms")
	b.ReportMetric(scrub, "scrub_ms")
	fmt.Printf("browser lab: transfer wine→breast_cancer k50×20 %.0f ms (longest stall %.1f ms; again %.0f ms, %.1f ms) · quick sweep %.0f ms (stall %.1f ms; again %.0f ms, %.1f ms) · lineage of 10,000 agents %.0f ms (opened again %.0f ms), slowest scrub %.1f ms\n",
		tr, trStall, trAgain, trStallAgain, sw, swStall, swAgain, swStallAgain, lin, linAgain, scrub)
}
