package engine

import (
	"bytes"
	"context"
	"slices"
	"testing"
)

func TestPyRandomGolden(t *testing.T) {
	tests := []struct {
		name string
		r    *PyRandom
		want float64
	}{
		{"int 7", NewPyRandomInt(7), 0.32383276483316237},
		{"int 20", NewPyRandomInt(20), 0.9056396761745207},
		{"str agent-000:maintainability:0:0", NewPyRandomString("agent-000:maintainability:0:0"), (-0.17604582912024935 + 1) / 2},
	}
	for _, tt := range tests {
		if got := tt.r.Float64(); got != tt.want {
			t.Errorf("%s: random() = %v, want %v", tt.name, got, tt.want)
		}
	}
}

func TestSeedNoiseGolden(t *testing.T) {
	want := []float64{-0.17604582912024935, -0.9467521210279581, 0.9043906074993728, 0.44100952727959797, -0.39430715300697083}
	noise := seedNoise(0)
	for i, f := range CodeReviewFeatures {
		if got := noise("agent-000", f, i); got != want[i] {
			t.Errorf("noise(agent-000, %s, %d) = %v, want %v", f, i, got, want[i])
		}
	}
}

func TestSeedAgentEvaluation(t *testing.T) {
	d := codeReview(t)
	seed := d.Seed()
	ev := Evaluate(d, &seed.Task)
	if ev.TrainAccuracy != 0.65 || ev.TestAccuracy != 0.8 || ev.Fitness != 0.65 {
		t.Errorf("seed agent train/test/fitness = %v/%v/%v, want 0.65/0.8/0.65", ev.TrainAccuracy, ev.TestAccuracy, ev.Fitness)
	}
	if ev.FalsePos != 3 || ev.FalseNeg != 4 {
		t.Errorf("FP/FN = %d/%d, want 3/4", ev.FalsePos, ev.FalseNeg)
	}
	if want := []float64{0.8767, 0.5167, 0.8167, 0.8767, 0.7267}; !slices.Equal(ev.FalsePosAvgs, want) {
		t.Errorf("FP means = %v, want %v", ev.FalsePosAvgs, want)
	}
	if want := []float64{0.72, 0.775, 0.655, 0.6, 0.715}; !slices.Equal(ev.FalseNegAvgs, want) {
		t.Errorf("FN means = %v, want %v", ev.FalseNegAvgs, want)
	}
	if want := "3 false positives, usually weak on security. 4 false negatives, often strong on security."; ev.Summary != want {
		t.Errorf("summary = %q, want %q", ev.Summary, want)
	}
	// Per-example scores from REFERENCE §4 (4 decimals).
	wantScores := map[string]float64{"train-01": 3.4924, "train-11": 2.8840, "train-15": 3.1440, "test-08": 3.0708, "test-10": 1.9586}
	all := append(slices.Clone(d.Train()), d.Test()...)
	for i, x := range all {
		if w, ok := wantScores[x.ID]; ok && Round(ev.Scores[i], 4) != w {
			t.Errorf("score of %s = %v, want %v", x.ID, ev.Scores[i], w)
		}
	}
}

func TestSeedFirstChildGolden(t *testing.T) {
	d := codeReview(t)
	r := newRun(t, ModeHyperagent.Config(FlavourSeed, 7))
	press := make([]float64, 5)
	focus, _ := pressure(&r.Best().Eval, r.posAvg, r.negAvg, press)
	if want := []float64{0.1358, 0.4913, 0.1414, 0.0714, 0.2079}; !slices.Equal(press, want) || focus != crSecurity {
		t.Errorf("seed pressure = %v focus %d, want %v focus 1", press, focus, want)
	}
	ev, err := r.Step(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	c := r.Archive().At(ev.Child)
	if want := []float64{0.915, 0.905, 0.905, 0.733, 0.801}; !slices.Equal(c.Agent.Task.Weights, want) {
		t.Errorf("agent-001 weights = %v, want %v", c.Agent.Task.Weights, want)
	}
	if c.Agent.Task.Threshold != 2.98 || c.Agent.Task.ReviewStyle != StyleLenient {
		t.Errorf("agent-001 threshold %v %s, want 2.98 lenient", c.Agent.Task.Threshold, c.Agent.Task.ReviewStyle)
	}
	m := c.Agent.Meta
	if m.WeightStep != 0.115 || m.ThresholdStep != 0.075 || m.ExplorationScale != 0.16 {
		t.Errorf("agent-001 meta ws/ts/ex = %v/%v/%v, want 0.115/0.075/0.16", m.WeightStep, m.ThresholdStep, m.ExplorationScale)
	}
	if ev.Delta != 0.15 || c.Eval.TrainAccuracy != 0.8 || c.Eval.TestAccuracy != 0.9 || c.Eval.FalsePos != 3 || c.Eval.FalseNeg != 1 {
		t.Errorf("agent-001 delta %v eval %v/%v %d FP %d FN, want 0.15 0.8/0.9 3 FP 1 FN",
			ev.Delta, c.Eval.TrainAccuracy, c.Eval.TestAccuracy, c.Eval.FalsePos, c.Eval.FalseNeg)
	}
	_ = d
}

func TestSeedFirstParentsGolden(t *testing.T) {
	tests := []struct {
		seed uint64
		want []string
	}{
		{7, []string{"000", "000", "001", "000", "002", "002", "000", "004", "000", "004"}},
		{20, []string{"000", "001", "002", "003", "001", "003", "006", "007", "005", "001"}},
	}
	for _, tt := range tests {
		r := newRun(t, ModeHyperagent.Config(FlavourSeed, tt.seed))
		var got []string
		for range 10 {
			ev, err := r.Step(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			got = append(got, ev.ParentID[len("agent-"):])
		}
		if !slices.Equal(got, tt.want) {
			t.Errorf("seed %d parents = %v, want %v", tt.seed, got, tt.want)
		}
	}
}

// TestSeedCSVMatchesPublished runs the seed's 3 × 5 × 40 experiment and compares the CSV with the
// seed's published raw_metrics.csv byte for byte.
func TestSeedCSVMatchesPublished(t *testing.T) {
	want := readShared(t, "raw_metrics.csv")
	rows, err := RunExperiment(context.Background(), ExperimentConfig{
		Flavour: FlavourSeed, Conditions: ModeConditions(Modes...), Seeds: DefaultSeeds(5), Iterations: 40,
	}, codeReview(t))
	if err != nil {
		t.Fatal(err)
	}
	var got bytes.Buffer
	if err := WriteCSV(&got, rows); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got.Bytes(), want) {
		gl, wl := bytes.Split(got.Bytes(), []byte("\n")), bytes.Split(want, []byte("\n"))
		for i := range min(len(gl), len(wl)) {
			if !bytes.Equal(gl[i], wl[i]) {
				t.Fatalf("line %d differs:\n got %s\nwant %s", i+1, gl[i], wl[i])
			}
		}
		t.Fatalf("got %d lines, want %d", len(gl), len(wl))
	}
}

func TestDatasetMatchesShared(t *testing.T) {
	if want := readShared(t, "dataset.csv"); !bytes.Equal(codeReviewCSV, want) {
		t.Error("engine/data/code_review.csv differs from the seed's dataset.csv")
	}
}
