package engine

import (
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// CSVHeader is the seed's 16 experiment columns, in its order (REFERENCE §13).
var CSVHeader = []string{
	"condition", "label", "seed", "seed_idx", "iteration", "best_fitness", "best_test_accuracy",
	"child_train_accuracy", "child_test_accuracy", "archive_size", "meta_focus_metric",
	"meta_weight_step", "meta_threshold_step", "meta_exploration_scale", "mutation_source", "mode",
}

// WriteCSV writes rows with [CSVHeader], LF line ends and floats as Python's str(float) prints them,
// so the seed flavour's output is byte-identical to the seed's raw_metrics.csv.
func WriteCSV(w io.Writer, rows []Row) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(CSVHeader); err != nil {
		return fmt.Errorf("write csv header: %w", err)
	}
	rec := make([]string, len(CSVHeader))
	for _, r := range rows {
		p := &r.Progress
		rec[0] = CSVText(r.Condition.Name)
		rec[1] = CSVText(r.Condition.Label())
		rec[2] = strconv.FormatUint(r.Seed, 10)
		rec[3] = strconv.Itoa(r.SeedIdx)
		rec[4] = strconv.Itoa(p.Iteration)
		rec[5] = PyFloat(p.BestFitness)
		rec[6] = PyFloat(p.BestTestAccuracy)
		rec[7] = PyFloat(p.ChildTrain)
		rec[8] = PyFloat(p.ChildTest)
		rec[9] = strconv.Itoa(p.ArchiveSize)
		rec[10] = p.Focus
		rec[11] = PyFloat(p.WeightStep)
		rec[12] = PyFloat(p.ThresholdStep)
		rec[13] = PyFloat(p.ExplorationScale)
		rec[14] = p.Source
		rec[15] = CSVText(r.Condition.Name)
		if err := cw.Write(rec); err != nil {
			return fmt.Errorf("write csv row: %w", err)
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("write csv: %w", err)
	}
	return nil
}

// CSVText neutralises a text cell that a spreadsheet would run as a formula: text starting with =,
// +, −, @, a tab or a carriage return gets a leading apostrophe, which spreadsheets show as text and
// hide. Numbers are written as numbers by the writers and never pass through here, so a negative
// number stays a number.
func CSVText(s string) string {
	if s != "" && strings.IndexByte("=+-@\t\r", s[0]) >= 0 {
		return "'" + s
	}
	return s
}

// PyFloat formats x as Python's repr(float) does: the shortest string that reads back as x, in
// positional notation for exponents in [−4, 16) and with ".0" on integral values ("1.0", "0.65",
// "1e-05", "inf").
func PyFloat(x float64) string {
	switch {
	case x != x:
		return "nan"
	case x > 1.7976931348623157e308:
		return "inf"
	case x < -1.7976931348623157e308:
		return "-inf"
	}
	s := strconv.FormatFloat(x, 'e', -1, 64)
	mant, expStr, _ := strings.Cut(s, "e")
	exp, _ := strconv.Atoi(expStr)
	if exp < -4 || exp >= 16 {
		// Python writes at least two exponent digits: 1e-05, 1e+16.
		sign := "+"
		if exp < 0 {
			sign, exp = "-", -exp
		}
		e := strconv.Itoa(exp)
		if len(e) < 2 {
			e = "0" + e
		}
		return mant + "e" + sign + e
	}
	s = strconv.FormatFloat(x, 'f', -1, 64)
	if !strings.ContainsAny(s, ".") {
		s += ".0"
	}
	return s
}
