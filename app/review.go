package ui

import (
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"hyperagents/engine"
)

// ReviewState is the live review's form: five feature values, or a dataset row that fills them.
type ReviewState struct {
	In     []string // feature values as typed
	Errs   []string // per-feature inline messages
	Row    string   // dataset example id picked, "" for none
	Err    string
	result *engine.Example // the repository last reviewed
}

func (r *ReviewState) init() {
	n := len(engine.CodeReviewFeatures)
	r.In, r.Errs = make([]string, n), make([]string, n)
	for i := range r.In {
		r.In[i] = "0.50"
	}
}

// parseFeature reads one feature value: a number from 0 to 1.
func parseFeature(s string) (float64, bool) {
	v, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
	return v, err == nil && v >= 0 && v <= 1
}

// ReviewView scores any repository with the live run's best agent: type its five features or pick
// a dataset row, and see the verdict with the score breakdown.
type ReviewView struct {
	app.Compo
	titled
	s     *Session
	query url.Values
}

// OnMount attaches the view to the session.
func (v *ReviewView) OnMount(ctx app.Context) { v.s.attach(ctx) }

// OnNav applies /review?row=ID or /review?features=a,b,c,d,e.
func (v *ReviewView) OnNav(ctx app.Context) {
	q := ctx.Page().URL().Query()
	v.s.mu.Lock()
	defer v.s.mu.Unlock()
	r := &v.s.Review
	switch {
	case q.Get("row") != "":
		v.pickRow(q.Get("row"))
		if r.Err == "" {
			v.review()
		}
	case q.Get("features") != "":
		parts := strings.Split(q.Get("features"), ",")
		if len(parts) != len(r.In) {
			r.Err = fmt.Sprintf("The address gives %d feature values; a repository has %d (%s).",
				len(parts), len(r.In), strings.Join(engine.CodeReviewFeatures, ", "))
			return
		}
		copy(r.In, parts)
		r.Row = ""
		v.review()
	}
}

// examples lists the dataset's train and test examples.
func (v *ReviewView) examples() []engine.Example {
	d := v.s.Run.codeReview()
	if d == nil {
		return nil
	}
	return append(append([]engine.Example(nil), d.Train()...), d.Test()...)
}

// pickRow fills the form from a dataset example. The caller holds s.mu.
func (v *ReviewView) pickRow(id string) {
	r := &v.s.Review
	r.Err = ""
	if id == "" {
		r.Row = ""
		return
	}
	for _, x := range v.examples() {
		if x.ID == id {
			r.Row = id
			for i, f := range x.Features {
				r.In[i] = strconv.FormatFloat(f, 'f', 2, 64)
				r.Errs[i] = ""
			}
			return
		}
	}
	r.Err = fmt.Sprintf("The dataset has no row %q.", id)
}

// review validates the form and scores it. The caller holds s.mu.
func (v *ReviewView) review() {
	r := &v.s.Review
	r.Err, r.result = "", nil
	fs := make([]float64, len(r.In))
	bad := false
	for i, s := range r.In {
		f, ok := parseFeature(s)
		r.Errs[i] = ""
		if !ok {
			r.Errs[i] = "Enter a number from 0 to 1."
			bad = true
		}
		fs[i] = f
	}
	if bad || v.s.Run.codeReview() == nil {
		return
	}
	name := "your repository"
	label := -1
	if r.Row != "" {
		for _, x := range v.examples() {
			if x.ID == r.Row && slices.Equal(x.Features, fs) {
				name, label = x.Name, x.Label
			}
		}
	}
	x := v.s.Run.codeReview().NewExample("review", name, fs, label)
	r.result = &x
}

// Render implements app.Composer.
func (v *ReviewView) Render() app.UI {
	v.s.mu.Lock()
	defer v.s.mu.Unlock()
	r := &v.s.Review
	run := v.s.Run.run
	if run == nil {
		return page(v.s, PathReview, app.P().Text("No run."))
	}
	best, note := v.reviewer()
	feats := engine.CodeReviewFeatures
	opts := []app.UI{app.Option().Value("").Selected(r.Row == "").Text("— type the features —")}
	for _, x := range v.examples() {
		opts = append(opts, app.Option().Value(x.ID).Selected(r.Row == x.ID).Text(x.ID+" · "+x.Name))
	}
	inputs := make([]app.UI, 0, len(feats))
	for i, f := range feats {
		id := "feature-" + f
		inputs = append(inputs, app.Div().Class("field").Body(
			app.Label().For(id).Text(f),
			app.Input().ID(id).Type("text").Attr("inputmode", "decimal").Value(r.In[i]).Aria("invalid", r.Errs[i] != "").
				OnInput(v.s.handle(func(ctx app.Context) { r.In[i] = ctx.JSSrc().Get("value").String(); r.Row = "" })),
			app.If(r.Errs[i] != "", func() app.UI { return app.Span().Class("error").ID(id + "-error").Text(r.Errs[i]) }),
		))
	}
	return page(v.s, PathReview,
		app.H1().Text("Live review"),
		app.If(note == "", func() app.UI {
			return app.P().Class("muted").Body(
				app.Text("Score any repository with the live run's best agent, "), agentLink(best.Agent.ID),
				app.Text(fmt.Sprintf(" (train %s, test %s). Features are from 0 (poor) to 1 (excellent).", percent(best.Eval.TrainAccuracy), percent(best.Eval.TestAccuracy))),
			)
		}).Else(func() app.UI { return app.P().Class("notice").ID("review-domain-note").Text(note) }),
		app.Form().Class("controls").ID("review-form").OnSubmit(v.s.submit(func(app.Context) { v.review() })).Body(
			app.Div().Class("field wide").Body(
				app.Label().For("review-row").Text("Dataset row"),
				app.Select().ID("review-row").OnChange(v.s.handle(func(ctx app.Context) { v.pickRow(ctx.JSSrc().Get("value").String()) })).Body(opts...),
			),
			app.Div().Class("fields").Body(inputs...),
			app.Div().Class("buttons").Body(app.Button().Type("submit").ID("review-run").Text("Review")),
		),
		app.If(r.Err != "", func() app.UI { return app.P().Class("error").ID("review-error").Text(r.Err) }),
		app.If(r.result != nil, func() app.UI { return verdictCard(r.result, &best.Agent, feats) }),
		v.renderLLMReview(&best.Agent, feats),
	)
}

// reviewer is the agent that reviews: the live run's best when the run is on code_review; else the
// code_review seed agent, with a note saying so (the Live review is the code-review demo).
func (v *ReviewView) reviewer() (*engine.Entry, string) {
	run := v.s.Run.run
	if run.Domain().Name() == engine.CodeReviewName {
		return run.Best(), ""
	}
	d := v.s.Run.codeReview()
	a := d.Seed()
	e := &engine.Entry{Agent: a, Eval: engine.Evaluate(d, &a.Task)}
	return e, fmt.Sprintf("The Live review is the code-review demo: it reviews repositories from five quality features. The live run is on %s, "+
		"so the seed system's initial agent (%s train) reviews here; run code_review on the Overview to review with an evolved agent.", run.Domain().Name(), percent(e.Eval.TrainAccuracy))
}

// verdictCard shows the best agent's verdict on x with the score breakdown.
func verdictCard(x *engine.Example, a *engine.Agent, feats []string) app.UI {
	b := x.Explain(&a.Task)
	verdict := map[bool]string{true: "accept", false: "reject"}[b.Accept]
	rows := make([]app.UI, 0, len(feats)+len(b.Adjustments)+2)
	for i, f := range feats {
		rows = append(rows, app.Tr().Body(
			app.Th().Text(f),
			app.Td().Class("num").Text(fmt.Sprintf("%.2f × %.3f", x.Features[i], a.Task.Weights[i])),
			app.Td().Class("num").Text(fmt.Sprintf("%+.3f", b.Contributions[i])),
		))
	}
	for _, adj := range b.Adjustments {
		rows = append(rows, app.Tr().Class("adjustment").Body(
			app.Th().Text("rule"), app.Td().Text(adj.Reason), app.Td().Class("num").Text(fmt.Sprintf("%+.3f", adj.Value)),
		))
	}
	rows = append(rows,
		app.Tr().Class("total").Body(app.Th().Text("score"), app.Td(), app.Td().Class("num").ID("review-score").Text(num3(b.Score))),
		app.Tr().Body(app.Th().Text("cutoff"), app.Td().Text(fmt.Sprintf("threshold %.3f, %s style", a.Task.Threshold, a.Task.ReviewStyle)), app.Td().Class("num").Text(num3(b.Cutoff))),
	)
	why := fmt.Sprintf("The score %.3f %s the cutoff %.3f.", b.Score, map[bool]string{true: "reaches", false: "falls short of"}[b.Accept], b.Cutoff)
	return app.Section().Class("card verdict-card").ID("review-result").Body(
		app.H2().Body(app.Text(x.Name+": "), app.Span().Class("verdict "+verdict).ID("review-verdict").Text(verdict)),
		app.P().Text(why),
		app.If(x.Label >= 0, func() app.UI {
			return app.P().Class("muted").ID("review-label").Text("Dataset label: " + map[bool]string{true: "accept", false: "reject"}[x.Label == 1] +
				map[bool]string{true: " — the agent agrees.", false: " — the agent is wrong here."}[b.Accept == (x.Label == 1)])
		}),
		app.Table().Class("kv breakdown").Body(rows...),
	)
}
