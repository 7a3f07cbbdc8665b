// Package lab makes the research lab's result files from what the engine computed: a sweep's
// spec.json, runs.csv, summary.json, summary.md and its curves as SVG. The command line and the
// page both call it, so the same spec gives the same bytes in either.
package lab

import (
	"fmt"

	"hyperagents/chart"
	"hyperagents/engine"
)

// The files of a finished sweep.
const (
	SpecFile         = "spec.json"
	RunsFile         = "runs.csv"
	SummaryJSON      = "summary.json"
	SummaryMD        = "summary.md"
	CurvesMedianFile = "curves_median.svg"
	CurvesMeanFile   = "curves_mean.svg"
)

// SweepFiles lists the files of a finished sweep in the order they are offered.
var SweepFiles = []string{SummaryMD, SummaryJSON, RunsFile, SpecFile, CurvesMedianFile, CurvesMeanFile}

// Sweep is a finished sweep's results: its summary and curves, and its files by name.
type Sweep struct {
	Spec    *engine.Spec
	Summary *engine.SweepSummary
	Curves  []engine.DomainCurves
	Files   map[string][]byte
}

// FinishSweep summarises a whole sweep from the series of every run and its runs.csv (header
// included), and makes its files.
func FinishSweep(spec *engine.Spec, series []engine.Series, runsCSV []byte) (*Sweep, error) {
	return FinishSweepYield(spec, series, runsCSV, nil)
}

// FinishSweepYield is [FinishSweep] calling yield (if not nil) between units of work of a few
// milliseconds: the page lets the browser draw and take input while the statistics are computed.
func FinishSweepYield(spec *engine.Spec, series []engine.Series, runsCSV []byte, yield func()) (*Sweep, error) {
	sum, err := spec.SummarizeYield(series, yield)
	if err != nil {
		return nil, fmt.Errorf("sweep summary: %w", err)
	}
	curves, err := spec.CurvesYield(series, yield)
	if err != nil {
		return nil, fmt.Errorf("sweep curves: %w", err)
	}
	files := map[string][]byte{SpecFile: spec.Canonical(), RunsFile: runsCSV}
	for _, f := range []struct {
		name string
		make func() []byte
	}{
		{SummaryJSON, sum.JSON},
		{SummaryMD, sum.Markdown},
		{CurvesMedianFile, func() []byte { return []byte(chart.SweepCurves(curves, true)) }},
		{CurvesMeanFile, func() []byte { return []byte(chart.SweepCurves(curves, false)) }},
	} {
		if yield != nil {
			yield()
		}
		files[f.name] = f.make()
	}
	return &Sweep{Spec: spec, Summary: sum, Curves: curves, Files: files}, nil
}

// ReadSweep rebuilds a finished sweep from its spec and runs.csv (checking every row belongs to
// the spec and every run is complete): what a saved or shared sweep is re-derived from.
func ReadSweep(specJSON, runsCSV []byte) (*Sweep, error) {
	spec, err := engine.ParseSpec(specJSON)
	if err != nil {
		return nil, err
	}
	blocks, err := spec.ParseRunsCSV(runsCSV)
	if err != nil {
		return nil, err
	}
	if len(blocks) != spec.Runs() {
		return nil, fmt.Errorf("runs.csv holds %d runs, the spec has %d", len(blocks), spec.Runs())
	}
	series := make([]engine.Series, len(blocks))
	for i, b := range blocks {
		if b.Index != i {
			return nil, fmt.Errorf("runs.csv: run %d is out of order", i)
		}
		series[i] = b.Series
	}
	return FinishSweep(spec, series, runsCSV)
}
