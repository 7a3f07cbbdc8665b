//go:build !(js && wasm)

package e2e

import (
	"context"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestPhoneWidth opens every view of a run on a 390 × 844 phone screen: nothing scrolls sideways
// (wide tables scroll inside their card), the header takes at most a sixth of the screen, and
// every control is a target a finger can hit (axe-core's target-size rule, WCAG 2.2: at least
// 24 × 24 px or that much room around it; Lighthouse's mobile audit runs it, axe's defaults at
// desktop width do not catch what only the phone layout crowds).
func TestPhoneWidth(t *testing.T) {
	src := axeSource(t)
	ctx := browser(t)
	do(t, ctx, chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile))
	open(t, ctx, "/", "run")
	setInput(t, ctx, "iterations", "30")
	click(t, ctx, "run")
	waitText(t, ctx, "stat-iterations", "30")
	// The live chart is drawn at the width it is shown at: its 11 px text is not shrunk.
	scale := eval[float64](t, ctx, `(() => { const s = document.querySelector("#live-chart svg"); return s.getBoundingClientRect().width / s.viewBox.baseVal.width })()`)
	if scale < 0.99 {
		t.Errorf("the live chart is scaled by %.2f at 390 px: its text is %.1f px", scale, 11*scale)
	}
	eval[bool](t, ctx, src+";\ntrue")
	eachView(t, ctx, func(name string) {
		checkNarrow(t, ctx, name)
		checkTargets(t, ctx, name)
		screenshot(t, ctx, "phone-"+name)
	})
}

// checkTargets fails the test with what axe-core's target-size rule finds on view name.
func checkTargets(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	for _, f := range runAxe(t, ctx, name, `{runOnly: ["target-size"], resultTypes: ["violations"]}`) {
		var where []string
		for _, n := range f.Nodes {
			where = append(where, strings.TrimSpace(truncate(n.HTML, 100)))
		}
		t.Errorf("%s at 390 px: %s: %s", name, f.Help, strings.Join(where, " | "))
	}
}

// checkNarrowJS reports what is wider than the screen, or "" when nothing is.
const checkNarrowJS = `(() => {
	const w = document.documentElement.clientWidth;
	const out = [];
	if (document.documentElement.scrollWidth > w + 1) {
		out.push("the page is " + document.documentElement.scrollWidth + " px wide for a " + w + " px screen");
		for (const e of document.querySelectorAll("main *, header *")) {
			const r = e.getBoundingClientRect();
			if (r.right > w + 1 && !e.closest(".table-wrap, nav, .scroll-x") && getComputedStyle(e).position !== "fixed") {
				out.push((e.id ? "#" + e.id : e.tagName.toLowerCase() + "." + e.className) + " ends at " + Math.round(r.right));
				if (out.length > 6) break;
			}
		}
	}
	const h = document.querySelector("header.top").getBoundingClientRect().height;
	if (h > window.innerHeight / 6) {
		out.push("the header is " + Math.round(h) + " px of " + window.innerHeight);
	}
	return out.join("; ");
})()`

// checkNarrow fails the test with checkNarrowJS's findings on view name.
func checkNarrow(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	if msg := eval[string](t, ctx, checkNarrowJS); msg != "" {
		t.Errorf("%s at 390 px: %s", name, msg)
	}
}

// eachView walks through every view of the live run as a person does, by the navigation bar (and
// the Agent view by a link in the archive), and calls check on each once it is shown.
func eachView(t *testing.T, ctx context.Context, check func(name string)) {
	t.Helper()
	views := []struct{ nav, ready, name string }{
		{"", "run", "overview"},
		{"nav-archive", "archive-table", "archive"},
		{"nav-events", "events-count", "events"},
		{"nav-lineage", "lineage", "lineage"},
		{"nav-experiments", "exp-run", "experiments"},
		{"nav-transfer", "tr-pick", "transfer"},
		{"nav-review", "review-form", "review"},
		{"nav-runs", "runs-summary", "runs"},
		{"agent", "agent-title", "agent"},
	}
	for _, v := range views {
		switch v.nav {
		case "":
		case "agent":
			click(t, ctx, "nav-archive")
			waitVisible(t, ctx, "archive-table")
			eval[bool](t, ctx, `(document.querySelector("#archive-table tbody a").click(), true)`)
		default:
			click(t, ctx, v.nav)
		}
		waitVisible(t, ctx, v.ready)
		check(v.name)
	}
}
