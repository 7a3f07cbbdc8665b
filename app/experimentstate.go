package ui

import (
	"bytes"
	"context"
	"fmt"
	"time"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"hyperagents/chart"
	"hyperagents/engine"
)

// Limits of an experiment run in the browser: its rows stay in memory.
const (
	maxBrowserSeeds      = 100
	maxBrowserIterations = 10_000
	maxBrowserTotal      = 300_000 // conditions × seeds × iterations
)

// ExperimentState is the experiments view's form, the experiment running or done, and its results.
type ExperimentState struct {
	Flavour    string
	Conditions []bool // per engine.Modes
	SeedsIn    string
	ItersIn    string
	SeedsErr   string
	ItersErr   string
	Err        string
	exp        *engine.Experiment
	started    time.Time
	elapsed    time.Duration
	result     *experimentResult
	cancelled  bool
	// LearnReadout and DriftReadout say the values under the pointer on the two charts.
	LearnReadout, DriftReadout string
	learnCursor, driftCursor   chartCursor // where the keyboard reads the two charts
	// SmoothDrift shows the meta-policy drift as a moving average (smoothed is that drawing).
	SmoothDrift    bool
	smoothed       string
	smoothedPanels []chart.Panel // what smoothed draws, to read values off it
	// Restored marks a result shown again after a reload (re-run from its kept settings).
	Restored     bool
	restoreTried bool
}

// experimentResult is what a finished experiment shows and offers for download.
type experimentResult struct {
	cfg  engine.ExperimentConfig
	rows []engine.Row
	// The charts' panels, to read values off them.
	learnPanels, driftPanels []chart.Panel
	learnOpts, driftOpts     chart.Options
	summaries                []engine.Summary
	learning                 string // SVG
	drift                    string // SVG
	csvURL                   string // object URLs for the download links
	learnURL                 string
	driftURL                 string
	csvBytes                 int
}

func (x *ExperimentState) init() {
	x.Flavour = engine.FlavourStandard.String()
	x.Conditions = make([]bool, len(engine.Modes))
	for i := range x.Conditions {
		x.Conditions[i] = true
	}
	x.SeedsIn, x.ItersIn = "5", "30"
}

// config reads the form, reporting problems inline.
func (x *ExperimentState) config() (engine.ExperimentConfig, bool) {
	x.SeedsErr, x.ItersErr, x.Err = "", "", ""
	var c engine.ExperimentConfig
	f, err := engine.ParseFlavour(x.Flavour)
	if err != nil {
		x.Err = err.Error()
		return c, false
	}
	for i, on := range x.Conditions {
		if on {
			c.Conditions = append(c.Conditions, engine.ModeCondition(engine.Modes[i]))
		}
	}
	if len(c.Conditions) == 0 {
		x.Err = "Pick at least one condition."
	}
	seeds, ok := parseCount(x.SeedsIn, maxBrowserSeeds)
	if !ok {
		x.SeedsErr = fmt.Sprintf("Seeds must be a whole number from 1 to %d.", maxBrowserSeeds)
	}
	iters, ok := parseCount(x.ItersIn, maxBrowserIterations)
	if !ok {
		x.ItersErr = fmt.Sprintf("Iterations must be a whole number from 1 to %d.", maxBrowserIterations)
	}
	if x.Err != "" || x.SeedsErr != "" || x.ItersErr != "" {
		return c, false
	}
	if total := len(c.Conditions) * seeds * iters; total > maxBrowserTotal {
		x.Err = fmt.Sprintf("%d conditions × %d seeds × %d iterations = %d iterations; the browser runs at most %d (use the CLI for more).",
			len(c.Conditions), seeds, iters, total, maxBrowserTotal)
		return c, false
	}
	c.Flavour, c.Seeds, c.Iterations = f, engine.DefaultSeeds(seeds), iters
	return c, true
}

// startExperiment runs the form's experiment in slices. The caller holds s.mu.
func (s *Session) startExperiment(ctx app.Context, d engine.Domain) {
	x := &s.Experiment
	if s.running(jobExperiment) {
		return
	}
	x.Restored = false
	cfg, ok := x.config()
	if !ok {
		return
	}
	exp, err := engine.NewExperiment(cfg, d)
	if err != nil {
		x.Err = err.Error()
		return
	}
	x.exp, x.cancelled, x.started = exp, false, time.Now()
	x.clearResult()
	bg := context.Background()
	s.start(ctx, jobExperiment, steps(func() (bool, error) {
		if err := exp.Step(bg); err != nil {
			return false, err
		}
		return exp.Finished(), nil
	}), func(err error) {
		if err != nil {
			x.Err = err.Error()
			return
		}
		x.finish()
	})
}

// cancelExperiment stops a running experiment and drops its partial rows. The caller holds s.mu.
func (s *Session) cancelExperiment() {
	if !s.running(jobExperiment) {
		return
	}
	s.stop(jobExperiment)
	s.Experiment.exp, s.Experiment.cancelled = nil, true
}

// clearResult frees the previous result's download URLs.
func (x *ExperimentState) clearResult() {
	if r := x.result; r != nil {
		revokeURL(r.csvURL)
		revokeURL(r.learnURL)
		revokeURL(r.driftURL)
	}
	x.result = nil
}

// finish computes the statistics, charts and downloads of the finished experiment.
func (x *ExperimentState) finish() {
	rows := x.exp.Rows()
	var csv bytes.Buffer
	if err := engine.WriteCSV(&csv, rows); err != nil {
		x.Err = err.Error()
		return
	}
	r := &experimentResult{
		cfg:       x.exp.Config(),
		rows:      rows,
		summaries: engine.Summarize(rows),
		learning:  chart.LearningCurves(rows),
		drift:     chart.MetaPolicyDrift(rows),
		csvBytes:  csv.Len(),
	}
	r.learnPanels, r.learnOpts = chart.LearningCurvesPanels(rows)
	r.driftPanels, r.driftOpts = chart.MetaPolicyDriftPanels(rows)
	r.csvURL = blobURL(csv.Bytes(), "text/csv")
	r.learnURL = blobURL([]byte(r.learning), "image/svg+xml")
	r.driftURL = blobURL([]byte(r.drift), "image/svg+xml")
	x.result = r
	x.SmoothDrift, x.smoothed, x.smoothedPanels = false, "", nil
	x.LearnReadout, x.DriftReadout = "", ""
	x.learnCursor, x.driftCursor = chartCursor{}, chartCursor{}
	x.elapsed = time.Since(x.started)
	x.exp = nil
	x.keep()
}

// driftWindow is the moving average's width for an experiment of n iterations: a twentieth of
// the run, odd, at least 3.
func driftWindow(n int) int { return max(3, n/20|1) }

// setSmoothDrift switches the drift chart between the raw and the smoothed curves. The caller
// holds s.mu.
func (x *ExperimentState) setSmoothDrift(on bool) {
	x.SmoothDrift = on
	if on && x.smoothed == "" && x.result != nil {
		w := driftWindow(x.result.cfg.Iterations)
		x.smoothed = chart.MetaPolicyDriftSmoothed(x.result.rows, w)
		x.smoothedPanels = chart.Smooth(x.result.driftPanels, w)
	}
}
