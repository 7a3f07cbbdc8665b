package ui

import (
	"github.com/maxence-charriere/go-app/v10/pkg/app"
)

// introKey is the localStorage key that remembers the first-visit panel was closed.
const introKey = "hyperagents.introClosed"

// IntroState is the first-visit panel on the Overview: open on a first visit, closed for good
// once dismissed, reopened by the header's "What is this?" link.
type IntroState struct {
	Open    bool
	decided bool // Open was read from localStorage
}

// decide opens the panel on a first visit. The caller holds s.mu.
func (x *IntroState) decide() {
	if x.decided || !app.IsClient {
		return
	}
	x.decided = true
	x.Open = localGet(introKey) != "1"
}

// close hides the panel and remembers that for later visits. The caller holds s.mu.
func (x *IntroState) close() {
	x.Open, x.decided = false, true
	if app.IsClient {
		localSet(introKey, "1")
	}
}

// renderIntro is the first-visit panel: what the workbench is for, in plain words, and three
// ways to start. The caller holds s.mu.
func (o *Overview) renderIntro() app.UI {
	x := &o.s.Intro
	if !x.Open {
		return nil
	}
	return app.Section().Class("card intro").ID("intro").Aria("labelledby", "intro-title").Body(
		app.Div().Class("intro-head").Body(
			app.H2().ID("intro-title").Text("What is this?"),
			app.Button().ID("intro-close").Class("secondary").Aria("label", "Close the introduction").Text("Close").
				OnClick(o.s.handle(func(app.Context) { x.close() })),
		),
		app.P().Text("A hyperagent is one editable record with two parts: a task policy, which does the job "+
			"(here: accept or reject a code repository from five quality scores, or classify wine, tumours and "+
			"handwritten digits, or walk a maze), and a meta policy, which decides how the agent's children "+
			"are made: how far to change the task policy, where to look, how much to explore. The meta policy "+
			"is itself changed by evolution, so the way the agent improves can improve too. Every agent is "+
			"kept in an archive, where weaker ones can still be parents later (stepping stones)."),
		app.P().Text("Ablations ask what each part is worth: the same run with the meta policy frozen, or "+
			"without the archive (always mutate the latest agent). Run many seeds of each and the "+
			"Experiments view tells you, with medians, confidence intervals and Wilcoxon tests, where "+
			"self-improvement helps and where it does not (on several domains it does not: the README says "+
			"which)."),
		app.P().Class("muted small").Text("Everything runs in this page and is saved in this browser; nothing is sent anywhere "+
			"unless you turn on the optional language model."),
		app.Div().Class("intro-starts").Body(
			app.Button().ID("intro-watch").Text("Watch a run").
				OnClick(o.s.handle(o.s.introWatch)),
			app.Span().Class("muted small").Text("300 iterations on the digits task, live"),
			app.Button().ID("intro-ablation").Text("Run the ablation").
				OnClick(o.s.handle(o.s.introAblation)),
			app.Span().Class("muted small").Text("hyperagent vs. frozen meta policy vs. best-only selection, 5 seeds, about half a minute"),
			app.A().ID("intro-open").Class("button-link").Href(href(PathRuns)).Text("Open a shared run").
				OnClick(o.s.handle(func(app.Context) { x.close() })),
			app.Span().Class("muted small").Text("import a .sqlite file someone sent you, then replay it to check every number"),
		),
	)
}

// introWatch starts a live 300-iteration run on the digits task. The caller holds s.mu.
func (s *Session) introWatch(ctx app.Context) {
	s.Intro.close()
	if s.running(jobRun) || s.Store.ReadOnly {
		return
	}
	r := &s.Run
	r.setDomain("digits")
	r.ItersIn = "300"
	s.startRun(ctx)
}

// introAblation starts the quick sweep preset and shows it on the Experiments view. The caller
// holds s.mu.
func (s *Session) introAblation(ctx app.Context) {
	s.Intro.close()
	if !s.Sweep.busy(s) {
		s.Sweep.SpecText = sweepPresets[0].Spec
		s.startSweep(ctx)
	}
	ctx.Navigate(href(PathExperiments))
}
