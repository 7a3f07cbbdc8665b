package engine

import (
	"bytes"
	"context"
	"fmt"
	"math"
	"testing"
)

func TestExperimentRowsAndOrder(t *testing.T) {
	cfg := ExperimentConfig{Conditions: ModeConditions(ModeNoArchive, ModeHyperagent), Seeds: DefaultSeeds(3), Iterations: 12}
	x, err := NewExperiment(cfg, codeReview(t))
	if err != nil {
		t.Fatal(err)
	}
	if x.Total() != 2*3*12 {
		t.Fatalf("Total() = %d, want 72", x.Total())
	}
	steps := 0
	for !x.Finished() {
		if err := x.Step(context.Background()); err != nil {
			t.Fatal(err)
		}
		steps++
		if x.Done() != steps {
			t.Fatalf("Done() = %d after %d steps", x.Done(), steps)
		}
	}
	rows := x.Rows()
	if len(rows) != 2*3*13 {
		t.Fatalf("%d rows, want 78", len(rows))
	}
	for i, r := range rows {
		cond, seedIdx, it := cfg.Conditions[i/39], (i%39)/13, i%13
		if r.Condition != cond || r.SeedIdx != seedIdx || r.Seed != 7+13*uint64(seedIdx) || r.Iteration != it {
			t.Fatalf("row %d = %s seed %d (%d) it %d, want %s %d it %d", i, r.Condition.Name, r.Seed, r.SeedIdx, r.Iteration, cond.Name, seedIdx, it)
		}
	}
	// Each experiment run equals a standalone run of the same configuration.
	r := newRun(t, ModeHyperagent.Config(FlavourStandard, 20))
	if err := r.RunN(context.Background(), 12, nil); err != nil {
		t.Fatal(err)
	}
	for i, p := range r.Progress() {
		if got := rows[39+13+i].Progress; got != p {
			t.Fatalf("experiment row for hyperagent seed 20 it %d = %+v, standalone %+v", i, got, p)
		}
	}
	if err := x.Step(context.Background()); err != nil || len(x.Rows()) != 78 {
		t.Errorf("Step after finish: %v, %d rows", err, len(x.Rows()))
	}
}

func TestExperimentConfigValidate(t *testing.T) {
	ok := ExperimentConfig{Conditions: ModeConditions(Modes...), Seeds: DefaultSeeds(5), Iterations: 30}
	if err := ok.Validate(); err != nil {
		t.Fatalf("valid config: %v", err)
	}
	tests := []struct {
		name string
		edit func(*ExperimentConfig)
	}{
		{"no conditions", func(c *ExperimentConfig) { c.Conditions = nil }},
		{"duplicate condition", func(c *ExperimentConfig) { c.Conditions = ModeConditions(ModeBaseline, ModeBaseline) }},
		{"bad condition", func(c *ExperimentConfig) { c.Conditions = []Condition{{Name: "x", Meta: 7}} }},
		{"no seeds", func(c *ExperimentConfig) { c.Seeds = nil }},
		{"too many seeds", func(c *ExperimentConfig) { c.Seeds = DefaultSeeds(MaxSeeds + 1) }},
		{"zero iterations", func(c *ExperimentConfig) { c.Iterations = 0 }},
		{"too many iterations", func(c *ExperimentConfig) { c.Iterations = MaxIterations + 1 }},
		{"bad flavour", func(c *ExperimentConfig) { c.Flavour = 9 }},
	}
	for _, tt := range tests {
		c := ok
		tt.edit(&c)
		if err := c.Validate(); err == nil {
			t.Errorf("%s: no error", tt.name)
		}
	}
}

func TestDescribe(t *testing.T) {
	st := Describe([]float64{0.85, 0.8, 0.9, 0.85, 0.85})
	if math.Abs(st.Mean-0.85) > 1e-12 || math.Abs(st.Std-math.Sqrt(0.005/5)) > 1e-12 || st.Median != 0.85 {
		t.Errorf("Describe = %+v, want mean 0.85 std %v median 0.85", st, math.Sqrt(0.001))
	}
	if st.CILow > st.Median || st.CIHigh < st.Median || st.CILow < 0.8 || st.CIHigh > 0.9 {
		t.Errorf("CI [%v, %v] does not bracket the median within the data range", st.CILow, st.CIHigh)
	}
	if again := Describe([]float64{0.85, 0.8, 0.9, 0.85, 0.85}); again != st {
		t.Errorf("Describe is not reproducible: %+v then %+v", st, again)
	}
	c := Describe([]float64{0.7, 0.7, 0.7})
	if c.Std != 0 || c.CILow != 0.7 || c.CIHigh != 0.7 {
		t.Errorf("constant data: %+v", c)
	}
	if e := Describe(nil); e.N != 0 {
		t.Errorf("Describe(nil) = %+v", e)
	}
}

// TestDescribeYieldsBetweenChunks checks that the page's variant of Describe gives the same numbers
// and lets the browser run between chunks of the bootstrap: after every 1,000 of its 10,000
// resamples but the last.
func TestDescribeYieldsBetweenChunks(t *testing.T) {
	xs := []float64{0.31, 0.52, 0.48, 0.9, 0.12, 0.66, 0.47}
	calls := 0
	st := describeYield(xs, func() { calls++ })
	if want := Describe(xs); st != want {
		t.Errorf("describeYield = %+v, Describe = %+v", st, want)
	}
	if want := BootstrapResamples/bootstrapChunk - 1; calls != want {
		t.Errorf("yield called %d times, want %d", calls, want)
	}
}

// TestSeedSummaryReproducesReference checks the seed flavour's 3 × 5 × 30 summary against the
// figures of REFERENCE §17.
func TestSeedSummaryReproducesReference(t *testing.T) {
	rows, err := RunExperiment(context.Background(), ExperimentConfig{
		Flavour: FlavourSeed, Conditions: ModeConditions(Modes...), Seeds: DefaultSeeds(5), Iterations: 30,
	}, codeReview(t))
	if err != nil {
		t.Fatal(err)
	}
	want := map[string][2]float64{"hyperagent": {0.85, 0.9}, "baseline": {0.85, 0.9}, "no_archive": {0.8, 0.9}}
	for _, s := range Summarize(rows) {
		w := want[s.Condition.Name]
		if math.Abs(s.BestTrain.Mean-w[0]) > 1e-9 || s.BestTrain.Std > 1e-9 || math.Abs(s.BestTest.Mean-w[1]) > 1e-9 {
			t.Errorf("%s: train %v ± %v, test %v; want %v ± 0, %v", s.Condition.Name, s.BestTrain.Mean, s.BestTrain.Std, s.BestTest.Mean, w[0], w[1])
		}
	}
}

func ExampleWriteCSV() {
	d, _ := NewCodeReview()
	rows, _ := RunExperiment(context.Background(), ExperimentConfig{
		Flavour: FlavourSeed, Conditions: ModeConditions(ModeNoArchive), Seeds: DefaultSeeds(1), Iterations: 2,
	}, d)
	var b bytes.Buffer
	_ = WriteCSV(&b, rows)
	fmt.Print(b.String())
	// Output:
	// condition,label,seed,seed_idx,iteration,best_fitness,best_test_accuracy,child_train_accuracy,child_test_accuracy,archive_size,meta_focus_metric,meta_weight_step,meta_threshold_step,meta_exploration_scale,mutation_source,mode
	// no_archive,No Archive (greedy),7,0,0,0.65,0.8,0.65,0.8,1,security,0.12,0.07,0.18,seed,no_archive
	// no_archive,No Archive (greedy),7,0,1,0.8,0.9,0.8,0.9,2,security,0.115,0.075,0.16,heuristic,no_archive
	// no_archive,No Archive (greedy),7,0,2,0.8,0.9,0.65,0.8,3,security,0.11,0.08,0.21,heuristic,no_archive
}
