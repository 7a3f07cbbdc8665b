package ui

import (
	"cmp"
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"hyperagents/chart"
	"hyperagents/engine"
)

// archiveColumn is one sortable column of the archive table.
type archiveColumn struct {
	key, label string
	num        bool
	cmp        func(a, b *engine.Entry) int
	cell       func(e *engine.Entry, features []string) cell
}

// archiveColumns are the archive table's columns, in display order.
var archiveColumns = []archiveColumn{
	{"id", "Agent", false, func(a, b *engine.Entry) int { return 0 }, // index order is id order
		func(e *engine.Entry, _ []string) cell { return agentCell(e.Agent.ID) }},
	{"parent", "Parent", false, func(a, b *engine.Entry) int { return compareIDs(a.Agent.ParentID, b.Agent.ParentID) },
		func(e *engine.Entry, _ []string) cell { return agentCell(e.Agent.ParentID) }},
	{"generation", "Gen", true, func(a, b *engine.Entry) int { return cmp.Compare(a.Agent.Generation, b.Agent.Generation) },
		func(e *engine.Entry, _ []string) cell { return cell{text: strconv.Itoa(e.Agent.Generation)} }},
	{"iteration", "Iteration", true, func(a, b *engine.Entry) int { return cmp.Compare(a.Created, b.Created) },
		func(e *engine.Entry, _ []string) cell { return cell{text: strconv.Itoa(e.Created)} }},
	{"source", "Source", false, func(a, b *engine.Entry) int { return strings.Compare(a.Source, b.Source) },
		func(e *engine.Entry, _ []string) cell { return cell{text: e.Source, tag: e.Source} }},
	{"train", "Train", true, func(a, b *engine.Entry) int { return cmp.Compare(a.Eval.TrainAccuracy, b.Eval.TrainAccuracy) },
		func(e *engine.Entry, _ []string) cell { return cell{text: percent(e.Eval.TrainAccuracy)} }},
	{"test", "Test", true, func(a, b *engine.Entry) int { return cmp.Compare(a.Eval.TestAccuracy, b.Eval.TestAccuracy) },
		func(e *engine.Entry, _ []string) cell { return cell{text: percent(e.Eval.TestAccuracy)} }},
	{"fp", "FP", true, func(a, b *engine.Entry) int { return cmp.Compare(a.Eval.FalsePos, b.Eval.FalsePos) },
		func(e *engine.Entry, _ []string) cell { return cell{text: strconv.Itoa(e.Eval.FalsePos)} }},
	{"fn", "FN", true, func(a, b *engine.Entry) int { return cmp.Compare(a.Eval.FalseNeg, b.Eval.FalseNeg) },
		func(e *engine.Entry, _ []string) cell { return cell{text: strconv.Itoa(e.Eval.FalseNeg)} }},
	{"threshold", "Threshold", true, func(a, b *engine.Entry) int { return cmp.Compare(a.Agent.Task.Threshold, b.Agent.Task.Threshold) },
		func(e *engine.Entry, _ []string) cell { return cell{text: num3(e.Agent.Task.Threshold)} }},
	{"style", "Style", false, func(a, b *engine.Entry) int {
		return strings.Compare(string(a.Agent.Task.ReviewStyle), string(b.Agent.Task.ReviewStyle))
	},
		func(e *engine.Entry, _ []string) cell { return cell{text: string(e.Agent.Task.ReviewStyle)} }},
	{"focus", "Focus", false, func(a, b *engine.Entry) int { return cmp.Compare(a.Agent.Meta.Focus, b.Agent.Meta.Focus) },
		func(e *engine.Entry, f []string) cell { return cell{text: f[e.Agent.Meta.Focus]} }},
}

// adaptiveColumns are the archive table's columns for adaptive runs: validation beside train and
// test (chance-corrected scores), the knobs that shape children, no review style or focus.
var adaptiveColumns = append(slices.Clone(archiveColumns[:5]),
	archiveColumn{"train", "Train", true, func(a, b *engine.Entry) int { return cmp.Compare(a.Eval.TrainAccuracy, b.Eval.TrainAccuracy) },
		func(e *engine.Entry, _ []string) cell { return cell{text: score(e.Eval.TrainAccuracy)} }},
	archiveColumn{"val", "Validation", true, func(a, b *engine.Entry) int { return cmp.Compare(a.Eval.ValAccuracy, b.Eval.ValAccuracy) },
		func(e *engine.Entry, _ []string) cell { return cell{text: score(e.Eval.ValAccuracy)} }},
	archiveColumn{"test", "Test", true, func(a, b *engine.Entry) int { return cmp.Compare(a.Eval.TestAccuracy, b.Eval.TestAccuracy) },
		func(e *engine.Entry, _ []string) cell { return cell{text: score(e.Eval.TestAccuracy)} }},
	knobColumn(engine.KnobSigma), knobColumn(engine.KnobPMut), knobColumn(engine.KnobEta), knobColumn(engine.KnobEditRate),
)

// knobColumn is a column of one meta knob.
func knobColumn(k int) archiveColumn {
	spec := engine.Knobs[k]
	return archiveColumn{spec.Name, spec.Symbol, true,
		func(a, b *engine.Entry) int { return cmp.Compare(a.Agent.Meta.Knobs[k], b.Agent.Meta.Knobs[k]) },
		func(e *engine.Entry, _ []string) cell { return cell{text: fmt.Sprintf("%.3g", e.Agent.Meta.Knobs[k])} }}
}

// columnHelps say what each archive column means, for its header's tooltip.
var columnHelps = map[string]string{
	"id":         "The agent's name, in the order agents were made.",
	"parent":     "The agent this one was made from (— for the initial agent).",
	"generation": "Gen: how many mutations separate the agent from the initial one.",
	"iteration":  "The iteration that made the agent.",
	"source":     "How the agent was made: seed (the initial agent), mutation (the meta policy's operator) or llm (proposed by the language model).",
	"train":      "Score on the training split: what selection and the operator see.",
	"val":        "Score on the validation split: what picks the reported agent (never used to make children).",
	"test":       "Score on the held-out test split: reported only, never used to choose or make agents.",
	"fp":         "FP, false positives: repositories that should be rejected but the agent accepted (train split).",
	"fn":         "FN, false negatives: repositories that should be accepted but the agent rejected (train split).",
	"threshold":  "The score above which the task policy accepts a repository.",
	"style":      "The task policy's review style, which shifts its threshold.",
	"focus":      "The feature the meta policy is currently focused on mutating.",
}

// columnHelp is the tooltip of the archive column key: columnHelps, or a knob's own help.
func columnHelp(key string) string {
	if h, ok := columnHelps[key]; ok {
		return h
	}
	for _, k := range engine.Knobs {
		if k.Name == key {
			return k.Symbol + ", a meta knob: " + k.Help + "."
		}
	}
	return ""
}

// columnsFor are the archive's columns for a run of flavour f.
func columnsFor(f engine.Flavour) []archiveColumn {
	if f == engine.FlavourAdaptive {
		return adaptiveColumns
	}
	return archiveColumns
}

// archiveQuery is what the archive view's URL asks for.
type archiveQuery struct {
	cols   []archiveColumn
	sort   int // index into cols
	desc   bool
	filter string
	source string // "" for every source
	page   int    // 0-based
}

// link is the URL of the archive view with q's settings.
func (q archiveQuery) link() string {
	v := url.Values{}
	if q.sort != 0 {
		v.Set("sort", q.cols[q.sort].key)
	}
	if q.desc {
		v.Set("desc", "1")
	}
	if q.filter != "" {
		v.Set("q", q.filter)
	}
	if q.source != "" {
		v.Set("source", q.source)
	}
	if q.page > 0 {
		v.Set("page", strconv.Itoa(q.page+1))
	}
	if len(v) == 0 {
		return href(PathArchive)
	}
	return href(PathArchive + "?" + v.Encode())
}

// parseArchiveQuery reads the view's URL parameters; unknown values are reported and replaced by
// the defaults.
func parseArchiveQuery(v url.Values, cols []archiveColumn) (archiveQuery, []string) {
	q := archiveQuery{cols: cols}
	var msgs []string
	if s := v.Get("sort"); s != "" {
		i := slices.IndexFunc(cols, func(c archiveColumn) bool { return c.key == s })
		if i < 0 {
			msgs = append(msgs, fmt.Sprintf("Unknown sort column %q; sorted by agent.", s))
			i = 0
		}
		q.sort = i
	}
	switch d := v.Get("desc"); d {
	case "", "0":
	case "1":
		q.desc = true
	default:
		msgs = append(msgs, fmt.Sprintf("desc must be 0 or 1, not %q; sorted ascending.", d))
	}
	q.filter = strings.TrimSpace(v.Get("q"))
	switch s := v.Get("source"); s {
	case "", engine.SourceSeed, engine.SourceHeuristic, engine.SourceLLM:
		q.source = s
	default:
		msgs = append(msgs, fmt.Sprintf("Unknown mutation source %q; showing every source.", s))
	}
	return q, msgs
}

// ArchiveView lists every variant of the live run: sortable by any column, filterable by text and
// mutation source, with parent links and FP/FN counts.
type ArchiveView struct {
	app.Compo
	titled
	s     *Session
	query url.Values

	scatterKey string // the maze scatter, kept while the run and its length stay the same
	scatter    string
}

// mazeScatterLimit is how many agents the maze's scatter draws at most.
const mazeScatterLimit = 2000

// mazeScatter draws where the maze run's agents ended, redrawn only when the archive grew. The
// caller holds mu.
func (v *ArchiveView) mazeScatter(run *engine.Run) app.UI {
	m := run.Domain().(*engine.Maze)
	a := run.Archive()
	if key := fmt.Sprintf("%p/%d", run, a.Len()); key != v.scatterKey {
		agents := make([]*engine.Agent, a.Len())
		for i := range agents {
			agents[i] = &a.At(i).Agent
		}
		v.scatterKey, v.scatter = key, chart.MazeScatter(m, agents, mazeScatterLimit)
	}
	return app.Section().Class("card").ID("maze-ends").Body(
		app.H2().Text("Where the stepping stones went"),
		app.P().Class("muted").Text(fmt.Sprintf("The end of every agent's train episode (at most %d, evenly spaced over the archive when there are more). A deceptive maze gathers early agents where the goal looks closest; the ones that found the way round show where the archive kept exploring.", mazeScatterLimit)),
		app.Raw(`<div class="maze-scatter">`+v.scatter+`</div>`),
		v.s.chartDownloads("maze-ends", "maze-ends", func() string { return v.scatter }, func() [][]string { return mazeEndRows(v.s.Run.run) }),
	)
}

// OnMount attaches the view to the session.
func (v *ArchiveView) OnMount(ctx app.Context) { v.s.attach(ctx) }

// OnNav reads the URL's parameters.
func (v *ArchiveView) OnNav(ctx app.Context) { v.query = ctx.Page().URL().Query() }

// matches reports whether e passes the text filter (id, parent, style, focus, summary) and source.
func (q archiveQuery) matches(e *engine.Entry, features []string) bool {
	if q.source != "" && e.Source != q.source {
		return false
	}
	if q.filter == "" {
		return true
	}
	f := strings.ToLower(q.filter)
	for _, s := range []string{e.Agent.ID, e.Agent.ParentID, string(e.Agent.Task.ReviewStyle), features[e.Agent.Meta.Focus], e.Eval.Summary} {
		if strings.Contains(strings.ToLower(s), f) {
			return true
		}
	}
	return false
}

// Render implements app.Composer.
func (v *ArchiveView) Render() app.UI {
	v.s.mu.Lock()
	defer v.s.mu.Unlock()
	run := v.s.Run.run
	if run == nil {
		return page(v.s, PathArchive, app.P().Text("No run."))
	}
	cols := columnsFor(run.Config().Flavour)
	q, msgs := parseArchiveQuery(v.query, cols)
	a := run.Archive()
	feats := run.Domain().Features()
	idx := make([]int, 0, a.Len())
	for i := range a.Len() {
		if q.matches(a.At(i), feats) {
			idx = append(idx, i)
		}
	}
	col := cols[q.sort]
	// Indexes are in id order already; any other column sorts with the index as tie-break, a
	// total order, so the unstable sort is deterministic.
	switch {
	case q.sort == 0 && q.desc:
		slices.Reverse(idx)
	case q.sort != 0:
		slices.SortFunc(idx, func(i, j int) int {
			c := col.cmp(a.At(i), a.At(j))
			if c == 0 {
				c = cmp.Compare(i, j)
			}
			if q.desc {
				return -c
			}
			return c
		})
	}
	q.page = queryPage(v.query, len(idx), &msgs)
	shown := idx[q.page*pageSize : min(len(idx), (q.page+1)*pageSize)]
	best := run.Best().Agent.ID

	heads := make([]column, len(cols))
	for i, c := range cols {
		nq := q
		nq.page = 0
		nq.sort, nq.desc = i, i == q.sort && !q.desc
		label := c.label
		if i == q.sort {
			label += map[bool]string{false: " ▲", true: " ▼"}[q.desc]
		}
		heads[i] = column{label: label, id: "sort-" + c.key, href: nq.link(), num: c.num, help: columnHelp(c.key) + " Click to sort."}
	}
	rows := make([]row, 0, len(shown))
	for _, i := range shown {
		e := a.At(i)
		r := row{id: "row-" + e.Agent.ID, title: e.Eval.Summary, cells: make([]cell, len(cols))}
		for k, c := range cols {
			r.cells[k] = c.cell(e, feats)
		}
		if e.Agent.ID == best {
			r.class = "best"
		}
		rows = append(rows, r)
	}
	pageLink := func(p int) string { nq := q; nq.page = p; return nq.link() }
	return page(v.s, PathArchive,
		app.H1().Text("Archive"),
		app.P().Class("muted").Text(fmt.Sprintf("%s run on %s, %s flavour, seed %d: every variant kept as a stepping stone. The %s agent is highlighted; hover a row for its error summary.",
			run.Config().ConditionName(), run.Domain().Name(), run.Config().Flavour, run.Config().Seed,
			map[bool]string{true: "chosen (on validation)", false: "best"}[run.Config().Flavour == engine.FlavourAdaptive])),
		notices(msgs),
		app.Form().Class("filters").ID("archive-filter").Method("get").Action(href(PathArchive)).Body(
			app.Label().For("filter").Text("Filter"),
			app.Input().Type("search").ID("filter").Name("q").Value(q.filter).Placeholder("id, parent, style, focus, summary"),
			app.Label().For("source").Text("Source"),
			app.Select().ID("source").Name("source").Body(
				app.Option().Value("").Selected(q.source == "").Text("any"),
				app.Option().Value(engine.SourceSeed).Selected(q.source == engine.SourceSeed).Text("seed"),
				app.Option().Value(engine.SourceHeuristic).Selected(q.source == engine.SourceHeuristic).Text("heuristic"),
				app.Option().Value(engine.SourceLLM).Selected(q.source == engine.SourceLLM).Text("llm"),
			),
			app.If(q.sort != 0, func() app.UI { return app.Input().Type("hidden").Name("sort").Value(col.key) }),
			app.If(q.desc, func() app.UI { return app.Input().Type("hidden").Name("desc").Value("1") }),
			app.Button().Type("submit").ID("apply-filter").Text("Apply"),
		).OnSubmit(v.onFilter),
		app.If(isMaze(run), func() app.UI { return v.mazeScatter(run) }),
		app.P().ID("archive-count").Text(fmt.Sprintf("%d of %d agents", len(idx), a.Len())),
		app.Div().Class("table-wrap").Body(rawTable("archive-table", "data", heads, rows)),
		pager("archive-pager", q.page, len(idx), pageLink),
	)
}

// onFilter navigates to the filtered URL instead of submitting the form.
func (v *ArchiveView) onFilter(ctx app.Context, e app.Event) {
	e.PreventDefault()
	form := ctx.JSSrc()
	vals := url.Values{}
	for _, name := range []string{"q", "source", "sort", "desc"} {
		el := form.Get("elements").Get(name)
		if el.Truthy() && el.Get("value").String() != "" {
			vals.Set(name, el.Get("value").String())
		}
	}
	link := href(PathArchive)
	if len(vals) > 0 {
		link += "?" + vals.Encode()
	}
	ctx.Navigate(link)
}

// compareIDs orders agent ids by creation: "agent-999" before "agent-1000".
func compareIDs(a, b string) int {
	if c := cmp.Compare(len(a), len(b)); c != 0 {
		return c
	}
	return strings.Compare(a, b)
}

// isMaze reports whether the run is on the maze.
func isMaze(run *engine.Run) bool {
	_, ok := run.Domain().(*engine.Maze)
	return ok
}
