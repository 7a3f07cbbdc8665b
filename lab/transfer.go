package lab

import (
	"fmt"

	"hyperagents/chart"
	"hyperagents/engine"
)

// The files of a transfer.
const (
	TransferCSV = "transfer.csv"
	TransferSVG = "transfer_arms.svg"
)

// TransferFiles lists the files of a finished transfer in the order they are offered.
var TransferFiles = []string{SummaryMD, SummaryJSON, TransferCSV, TransferSVG}

// Transfer is a finished transfer's results: its summary, the claims in plain words, and its
// files by name.
type Transfer struct {
	Spec    engine.TransferSpec
	Runs    []engine.TransferRun
	Summary *engine.SweepSummary
	Claims  []string
	Files   map[string][]byte
}

// FinishTransfer summarises a transfer's runs and makes its files: summary.json (the sweep's
// format, metric imp@k), summary.md and transfer.csv (one row per arm × seed with its knobs).
func FinishTransfer(t engine.TransferSpec, runs []engine.TransferRun) (*Transfer, error) {
	return FinishTransferYield(t, runs, nil)
}

// FinishTransferYield is [FinishTransfer] calling yield (if not nil) between units of work.
func FinishTransferYield(t engine.TransferSpec, runs []engine.TransferRun, yield func()) (*Transfer, error) {
	sum, err := engine.TransferSummaryYield(t, runs, yield)
	if err != nil {
		return nil, err
	}
	csv := []byte("arm,seed_idx,initial_test,best_test,imp")
	for _, kn := range engine.Knobs {
		csv = append(csv, ","+kn.Name...)
	}
	csv = append(csv, '\n')
	for _, r := range runs {
		csv = fmt.Appendf(csv, "%s,%d,%g,%g,%g", r.Arm, r.SeedIdx, r.Initial, r.Best, r.Imp)
		for _, v := range r.Knobs {
			csv = fmt.Appendf(csv, ",%g", v)
		}
		csv = append(csv, '\n')
	}
	files := map[string][]byte{TransferCSV: csv}
	for _, f := range []struct {
		name string
		make func() []byte
	}{
		{SummaryJSON, sum.JSON},
		{SummaryMD, func() []byte { return engine.TransferMarkdown(t, sum) }},
		{TransferSVG, func() []byte { return []byte(chart.TransferArms(sum.Results[0])) }},
	} {
		if yield != nil {
			yield()
		}
		files[f.name] = f.make()
	}
	return &Transfer{Spec: t, Runs: runs, Summary: sum, Claims: engine.TransferClaims(sum), Files: files}, nil
}
