package engine

import (
	"context"
	"strings"
	"testing"
)

// TestTransferArms runs a small transfer and checks every arm: the transferred knobs are the
// source agent's, the initial arm's are the initial ones, the random-prior arm's differ by seed and
// lie in their bounds, imp@k is best − initial, and the run is reproducible.
func TestTransferArms(t *testing.T) {
	spec := TransferSpec{From: "wine", To: "hidden:3", K: 20, Seeds: 4, SourceIterations: 60, Pick: PickValidation}
	runs, err := RunTransfer(context.Background(), spec, 3)
	if err != nil {
		t.Fatal(err)
	}
	if len(runs) != 16 {
		t.Fatalf("%d runs", len(runs))
	}
	wine := lookup(t, "wine")
	for i, r := range runs {
		arm, si := TransferArms[i/4], i%4
		if r.Arm != arm || r.SeedIdx != si || r.Imp != r.Best-r.Initial {
			t.Fatalf("run %d: %+v", i, r)
		}
		if err := checkKnobs(&r.Knobs); err != nil {
			t.Errorf("%s seed %d: %v", arm, si, err)
		}
		switch arm {
		case ArmTransferred:
			src, _ := New(Config{Flavour: FlavourAdaptive, Meta: MetaEvolve, Selection: SelectDGM, Seed: 7 + 13*uint64(si)}, wine)
			src.RunN(context.Background(), 60, nil)
			if r.Knobs != src.Best().Agent.Meta.Knobs {
				t.Errorf("seed %d: transferred %v, the source's chosen agent has %v", si, r.Knobs, src.Best().Agent.Meta.Knobs)
			}
		case ArmInitial:
			if r.Knobs != InitialKnobs {
				t.Errorf("initial arm with knobs %v", r.Knobs)
			}
		case ArmRandomPrior:
			if si > 0 && r.Knobs == runs[i-1].Knobs {
				t.Error("the random prior drew the same meta policy for two seeds")
			}
		}
	}
	again, _ := RunTransfer(context.Background(), spec, 1)
	for i := range runs {
		if runs[i] != again[i] {
			t.Fatalf("run %d differs between two transfers with one and three workers", i)
		}
	}
	sum, err := TransferSummary(spec, runs)
	if err != nil {
		t.Fatal(err)
	}
	r := sum.Results[0]
	if r.Metric != "imp@20" || len(r.Conditions) != 4 || len(r.Comparisons) != 3 || r.Comparisons[0].A != ArmTransferred {
		t.Errorf("summary %+v", r)
	}
	claims := TransferClaims(sum)
	if len(claims) != 3 || !strings.Contains(claims[1], "random from the mutation prior") {
		t.Errorf("claims %q", claims)
	}
}

// TestPickGrowth checks the growth pick: the agent with children whose descendants improved most
// on its own fitness.
func TestPickGrowth(t *testing.T) {
	r, _ := New(adaptive(MetaEvolve, SelectDGM, 2), lookup(t, "breast_cancer"))
	r.RunN(context.Background(), 80, nil)
	e := PickAgent(r, PickGrowth)
	a := r.Archive()
	growth := func(i int) float64 {
		best := a.At(i).Eval.Fitness
		for j := i + 1; j < a.Len(); j++ {
			for _, anc := range a.Ancestors(j) {
				if anc == i {
					best = max(best, a.At(j).Eval.Fitness)
				}
			}
		}
		return best - a.At(i).Eval.Fitness
	}
	gi, _ := a.Index(e.Agent.ID)
	for i := range a.Len() {
		if a.Children(i) > 0 && growth(i) > growth(gi) {
			t.Fatalf("agent %d grew %v, more than the picked %s's %v", i, growth(i), e.Agent.ID, growth(gi))
		}
	}
	if growth(gi) <= 0 {
		t.Errorf("picked agent with growth %v", growth(gi))
	}
}
