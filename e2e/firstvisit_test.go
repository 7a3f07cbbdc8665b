//go:build !(js && wasm)

package e2e

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// TestFirstVisitExplainsItself opens the workbench as a newcomer: the Overview explains what it is
// and offers three starts; the panel stays closed once closed and comes back from "What is this?";
// "Watch a run" starts a live run; every view names itself in the tab and in a heading, which
// gets the focus after navigation; the skip link leads to it; the archive's headers explain
// themselves.
func TestFirstVisitExplainsItself(t *testing.T) {
	ctx := browser(t)
	open(t, ctx, "/", "intro")
	intro := text(t, ctx, "intro")
	for _, want := range []string{"What is this?", "A hyperagent is one editable record", "Ablations", "Watch a run", "Run the ablation", "Open a shared run"} {
		if !strings.Contains(intro, want) {
			t.Errorf("the first-visit panel lacks %q", want)
		}
	}
	if got := eval[string](t, ctx, `document.title`); got != "Overview · hyperagents workbench" {
		t.Errorf("title %q", got)
	}
	screenshot(t, ctx, "first-visit")

	click(t, ctx, "intro-close")
	waitJS(t, ctx, "the panel closed", `!document.getElementById("intro")`)
	open(t, ctx, "/", "run")
	if n := count(t, ctx, "#intro"); n != 0 {
		t.Error("the panel came back after a reload although it was closed")
	}
	click(t, ctx, "what-is-this")
	waitVisible(t, ctx, "intro")

	click(t, ctx, "intro-watch")
	waitJS(t, ctx, "the panel closed", `!document.getElementById("intro")`)
	waitText(t, ctx, "stat-iterations", "300")
	if got := eval[string](t, ctx, `document.getElementById("domain").value`); got != "digits" {
		t.Errorf("Watch a run ran on %q, want digits", got)
	}
	if got := text(t, ctx, "run"); got != "Add 30 iterations" && got != "Add 300 iterations" {
		t.Errorf("the Run button says %q after a run, want it to say it adds iterations", got)
	}

	// Every view: its own title and one heading; after navigating, the heading has the focus.
	views := []struct{ nav, path, title string }{
		{"nav-archive", "/archive", "Archive"}, {"nav-events", "/events", "Events"}, {"nav-lineage", "/lineage", "Lineage"},
		{"nav-experiments", "/experiments", "Experiments"}, {"nav-transfer", "/transfer", "Transfer"},
		{"nav-review", "/review", "Live review"}, {"nav-runs", "/runs", "Runs"}, {"nav-overview", "/", "Overview"},
	}
	for _, v := range views {
		click(t, ctx, v.nav)
		waitJS(t, ctx, "the "+v.title+" view", `location.pathname === "`+v.path+`" && !!document.querySelector("main h1")`)
		waitJS(t, ctx, v.title+"'s title", `document.title === "`+v.title+` · hyperagents workbench"`)
		waitJS(t, ctx, "focus on "+v.title+"'s heading", `document.activeElement === document.querySelector("main h1")`)
		if n := count(t, ctx, "h1"); n != 1 {
			t.Errorf("%s has %d top-level headings", v.path, n)
		}
	}

	// The skip link is the first thing a keyboard reaches and leads to the heading.
	eval[bool](t, ctx, `(document.getElementById("nav-archive").focus(), true)`)
	click(t, ctx, "nav-archive")
	waitVisible(t, ctx, "archive-table")
	eval[bool](t, ctx, `(document.body.focus(), true)`)
	if got := eval[string](t, ctx, `document.querySelector("a[href], button, input, select").id`); got != "skip-link" {
		t.Errorf("the first focusable element is #%s, want the skip link", got)
	}
	click(t, ctx, "skip-link")
	waitJS(t, ctx, "focus on the heading after the skip link", `document.activeElement === document.querySelector("main h1")`)

	for key, want := range map[string]string{"val": "validation split", "test": "never used to choose", "generation": "mutations", "sigma": "meta knob"} {
		got := eval[string](t, ctx, `(document.getElementById("sort-`+key+`") || {closest: () => null}).closest("th")?.title || ""`)
		if !strings.Contains(got, want) {
			t.Errorf("the %s column's tooltip %q lacks %q", key, got, want)
		}
	}
}

// TestNeverLoseWork makes a run with saving off: the page says it is not saved, leaving asks
// first (and staying keeps it), "Save this run" saves it afterwards, and then leaving is quiet and
// the run is in the Runs view after a reload. A fresh Runs view says plainly nothing is saved.
func TestNeverLoseWork(t *testing.T) {
	ctx := browser(t)
	open(t, ctx, "/runs", "runs-summary")
	waitVisible(t, ctx, "runs-none")
	if got := text(t, ctx, "runs-none"); !strings.HasPrefix(got, "Nothing is saved yet.") {
		t.Errorf("an empty Runs view says %q", got)
	}

	open(t, ctx, "/", "run")
	if got := text(t, ctx, "run"); got != "Run 30 iterations" {
		t.Errorf("the Run button says %q on a fresh page", got)
	}
	// A real click (input events, not element.click()): browsers ask before leaving only pages the
	// user has interacted with.
	do(t, ctx, chromedp.Click(chromedp.ID("save-runs")))
	waitJS(t, ctx, "saving off", `!document.getElementById("save-runs").checked`)
	click(t, ctx, "run")
	waitText(t, ctx, "stat-iterations", "30")
	waitText(t, ctx, "save-status", "this run is not saved")
	if got := text(t, ctx, "run"); got != "Add 30 iterations" {
		t.Errorf("after a run the button says %q, want Add 30 iterations", got)
	}

	dialogs := make(chan string, 4)
	dctx, stopDialogs := context.WithCancel(ctx)
	defer stopDialogs()
	go func() {
		for ev, err := range chromedp.Events(dctx, page.JavascriptDialogOpening) {
			if err != nil {
				return
			}
			dialogs <- string(ev.Type)
			// Stay on the page.
			chromedp.Call(ctx, page.HandleJavaScriptDialog, page.HandleJavaScriptDialogParams{Accept: false})
		}
	}()
	eval[bool](t, ctx, `(setTimeout(() => location.reload(), 0), true)`)
	select {
	case typ := <-dialogs:
		if typ != "beforeunload" {
			t.Errorf("dialog %q, want beforeunload", typ)
		}
	case <-time.After(15 * time.Second):
		t.Fatal("reloading with an unsaved run did not ask first")
	}
	time.Sleep(300 * time.Millisecond)
	if got := text(t, ctx, "stat-iterations"); got != "30" {
		t.Fatalf("after staying, the page shows %s iterations, want the run's 30", got)
	}

	click(t, ctx, "save-now")
	waitJS(t, ctx, "the run saved", `document.getElementById("save-status").textContent.startsWith("saved")`)
	waitJS(t, ctx, "nothing left unsaved", `window.hyperagentsUnsaved === false`)
	screenshot(t, ctx, "saved-afterwards")
	open(t, ctx, "/runs", "runs-summary")
	select {
	case typ := <-dialogs:
		t.Errorf("leaving after saving still asked (%s)", typ)
	default:
	}
	waitJS(t, ctx, "the saved run listed", `document.querySelectorAll("#runs-table tbody tr").length === 1`)
	if n := count(t, ctx, "#runs-none"); n != 0 {
		t.Error("the Runs view still says nothing is saved")
	}
}

// TestExperimentKeptAcrossReload runs an experiment, reloads, and finds its results again (with
// its settings in the form and a word on how they came back).
func TestExperimentKeptAcrossReload(t *testing.T) {
	ctx := browser(t)
	open(t, ctx, "/experiments", "exp-run")
	setInput(t, ctx, "exp-iterations", "12")
	setInput(t, ctx, "exp-seeds", "3")
	click(t, ctx, "exp-run")
	waitVisible(t, ctx, "exp-done")
	before := text(t, ctx, "summary-table")
	if n := count(t, ctx, "#exp-restored"); n != 0 {
		t.Error("a fresh experiment says it was restored")
	}
	open(t, ctx, "/experiments", "exp-done")
	waitVisible(t, ctx, "exp-restored")
	if after := text(t, ctx, "summary-table"); after != before {
		t.Errorf("after the reload the summary reads\n%s\nwas\n%s", after, before)
	}
	if got := eval[string](t, ctx, `document.getElementById("exp-iterations").value + "/" + document.getElementById("exp-seeds").value`); got != "12/3" {
		t.Errorf("the form after the reload says %s, want 12/3", got)
	}
}

// TestKeptExperimentThatCannotBeRead finds unreadable kept settings in the browser: the page
// says so, runs nothing, and the form keeps its defaults.
func TestKeptExperimentThatCannotBeRead(t *testing.T) {
	ctx := browser(t)
	open(t, ctx, "/", "run")
	eval[bool](t, ctx, `(localStorage.setItem("hyperagents.lastExperiment", "{not json"), true)`)
	click(t, ctx, "nav-experiments")
	waitVisible(t, ctx, "exp-error")
	if got := text(t, ctx, "exp-error"); !strings.Contains(got, "could not be read") {
		t.Errorf("unreadable kept settings say %q", got)
	}
	if n := count(t, ctx, "#exp-done, #exp-progress"); n != 0 {
		t.Error("an experiment ran from unreadable settings")
	}
	if got := eval[string](t, ctx, `document.getElementById("exp-iterations").value`); got != "30" {
		t.Errorf("the form's iterations are %q, want the default 30", got)
	}
}
