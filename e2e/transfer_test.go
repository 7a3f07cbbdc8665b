//go:build !(js && wasm)

package e2e

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp/kb"

	"hyperagents/engine"
)

// TestTransferInThePage runs the transfer (wine → breast_cancer, k 50, 20 seeds, 1,000
// source iterations) in the page: all four arms with their intervals and p-values, the claims in
// plain words, the chart with every seed, and downloads byte for byte the CLI's files.
func TestTransferInThePage(t *testing.T) {
	want := t.TempDir()
	cli(t, "transfer", "--from", "wine", "--to", "breast_cancer", "--k", "50", "--seeds", "20", "--out", want)

	ctx := browserFor(t, 6*time.Minute)
	open(t, ctx, "/transfer?from=wine&to=breast_cancer&k=50&seeds=20", "tr-run")
	for id, v := range map[string]string{"tr-from": "wine", "tr-to": "breast_cancer", "tr-k": "50", "tr-seeds": "20", "tr-iterations": "1000"} {
		if got := eval[string](t, ctx, `document.getElementById("`+id+`").value`); got != v {
			t.Errorf("#%s = %q, want %q", id, got, v)
		}
	}
	start := time.Now()
	click(t, ctx, "tr-run")
	waitVisible(t, ctx, "tr-progress")
	waitLong(t, ctx, "the transfer finished", `!!document.getElementById("tr-done")`, 4*time.Minute)
	t.Logf("transfer in the page: %s (%s)", time.Since(start).Round(100*time.Millisecond), text(t, ctx, "tr-done"))
	for _, arm := range []string{"transferred", "initial", "random_prior", "target_evolved"} {
		row := text(t, ctx, "tr-row-"+arm)
		if !strings.Contains(row, "[") || !strings.Contains(row, "±") {
			t.Errorf("arm %s: %q", arm, row)
		}
		if arm != "transferred" && !strings.Contains(row, " / ") {
			t.Errorf("arm %s has no comparison: %q", arm, row)
		}
	}
	if n := count(t, ctx, "#tr-claims li"); n != 3 {
		t.Errorf("%d claims, want one per control", n)
	}
	if n := count(t, ctx, "#tr-chart svg circle"); n != 4*20 {
		t.Errorf("chart has %d dots, want 4 arms × 20 seeds", n)
	}
	md, _ := os.ReadFile(filepath.Join(want, "summary.md"))
	for _, c := range strings.Split(text(t, ctx, "tr-claims"), "The transferred")[1:] {
		if !bytes.Contains(md, []byte("The transferred "+strings.TrimSpace(c))) {
			t.Errorf("claim %q is not the CLI's", c)
		}
	}
	// Pointing at an arm reads it, and the keyboard steps through them: the CLI's numbers.
	var sum engine.SweepSummary
	if err := json.Unmarshal(mustRead(t, filepath.Join(want, "summary.json")), &sum); err != nil {
		t.Fatal(err)
	}
	res := sum.Results[0]
	eval[bool](t, ctx, `(() => {
		const box = document.querySelector("#tr-chart svg"), r = box.getBoundingClientRect(), vb = box.viewBox.baseVal;
		const x = r.left + (56 + 2.5 * (640 - 72) / 4) / vb.width * r.width, y = r.top + r.height / 2;
		box.closest(".chart-plot").dispatchEvent(new MouseEvent("mousemove", {clientX: x, clientY: y, bubbles: true}));
		return true;
	})()`)
	rp := res.Conditions[2]
	waitJS(t, ctx, "the random prior's readout", `document.getElementById("tr-readout").textContent.startsWith("random_prior: imp@50 median ")`)
	if got, w := text(t, ctx, "tr-readout"), fmt.Sprintf("median %.3g, 95%% CI [%.3g, %.3g], over 20 seeds", rp.Median, rp.CI[0], rp.CI[1]); !strings.Contains(got, w) {
		t.Errorf("readout %q lacks %q", got, w)
	}
	emulateFocus(t, ctx)
	eval[bool](t, ctx, `(document.querySelector("#tr-chart .chart-plot").focus(), true)`)
	do(t, ctx, keyDown(kb.ArrowRight))
	waitJS(t, ctx, "the next arm from the keyboard", `document.getElementById("tr-readout").textContent.startsWith("target_evolved: ")`)
	for _, cmp := range res.Comparisons {
		if cmp.B == "target_evolved" {
			w := fmt.Sprintf("transferred against it: higher in %d seeds, tied in %d, lower in %d", cmp.Wins, cmp.Ties, cmp.Losses)
			if got := text(t, ctx, "tr-readout"); !strings.Contains(got, w) {
				t.Errorf("readout %q lacks %q", got, w)
			}
		}
	}
	screenshot(t, ctx, "transfer")
	fontsWarmed(t, ctx, "transfer")
	for _, f := range []string{"summary.md", "summary.json", "transfer.csv", "transfer_arms.svg"} {
		got := download(t, ctx, "dl-tr-"+strings.NewReplacer(".", "-", "_", "-").Replace(f))
		exp, err := os.ReadFile(filepath.Join(want, f))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, exp) {
			t.Errorf("%s from the page (%d bytes) differs from the CLI's (%d bytes)", f, len(got), len(exp))
		}
	}
}

// TestTransferBadInput: bad address parameters and bad form values get messages; nothing runs;
// Cancel drops a running transfer.
func TestTransferBadInput(t *testing.T) {
	ctx := browser(t)
	open(t, ctx, "/transfer?from=code_review&k=lots", "tr-run")
	waitContains(t, ctx, "tr-notices", "from=\"code_review\" is not a domain with a meta policy to transfer")
	waitContains(t, ctx, "tr-notices", "k=\"lots\" is not a whole number")
	setInput(t, ctx, "tr-seeds", "0")
	click(t, ctx, "tr-run")
	waitVisible(t, ctx, "tr-seeds-error")
	if n := count(t, ctx, "#tr-progress"); n != 0 {
		t.Error("a transfer started with bad input")
	}
	setInput(t, ctx, "tr-seeds", "100")
	setInput(t, ctx, "tr-iterations", "10000")
	click(t, ctx, "tr-run")
	waitContains(t, ctx, "tr-error", "the page runs at most 1000000. Use the command line: hyperagents transfer")
	setInput(t, ctx, "tr-iterations", "1000")
	click(t, ctx, "tr-run")
	waitVisible(t, ctx, "tr-progress")
	click(t, ctx, "tr-cancel")
	waitVisible(t, ctx, "tr-cancelled")
	if n := count(t, ctx, "#tr-result"); n != 0 {
		t.Error("a cancelled transfer shows results")
	}
	screenshot(t, ctx, "transfer-bad-input")
	fontsWarmed(t, ctx, "transfer-bad-input")
}
