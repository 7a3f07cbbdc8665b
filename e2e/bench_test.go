//go:build !(js && wasm)

package e2e

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"os"
	"path/filepath"
	"testing"
)

// BenchmarkBrowser measures the workbench in headless Chromium and reports:
//
//   - cold_load_ms: navigation to an interactive page in a fresh profile (goal ≤ 3000 on localhost)
//   - experiment_ms: the 3 × 5 × 30 experiment from the click to its results (goal ≤ 500)
//   - run10k_ms: a 10,000-iteration run on the overview, click to the last iteration shown
//   - stall_ms: the longest gap between two 1 ms timers during that run, the longest time the
//     page could not answer (goal ≤ 50)
//   - wasm_MB, wasm_gzip_MB: app.wasm as shipped (goal ≤ 6.5 MB gzip)
//
// Each figure comes from one fresh browser; run it with make bench-browser.
func BenchmarkBrowser(b *testing.B) {
	wasm, err := os.ReadFile(filepath.Join(webDir, "app.wasm"))
	if err != nil {
		b.Fatal(err)
	}
	var gz bytes.Buffer
	w, _ := gzip.NewWriterLevel(&gz, gzip.BestCompression)
	w.Write(wasm)
	w.Close()

	var cold, exp, run, stall float64
	for b.Loop() {
		ctx := browser(b)
		open(b, ctx, "/", "run")
		cold = eval[float64](b, ctx, `Number(document.body.dataset.readyMs)`)

		click(b, ctx, "nav-experiments")
		waitVisible(b, ctx, "exp-run")
		exp = eval[float64](b, ctx, `new Promise(resolve => {
			const t0 = performance.now();
			document.getElementById("exp-run").click();
			const tick = () => document.getElementById("exp-done") ? resolve(performance.now() - t0) : setTimeout(tick, 1);
			tick();
		})`)

		click(b, ctx, "nav-overview")
		waitVisible(b, ctx, "run")
		setInput(b, ctx, "iterations", "10000")
		res := eval[[]float64](b, ctx, `new Promise(resolve => {
			let last = performance.now(), worst = 0;
			const t0 = last;
			const beat = () => {
				const now = performance.now();
				worst = Math.max(worst, now - last);
				last = now;
				if (document.getElementById("stat-iterations").textContent === "10000") {
					return resolve([now - t0, worst]);
				}
				setTimeout(beat, 1);
			};
			document.getElementById("run").click();
			setTimeout(beat, 1);
		})`)
		run, stall = res[0], res[1]
	}
	b.ReportMetric(cold, "cold_load_ms")
	b.ReportMetric(exp, "experiment_ms")
	b.ReportMetric(run, "run10k_ms")
	b.ReportMetric(stall, "stall_ms")
	b.ReportMetric(float64(len(wasm))/1e6, "wasm_MB")
	b.ReportMetric(float64(gz.Len())/1e6, "wasm_gzip_MB")
	fmt.Printf("browser: cold load %.0f ms · 3×5×30 experiment %.0f ms · 10k run %.0f ms, longest stall %.1f ms · app.wasm %.2f MB, %.2f MB gzip\n",
		cold, exp, run, stall, float64(len(wasm))/1e6, float64(gz.Len())/1e6)
}
