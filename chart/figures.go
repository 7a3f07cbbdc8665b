package chart

import (
	"math"

	"hyperagents/engine"
)

// palette colours conditions that are not one of the seed's modes, by their position.
var palette = []string{"#1a7d79", "#5b4a9e", "#2f6db8", "#7a6a5a", "#a33d6b", "#6b7d23", "#c07a12"}

// ConditionColor is the colour of a condition in every chart: the seed's colours for its modes
// (and for the condition named hyperagent), else a colour by the condition's position i.
func ConditionColor(c engine.Condition, i int) string {
	switch c.Name {
	case engine.ModeHyperagent.String():
		return ColorHyperagent
	case engine.ModeBaseline.String():
		return ColorBaseline
	case engine.ModeNoArchive.String():
		return ColorNoArchive
	}
	return palette[i%len(palette)]
}

// bandPanel makes a panel with one mean line and ±std band per condition.
func bandPanel(title string, curves []engine.Curve, percent bool, ymin, ymax float64) Panel {
	p := Panel{Title: title, XLabel: "iteration", Percent: percent, IntegerX: true, YMin: ymin, YMax: ymax}
	for ci, c := range curves {
		lo, hi := make([]float64, len(c.Mean)), make([]float64, len(c.Mean))
		for i := range c.Mean {
			lo[i], hi[i] = c.Mean[i]-c.Std[i], c.Mean[i]+c.Std[i]
			if percent {
				lo[i], hi[i] = math.Max(lo[i], 0), math.Min(hi[i], 1.05)
			}
		}
		p.Series = append(p.Series, Series{
			Name: c.Condition.Label(), Color: ConditionColor(c.Condition, ci),
			X: c.X, Y: c.Mean, Lo: lo, Hi: hi,
		})
	}
	return p
}

// LearningCurves draws best train and best test accuracy per iteration: the mean over seeds with a
// ±std band, one colour per condition (the seed's learning_curves.png, as SVG).
func LearningCurves(rows []engine.Row) string { return SVG(LearningCurvesPanels(rows)) }

// LearningCurvesPanels are LearningCurves' panels and options, for a page that reads values off
// the chart (see [Locate]).
func LearningCurvesPanels(rows []engine.Row) ([]Panel, Options) {
	return []Panel{
		bandPanel("Best train accuracy", engine.Curves(rows, engine.MetricBestTrain), true, 0.4, 1.05),
		bandPanel("Best test accuracy", engine.Curves(rows, engine.MetricBestTest), true, 0.4, 1.05),
	}, Options{Title: "Learning curves (mean ± std over seeds)"}
}

// MetaPolicyDrift draws the children's weight step, threshold step and exploration scale per
// iteration for hyperagent against baseline (the seed's meta_policy_drift.png, as SVG).
func MetaPolicyDrift(rows []engine.Row) string { return SVG(MetaPolicyDriftPanels(rows)) }

// MetaPolicyDriftPanels are MetaPolicyDrift's panels and options.
func MetaPolicyDriftPanels(rows []engine.Row) ([]Panel, Options) {
	var kept []engine.Row
	for _, r := range rows {
		if r.Condition.Name == engine.ModeHyperagent.String() || r.Condition.Name == engine.ModeBaseline.String() {
			kept = append(kept, r)
		}
	}
	return []Panel{
		bandPanel("Weight step", engine.Curves(kept, engine.MetricWeightStep), false, 0, 0),
		bandPanel("Threshold step", engine.Curves(kept, engine.MetricThresholdStep), false, 0, 0),
		bandPanel("Exploration scale", engine.Curves(kept, engine.MetricExplorationScale), false, 0, 0),
	}, Options{Title: "Meta-policy drift: hyperagent vs baseline (mean ± std over seeds)", PanelWidth: 340}
}

// AdaptiveCurves draws an adaptive experiment's learning curves: the best fitness on train, and the
// validation and test accuracy of the agent chosen on validation, per iteration (mean ± std over
// seeds, one colour per condition; chance-corrected, 0 = chance).
func AdaptiveCurves(rows []engine.Row) string {
	return SVG([]Panel{
		bandPanel("Best train", engine.Curves(rows, engine.MetricBestTrain), false, 0, 1),
		bandPanel("Chosen on validation: validation", engine.Curves(rows, engine.MetricBestVal), false, 0, 1),
		bandPanel("Chosen on validation: test", engine.Curves(rows, engine.MetricBestTest), false, 0, 1),
	}, Options{Title: "Learning curves (mean ± std over seeds)"})
}

// KnobDrift draws the children's meta knobs per iteration (mean ± std over seeds), one panel per
// knob: how the meta policy changed itself, against the frozen conditions' flat lines.
func KnobDrift(rows []engine.Row) string {
	var panels []Panel
	for k, spec := range engine.Knobs {
		panels = append(panels, bandPanel(spec.Symbol+" ("+spec.Name+")", engine.Curves(rows, engine.KnobMetric(k)), false, 0, 0))
	}
	return SVG(panels, Options{Title: "Meta knobs of the children (mean ± std over seeds)", PanelWidth: 300})
}

// SweepCurves draws a sweep's learning curves, one panel per domain (three to a row), one colour
// per condition: the test score of the reported agent over iterations as the median over seeds
// with its 95% bootstrap band, or (median false) as the mean with a ±std band.
func SweepCurves(domains []engine.DomainCurves, median bool) string {
	return SVG(SweepCurvesPanels(domains, median))
}

// SweepCurvesPanels are SweepCurves' panels and options, for a page that reads values off the
// chart (see [Locate]).
func SweepCurvesPanels(domains []engine.DomainCurves, median bool) ([]Panel, Options) {
	panels := make([]Panel, 0, len(domains))
	for _, d := range domains {
		p := Panel{Title: d.Domain, XLabel: "iteration", YLabel: "test score", IntegerX: true}
		for ci, c := range d.Curves {
			y, lo, hi := c.Median, c.Lo, c.Hi
			if !median {
				y, lo, hi = c.Mean, make([]float64, len(c.Mean)), make([]float64, len(c.Mean))
				for i := range c.Mean {
					lo[i], hi[i] = c.Mean[i]-c.Std[i], c.Mean[i]+c.Std[i]
				}
			}
			p.Series = append(p.Series, Series{Name: c.Condition.Name, Color: ConditionColor(c.Condition, ci), X: c.X, Y: y, Lo: lo, Hi: hi})
		}
		panels = append(panels, p)
	}
	title := "Test score of the reported agent (median over seeds, 95% bootstrap band)"
	if !median {
		title = "Test score of the reported agent (mean ± std over seeds)"
	}
	return panels, Options{Title: title, Columns: 3}
}
