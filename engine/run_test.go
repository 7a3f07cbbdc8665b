package engine

import (
	"context"
	"errors"
	"go/build"
	"math"
	"reflect"
	"slices"
	"strings"
	"testing"
)

// checkInvariants verifies what must hold after every iteration of any run.
func checkInvariants(t *testing.T, r *Run, ev Event) {
	t.Helper()
	d := r.Domain()
	b := d.Bounds()
	a := r.Archive()
	c := a.At(ev.Child)
	if a.Len() != ev.Iteration+1 || ev.Child != ev.Iteration || c.Created != ev.Iteration {
		t.Fatalf("iteration %d: archive %d, child index %d, created %d", ev.Iteration, a.Len(), ev.Child, c.Created)
	}
	if err := c.Agent.Task.validate(len(d.Features()), b); err != nil {
		t.Fatalf("iteration %d: child policy: %v", ev.Iteration, err)
	}
	m := c.Agent.Meta
	in := func(v float64, r [2]float64) bool { return v >= r[0] && v <= r[1] }
	if !in(m.WeightStep, b.WeightStep) || !in(m.ThresholdStep, b.ThresholdStep) || !in(m.ExplorationScale, b.ExplorationScale) {
		t.Fatalf("iteration %d: meta out of bounds: %+v", ev.Iteration, m)
	}
	if len(m.Memory) > memoryLen || len(c.Agent.Lineage) > lineageLen {
		t.Fatalf("iteration %d: memory %d / lineage %d notes", ev.Iteration, len(m.Memory), len(c.Agent.Lineage))
	}
	for _, v := range []float64{c.Eval.Fitness, c.Eval.TestAccuracy} {
		if math.IsNaN(v) || v < 0 || v > 1 {
			t.Fatalf("iteration %d: accuracy %v", ev.Iteration, v)
		}
	}
	p := a.At(ev.Parent)
	if c.Agent.ParentID != p.Agent.ID || c.Agent.Generation != p.Agent.Generation+1 {
		t.Fatalf("iteration %d: lineage %s gen %d from %s gen %d", ev.Iteration, c.Agent.ParentID, c.Agent.Generation, p.Agent.ID, p.Agent.Generation)
	}
	// The best entry is the latest of maximal fitness (standard) or of maximal (fitness, test) (seed).
	best := a.Best()
	for i, e := range a.Entries() {
		bf, bt := a.At(best).Eval.Fitness, a.At(best).Eval.TestAccuracy
		better := e.Eval.Fitness > bf
		if r.Config().Flavour == FlavourSeed && e.Eval.Fitness == bf {
			better = e.Eval.TestAccuracy > bt || (e.Eval.TestAccuracy == bt && i > best)
		} else if e.Eval.Fitness == bf {
			better = i > best
		}
		if better {
			t.Fatalf("iteration %d: entry %d outranks best %d", ev.Iteration, i, best)
		}
	}
	if r.Config().Meta == MetaFrozen {
		seed := d.Seed().Meta
		if m.WeightStep != seed.WeightStep || m.ThresholdStep != seed.ThresholdStep || m.ExplorationScale != seed.ExplorationScale {
			t.Fatalf("iteration %d: baseline meta changed: %+v", ev.Iteration, m)
		}
		if r.Config().Flavour == FlavourStandard && !reflect.DeepEqual(m, seed) {
			t.Fatalf("iteration %d: standard baseline meta not frozen: %+v, want %+v", ev.Iteration, m, seed)
		}
	}
}

// FuzzRunInvariants runs short runs of every mode and flavour over arbitrary seeds and checks the
// invariants after every iteration.
func FuzzRunInvariants(f *testing.F) {
	f.Add(uint64(1), uint8(0))
	f.Add(uint64(7), uint8(4))
	f.Add(uint64(MaxSeed), uint8(5))
	f.Fuzz(func(t *testing.T, seed uint64, which uint8) {
		seed %= MaxSeed + 1
		cfg := Modes[int(which)%3].Config(Flavours[int(which/3)%2], seed)
		r := newRun(t, cfg)
		for range 60 {
			// The greedy parent must be the best entry before the step.
			bestBefore := r.Archive().Best()
			ev, err := r.Step(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			if cfg.Selection == SelectBest && ev.Parent != bestBefore {
				t.Fatalf("no_archive parent %d, best was %d", ev.Parent, bestBefore)
			}
			checkInvariants(t, r, ev)
		}
	})
}

func TestStandardBaselineFreezesFocus(t *testing.T) {
	r := newRun(t, ModeBaseline.Config(FlavourStandard, 3))
	if err := r.RunN(context.Background(), 200, nil); err != nil {
		t.Fatal(err)
	}
	seedFocus := r.Domain().Seed().Meta.Focus
	for _, e := range r.Archive().Entries() {
		if e.Agent.Meta.Focus != seedFocus {
			t.Fatalf("%s focus %d, want frozen %d", e.Agent.ID, e.Agent.Meta.Focus, seedFocus)
		}
	}
}

// TestStandardBestIgnoresTest checks flaw 2 is fixed: among entries of equal best fitness the
// standard best is the latest, whatever its test accuracy.
func TestStandardBestIgnoresTest(t *testing.T) {
	a := NewArchive(false)
	a.Add(&Entry{Eval: Evaluation{Fitness: 0.8, TestAccuracy: 0.9}})
	a.Add(&Entry{Eval: Evaluation{Fitness: 0.8, TestAccuracy: 0.5}})
	if a.Best() != 1 {
		t.Errorf("standard best = %d, want 1 (latest of equal fitness)", a.Best())
	}
	s := NewArchive(true)
	s.Add(&Entry{Eval: Evaluation{Fitness: 0.8, TestAccuracy: 0.9}})
	s.Add(&Entry{Eval: Evaluation{Fitness: 0.8, TestAccuracy: 0.5}})
	if s.Best() != 0 {
		t.Errorf("seed best = %d, want 0 (higher test accuracy)", s.Best())
	}
}

func TestConfigValidate(t *testing.T) {
	tests := []struct {
		name string
		c    Config
		ok   bool
	}{
		{"zero", Config{}, true},
		{"seed flavour", ModeNoArchive.Config(FlavourSeed, 5), true},
		{"bad meta", Config{Meta: 3}, false},
		{"bad selection", Config{Selection: 6}, false},
		{"bad flavour", Config{Flavour: 3}, false},
		{"seed flavour with dgm", Config{Flavour: FlavourSeed, Selection: SelectDGM}, false},
		{"seed flavour frozen × best", Config{Flavour: FlavourSeed, Meta: MetaFrozen, Selection: SelectBest}, false},
		{"standard tuned", Config{Meta: MetaTuned}, false},
		{"standard frozen × latest", Config{Meta: MetaFrozen, Selection: SelectLatest}, true},
		{"adaptive tuned × dgm_code", Config{Flavour: FlavourAdaptive, Meta: MetaTuned, Selection: SelectDGMCode}, true},
		{"seed too big", Config{Seed: MaxSeed + 1}, false},
	}
	for _, tt := range tests {
		err := tt.c.Validate()
		if (err == nil) != tt.ok || (err != nil && !errors.Is(err, ErrConfig)) {
			t.Errorf("%s: Validate() = %v, want ok=%v", tt.name, err, tt.ok)
		}
	}
}

func TestParseModeAndFlavour(t *testing.T) {
	for _, m := range Modes {
		if got, err := ParseMode(m.String()); err != nil || got != m {
			t.Errorf("ParseMode(%q) = %v, %v", m, got, err)
		}
	}
	if _, err := ParseMode("greedy"); err == nil {
		t.Error("ParseMode(greedy) succeeded")
	}
	if f, err := ParseFlavour("seed"); err != nil || f != FlavourSeed {
		t.Errorf("ParseFlavour(seed) = %v, %v", f, err)
	}
	if _, err := ParseFlavour("exact"); err == nil {
		t.Error("ParseFlavour(exact) succeeded")
	}
}

func TestStepHonoursContext(t *testing.T) {
	r := newRun(t, Config{})
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := r.Step(ctx); !errors.Is(err, context.Canceled) {
		t.Errorf("Step(cancelled) = %v, want context.Canceled", err)
	}
	if r.Iterations() != 0 {
		t.Errorf("cancelled step ran: %d iterations", r.Iterations())
	}
}

func TestExplainAgreesWithScore(t *testing.T) {
	d := codeReview(t)
	p := d.Seed().Task
	for _, x := range append(slices.Clone(d.Train()), d.Test()...) {
		b := x.Explain(&p)
		sum := 0.0
		for _, c := range b.Contributions {
			sum += c
		}
		for _, a := range b.Adjustments {
			sum += a.Value
		}
		if math.Abs(sum-b.Score) > 1e-12 || b.Accept != (b.Score >= p.Cutoff()) {
			t.Errorf("%s: parts sum to %v, score %v, accept %v", x.ID, sum, b.Score, b.Accept)
		}
	}
}

func TestParseCodeReviewCSVRejectsBadInput(t *testing.T) {
	header := "split,id,name,maintainability,security,test_coverage,documentation,simplicity,label\n"
	tests := []struct{ name, data string }{
		{"empty", ""},
		{"header only", header},
		{"wrong header", "a,b\n1,2\n"},
		{"not a number", header + "train,x,y,abc,0,0,0,0,1\ntest,x,y,0,0,0,0,0,1\n"},
		{"out of range", header + "train,x,y,1.5,0,0,0,0,1\ntest,x,y,0,0,0,0,0,1\n"},
		{"bad label", header + "train,x,y,0,0,0,0,0,2\ntest,x,y,0,0,0,0,0,1\n"},
		{"bad split", header + "dev,x,y,0,0,0,0,0,1\ntest,x,y,0,0,0,0,0,1\n"},
		{"no test", header + "train,x,y,0,0,0,0,0,1\n"},
	}
	for _, tt := range tests {
		if _, err := ParseCodeReviewCSV([]byte(tt.data)); err == nil {
			t.Errorf("%s: no error", tt.name)
		}
	}
}

// TestEngineImportsArePure keeps the engine free of the browser, the UI, SQLite and the clock.
func TestEngineImportsArePure(t *testing.T) {
	pkg, err := build.ImportDir(".", 0)
	if err != nil {
		t.Fatal(err)
	}
	for _, imp := range pkg.Imports {
		if slices.Contains([]string{"syscall/js", "time", "math/rand", "os"}, imp) || strings.Contains(imp, ".") {
			t.Errorf("engine imports %s", imp)
		}
	}
}
