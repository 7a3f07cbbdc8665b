package chart

import (
	"math"

	"hyperagents/engine"
)

// ConditionColor is the colour of an ablation condition in every chart.
func ConditionColor(m engine.Mode) string {
	switch m {
	case engine.ModeBaseline:
		return ColorBaseline
	case engine.ModeNoArchive:
		return ColorNoArchive
	}
	return ColorHyperagent
}

// bandPanel makes a panel with one mean line and ±std band per condition.
func bandPanel(title string, curves []engine.Curve, percent bool, ymin, ymax float64) Panel {
	p := Panel{Title: title, XLabel: "iteration", Percent: percent, IntegerX: true, YMin: ymin, YMax: ymax}
	for _, c := range curves {
		lo, hi := make([]float64, len(c.Mean)), make([]float64, len(c.Mean))
		for i := range c.Mean {
			lo[i], hi[i] = c.Mean[i]-c.Std[i], c.Mean[i]+c.Std[i]
			if percent {
				lo[i], hi[i] = math.Max(lo[i], 0), math.Min(hi[i], 1.05)
			}
		}
		p.Series = append(p.Series, Series{
			Name: c.Condition.Label(), Color: ConditionColor(c.Condition),
			X: c.X, Y: c.Mean, Lo: lo, Hi: hi,
		})
	}
	return p
}

// LearningCurves draws best train and best test accuracy per iteration: the mean over seeds with a
// ±std band, one colour per condition (the seed's learning_curves.png, as SVG).
func LearningCurves(rows []engine.Row) string {
	return SVG([]Panel{
		bandPanel("Best train accuracy", engine.Curves(rows, engine.MetricBestTrain), true, 0.4, 1.05),
		bandPanel("Best test accuracy", engine.Curves(rows, engine.MetricBestTest), true, 0.4, 1.05),
	}, Options{Title: "Learning curves (mean ± std over seeds)"})
}

// MetaPolicyDrift draws the children's weight step, threshold step and exploration scale per
// iteration for hyperagent against baseline (the seed's meta_policy_drift.png, as SVG).
func MetaPolicyDrift(rows []engine.Row) string {
	var kept []engine.Row
	for _, r := range rows {
		if r.Condition == engine.ModeHyperagent || r.Condition == engine.ModeBaseline {
			kept = append(kept, r)
		}
	}
	return SVG([]Panel{
		bandPanel("Weight step", engine.Curves(kept, engine.MetricWeightStep), false, 0, 0),
		bandPanel("Threshold step", engine.Curves(kept, engine.MetricThresholdStep), false, 0, 0),
		bandPanel("Exploration scale", engine.Curves(kept, engine.MetricExplorationScale), false, 0, 0),
	}, Options{Title: "Meta-policy drift: hyperagent vs baseline (mean ± std over seeds)", PanelWidth: 340})
}
