//go:build !(js && wasm)

package e2e

import (
	"fmt"
	"strconv"
	"strings"
	"testing"
)

// TestArchiveAgentEventsReview runs 30 iterations, then walks through the other views of that
// run the way a person does: by the navigation bar and links, never reloading.
func TestArchiveAgentEventsReview(t *testing.T) {
	ctx := browser(t)
	open(t, ctx, "/", "run")
	setInput(t, ctx, "iterations", "30")
	click(t, ctx, "run")
	waitText(t, ctx, "stat-iterations", "30")
	best := text(t, ctx, "stat-best")

	// Archive: 31 rows, the best highlighted, sortable, filterable.
	click(t, ctx, "nav-archive")
	waitVisible(t, ctx, "archive-table")
	if n := count(t, ctx, "#archive-table tbody tr"); n != 31 {
		t.Fatalf("archive shows %d rows, want 31", n)
	}
	if got := text(t, ctx, "archive-count"); got != "31 of 31 agents" {
		t.Errorf("archive count %q", got)
	}
	if got := eval[string](t, ctx, `document.querySelector("#archive-table tr.best td a").textContent`); got != best {
		t.Errorf("highlighted row %q, want the best agent %s", got, best)
	}
	screenshot(t, ctx, "archive")
	click(t, ctx, "sort-test")
	waitJS(t, ctx, "sorted by test", `location.search === "?sort=test"`)
	click(t, ctx, "sort-test")
	waitJS(t, ctx, "sorted by test, descending", `location.search.includes("desc=1")`)
	tests := eval[[]string](t, ctx, `[...document.querySelectorAll("#archive-table tbody tr td:nth-child(7)")].map(td => td.textContent)`)
	if len(tests) != 31 {
		t.Fatalf("%d test cells after sorting, want 31", len(tests))
	}
	for i := 1; i < len(tests); i++ {
		a, errA := strconv.Atoi(strings.TrimSuffix(tests[i-1], "%"))
		b, errB := strconv.Atoi(strings.TrimSuffix(tests[i], "%"))
		if errA != nil || errB != nil {
			t.Fatalf("test cells %q and %q are not percentages", tests[i-1], tests[i])
		}
		if a < b {
			t.Fatalf("test column not descending: %v", tests)
		}
	}
	setSelect(t, ctx, "source", "seed")
	click(t, ctx, "apply-filter")
	waitText(t, ctx, "archive-count", "1 of 31 agents")
	setSelect(t, ctx, "source", "")
	setInput(t, ctx, "filter", best)
	click(t, ctx, "apply-filter")
	waitJS(t, ctx, "filtered by the best id", `location.search.includes("q=")`)
	if n := count(t, ctx, "#archive-table tbody tr"); n < 1 {
		t.Fatalf("filter %q shows no rows", best)
	}

	// Parent links lead to the parent; the agent shows its ancestor chain back to the seed.
	click(t, ctx, "row-"+best)
	click(t, ctx, "nav-archive")
	waitVisible(t, ctx, "archive-table")
	eval[bool](t, ctx, fmt.Sprintf(`(() => { document.querySelector("#row-%s td a").click(); return true })()`, best))
	waitText(t, ctx, "agent-title", "Agent "+best)
	if got := text(t, ctx, "agent-train"); got != text(t, ctx, "agent-train") || !strings.HasSuffix(got, "%") {
		t.Errorf("agent train %q", got)
	}
	steps := count(t, ctx, "#ancestors tr.ancestor")
	if steps < 2 {
		t.Fatalf("ancestor chain of %s has %d rows", best, steps)
	}
	last := eval[string](t, ctx, `[...document.querySelectorAll("#ancestors tr.ancestor")].pop().innerText`)
	if !strings.Contains(last, "agent-000") || !strings.Contains(last, "seed agent") {
		t.Errorf("chain does not end at the seed agent: %q", last)
	}
	first := eval[string](t, ctx, `document.querySelector("#ancestors tr.ancestor").innerText`)
	if !strings.Contains(first, best) || !strings.Contains(first, "→") {
		t.Errorf("chain's first step %q should be %s with its changes", first, best)
	}
	if n := count(t, ctx, "#predictions tbody tr"); n != 30 {
		t.Errorf("predictions for %d repositories, want 30 (20 train + 10 test)", n)
	}
	if got := text(t, ctx, "pred-train-01"); !strings.Contains(got, "accept") {
		t.Errorf("prediction row %q", got)
	}
	screenshot(t, ctx, "agent")
	fontsWarmed(t, ctx, "agent")
	// The parent link opens the parent.
	parent := eval[string](t, ctx, `document.querySelectorAll("#ancestors tr.ancestor td a")[1].textContent`)
	eval[bool](t, ctx, `(() => { document.querySelectorAll("#ancestors tr.ancestor td a")[1].click(); return true })()`)
	waitText(t, ctx, "agent-title", "Agent "+parent)
	if got := count(t, ctx, "#ancestors tr.ancestor"); got != steps-1 {
		t.Errorf("parent %s has %d chain rows, want %d", parent, got, steps-1)
	}

	// Events: the full log, newest first; improvements only.
	click(t, ctx, "nav-events")
	waitVisible(t, ctx, "events-table")
	if got := text(t, ctx, "events-count"); got != "30 of 30 events" {
		t.Errorf("events count %q", got)
	}
	if id := eval[string](t, ctx, `document.querySelector("#events-table tbody tr").id`); id != "event-30" {
		t.Errorf("first event row %q, want the newest (event-30)", id)
	}
	screenshot(t, ctx, "events")
	fontsWarmed(t, ctx, "events")
	click(t, ctx, "improvements")
	waitJS(t, ctx, "improvements filter", `location.search === "?improvements=1"`)
	waitVisible(t, ctx, "events-table")
	deltas := eval[[]string](t, ctx, `[...document.querySelectorAll("#events-table tbody td.delta")].map(td => td.textContent)`)
	if len(deltas) == 0 || len(deltas) >= 30 {
		t.Errorf("%d improvements out of 30", len(deltas))
	}
	for _, d := range deltas {
		if !strings.HasPrefix(d, "+") {
			t.Errorf("improvements list shows delta %q", d)
		}
	}

	// Live review: a dataset row, then typed features, then bad input.
	click(t, ctx, "nav-review")
	waitVisible(t, ctx, "review-form")
	setSelect(t, ctx, "review-row", "train-02")
	waitJS(t, ctx, "row filled the form", `document.getElementById("feature-security").value === "0.45"`)
	click(t, ctx, "review-run")
	waitText(t, ctx, "review-verdict", "reject")
	if got := text(t, ctx, "review-label"); !strings.Contains(got, "reject") {
		t.Errorf("review label %q", got)
	}
	if got := text(t, ctx, "review-result"); !strings.Contains(got, "test coverage below 0.30") {
		t.Errorf("breakdown misses the rule adjustment: %q", got)
	}
	screenshot(t, ctx, "review")
	for _, f := range []string{"maintainability", "security", "test_coverage", "documentation", "simplicity"} {
		setInput(t, ctx, "feature-"+f, "0.95")
	}
	click(t, ctx, "review-run")
	waitText(t, ctx, "review-verdict", "accept")
	setInput(t, ctx, "feature-security", "1.5")
	click(t, ctx, "review-run")
	waitVisible(t, ctx, "feature-security-error")
	if n := count(t, ctx, "#review-result"); n != 0 {
		t.Errorf("a verdict is shown for an out-of-range feature")
	}
	screenshot(t, ctx, "review-bad-input")
	fontsWarmed(t, ctx, "review-bad-input")
}

func TestURLParametersAreChecked(t *testing.T) {
	ctx := browser(t)
	open(t, ctx, "/archive?sort=bogus&desc=2&page=9", "archive-table")
	msgs := eval[string](t, ctx, `[...document.querySelectorAll(".notice")].map(p => p.textContent).join("\n")`)
	for _, want := range []string{`Unknown sort column "bogus"`, `desc must be 0 or 1`, `Page "9" does not exist`} {
		if !strings.Contains(msgs, want) {
			t.Errorf("notices %q lack %q", msgs, want)
		}
	}
	open(t, ctx, "/agent?id=agent-999", "agent-error")
	if got := text(t, ctx, "agent-error"); !strings.Contains(got, `no agent "agent-999"`) {
		t.Errorf("agent error %q", got)
	}
	click(t, ctx, "to-archive")
	waitVisible(t, ctx, "archive-table")
	open(t, ctx, "/review?features=0.9,0.9", "review-error")
	if got := text(t, ctx, "review-error"); !strings.Contains(got, "gives 2 feature values") {
		t.Errorf("review error %q", got)
	}
	open(t, ctx, "/review?row=train-01", "review-verdict")
	if got := text(t, ctx, "review-verdict"); got != "accept" {
		t.Errorf("train-01 verdict %q", got)
	}
}
