//go:build !(js && wasm)

package e2e

import (
	"fmt"
	"strconv"
	"strings"
	"testing"
)

// TestDomainsOnTheOverview picks digits on the Overview (its description and credit show, the
// flavour becomes adaptive, the full system's condition is set), runs it, and follows the chosen
// agent through the Archive and Agent views (heat map, knobs, every prediction); then the maze,
// whose chosen agent's trajectories are drawn.
func TestDomainsOnTheOverview(t *testing.T) {
	ctx := browser(t)
	open(t, ctx, "/", "run")
	setSelect(t, ctx, "domain", "digits")
	waitJS(t, ctx, "digits description", `(document.getElementById("domain-about") || {}).textContent?.includes("8×8 image")`)
	if src := text(t, ctx, "domain-source"); !strings.Contains(src, "Alpaydin") || !strings.Contains(src, "CC BY 4.0") {
		t.Errorf("source %q lacks the credit", src)
	}
	if f := eval[string](t, ctx, `document.getElementById("flavour").value`); f != "adaptive" {
		t.Errorf("flavour %q after picking digits", f)
	}
	if m, s := eval[string](t, ctx, `document.getElementById("meta").value`), eval[string](t, ctx, `document.getElementById("selection").value`); m != "evolve" || s != "dgm" {
		t.Errorf("condition %s × %s, want the full system evolve × dgm", m, s)
	}
	setInput(t, ctx, "iterations", "300")
	click(t, ctx, "run")
	waitText(t, ctx, "stat-iterations", "300")
	for _, id := range []string{"stat-train", "stat-val", "stat-test"} {
		if v, err := strconv.ParseFloat(text(t, ctx, id), 64); err != nil || v <= 0 || v >= 1 {
			t.Errorf("%s = %q", id, text(t, ctx, id))
		}
	}
	if n := count(t, ctx, "#best-agent #policy-picture svg rect"); n != 64+2 {
		t.Errorf("the chosen agent's heat map has %d cells", n)
	}
	if n := count(t, ctx, "#best-agent #knobs tr"); n != 6 {
		t.Errorf("%d knobs shown", n)
	}
	screenshot(t, ctx, "overview-digits")
	fontsWarmed(t, ctx, "overview-digits")
	chosen := text(t, ctx, "stat-best")

	click(t, ctx, "nav-archive")
	waitVisible(t, ctx, "archive-table")
	if !strings.Contains(text(t, ctx, "archive-table"), "Validation") {
		t.Error("no validation column in the archive")
	}
	click(t, ctx, "sort-val")
	waitJS(t, ctx, "sorted by validation", `location.search === "?sort=val"`)
	click(t, ctx, "sort-val")
	waitJS(t, ctx, "sorted by validation, descending", `location.search.includes("desc=1")`)
	// The chosen agent has the highest validation score: it is on the first page, highlighted.
	if got := eval[string](t, ctx, `(document.querySelector("#archive-table tr.best td a") || {}).textContent || ""`); got != chosen {
		t.Errorf("highlighted %q, chosen %s", got, chosen)
	}
	screenshot(t, ctx, "archive-digits")
	fontsWarmed(t, ctx, "archive-digits")

	open(t, ctx, "/agent?id="+chosen, "agent-title")
	if n := count(t, ctx, "#readonly-banner"); n != 0 {
		t.Error("loading a new address made the only tab read-only (the page left still held the lock)")
	}
	if got := text(t, ctx, "predictions-pager"); !strings.Contains(got, "rows 1–50 of 1797") {
		t.Errorf("predictions pager %q, want every one of the 1,797 images in pages of 50", got)
	}
	if n := count(t, ctx, "#predictions-table tbody tr"); n != 50 {
		t.Errorf("%d predictions on the first page", n)
	}
	click(t, ctx, "predictions-wrong")
	waitVisible(t, ctx, "predictions-all")
	summary := text(t, ctx, "predictions-summary")
	var wrong, total int
	if _, err := fmt.Sscanf(summary, "%d of %d examples wrong", &wrong, &total); err != nil || total != 1797 || wrong == 0 {
		t.Errorf("predictions summary %q", summary)
	}
	if n, w := count(t, ctx, "#predictions-table tbody tr"), count(t, ctx, "#predictions-table tbody tr.wrong"); n != min(50, wrong) || w != n {
		t.Errorf("only-wrong page shows %d rows, %d of them wrong; %d are wrong", n, w, wrong)
	}
	if n := count(t, ctx, "#task-policy #policy-picture svg rect"); n != 66 {
		t.Errorf("agent view heat map has %d cells", n)
	}
	screenshot(t, ctx, "agent-digits")
	fontsWarmed(t, ctx, "agent-digits")

	open(t, ctx, "/", "run")
	setSelect(t, ctx, "domain", "maze")
	waitJS(t, ctx, "maze description", `(document.getElementById("domain-about") || {}).textContent?.includes("deceptive maze")`)
	if s := eval[string](t, ctx, `document.getElementById("selection").value`); s != "seed" {
		t.Errorf("maze selection %q, want seed (its full system)", s)
	}
	setInput(t, ctx, "iterations", "60")
	click(t, ctx, "run")
	waitText(t, ctx, "stat-iterations", "60")
	if n := count(t, ctx, "#best-agent #policy-picture polyline"); n != 7 {
		t.Errorf("maze picture has %d trajectories, want 7 (train, 3 validation, 3 test)", n)
	}
	if n := count(t, ctx, "#best-agent #policy-matrix tr"); n != 3 {
		t.Errorf("controller matrix has %d rows", n)
	}
	if n := count(t, ctx, "#best-agent #policy-picture polyline.maze-train"); n != 1 {
		t.Errorf("%d train paths that trace themselves, want 1", n)
	}
	screenshot(t, ctx, "overview-maze")
	fontsWarmed(t, ctx, "overview-maze")

	// The archive shows where every agent's train episode ended.
	click(t, ctx, "nav-archive")
	waitVisible(t, ctx, "maze-ends")
	if n := count(t, ctx, "#maze-scatter .ends circle"); n != 61 {
		t.Errorf("the scatter has %d end points, want one per agent (61)", n)
	}
	if rows := readCSV(t, download(t, ctx, "maze-ends-csv")); len(rows) != 62 || strings.Join(rows[0], ",") != "agent_id,created_iteration,end_x,end_y" {
		t.Errorf("the scatter's CSV has %d rows, header %v; want 61 agents", len(rows), rows[0])
	}
	screenshot(t, ctx, "archive-maze")
	fontsWarmed(t, ctx, "archive-maze")
}
