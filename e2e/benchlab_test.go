//go:build !(js && wasm)

package e2e

import (
	"context"
	"fmt"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// stallJS runs start (JavaScript statements), then polls done (an expression) with 1 ms timers
// and resolves to [milliseconds until done, the longest gap between two timers, the number of
// long tasks, their blocking time, the longest of them, how long start itself took]: how long the
// work took, the longest the page's timers had to wait meanwhile, how often, how much and how
// long the main thread was blocked, and how long the click (or whatever start does) held it. Long tasks are the browser's (main-thread tasks of 50 ms or more, from a
// PerformanceObserver; the longest is 0 when there was none); blocking time is what they took
// beyond 50 ms each, summed, as in Lighthouse's total blocking time. A timer gap can be longer
// than any task: timers wait behind every task queued before them, rendering included.
func stallJS(start, done string) string {
	return fmt.Sprintf(`new Promise(resolve => {
		let last = performance.now(), worst = 0, long = 0, blocking = 0, longest = 0;
		const t0 = last;
		const count = entries => {
			for (const e of entries) {
				if (e.startTime >= t0) { long++; blocking += e.duration - 50; longest = Math.max(longest, e.duration); }
			}
		};
		const tasks = new PerformanceObserver(list => count(list.getEntries()));
		tasks.observe({type: "longtask"});
		const beat = () => {
			const now = performance.now();
			worst = Math.max(worst, now - last);
			last = now;
			if (%s) {
				// The observer hears of a task after it ends: give it a turn before reading.
				return setTimeout(() => {
					count(tasks.takeRecords());
					tasks.disconnect();
					resolve([now - t0, worst, long, blocking, longest, startMs]);
				}, 0);
			}
			setTimeout(beat, 1);
		};
		%s;
		const startMs = performance.now() - t0;
		setTimeout(beat, 1);
	})`, done, start)
}

// stall is what stallJS measures of one piece of work.
type stall struct{ ms, worst, long, blocking, longest, start float64 }

// measureStall runs stallJS in the page.
func measureStall(t testing.TB, ctx context.Context, start, done string) stall {
	t.Helper()
	r := eval[[]float64](t, ctx, stallJS(start, done))
	return stall{r[0], r[1], r[2], r[3], r[4], r[5]}
}

// report reports the figures under name (name_ms, name_stall_ms, name_long_tasks,
// name_blocking_ms, name_longest_task_ms, name_click_ms).
func (s stall) report(b *testing.B, name string) {
	b.ReportMetric(s.ms, name+"_ms")
	b.ReportMetric(s.worst, name+"_stall_ms")
	b.ReportMetric(s.long, name+"_long_tasks")
	b.ReportMetric(s.blocking, name+"_blocking_ms")
	b.ReportMetric(s.longest, name+"_longest_task_ms")
	b.ReportMetric(s.start, name+"_click_ms")
}

// String is the figures in words.
func (s stall) String() string {
	return fmt.Sprintf("%.0f ms (click %.0f ms; longest stall %.1f ms; %.0f long tasks, the longest %.0f ms, blocking %.0f ms)", s.ms, s.start, s.worst, s.long, s.longest, s.blocking)
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
//   - transfer_long_tasks, transfer_longest_task_ms, transfer_blocking_ms and the same for the
//     sweep: how many main-thread tasks of 50 ms or more each had, the longest, and their
//     blocking time (see stallJS); the longest stall is one number at the mercy of one slow
//     moment, these say how often and what the main thread itself did; transfer_click_ms,
//     sweep_click_ms: how long the click that starts each held the page (checking the form or
//     spec, building its domains)
//   - the same figures with transfer_again and sweep_again: each run a second time in the same
//     page, when Chromium has run their code before
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
	var tr, sw, trAgain, swAgain stall
	var lin, linAgain, scrub float64
	for b.Loop() {
		ctx := browserFor(b, 10*time.Minute)
		open(b, ctx, "/transfer", "tr-run")
		tr = measureStall(b, ctx, `document.getElementById("tr-run").click()`, `!!document.getElementById("tr-chart")`)

		click(b, ctx, "nav-experiments")
		waitVisible(b, ctx, "sweep-run")
		sw = measureStall(b, ctx, `document.getElementById("sweep-run").click()`, `!!document.getElementById("sweep-curves")`)

		// Both again, in the same page: the same work without Chromium's first runs of its code.
		// A new job removes the last result, so each ends when its chart has gone and come back.
		click(b, ctx, "nav-transfer")
		waitVisible(b, ctx, "tr-run")
		trAgain = measureStall(b, ctx, `document.getElementById("tr-run").click()`, redrawn("tr-chart"))
		click(b, ctx, "nav-experiments")
		waitVisible(b, ctx, "sweep-run")
		swAgain = measureStall(b, ctx, `document.getElementById("sweep-run").click()`, redrawn("sweep-curves"))

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
	tr.report(b, "transfer")
	sw.report(b, "sweep")
	trAgain.report(b, "transfer_again")
	swAgain.report(b, "sweep_again")
	b.ReportMetric(lin, "lineage10k_ms")
	b.ReportMetric(linAgain, "lineage10k_again_ms")
	b.ReportMetric(scrub, "scrub_ms")
	fmt.Printf("browser lab: transfer wine→breast_cancer k50×20 %v; again %v · quick sweep %v; again %v · lineage of 10,000 agents %.0f ms (opened again %.0f ms), slowest scrub %.1f ms\n",
		tr, trAgain, sw, swAgain, lin, linAgain, scrub)
}
