package engine

import (
	"fmt"
	"io"
	"strconv"
)

// RunsCSVHeader is the header of a sweep's runs.csv: one row per domain × condition × seed ×
// iteration. best_train is the best fitness on train; best_val and best_test are the validation
// and test accuracy of the agent chosen on validation (code_review: of the best on train, with no
// validation); child_train is the new child's fitness; then every meta knob of the child: the
// adaptive flavour's, then the seed and standard flavours'.
var RunsCSVHeader = func() []string {
	h := []string{"domain", "condition", "meta", "selection", "flavour", "seed", "seed_idx", "iteration",
		"best_train", "best_val", "best_test", "child_train", "archive_size"}
	for _, k := range Knobs {
		h = append(h, k.Name)
	}
	return append(h, "weight_step", "threshold_step", "exploration_scale")
}()

// AppendRunsCSVRow appends one runs.csv line (with its newline). Numbers are written as the
// shortest decimal that reads back to the same float, so the file is exact and deterministic.
// Text cells pass through [CSVText]; domain and condition must need no CSV quoting (domain and
// condition names never do).
func AppendRunsCSVRow(b []byte, domain string, cond Condition, f Flavour, seed uint64, seedIdx int, p *Progress) []byte {
	num := func(b []byte, v float64) []byte { return strconv.AppendFloat(append(b, ','), v, 'g', -1, 64) }
	b = append(b, CSVText(domain)...)
	b = append(b, ',')
	b = append(b, CSVText(cond.Name)...)
	b = append(b, ',')
	b = append(b, cond.Meta.String()...)
	b = append(b, ',')
	b = append(b, cond.Selection.String()...)
	b = append(b, ',')
	b = append(b, f.String()...)
	b = append(b, ',')
	b = strconv.AppendUint(b, seed, 10)
	b = append(b, ',')
	b = strconv.AppendInt(b, int64(seedIdx), 10)
	b = append(b, ',')
	b = strconv.AppendInt(b, int64(p.Iteration), 10)
	b = num(b, p.BestFitness)
	b = num(b, p.BestVal)
	b = num(b, p.BestTestAccuracy)
	b = num(b, p.ChildTrain)
	b = append(b, ',')
	b = strconv.AppendInt(b, int64(p.ArchiveSize), 10)
	for _, k := range p.Knobs {
		b = num(b, k)
	}
	b = num(b, p.WeightStep)
	b = num(b, p.ThresholdStep)
	b = num(b, p.ExplorationScale)
	return append(b, '\n')
}

// AppendRunsCSVHeader appends the header line.
func AppendRunsCSVHeader(b []byte) []byte {
	for i, h := range RunsCSVHeader {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, h...)
	}
	return append(b, '\n')
}

// WriteRunsCSV writes rows of one domain and flavour as a runs.csv file, header first.
func WriteRunsCSV(w io.Writer, domain string, f Flavour, rows []Row) error {
	b := AppendRunsCSVHeader(nil)
	for i := range rows {
		r := &rows[i]
		b = AppendRunsCSVRow(b, domain, r.Condition, f, r.Seed, r.SeedIdx, &r.Progress)
	}
	if _, err := w.Write(b); err != nil {
		return fmt.Errorf("write runs.csv: %w", err)
	}
	return nil
}
