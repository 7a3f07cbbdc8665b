//go:build !(js && wasm)

package e2e

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	cdpbrowser "github.com/chromedp/cdproto/browser"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// download clicks the download link id and returns the file the browser saved.
func download(t *testing.T, ctx context.Context, id string) []byte {
	t.Helper()
	dir := t.TempDir()
	progress := chromedp.Events(ctx, cdpbrowser.DownloadProgress)
	enabled := true
	do(t, ctx, chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
		_, err := chromedp.Call(ctx, cdpbrowser.SetDownloadBehavior, cdpbrowser.SetDownloadBehaviorParams{
			Behavior: cdpbrowser.SetDownloadBehaviorBehaviorAllowAndName, DownloadPath: dir, EventsEnabled: &enabled,
		})
		return err
	}))
	click(t, ctx, id)
	for ev, err := range progress {
		if err != nil {
			t.Fatalf("download #%s: %v", id, err)
		}
		switch ev.State {
		case cdpbrowser.DownloadProgressStateCompleted:
			b, err := os.ReadFile(filepath.Join(dir, ev.GUID))
			if err != nil {
				t.Fatal(err)
			}
			return b
		case cdpbrowser.DownloadProgressStateCanceled:
			t.Fatalf("download #%s cancelled", id)
		}
	}
	t.Fatalf("download #%s: no completion", id)
	return nil
}

// TestExperimentInBrowserMatchesCLI runs the 3 × 5 × 30 experiment in the page, checks the charts
// and the summary, and compares the downloaded CSV and SVGs with the CLI's files for the same settings.
func TestExperimentInBrowserMatchesCLI(t *testing.T) {
	cli := t.TempDir()
	cmd := exec.Command("go", "run", "./cmd/hyperagents", "experiment", "--iterations", "30", "--seeds", "5", "--out", cli)
	cmd.Dir = ".."
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("CLI: %v\n%s", err, out)
	}

	ctx := browser(t)
	open(t, ctx, "/experiments", "exp-run")
	if got := eval[bool](t, ctx, `["hyperagent","baseline","no_archive"].every(m => document.getElementById("cond-"+m).checked)`); !got {
		t.Error("all three conditions should be ticked by default")
	}
	click(t, ctx, "exp-run")
	waitVisible(t, ctx, "exp-done")
	t.Log(text(t, ctx, "exp-done"))
	if n := count(t, ctx, "#summary-table tbody tr"); n != 3 {
		t.Fatalf("summary has %d rows, want 3", n)
	}
	if got := text(t, ctx, "exp-caveat"); !strings.Contains(got, "tests no difference") {
		t.Errorf("the sentence under the table says %q", got)
	}
	if got := text(t, ctx, "summary-hyperagent"); !strings.Contains(got, "0.850 ± 0.000") {
		t.Errorf("hyperagent summary %q, want best train 0.850 ± 0.000 as the CLI", got)
	}
	for _, id := range []string{"learning-curves", "meta-drift"} {
		if n := count(t, ctx, "#"+id+" svg polyline"); n < 4 {
			t.Errorf("#%s has %d lines", id, n)
		}
	}
	screenshot(t, ctx, "experiments")

	for _, f := range []struct{ id, file string }{
		{"download-csv", "raw_metrics.csv"},
		{"download-learning", "learning_curves.svg"},
		{"download-drift", "meta_policy_drift.svg"},
	} {
		got := download(t, ctx, f.id)
		want, err := os.ReadFile(filepath.Join(cli, f.file))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s from the browser (%d bytes) differs from the CLI's (%d bytes)", f.file, len(got), len(want))
		}
	}

	// Pointing at the learning curves reads every condition's mean there: the CLI's rows agree.
	eval[bool](t, ctx, `(() => {
		const box = document.querySelector("#learning-curves svg"), r = box.getBoundingClientRect(), vb = box.viewBox.baseVal;
		const x = r.left + (420 + 52 + 0.5 * (420 - 66)) / vb.width * r.width, y = r.top + (28 + 130) / vb.height * r.height;
		box.parentElement.dispatchEvent(new MouseEvent("mousemove", {clientX: x, clientY: y, bubbles: true}));
		return true;
	})()`)
	waitJS(t, ctx, "a readout of the test panel", `document.getElementById("learning-readout").textContent.startsWith("Best test accuracy, iteration ")`)
	readout := text(t, ctx, "learning-readout")
	var at int
	fmt.Sscanf(strings.TrimPrefix(readout, "Best test accuracy, iteration "), "%d", &at)
	rows := readCSV(t, mustRead(t, filepath.Join(cli, "raw_metrics.csv")))
	sum, n := 0.0, 0
	for _, r := range rows[1:] {
		if r[0] == "hyperagent" && r[4] == strconv.Itoa(at) {
			v, _ := strconv.ParseFloat(r[6], 64)
			sum, n = sum+v, n+1
		}
	}
	if want := fmt.Sprintf("HyperAgent (full system) %.1f%%", 100*sum/float64(max(n, 1))); n != 5 || !strings.Contains(readout, want) {
		t.Errorf("the readout %q lacks %q (%d seeds at iteration %d in the CLI's rows)", readout, want, n, at)
	}
	// The keyboard reads it too: the focus starts at the first panel's last iteration, ← steps
	// back, ↓ goes to the next panel, Home to iteration 0 — where the CLI's rows agree again.
	emulateFocus(t, ctx)
	eval[bool](t, ctx, `(document.querySelector("#learning-curves .chart-plot").focus(), true)`)
	waitJS(t, ctx, "the focused chart's readout", `/^Best train accuracy, iteration 30: /.test(document.getElementById("learning-readout").textContent)`)
	do(t, ctx, keyDown(kb.ArrowLeft))
	waitJS(t, ctx, "a step back", `document.getElementById("learning-readout").textContent.startsWith("Best train accuracy, iteration 29: ")`)
	do(t, ctx, keyDown(kb.ArrowDown))
	waitJS(t, ctx, "the next panel", `document.getElementById("learning-readout").textContent.startsWith("Best test accuracy, iteration 29: ")`)
	do(t, ctx, keyDown(kb.Home))
	waitJS(t, ctx, "the first iteration", `document.getElementById("learning-readout").textContent.startsWith("Best test accuracy, iteration 0: ")`)
	sum = 0
	for _, r := range rows[1:] {
		if r[0] == "hyperagent" && r[4] == "0" {
			v, _ := strconv.ParseFloat(r[6], 64)
			sum += v
		}
	}
	if got, want := text(t, ctx, "learning-readout"), fmt.Sprintf("HyperAgent (full system) %.1f%%", 100*sum/5); !strings.Contains(got, want) {
		t.Errorf("the keyboard's readout %q lacks %q", got, want)
	}
	screenshot(t, ctx, "experiment-keyboard-readout")

	// Smoothing the drift redraws it as a moving average and says so; off again, it is the raw
	// curves, the CLI's drawing.
	raw := eval[string](t, ctx, `document.querySelector("#meta-drift svg").outerHTML`)
	click(t, ctx, "drift-smooth")
	waitJS(t, ctx, "the smoothed drift", `document.querySelector("#meta-drift svg title").textContent.endsWith("moving average over 3 iterations")`)
	if got := eval[string](t, ctx, `document.querySelector("#meta-drift svg").outerHTML`); got == raw {
		t.Error("the smoothed drift is drawn as the raw one")
	}
	click(t, ctx, "drift-smooth")
	waitJS(t, ctx, "the raw drift again", `!document.querySelector("#meta-drift svg title").textContent.includes("moving average")`)
	if got := eval[string](t, ctx, `document.querySelector("#meta-drift svg").outerHTML`); got != raw {
		t.Error("turning smoothing off does not give the raw drift back")
	}
}

func TestExperimentCancelAndBadInput(t *testing.T) {
	ctx := browser(t)
	open(t, ctx, "/experiments", "exp-run")
	setInput(t, ctx, "exp-seeds", "0")
	setInput(t, ctx, "exp-iterations", "ten")
	click(t, ctx, "exp-run")
	waitVisible(t, ctx, "exp-seeds-error")
	waitVisible(t, ctx, "exp-iterations-error")
	if n := count(t, ctx, "#exp-progress"); n != 0 {
		t.Error("an experiment started with bad input")
	}
	screenshot(t, ctx, "experiments-bad-input")
	for _, m := range []string{"hyperagent", "baseline", "no_archive"} {
		click(t, ctx, "cond-"+m)
	}
	setInput(t, ctx, "exp-seeds", "5")
	setInput(t, ctx, "exp-iterations", "30")
	click(t, ctx, "exp-run")
	waitText(t, ctx, "exp-error", "Pick at least one condition.")

	click(t, ctx, "cond-hyperagent")
	setInput(t, ctx, "exp-seeds", "100")
	setInput(t, ctx, "exp-iterations", "3000")
	click(t, ctx, "exp-run")
	waitVisible(t, ctx, "exp-progress")
	time.Sleep(200 * time.Millisecond)
	click(t, ctx, "exp-cancel")
	waitVisible(t, ctx, "exp-cancelled")
	if n := count(t, ctx, "#exp-progress"); n != 0 {
		t.Error("progress bar still shown after cancel")
	}
	if n := count(t, ctx, "#exp-result"); n != 0 {
		t.Error("a cancelled experiment shows results")
	}
}
