package engine

import (
	"context"
	"reflect"
	"testing"
)

func TestEventAtRebuildsEveryStep(t *testing.T) {
	for _, f := range []Flavour{FlavourStandard, FlavourSeed} {
		for _, m := range Modes {
			r := newRun(t, m.Config(f, 11))
			var events []Event
			if err := r.RunN(context.Background(), 60, func(e Event) { events = append(events, e) }); err != nil {
				t.Fatal(err)
			}
			for _, want := range events {
				if got := r.EventAt(want.Iteration); !reflect.DeepEqual(got, want) {
					t.Fatalf("%v/%v iteration %d:\n got %+v\nwant %+v", f, m, want.Iteration, got, want)
				}
			}
		}
	}
}

func TestArchiveIndexAndAncestors(t *testing.T) {
	r := newRun(t, ModeHyperagent.Config(FlavourStandard, 3))
	if err := r.RunN(context.Background(), 40, nil); err != nil {
		t.Fatal(err)
	}
	a := r.Archive()
	for _, bad := range []string{"", "agent-", "agent-x", "agent-41", "agent-7 ", "agent-0007", "bob-001"} {
		if i, ok := a.Index(bad); ok {
			t.Errorf("Index(%q) = %d, want not found", bad, i)
		}
	}
	for i := range a.Len() {
		if got, ok := a.Index(a.At(i).Agent.ID); !ok || got != i {
			t.Fatalf("Index(%q) = %d, %v", a.At(i).Agent.ID, got, ok)
		}
		chain := a.Ancestors(i)
		if chain[0] != i || chain[len(chain)-1] != 0 {
			t.Fatalf("Ancestors(%d) = %v: must run from %d to the seed", i, chain, i)
		}
		for k := 1; k < len(chain); k++ {
			if a.At(chain[k-1]).Agent.ParentID != a.At(chain[k]).Agent.ID {
				t.Fatalf("Ancestors(%d) = %v: %d is not the parent of %d", i, chain, chain[k], chain[k-1])
			}
		}
		if g := a.At(i).Agent.Generation; len(chain) != g+1 {
			t.Fatalf("agent %d: generation %d but chain of %d", i, g, len(chain))
		}
	}
}

func TestDiff(t *testing.T) {
	d, err := NewCodeReview()
	if err != nil {
		t.Fatal(err)
	}
	p := d.Seed()
	c := p
	c.Task.Weights = append([]float64(nil), p.Task.Weights...)
	c.Task.Weights[1] += 0.05
	c.Meta.ExplorationScale += 0.01
	c.Meta.Memory = []string{"note"}
	got := Diff(&p, &c, d)
	if len(got) != 3 {
		t.Fatalf("Diff = %+v, want 3 changes", got)
	}
	if got[0].Part != "task" || got[0].Field != "weight "+d.Features()[1] {
		t.Errorf("first change %+v, want the task weight of %s", got[0], d.Features()[1])
	}
	if got[1].Part != "meta" || got[1].Field != "exploration scale" || got[2].Field != "memory" || got[2].To != "note" {
		t.Errorf("meta changes %+v", got[1:])
	}
	if len(Diff(&p, &p, d)) != 0 {
		t.Error("an agent differs from itself")
	}
}
