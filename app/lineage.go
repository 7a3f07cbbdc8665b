package ui

import (
	"fmt"
	"net/url"
	"strconv"
	"strings"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"hyperagents/chart"
	"hyperagents/engine"
)

// lineageBudgets are the node budgets offered; the first is the default.
var lineageBudgets = []int{400, 150, 1000, 3000}

// LineageView draws the live run's archive as a tree (/lineage): root = the initial agent (or the
// agent in ?root=), colour = fitness, size = children, the way to the reported agent highlighted.
// Hovering or focusing a node shows its figures, knobs, the change from its parent and the chance
// it had of being drawn as a parent at the scrubbed iteration (?at=); a click or Enter opens it.
type LineageView struct {
	app.Compo
	titled
	s      *Session
	root   string // agent id of the root, "" for the initial agent
	at     int    // scrubbed iteration, 0 for none
	budget int
	hover  int // archive index of the node whose details show, −1 for none
	msgs   []string
	// navved: OnNav has read the address. go-app renders a page once before OnNav; drawing
	// then, with none of the address's settings, laid out a 10,000-agent archive twice per visit.
	navved  bool
	layouts int // trees laid out by this view so far (shown as data-layouts, for tests)

	// The drawing, kept while its inputs stay the same: hovering does not redraw it.
	key     string
	tree    *chart.Tree
	probs   []float64      // selection probabilities at the scrubbed iteration, nil for none
	edges   map[int]string // each drawn agent's change from its parent, by archive index
	svg     string
	overlay string // the selection at the scrubbed iteration, drawn over the tree
}

// OnMount attaches the view to the session.
func (v *LineageView) OnMount(ctx app.Context) { v.s.attach(ctx) }

// OnNav reads ?root=agent-N, ?at=ITERATION and ?nodes=BUDGET.
func (v *LineageView) OnNav(ctx app.Context) {
	q := ctx.Page().URL().Query()
	v.msgs, v.hover, v.root, v.at, v.budget = nil, -1, q.Get("root"), 0, lineageBudgets[0]
	v.navved = true
	if s := q.Get("at"); s != "" {
		if n, err := strconv.Atoi(s); err == nil && n >= 1 {
			v.at = n
		} else {
			v.msgs = append(v.msgs, fmt.Sprintf("at=%q is not an iteration (a whole number from 1); showing no selection probabilities.", s))
		}
	}
	if s := q.Get("nodes"); s != "" {
		n, err := strconv.Atoi(s)
		ok := false
		for _, b := range lineageBudgets {
			ok = ok || (err == nil && n == b)
		}
		if ok {
			v.budget = n
		} else {
			v.msgs = append(v.msgs, fmt.Sprintf("nodes=%q is not one of %v; showing %d.", s, lineageBudgets, lineageBudgets[0]))
		}
	}
}

// link is this view's address with the given root, scrubbed iteration and budget.
func (v *LineageView) link(root string, at, budget int) string {
	q := url.Values{}
	if root != "" {
		q.Set("root", root)
	}
	if at > 0 {
		q.Set("at", strconv.Itoa(at))
	}
	if budget != lineageBudgets[0] {
		q.Set("nodes", strconv.Itoa(budget))
	}
	if len(q) == 0 {
		return href(PathLineage)
	}
	return href(PathLineage) + "?" + q.Encode()
}

// Render implements app.Composer.
func (v *LineageView) Render() app.UI {
	v.s.mu.Lock()
	defer v.s.mu.Unlock()
	run := v.s.Run.run
	if run == nil {
		return page(v.s, PathLineage, app.H1().Text("Lineage"), app.P().Text("No run."))
	}
	if !v.navved {
		return page(v.s, PathLineage, app.H1().Text("Lineage"), app.P().Class("muted").Text("Drawing the tree…"))
	}
	a := run.Archive()
	msgs := v.msgs
	root := 0
	if v.root != "" {
		if i, ok := a.Index(v.root); ok {
			root = i
		} else {
			msgs = append(msgs, fmt.Sprintf("The live run has no agent %q; showing the whole tree.", v.root))
		}
	}
	at := v.at
	if at > a.Len() {
		msgs = append(msgs, fmt.Sprintf("at=%d is past the run's %d iterations; showing the next draw (%d).", at, a.Len()-1, a.Len()))
		at = a.Len()
	}
	reported := a.Best()
	if run.Config().Flavour == engine.FlavourAdaptive {
		reported = a.Chosen()
	}
	v.draw(run, root, at, reported)
	tr, probs := v.tree, v.probs
	shown := fmt.Sprintf("All %d agents of the subtree are drawn.", tr.Total)
	if tr.Hidden > 0 {
		shown = fmt.Sprintf("%d of the %d agents are drawn: the branches with the most descendants and the way to the reported agent; the other %d fold into the drawn agent above them (ringed), which says how many it hides. Zoom into a branch to see all of it.",
			len(tr.Nodes), tr.Total, tr.Hidden)
	}
	budgetOpts := make([]app.UI, len(lineageBudgets))
	for i, b := range lineageBudgets {
		budgetOpts[i] = app.Option().Value(strconv.Itoa(b)).Selected(b == v.budget).Text(fmt.Sprintf("up to %d agents", b))
	}
	scrub := "Pick an iteration to see the chance every agent then had of being drawn as the parent."
	if at > 0 {
		scrub = fmt.Sprintf("Iteration %d: the draw that made agent-%03d, from the %d agents born before it, by %s selection; an agent's orange ring grows with its chance, agents born later are veiled.",
			at, at, at, run.Config().Selection)
		if at == a.Len() {
			scrub = fmt.Sprintf("The next draw (iteration %d), from all %d agents, by %s selection; an agent's orange ring grows with its chance.", at, at, run.Config().Selection)
		}
	}
	return page(v.s, PathLineage,
		app.H1().Text("Lineage"),
		app.P().Class("muted").Text("Every agent of the live run as a tree: the initial agent at the centre, each generation one ring further out; colour is fitness (light low, dark high), size the number of children, the orange path leads to the run's reported agent. Hover or focus (Tab) a node for its figures; arrow keys move to its parent (↑), first child (↓) and siblings (← →); a click or Enter opens the agent."),
		notices(msgs),
		app.Div().Class("fields lineage-controls").Body(
			app.Div().Class("field").Body(
				app.Label().For("lineage-at").Text(fmt.Sprintf("Selection at iteration %d", max(at, 1))),
				app.Input().Type("range").ID("lineage-at").Min(1).Max(a.Len()).Value(max(at, 1)).Attr("step", 1).
					OnInput(v.s.handle(func(ctx app.Context) {
						n, _ := strconv.Atoi(ctx.JSSrc().Get("value").String())
						v.at = n
					})),
			),
			app.Div().Class("field").Body(
				app.Label().For("lineage-nodes").Text("Draw"),
				app.Select().ID("lineage-nodes").OnChange(v.s.handle(func(ctx app.Context) {
					v.budget, _ = strconv.Atoi(ctx.JSSrc().Get("value").String())
				})).Body(budgetOpts...),
			),
			app.If(root != 0, func() app.UI {
				return app.A().ID("lineage-whole").Class("button secondary").Href(v.link("", v.at, v.budget)).Text("Back to the whole tree")
			}),
		),
		app.P().Class("muted small").ID("lineage-scrub").Text(scrub),
		app.P().Class("muted small").ID("lineage-shown").Text(shown),
		app.Div().ID("lineage").Class("lineage").DataSet("at", at).DataSet("nodes", len(tr.Nodes)).DataSet("layouts", v.layouts).
			On("mouseover", v.onPoint).On("focusin", v.onPoint).OnClick(v.onClick).OnKeyDown(v.onKey).Body(
			app.Raw(`<div class="svg-wrap lineage-svg">`+v.svg+`</div>`),
			app.Raw(`<div class="lineage-overlay">`+v.overlay+`</div>`),
			v.renderTip(run, tr, probs),
		),
		v.s.chartDownloads("lineage-dl", "lineage", func() string { return v.svg }, func() [][]string { return archiveRows(v.s.Run.run) }),
	)
}

// draw lays out and draws the tree unless nothing it depends on changed. The caller holds mu.
func (v *LineageView) draw(run *engine.Run, root, at, reported int) {
	a := run.Archive()
	key := fmt.Sprintf("%p/%d/%d/%d/%d", run, a.Len(), root, at, v.budget)
	if key == v.key {
		return
	}
	tr := v.tree
	if tr == nil || !strings.HasPrefix(v.key, fmt.Sprintf("%p/%d/%d/", run, a.Len(), root)) || !strings.HasSuffix(v.key, fmt.Sprintf("/%d", v.budget)) {
		tr = chart.LayoutTree(a, root, v.budget, reported)
		v.layouts++
		// The edges' tooltips do not change with the scrubbed iteration: made once per layout.
		v.edges = make(map[int]string, len(tr.Nodes))
		for _, n := range tr.Nodes[1:] {
			e := a.At(n.Index)
			task, meta := changesFromParent(run, n.Index)
			v.edges[n.Index] = fmt.Sprintf("%s → %s · task: %s · meta: %s", e.Agent.ParentID, e.Agent.ID, summarize(task), summarize(meta))
		}
	}
	var probs []float64
	if at > 0 {
		probs = engine.SelectionProbabilities(a, run.Config(), at)
	}
	v.key, v.probs, v.overlay = key, probs, ""
	if probs != nil {
		v.overlay = tr.Overlay(probs)
	}
	if tr == v.tree && v.svg != "" {
		return // the tree is as drawn: only the overlay changed
	}
	style := chart.TreeStyle{
		Edge: func(i int) string { return v.edges[i] },
		Path: a.Ancestors(reported),
		Best: reported,
		Fit:  func(i int) float64 { return a.At(i).Eval.Fitness },
		Label: func(i int) string {
			e := a.At(i)
			label := fmt.Sprintf("%s, fitness %.3f, %d children", e.Agent.ID, e.Eval.Fitness, a.Children(i))
			if n, ok := tr.Node(i); ok && n.Hidden > 0 {
				label += fmt.Sprintf(", %d descendants folded", n.Hidden)
			}
			return label
		},
	}
	v.tree, v.svg = tr, tr.SVG(style)
}

// renderTip is the details of the hovered or focused node, placed beside it.
func (v *LineageView) renderTip(run *engine.Run, tr *chart.Tree, probs []float64) app.UI {
	n, ok := tr.Node(v.hover)
	if v.hover < 0 || !ok {
		return app.Div().ID("lineage-tip").Class("lineage-tip hidden").Aria("hidden", "true")
	}
	a := run.Archive()
	e := a.At(v.hover)
	lines := []app.UI{
		app.Strong().Text(e.Agent.ID),
		app.Div().Text(fmt.Sprintf("generation %d · born at iteration %d · %d children", e.Agent.Generation, e.Created, a.Children(v.hover))),
		app.Div().Text(fmt.Sprintf("fitness %.3f · validation %.3f · test %.3f", e.Eval.Fitness, e.Eval.ValAccuracy, e.Eval.TestAccuracy)),
	}
	if run.Config().Flavour != engine.FlavourAdaptive {
		lines[2] = app.Div().Text(fmt.Sprintf("train %s · test %s", percent(e.Eval.TrainAccuracy), percent(e.Eval.TestAccuracy)))
	}
	if n.Hidden > 0 {
		lines = append(lines, app.Div().Text(fmt.Sprintf("%d descendants folded here", n.Hidden)))
	}
	if e.Agent.Meta.Adaptive() {
		var ks []string
		for k, spec := range engine.Knobs {
			ks = append(ks, fmt.Sprintf("%s %.4g", spec.Symbol, e.Agent.Meta.Knobs[k]))
		}
		lines = append(lines, app.Div().Class("small").Text("meta: "+strings.Join(ks, " · ")))
	} else {
		m := e.Agent.Meta
		lines = append(lines, app.Div().Class("small").Text(fmt.Sprintf("meta: weight step %.4g · threshold step %.4g · exploration %.4g", m.WeightStep, m.ThresholdStep, m.ExplorationScale)))
	}
	if probs != nil {
		p := "not born yet"
		if v.hover < len(probs) {
			p = fmt.Sprintf("%.2f%%", 100*probs[v.hover])
		}
		lines = append(lines, app.Div().ID("lineage-tip-prob").Text(fmt.Sprintf("chance of being drawn at iteration %d: %s", len(probs), p)))
	}
	if _, ok := a.Index(e.Agent.ParentID); ok {
		task, meta := changesFromParent(run, v.hover)
		lines = append(lines, app.Div().Class("small").Text(fmt.Sprintf("from %s — task: %s; meta: %s", e.Agent.ParentID, summarize(task), summarize(meta))))
	}
	lines = append(lines, app.Div().Class("small").Body(
		app.A().ID("lineage-tip-open").Href(href(PathAgent)+"?id="+e.Agent.ID).Text("open"),
		app.Text(" · "),
		app.A().ID("lineage-tip-zoom").Href(v.link(e.Agent.ID, v.at, v.budget)).Text("zoom into this branch"),
	))
	left, top := 100*n.X/760, 100*n.Y/760
	side := "right"
	if left > 55 {
		side = "left"
	}
	return app.Div().ID("lineage-tip").Class("lineage-tip "+side).Attr("role", "tooltip").
		Style("left", fmt.Sprintf("%.1f%%", left)).Style("top", fmt.Sprintf("%.1f%%", top)).Body(lines...)
}

// summarize lists up to three changes and how many more there are.
func summarize(cs []string) string {
	switch {
	case len(cs) == 0:
		return "no change"
	case len(cs) <= 3:
		return strings.Join(cs, ", ")
	}
	return fmt.Sprintf("%s and %d more", strings.Join(cs[:3], ", "), len(cs)-3)
}

// nodeOf is the archive index of the tree node an event happened on, or −1.
func nodeOf(e app.Event) int {
	t := e.Get("target")
	if !t.Truthy() || t.Get("dataset").IsUndefined() {
		return -1
	}
	d := t.Get("dataset").Get("i")
	if !d.Truthy() || t.Get("tagName").String() != "circle" {
		return -1
	}
	i, err := strconv.Atoi(d.String())
	if err != nil {
		return -1
	}
	return i
}

// onPoint shows the details of the node under the pointer or holding the focus.
func (v *LineageView) onPoint(ctx app.Context, e app.Event) {
	if i := nodeOf(e); i >= 0 {
		v.s.mu.Lock()
		v.hover = i
		v.s.mu.Unlock()
	}
}

// onClick opens the clicked node's agent.
func (v *LineageView) onClick(ctx app.Context, e app.Event) {
	if i := nodeOf(e); i >= 0 {
		ctx.Navigate(href(PathAgent) + "?id=" + engine.AgentID(i))
	}
}

// onKey moves the focus along the tree with the arrow keys, and opens the agent on Enter.
func (v *LineageView) onKey(ctx app.Context, e app.Event) {
	i := nodeOf(e)
	if i < 0 {
		return
	}
	v.s.mu.Lock()
	tr := v.tree
	v.s.mu.Unlock()
	n, ok := tr.Node(i)
	if !ok {
		return
	}
	next := -1
	switch e.Get("key").String() {
	case "Enter", " ":
		e.PreventDefault()
		ctx.Navigate(href(PathAgent) + "?id=" + engine.AgentID(i))
		return
	case "ArrowUp":
		if n.Parent >= 0 {
			next = tr.Nodes[n.Parent].Index
		}
	case "ArrowDown":
		if len(n.Kids) > 0 {
			next = tr.Nodes[n.Kids[0]].Index
		}
	case "ArrowLeft", "ArrowRight":
		if n.Parent >= 0 {
			sib := tr.Nodes[n.Parent].Kids
			for k, s := range sib {
				if tr.Nodes[s].Index == i {
					d := 1
					if e.Get("key").String() == "ArrowLeft" {
						d = -1
					}
					next = tr.Nodes[sib[(k+d+len(sib))%len(sib)]].Index
				}
			}
		}
	default:
		return
	}
	e.PreventDefault()
	if next >= 0 {
		if el := app.Window().GetElementByID(fmt.Sprintf("ln-%d", next)); el.Truthy() {
			el.Call("focus")
		}
	}
}

// changesFromParent lists what changed from entry i's parent to it, task and meta apart.
func changesFromParent(run *engine.Run, i int) (task, meta []string) {
	a := run.Archive()
	e := a.At(i)
	pi, ok := a.Index(e.Agent.ParentID)
	if !ok {
		return nil, nil
	}
	for _, c := range engine.Diff(&a.At(pi).Agent, &e.Agent, run.Domain()) {
		s := fmt.Sprintf("%s %s → %s", c.Field, c.From, c.To)
		if c.Field == "memory" {
			s = "memory"
		}
		if c.Part == "task" {
			task = append(task, s)
		} else {
			meta = append(meta, s)
		}
	}
	return task, meta
}
