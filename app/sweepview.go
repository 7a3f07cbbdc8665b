package ui

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"hyperagents/chart"
	"hyperagents/engine"
	"hyperagents/lab"
)

// metricHelp says what each summary metric is.
var metricHelp = map[string]string{
	"best_test":  "test score of the agent chosen on validation (the primary endpoint)",
	"best_val":   "validation score of the agent chosen on validation",
	"best_train": "best train fitness in the archive",
	"auc":        "mean best train fitness up to the checkpoint (area under the curve)",
}

// renderSweep is the Experiments view's sweep section: the spec editor, progress and results.
func (v *ExperimentsView) renderSweep() app.UI {
	x := &v.s.Sweep
	return app.Section().Class("sweep").ID("sweep").Body(
		app.H2().Text("Sweep: domains × conditions × seeds"),
		app.P().Class("muted").Text("The same spec file as `hyperagents sweep SPEC.json --out DIR`: every domain × condition × seed runs for the same iterations; each checkpoint gets a table with the median and its 95% bootstrap interval, mean ± std, and every condition compared with the reference by a paired Wilcoxon signed-rank test (Holm-corrected). The files below are byte for byte the command line's."),
		app.If(x.LinkErr != "", func() app.UI { return app.P().Class("error").ID("sweep-link-error").Text(x.LinkErr) }),
		v.renderSpecEditor(),
		v.renderSweepProgress(),
		app.If(x.Err != "", func() app.UI { return app.P().Class("error").ID("sweep-error").Text(x.Err) }),
		app.If(x.cancelled, func() app.UI {
			return app.P().Class("muted").ID("sweep-cancelled").Text("Sweep cancelled; its runs were dropped.")
		}),
		app.If(x.result != nil, func() app.UI { return v.renderSweepResult(x.result) }),
	)
}

func (v *ExperimentsView) renderSpecEditor() app.UI {
	x := &v.s.Sweep
	running := x.busy(v.s)
	presets := make([]app.UI, 0, len(sweepPresets))
	for _, p := range sweepPresets {
		p := p
		presets = append(presets, app.Button().Class("secondary small").ID("preset-"+p.Name).Title(p.Help).Text(p.Name).Disabled(running).
			OnClick(v.s.handle(func(app.Context) { x.SpecText, x.SpecErr = p.Spec, "" })))
	}
	shape, link := x.describe()
	return app.Div().Class("spec-editor").Body(
		app.Div().Class("buttons presets").Body(append([]app.UI{app.Span().Class("muted small").Text("Presets: ")}, presets...)...),
		app.Label().For("sweep-spec").Text("Spec (JSON)"),
		app.Textarea().ID("sweep-spec").Rows(14).Spellcheck(false).Text(x.SpecText).Disabled(running).Aria("invalid", x.SpecErr != "").
			OnInput(v.s.bindValue(&x.SpecText)),
		app.P().Class("muted small").ID("sweep-shape").Text(shape),
		app.If(x.SpecErr != "", func() app.UI { return app.P().Class("error").ID("sweep-spec-error").Text(x.SpecErr) }),
		app.Div().Class("buttons").Body(
			app.Button().ID("sweep-run").Text("Run sweep").Disabled(running).OnClick(v.s.handle(v.s.startSweep)),
			app.Button().ID("sweep-cancel").Class("secondary").Text("Cancel").Disabled(!running).OnClick(v.s.handle(func(app.Context) { v.s.cancelSweep() })),
			app.If(link != "", func() app.UI {
				return app.A().ID("sweep-link").Class("button secondary").Href(link).Title("a link that opens this page with this spec in the editor").Text("Link to this spec")
			}),
			app.If(link != "", func() app.UI {
				return app.Button().ID("sweep-spec-download").Class("secondary").Text("Download spec.json").
					OnClick(v.s.handle(func(app.Context) {
						if spec, err := engine.ParseSpec([]byte(x.SpecText)); err == nil {
							downloadBytes(lab.SpecFile, spec.Canonical(), "application/json")
						}
					}))
			}),
		),
	)
}

func (v *ExperimentsView) renderSweepProgress() app.UI {
	x := &v.s.Sweep
	if x.finishing {
		return app.Div().Class("progress").Body(app.Span().ID("sweep-finishing").Text("Every run is done; computing the statistics, curves and files…"))
	}
	if !v.s.running(jobSweep) || x.job == nil {
		return app.Div().Class("progress idle")
	}
	j := x.job
	elapsed := time.Since(x.started)
	rate, left := 0.0, "estimating…"
	if s := elapsed.Seconds(); s > 0.2 && j.Done() > 0 {
		rate = float64(j.Done()) / s
		left = "about " + (time.Duration(float64(j.Total()-j.Done())/rate) * time.Second).Round(time.Second).String() + " left"
	}
	return app.Div().Class("progress").Body(
		app.Progress().ID("sweep-progress").Max(j.Total()).Value(j.Done()),
		app.Span().ID("sweep-progress-text").Text(fmt.Sprintf(" runs %d / %d · iterations %d / %d · %.0f iterations/s · %s",
			j.RunsDone(), j.Runs(), j.Done(), j.Total(), rate, left)),
	)
}

func (v *ExperimentsView) renderSweepResult(r *sweepResult) app.UI {
	x := &v.s.Sweep
	spec, sum := r.sw.Spec, r.sw.Summary
	cp := min(max(x.Checkpoint, 0), len(spec.Checkpoints)-1)
	it := spec.Checkpoints[cp]
	done := "Reopened from this browser's database."
	if r.elapsed > 0 {
		done = fmt.Sprintf("Done in %.1f s (%.0f iterations/s): %.1f s running, %.1f s for the statistics and files, the rest drawing the page.",
			r.elapsed.Seconds(), float64(spec.Runs()*spec.Iterations)/r.elapsed.Seconds(), r.working.Seconds(), r.stats.Seconds())
	}
	cpOpts := make([]app.UI, len(spec.Checkpoints))
	for i, c := range spec.Checkpoints {
		cpOpts[i] = app.Option().Value(strconv.Itoa(i)).Selected(i == cp).Text(fmt.Sprintf("iteration %d", c))
	}
	mOpts := make([]app.UI, len(engine.SweepMetrics))
	for i, m := range engine.SweepMetrics {
		mOpts[i] = app.Option().Value(m).Selected(m == x.Metric).Text(m + " — " + metricHelp[m])
	}
	tables := make([]app.UI, 0, len(r.domains))
	for di, d := range r.domains {
		tables = append(tables, sweepTable(di, d, it, x.Metric, sum, spec.Reference))
	}
	curves := lab.CurvesMedianFile
	if x.Mean {
		curves = lab.CurvesMeanFile
	}
	downloads := make([]app.UI, 0, len(lab.SweepFiles)+1)
	for _, f := range lab.SweepFiles {
		data := r.sw.Files[f]
		downloads = append(downloads, app.Button().ID("dl-"+fileID(f)).Class("secondary").
			OnClick(func(app.Context, app.Event) { downloadBytes(f, data, mimeOf(f)) }).
			Text(fmt.Sprintf("%s (%s)", f, fileSize(len(data)))))
	}
	if r.id != "" {
		id := r.id
		downloads = append(downloads, app.Button().ID("sweep-export").Text("Export (.sqlite)").
			Title("a database file holding this sweep: import it in another browser, or read it with hyperagents sweeps --db FILE").
			OnClick(v.s.handle(func(app.Context) { v.s.exportSweep(id) })))
	}
	return app.Div().ID("sweep-result").Body(
		app.H3().ID("sweep-title").Text(r.name),
		app.P().ID("sweep-done").Body(
			app.Text(done+" "),
			app.If(x.SaveMsg != "", func() app.UI { return app.Span().Class("notice-ok").ID("sweep-saved").Text(x.SaveMsg) }),
			app.If(x.SaveErr != "", func() app.UI { return app.Span().Class("error").ID("sweep-save-error").Text(x.SaveErr) }),
		),
		app.Div().Class("fields").Body(
			app.Div().Class("field").Body(app.Label().For("sweep-checkpoint").Text("Checkpoint"),
				app.Select().ID("sweep-checkpoint").OnChange(v.s.handle(func(ctx app.Context) {
					x.Checkpoint, _ = strconv.Atoi(ctx.JSSrc().Get("value").String())
				})).Body(cpOpts...)),
			app.Div().Class("field").Body(app.Label().For("sweep-metric").Text("Metric"),
				app.Select().ID("sweep-metric").OnChange(v.s.bindValue(&x.Metric)).Body(mOpts...)),
		),
		app.Div().ID("sweep-tables").Body(tables...),
		app.P().Class("muted small").Text("What this shows and does not: each row is one condition over the same seeds; p-values test whether the reference and that condition differ on these seeds (Wilcoxon signed-rank, two-sided, Holm-corrected over the comparisons in the table). A large p is no evidence of a difference, not evidence that there is none; with n seeds and no ties the smallest possible p is 2/2ⁿ (0.0625 for 5 seeds, so 5 seeds can never show a difference at 0.05). Agents are chosen on validation; test is never used to choose."),
		app.If(!r.curvesLater, func() app.UI { return v.renderSweepCurves(r, curves) }),
		app.Div().Class("buttons downloads").ID("sweep-downloads").Body(downloads...),
	)
}

// renderSweepCurves is the sweep's learning curves (curves is the file drawn: median or mean).
func (v *ExperimentsView) renderSweepCurves(r *sweepResult, curves string) app.UI {
	x := &v.s.Sweep
	return app.Section().Class("card chart").ID("sweep-curves").Body(
		app.Div().Class("buttons").Body(
			app.Label().Class("check").Body(app.Input().Type("radio").Name("curves").ID("curves-median").Checked(!x.Mean).
				OnChange(v.s.handle(func(app.Context) { x.Mean = false })), app.Text(" median with 95% CI")),
			app.Label().Class("check").Body(app.Input().Type("radio").Name("curves").ID("curves-mean").Checked(x.Mean).
				OnChange(v.s.handle(func(app.Context) { x.Mean = true })), app.Text(" mean ± std")),
		),
		v.s.readableChart("sweep-readout", &x.curvesCursor, &x.CurvesReadout, func() ([]chart.Panel, chart.Options, bool) {
			x := &v.s.Sweep
			if x.result == nil {
				return nil, chart.Options{}, false
			}
			panels, o := chart.SweepCurvesPanels(x.result.sw.Curves, !x.Mean)
			return panels, o, true
		}, app.Raw(`<div class="svg-wrap">`+string(r.sw.Files[curves])+`</div>`)),
		app.P().ID("sweep-readout").Class("readout small").Aria("live", "polite").Text(orHelp(x.CurvesReadout)),
	)
}

// sweepTable is one domain's table at one checkpoint for one metric.
func sweepTable(di int, domain string, it int, metric string, sum *engine.SweepSummary, ref string) app.UI {
	var res, auc *engine.Result
	for i := range sum.Results {
		r := &sum.Results[i]
		if r.Domain == domain && r.Iteration == it {
			switch r.Metric {
			case metric:
				res = r
			case "auc":
				auc = r
			}
		}
	}
	if metric == "auc" {
		auc = res
	}
	if res == nil {
		return app.P().Class("error").Text("No results for " + domain)
	}
	f3 := func(v float64) string { return strconv.FormatFloat(v, 'f', 3, 64) }
	pv := func(p *float64) string {
		if p == nil {
			return "— (all tied)"
		}
		return formatP(*p)
	}
	cols := []column{{label: "Condition"}, {label: "median [95% CI]", num: true}, {label: "mean ± std", num: true}, {label: "AUC median", num: true},
		{label: "Wilcoxon p", num: true}, {label: "Holm p", num: true}, {label: ref + " higher / tied / lower", num: true}}
	rows := make([]row, 0, len(res.Conditions))
	var words []string
	for ci, c := range res.Conditions {
		cells := []cell{{text: c.Name}, {text: f3(c.Median) + " [" + f3(c.CI[0]) + ", " + f3(c.CI[1]) + "]", class: "num"},
			{text: f3(c.Mean) + " ± " + f3(c.Std), class: "num"}, {text: f3(auc.Conditions[ci].Median), class: "num"}}
		cls := ""
		if c.Name == ref {
			cells = append(cells, cell{text: "reference", class: "muted"}, cell{}, cell{})
			cls = "reference"
		}
		for _, cmp := range res.Comparisons {
			if cmp.B != c.Name {
				continue
			}
			cells = append(cells, cell{text: pv(cmp.WilcoxonP), class: "num"}, cell{text: pv(cmp.HolmP), class: "num"},
				cell{text: fmt.Sprintf("%d / %d / %d", cmp.Wins, cmp.Ties, cmp.Losses), class: "num"})
			words = append(words, comparisonWords(cmp))
		}
		rows = append(rows, row{id: fmt.Sprintf("sweep-row-%d-%s", di, c.Name), class: cls, cells: cells})
	}
	return app.Section().Class("card").Body(
		app.H3().Text(fmt.Sprintf("%s · iteration %d · %s", domain, it, metric)),
		app.Div().Class("table-wrap").Body(rawTable(fmt.Sprintf("sweep-table-%d", di), "data", cols, rows)),
		app.P().Class("small").ID(fmt.Sprintf("sweep-words-%d", di)).Text(strings.Join(words, " ")),
	)
}

// comparisonWords says a comparison with the reference in plain words.
func comparisonWords(c engine.Comparison) string {
	n := c.Wins + c.Ties + c.Losses
	switch {
	case c.HolmP == nil:
		return fmt.Sprintf("%s and %s tie on every seed.", c.A, c.B)
	case *c.HolmP < 0.05 && c.Wins > c.Losses:
		return fmt.Sprintf("%s beats %s (higher on %d of %d seeds, Holm p = %s).", c.A, c.B, c.Wins, n, formatP(*c.HolmP))
	case *c.HolmP < 0.05:
		return fmt.Sprintf("%s beats %s (higher on %d of %d seeds, Holm p = %s).", c.B, c.A, c.Losses, n, formatP(*c.HolmP))
	}
	return fmt.Sprintf("%s vs %s: no evidence of a difference (Holm p = %s; %d higher, %d tied, %d lower).", c.A, c.B, formatP(*c.HolmP), c.Wins, c.Ties, c.Losses)
}

// formatP formats a p-value: three significant digits, or "< 0.0001".
func formatP(p float64) string {
	if p < 1e-4 {
		return "< 0.0001"
	}
	return strconv.FormatFloat(p, 'g', 3, 64)
}

// fileID makes an element id from a file name: summary.json → summary-json.
func fileID(name string) string { return strings.NewReplacer(".", "-", "_", "-").Replace(name) }

// joinInts joins numbers with commas.
func joinInts(xs []int) string {
	s := make([]string, len(xs))
	for i, x := range xs {
		s[i] = strconv.Itoa(x)
	}
	return strings.Join(s, ", ")
}

// exportSweep downloads saved sweep id as a database file. The caller holds mu.
func (s *Session) exportSweep(id string) {
	data, err := s.Store.db.ExportSweeps(id)
	if err != nil {
		s.Sweep.SaveErr = "Export failed: " + trimStore(err)
		return
	}
	downloadBytes("sweep-"+id+".sqlite", data, "application/vnd.sqlite3")
}

// fileSize formats a file's size for a download link: bytes below 1 KB, else KB.
func fileSize(n int) string {
	if n < 1024 {
		return fmt.Sprintf("%d bytes", n)
	}
	return sizeKB(n)
}

// describe says what the editor's spec would run, and its link; it parses the spec (which builds
// its domains) only when the text changed.
func (x *SweepState) describe() (shape, link string) {
	if x.described != x.SpecText || x.shape == "" {
		x.described, x.link = x.SpecText, ""
		if spec, err := engine.ParseSpec([]byte(x.SpecText)); err == nil {
			doms, _ := spec.DomainNames()
			x.shape = fmt.Sprintf("%d domain(s) (%s) × %d condition(s) × %d seeds × %d iterations = %d runs, %d iterations; checkpoints %s; reference %s.",
				len(doms), strings.Join(doms, ", "), len(spec.Conditions), spec.Seeds, spec.Iterations, spec.Runs(), spec.Runs()*spec.Iterations,
				joinInts(spec.Checkpoints), spec.Reference)
			x.link = specLink(spec)
		} else {
			x.shape = "Not a valid spec yet: " + err.Error()
		}
	}
	return x.shape, x.link
}
