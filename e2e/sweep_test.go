//go:build !(js && wasm)

package e2e

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// sweepSpec is the sweep: 2 domains × 3 conditions × 5 seeds × 200 iterations.
const sweepSpec = `{
  "domains": ["wine", "digits"],
  "conditions": [
    {"name": "hyperagent", "meta": "evolve", "selection": "default"},
    {"name": "frozen", "meta": "frozen", "selection": "default"},
    {"name": "best", "meta": "evolve", "selection": "best"}
  ],
  "seeds": 5,
  "iterations": 200,
  "checkpoints": [50, 200],
  "reference": "hyperagent"
}`

// sweepFiles are the files a finished sweep offers, by the id of their download link.
var sweepFiles = map[string]string{
	"dl-summary-md": "summary.md", "dl-summary-json": "summary.json", "dl-runs-csv": "runs.csv",
	"dl-spec-json": "spec.json", "dl-curves-median-svg": "curves_median.svg", "dl-curves-mean-svg": "curves_mean.svg",
}

// cli runs the hyperagents command in the repository and returns its output.
func cli(t *testing.T, args ...string) string {
	t.Helper()
	cmd := exec.Command("go", append([]string{"run", "./cmd/hyperagents"}, args...)...)
	cmd.Dir = ".."
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("hyperagents %v: %v\n%s", args, err, out)
	}
	return string(out)
}

// runSweep types the spec into the editor, runs it and waits for the result.
func runSweep(t *testing.T, ctx context.Context) {
	t.Helper()
	click(t, ctx, "sweep-run")
	waitVisible(t, ctx, "sweep-progress")
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](`!!document.getElementById("sweep-done")`, chromedp.WithPollingTimeout(4*time.Minute))); err != nil {
		t.Fatalf("the sweep never finished: %v (%s)", err, eval[string](t, ctx, `(document.getElementById("sweep-progress-text") || {}).textContent || ""`))
	}
}

// TestSweepInThePage runs the sweep in the page and checks its tables and curves, that
// every download is byte for byte the CLI's file for the same spec, that it is saved (listed in
// Runs and reopened after a reload), that its exported file is read by hyperagents, and that the
// spec's link opened in a fresh profile fills the editor and reproduces the same table.
func TestSweepInThePage(t *testing.T) {
	dir := t.TempDir()
	specFile := filepath.Join(dir, "spec.json")
	os.WriteFile(specFile, []byte(sweepSpec), 0o644)
	want := filepath.Join(dir, "cli")
	cli(t, "sweep", specFile, "--out", want)

	ctx := browserFor(t, 8*time.Minute)
	open(t, ctx, "/experiments", "sweep-run")
	setInput(t, ctx, "sweep-spec", sweepSpec)
	waitJS(t, ctx, "the spec's shape shown", `document.getElementById("sweep-shape").textContent.includes("= 30 runs, 6000 iterations")`)
	start := time.Now()
	runSweep(t, ctx)
	t.Logf("sweep in the page: %s; %s", time.Since(start).Round(100*time.Millisecond), text(t, ctx, "sweep-done"))
	waitVisible(t, ctx, "sweep-saved")
	if n := count(t, ctx, "#sweep-tables table.data"); n != 2 {
		t.Fatalf("%d tables, want one per domain", n)
	}
	for _, id := range []string{"sweep-table-0", "sweep-table-1"} {
		if n := count(t, ctx, "#"+id+" tbody tr"); n != 3 {
			t.Errorf("#%s has %d rows, want 3 conditions", id, n)
		}
	}
	table := text(t, ctx, "sweep-tables")
	for _, w := range []string{"wine · iteration 200 · best_test", "digits · iteration 200 · best_test", "reference", "[", "±"} {
		if !strings.Contains(table, w) {
			t.Errorf("tables lack %q:\n%s", w, table)
		}
	}
	if n := count(t, ctx, "#sweep-curves svg .panel"); n != 2 {
		t.Errorf("curves have %d panels, want 2", n)
	}
	screenshot(t, ctx, "sweep-result")
	fontsWarmed(t, ctx, "sweep-result")
	click(t, ctx, "curves-mean")
	waitJS(t, ctx, "mean curves shown", `document.querySelector("#sweep-curves svg title").textContent.includes("mean ± std")`)
	// Pointing at the end of wine's curves reads each condition's mean at iteration 200.
	eval[bool](t, ctx, `(() => {
		const box = document.querySelector("#sweep-curves svg"), r = box.getBoundingClientRect(), vb = box.viewBox.baseVal;
		const x = r.left + (420 - 15) / vb.width * r.width, y = r.top + (28 + 130) / vb.height * r.height;
		box.closest("div:not(.svg-wrap)").dispatchEvent(new MouseEvent("mousemove", {clientX: x, clientY: y, bubbles: true}));
		return true;
	})()`)
	waitJS(t, ctx, "a readout of wine's curves", `document.getElementById("sweep-readout").textContent.startsWith("wine, iteration 200: ")`)
	for _, c := range []string{"hyperagent ", "frozen ", "best "} {
		if got := text(t, ctx, "sweep-readout"); !strings.Contains(got, c) {
			t.Errorf("the readout %q lacks %q", got, c)
		}
	}
	// And with the keyboard: ↓ to digits' curves at iteration 200, ← to an earlier iteration.
	emulateFocus(t, ctx)
	eval[bool](t, ctx, `(document.querySelector("#sweep-curves .chart-plot").focus(), true)`)
	do(t, ctx, keyDown(kb.ArrowDown))
	waitJS(t, ctx, "digits' curves from the keyboard", `document.getElementById("sweep-readout").textContent.startsWith("digits, iteration 200: ")`)
	do(t, ctx, keyDown(kb.ArrowLeft))
	waitJS(t, ctx, "an earlier iteration", `/^digits, iteration 1?[0-9]?[0-9]: /.test(document.getElementById("sweep-readout").textContent)`)
	setSelect(t, ctx, "sweep-checkpoint", "0")
	waitJS(t, ctx, "the first checkpoint's table", `document.getElementById("sweep-tables").textContent.includes("wine · iteration 50")`)
	setSelect(t, ctx, "sweep-checkpoint", "1")
	waitJS(t, ctx, "the last checkpoint's table again", `document.getElementById("sweep-tables").textContent.includes("wine · iteration 200")`)

	for id, f := range sweepFiles {
		got := download(t, ctx, id)
		exp, err := os.ReadFile(filepath.Join(want, f))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, exp) {
			t.Errorf("%s from the page (%d bytes) differs from the CLI's (%d bytes)", f, len(got), len(exp))
		}
	}

	// Reload: the Runs view lists the sweep; Open shows the same table.
	open(t, ctx, "/runs", "sweeps-table")
	ids := eval[[]string](t, ctx, `[...document.querySelectorAll("#sweeps-table tr.sweep-row")].map(r => r.id.slice(6))`)
	if len(ids) != 1 {
		t.Fatalf("%d sweeps listed after a reload", len(ids))
	}
	id := ids[0]
	if got := text(t, ctx, "sweep-"+id); !strings.Contains(got, "wine, digits × hyperagent, frozen, best × 5 seeds") {
		t.Errorf("sweep row %q", got)
	}
	exported := download(t, ctx, "export-sweep-"+id)
	click(t, ctx, "open-sweep-"+id)
	waitVisible(t, ctx, "sweep-result")
	if got := text(t, ctx, "sweep-tables"); got != table {
		t.Errorf("the reopened sweep's tables differ:\n%s\n---\n%s", got, table)
	}
	screenshot(t, ctx, "sweep-reopened")

	// The exported file is read by hyperagents, whose files are the CLI's.
	file := filepath.Join(dir, "exported.sqlite")
	os.WriteFile(file, exported, 0o644)
	if out := cli(t, "sweeps", "--db", file); !strings.Contains(out, id) || !strings.Contains(out, "wine digits") {
		t.Errorf("hyperagents sweeps lists:\n%s", out)
	}
	back := filepath.Join(dir, "back")
	cli(t, "sweeps", "--db", file, "--id", id, "--out", back)
	for _, f := range sweepFiles {
		a, _ := os.ReadFile(filepath.Join(want, f))
		b, err := os.ReadFile(filepath.Join(back, f))
		if err != nil || !bytes.Equal(a, b) {
			t.Errorf("%s written by hyperagents sweeps from the page's file differs (%v)", f, err)
		}
	}

	// The spec's link in a fresh profile fills the editor; running it gives the same table.
	link := eval[string](t, ctx, `document.getElementById("sweep-link").getAttribute("href")`)
	fresh := browserFor(t, 8*time.Minute)
	open(t, fresh, link, "sweep-run")
	if got := eval[string](t, fresh, `document.getElementById("sweep-spec").value`); !strings.Contains(got, `"digits"`) || !strings.Contains(got, `"iterations": 200`) {
		t.Fatalf("the link's spec is not in the editor:\n%s", got)
	}
	runSweep(t, fresh)
	if got := text(t, fresh, "sweep-tables"); got != table {
		t.Errorf("the link's sweep gives another table:\n%s\n---\n%s", got, table)
	}
}

// TestSweepBadInput: a broken spec, a spec too large for the page and a broken link each get a
// clear message; nothing runs.
func TestSweepBadInput(t *testing.T) {
	ctx := browser(t)
	open(t, ctx, "/experiments?spec=%7B%22domains%22%3A%5B%22nope%22%5D%7D", "sweep-run")
	waitContains(t, ctx, "sweep-link-error", "The link's spec was not used: spec: no conditions")
	if got := eval[string](t, ctx, `document.getElementById("sweep-spec").value`); !strings.Contains(got, `"wine"`) {
		t.Errorf("a broken link replaced the editor's spec: %q", got)
	}
	setInput(t, ctx, "sweep-spec", `{"domains": ["wine"], "seeds": 3}`)
	waitJS(t, ctx, "the shape line says what is wrong", `document.getElementById("sweep-shape").textContent.includes("Not a valid spec yet")`)
	click(t, ctx, "sweep-run")
	waitContains(t, ctx, "sweep-spec-error", "spec: no conditions")
	setInput(t, ctx, "sweep-spec", strings.Replace(sweepSpec, `"iterations": 200`, `"iterations": 20000`, 1))
	click(t, ctx, "sweep-run")
	waitContains(t, ctx, "sweep-spec-error", "the page runs at most 200000. Run it with the command line")
	if n := count(t, ctx, "#sweep-progress"); n != 0 {
		t.Error("a sweep started with bad input")
	}
	screenshot(t, ctx, "sweep-bad-input")
	fontsWarmed(t, ctx, "sweep-bad-input")
	// Cancel drops a running sweep (one ten times longer than the others here, so it is still
	// running when Cancel is clicked on a slow machine).
	setInput(t, ctx, "sweep-spec", strings.Replace(sweepSpec, `"iterations": 200`, `"iterations": 2000`, 1))
	click(t, ctx, "sweep-run")
	waitVisible(t, ctx, "sweep-progress")
	click(t, ctx, "sweep-cancel")
	waitVisible(t, ctx, "sweep-cancelled")
	if n := count(t, ctx, "#sweep-result"); n != 0 {
		t.Error("a cancelled sweep shows results")
	}
}

// waitContains waits until element id's text contains want.
func waitContains(t *testing.T, ctx context.Context, id, want string) {
	t.Helper()
	waitJS(t, ctx, "#"+id+" showing "+want, fmt.Sprintf(`(document.getElementById(%q) || {}).textContent?.includes(%q)`, id, want))
}

// waitLong waits up to limit until a JavaScript expression is true.
func waitLong(t *testing.T, ctx context.Context, what, js string, limit time.Duration) {
	t.Helper()
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](js, chromedp.WithPollingTimeout(limit))); err != nil {
		t.Fatalf("never %s: %v", what, err)
	}
}
