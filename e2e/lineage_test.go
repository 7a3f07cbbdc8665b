//go:build !(js && wasm)

package e2e

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// TestLineageTree opens a 2,000-agent run (made by the CLI, imported) on the Lineage view: the tree
// folds to its budget and says so; keyboard focus shows the tooltip with the agent's figures and
// moves along the tree with the arrow keys; the scrubber shows selection probabilities that the
// tooltip reports; zooming re-roots; a click opens the Agent view.
func TestLineageTree(t *testing.T) {
	file := filepath.Join(t.TempDir(), "big.sqlite")
	cli(t, "run", "--domain", "digits", "--iterations", "1999", "--db", file)
	ctx := browserFor(t, 4*time.Minute)
	open(t, ctx, "/runs", "no-runs")
	upload(t, ctx, file)
	waitVisible(t, ctx, "import-report")
	id := eval[string](t, ctx, `document.querySelector("#runs-table tr.run").id.slice(4)`)
	click(t, ctx, "open-"+id)
	waitText(t, ctx, "stat-iterations", "1999")
	click(t, ctx, "nav-lineage")
	waitVisible(t, ctx, "lineage-svg")
	if n := count(t, ctx, "#lineage circle.ln"); n != 400 {
		t.Errorf("%d nodes drawn, want the budget of 400", n)
	}
	// One layout per visit: go-app renders a page once before it reads the address (OnNav), and
	// drawing then laid the tree out twice.
	if n := eval[string](t, ctx, `document.getElementById("lineage").dataset.layouts`); n != "1" {
		t.Errorf("the tree was laid out %s times on opening the view, want once", n)
	}
	// The tree's data is the whole archive, whatever is folded in the drawing.
	rows := readCSV(t, download(t, ctx, "lineage-dl-csv"))
	if len(rows) != 2001 || rows[1][0] != "agent-000" || rows[1][1] != "" || rows[1][2] != "0" {
		t.Errorf("the lineage CSV has %d rows, first agent %v; want 2000 agents from agent-000", len(rows), rows[min(1, len(rows)-1)])
	}
	if svg := string(download(t, ctx, "lineage-dl-svg")); !strings.HasPrefix(svg, "<svg") || strings.Count(svg, `class="ln`) != 400 {
		t.Errorf("the lineage SVG has %d nodes", strings.Count(svg, `class="ln`))
	}
	if got := text(t, ctx, "lineage-shown"); !strings.Contains(got, "400 of the 2000 agents are drawn") {
		t.Errorf("fold note %q", got)
	}
	if n := count(t, ctx, "#lineage line.path"); n < 1 {
		t.Error("no highlighted path to the reported agent")
	}
	if edge := eval[string](t, ctx, `document.querySelector("#lineage line title").textContent`); !strings.Contains(edge, "agent-000 → agent-") || !strings.Contains(edge, "task: ") || !strings.Contains(edge, "meta: ") {
		t.Errorf("an edge says %q, want the parent → child change split into task and meta", edge)
	}
	// Keyboard: focus the root, see its tooltip; ↓ goes to its first child.
	// A headless page has no window focus, so focus events would not fire; emulate a focused page.
	emulateFocus(t, ctx)
	eval[bool](t, ctx, `(document.getElementById("ln-0").focus(), true)`)
	waitJS(t, ctx, "the root's tooltip", `!document.getElementById("lineage-tip").classList.contains("hidden") && document.getElementById("lineage-tip").textContent.includes("agent-000")`)
	tip := text(t, ctx, "lineage-tip")
	for _, w := range []string{"generation 0", "fitness", "meta: σ"} {
		if !strings.Contains(tip, w) {
			t.Errorf("tooltip %q lacks %q", tip, w)
		}
	}
	do(t, ctx, keyDown(kb.ArrowDown))
	waitJS(t, ctx, "focus on a child of the root", `document.activeElement && document.activeElement.id !== "ln-0" && document.activeElement.classList.contains("ln")`)
	child := eval[string](t, ctx, `document.activeElement.dataset.i`)
	waitJS(t, ctx, "the child's tooltip", `document.getElementById("lineage-tip").textContent.includes("from agent-000")`)
	do(t, ctx, keyDown(kb.ArrowUp))
	waitJS(t, ctx, "focus back on the root", `document.activeElement && document.activeElement.id === "ln-0"`)
	screenshot(t, ctx, "lineage-focus")
	fontsWarmed(t, ctx, "lineage-focus")

	// Scrub to iteration 500: probabilities of the 500 agents born before it.
	setInput(t, ctx, "lineage-at", "500")
	waitJS(t, ctx, "scrubbed to 500", `document.getElementById("lineage").dataset.at === "500"`)
	if n := eval[string](t, ctx, `document.getElementById("lineage").dataset.layouts`); n != "1" {
		t.Errorf("scrubbing laid the tree out again (%s layouts); only the overlay changes", n)
	}
	if n := count(t, ctx, "#lineage .halos circle"); n < 1 {
		t.Error("no probability halos at iteration 500")
	}
	eval[bool](t, ctx, `(document.getElementById("ln-`+child+`").focus(), true)`)
	waitJS(t, ctx, "a probability in the tooltip", `(document.getElementById("lineage-tip-prob") || {}).textContent?.includes("chance of being drawn at iteration 500")`)
	screenshot(t, ctx, "lineage-scrubbed")

	// Zoom into the child's branch, then click a node: the Agent view.
	click(t, ctx, "lineage-tip-zoom")
	waitJS(t, ctx, "re-rooted", `location.search.includes("root=agent-") && !!document.getElementById("lineage-whole")`)
	if got := eval[string](t, ctx, `document.querySelector("#lineage circle.ln").dataset.i`); got != child {
		t.Errorf("the zoomed tree's root is %s, want %s", got, child)
	}
	eval[bool](t, ctx, `(document.getElementById("ln-`+child+`").dispatchEvent(new MouseEvent("click", {bubbles: true})), true)`)
	waitJS(t, ctx, "the Agent view", `location.pathname.endsWith("/agent") && !!document.getElementById("agent-title")`)
	if got := text(t, ctx, "agent-title"); !strings.Contains(got, "agent-") {
		t.Errorf("agent view title %q", got)
	}
}

// emulateFocus makes the headless page behave as a focused window, so focus() fires focus events.
func emulateFocus(t testing.TB, ctx context.Context) {
	t.Helper()
	do(t, ctx, chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
		_, err := chromedp.Call(ctx, emulation.SetFocusEmulationEnabled, emulation.SetFocusEmulationEnabledParams{Enabled: true})
		return err
	}))
}

// keyDown presses a key (a kb constant, e.g. kb.ArrowDown) in the focused element, as a keyboard does.
func keyDown(key string) chromedp.Action[chromedp.Void] { return chromedp.KeyEvent(key) }
