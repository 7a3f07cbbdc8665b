package chart

import (
	"fmt"
	"math"

	"hyperagents/engine"
)

// Smooth returns the panels with every series' values (and band) replaced by their centred moving
// average over window points: each point becomes the mean of the points at most window/2 away
// (fewer at the ends; NaN points are skipped). A window below 2 returns the panels unchanged. The
// input is not modified.
func Smooth(panels []Panel, window int) []Panel {
	if window < 2 {
		return panels
	}
	out := make([]Panel, len(panels))
	for i, p := range panels {
		q := p
		q.Series = make([]Series, len(p.Series))
		for j, s := range p.Series {
			t := s
			t.Y, t.Lo, t.Hi = movingAverage(s.Y, window), movingAverage(s.Lo, window), movingAverage(s.Hi, window)
			q.Series[j] = t
		}
		out[i] = q
	}
	return out
}

// movingAverage is the centred moving average of ys over window points (nil for nil).
func movingAverage(ys []float64, window int) []float64 {
	if ys == nil {
		return nil
	}
	half := window / 2
	out := make([]float64, len(ys))
	for i := range ys {
		sum, n := 0.0, 0
		for k := max(0, i-half); k <= min(len(ys)-1, i+half); k++ {
			if !math.IsNaN(ys[k]) {
				sum += ys[k]
				n++
			}
		}
		out[i] = math.NaN()
		if n > 0 {
			out[i] = sum / float64(n)
		}
	}
	return out
}

// MetaPolicyDriftSmoothed is [MetaPolicyDrift] with its curves smoothed by a centred moving
// average over window iterations (see [Smooth]), said in its title: for long, noisy runs.
func MetaPolicyDriftSmoothed(rows []engine.Row, window int) string {
	panels, o := MetaPolicyDriftPanels(rows)
	if window >= 2 {
		panels = Smooth(panels, window)
		o.Title += fmt.Sprintf(", moving average over %d iterations", window)
	}
	return SVG(panels, o)
}
