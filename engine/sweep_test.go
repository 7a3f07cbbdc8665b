package engine

import (
	"context"
	"math"
	"slices"
	"strings"
	"testing"
)

func testSpec(t *testing.T) *Spec {
	t.Helper()
	s, err := ParseSpec([]byte(`{"domains": ["wine", "hidden:2"],
		"conditions": [{"name": "h", "meta": "evolve", "selection": "default"}, {"name": "b", "mode": "baseline"}, {"name": "g", "meta": "evolve", "selection": "best"}],
		"seeds": 3, "iterations": 12, "checkpoints": [4, 12], "reference": "h", "split_seed": 5}`))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// TestPlanShards checks that the shards of a sweep are disjoint, cover every run once, and keep
// the canonical order; and that a condition's "default" selection is the domain's own.
func TestPlanShards(t *testing.T) {
	s := testSpec(t)
	whole, err := s.Plan(0, 1)
	if err != nil || len(whole) != s.Runs() || s.Runs() != 18 {
		t.Fatalf("%d runs, %v", len(whole), err)
	}
	for i, r := range whole {
		if r.Index != i || r.SeedIdx != i%3 || r.Config.Seed != 7+13*uint64(i%3) {
			t.Fatalf("run %d = %+v", i, r)
		}
	}
	if whole[0].Domain.Name() != "wine@5" || whole[9].Domain.Name() != "hidden:2@5" {
		t.Errorf("split seed not applied: %s, %s", whole[0].Domain.Name(), whole[9].Domain.Name())
	}
	if whole[0].Condition.Selection != SelectDGM || whole[3].Condition.Selection != SelectSeed || whole[3].Condition.Meta != MetaFrozen {
		t.Errorf("conditions resolved as %+v, %+v", whole[0].Condition, whole[3].Condition)
	}
	for _, n := range []int{2, 4, 7, 18, 25} {
		var seen []int
		for i := range n {
			part, err := s.Plan(i, n)
			if err != nil {
				t.Fatal(err)
			}
			for _, r := range part {
				seen = append(seen, r.Index)
				if r.Index%n != i {
					t.Fatalf("shard %d/%d holds run %d", i, n, r.Index)
				}
			}
		}
		slices.Sort(seen)
		if len(seen) != 18 || seen[0] != 0 || seen[17] != 17 || slices.Compact(seen) == nil || len(slices.Compact(seen)) != 18 {
			t.Errorf("%d shards cover %v", n, seen)
		}
	}
	if _, err := s.Plan(2, 2); err == nil {
		t.Error("shard 2 of 2 accepted")
	}
}

// TestSummarizeAndParseRunsCSV runs a small sweep, checks its summary against values computed by
// hand from the runs, and that the summary from runs.csv read back is the same.
func TestSummarizeAndParseRunsCSV(t *testing.T) {
	s := testSpec(t)
	plan, _ := s.Plan(0, 1)
	csv := AppendRunsCSVHeader(nil)
	var series []Series
	var runs []*Run
	err := RunSweep(context.Background(), s, plan, 3, func(sr SweepRun, r *Run) error {
		csv = append(csv, RunsCSVBlock(sr, r)...)
		series = append(series, NewSeries(sr, r.Progress(), s.Checkpoints))
		runs = append(runs, r)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	sum, err := s.Summarize(series)
	if err != nil {
		t.Fatal(err)
	}
	res := sum.find("hidden:2@5", 12, "best_test")
	if res == nil || len(res.Conditions) != 3 {
		t.Fatalf("no result: %+v", sum.Results)
	}
	// Values are the runs' reported test accuracy at the checkpoint, in seed order.
	for ci := range 3 {
		for si := range 3 {
			r := runs[9+ci*3+si]
			if got := res.Conditions[ci].Values[si]; got != r.ProgressAt(12).BestTestAccuracy {
				t.Fatalf("condition %d seed %d: %v, run has %v", ci, si, got, r.ProgressAt(12).BestTestAccuracy)
			}
		}
	}
	auc := sum.find("wine@5", 4, "auc")
	b := runs[0].Progress()
	want := ((b[0].BestFitness+b[1].BestFitness)/2 + (b[1].BestFitness+b[2].BestFitness)/2 +
		(b[2].BestFitness+b[3].BestFitness)/2 + (b[3].BestFitness+b[4].BestFitness)/2) / 4
	if math.Abs(auc.Conditions[0].Values[0]-want) > 1e-15 {
		t.Errorf("AUC %v, want %v", auc.Conditions[0].Values[0], want)
	}
	blocks, err := s.ParseRunsCSV(csv)
	if err != nil {
		t.Fatal(err)
	}
	back := make([]Series, len(blocks))
	for i, bl := range blocks {
		back[i] = bl.Series
	}
	again, err := s.Summarize(back)
	if err != nil || string(again.JSON()) != string(sum.JSON()) || string(again.Markdown()) != string(sum.Markdown()) {
		t.Errorf("summary from runs.csv differs: %v", err)
	}
	if !strings.Contains(string(sum.Markdown()), "## hidden:2@5") {
		t.Error("markdown lacks a domain section")
	}
	// A missing or doubled run, and a damaged runs.csv, are refused.
	if _, err := s.Summarize(series[1:]); err == nil {
		t.Error("summary of an incomplete sweep")
	}
	if _, err := s.Summarize(append(series[1:], series[2])); err == nil {
		t.Error("summary with a run twice")
	}
	lines := strings.SplitAfter(string(csv), "\n")
	for _, bad := range []string{
		strings.Join(append(slices.Clone(lines[:3]), lines[4:]...), ""),                       // a skipped iteration
		strings.Replace(string(csv), "hidden:2@5", "hidden:9@5", 1),                           // a run not in the spec
		strings.Replace(string(csv), lines[1], strings.Replace(lines[1], ",0,", ",x,", 1), 1), // damaged
		string(csv[:len(csv)-1]), // no final newline
	} {
		if _, err := s.ParseRunsCSV([]byte(bad)); err == nil {
			t.Error("a damaged runs.csv was read")
		}
	}
}

// TestParseSpecIsStrict checks unknown keys, trailing data and sizes.
func TestParseSpecIsStrict(t *testing.T) {
	ok := `{"domains": ["wine"], "conditions": [{"name": "a", "mode": "hyperagent"}], "seeds": 2, "iterations": 5, "reference": "a"}`
	s, err := ParseSpec([]byte(ok))
	if err != nil || !slices.Equal(s.Checkpoints, []int{5}) {
		t.Fatalf("%+v %v", s, err)
	}
	if back, err := ParseSpec(s.Canonical()); err != nil || string(back.Canonical()) != string(s.Canonical()) {
		t.Errorf("canonical spec does not read back: %v", err)
	}
	for _, bad := range []string{
		ok + " {}", strings.Replace(ok, `"seeds"`, `"Seeds2"`, 1), strings.Replace(ok, `"mode": "hyperagent"`, `"mode": "hyperagent", "extra": 1`, 1),
		strings.Replace(ok, `"iterations": 5`, `"iterations": 5000000`, 1), strings.Replace(ok, `["wine"]`, `["wine", "wine"]`, 1),
		strings.Replace(ok, `["wine"]`, `[]`, 1), strings.Replace(ok, `"seeds": 2`, `"seeds": 100000`, 1),
	} {
		if _, err := ParseSpec([]byte(bad)); err == nil {
			t.Errorf("accepted %s", bad)
		}
	}
}
