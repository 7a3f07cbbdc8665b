package engine

import (
	"context"
	"math"
	"reflect"
	"strconv"
	"strings"
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
	// What is shown decides: a move below the fourth decimal is not a change, a sign of zero is.
	c = p
	c.Task.Weights = append([]float64(nil), p.Task.Weights...)
	c.Task.Weights[0] += 1e-7
	c.Task.Threshold = math.Copysign(0, -1)
	p.Task.Threshold = 0
	c.Meta.Memory = []string{"a", "b"}
	p.Meta.Memory = []string{"a | b"}
	if got := Diff(&p, &c, d); len(got) != 1 || got[0].Field != "threshold" || got[0].From != "0.0000" || got[0].To != "-0.0000" {
		t.Errorf("Diff = %+v, want only the threshold's sign", got)
	}
}

// TestDiffSkipsOnlyEqualValues checks Diff against the plain rule it implements (format every
// value, list those shown differently) on every edge of runs on four domains.
func TestDiffSkipsOnlyEqualValues(t *testing.T) {
	plain := func(parent, child *Agent, d Domain) []Change {
		var out []Change
		num := func(v float64) string { return strconv.FormatFloat(v, 'f', 4, 64) }
		add := func(part, field, from, to string) {
			if from != to {
				out = append(out, Change{Part: part, Field: field, From: from, To: to})
			}
		}
		shape, features := d.Info().Shape, d.Features()
		for i := range min(len(parent.Task.Weights), len(child.Task.Weights)) {
			add("task", ParamName(shape, features, i), num(parent.Task.Weights[i]), num(child.Task.Weights[i]))
		}
		if shape.Task != TaskMulticlass && shape.Task != TaskControl {
			add("task", "threshold", num(parent.Task.Threshold), num(child.Task.Threshold))
		}
		for i := range min(len(parent.Task.Biases), len(child.Task.Biases)) {
			add("task", ParamName(shape, features, shape.Weights()+i), num(parent.Task.Biases[i]), num(child.Task.Biases[i]))
		}
		add("task", "review style", string(parent.Task.ReviewStyle), string(child.Task.ReviewStyle))
		if parent.Meta.Adaptive() || child.Meta.Adaptive() {
			for k, spec := range Knobs {
				add("meta", spec.Name, num(parent.Meta.Knobs[k]), num(child.Meta.Knobs[k]))
			}
		} else {
			name := func(i int) string {
				if i >= 0 && i < len(features) {
					return features[i]
				}
				return strconv.Itoa(i)
			}
			add("meta", "focus", name(parent.Meta.Focus), name(child.Meta.Focus))
			add("meta", "weight step", num(parent.Meta.WeightStep), num(child.Meta.WeightStep))
			add("meta", "threshold step", num(parent.Meta.ThresholdStep), num(child.Meta.ThresholdStep))
			add("meta", "exploration scale", num(parent.Meta.ExplorationScale), num(child.Meta.ExplorationScale))
		}
		add("meta", "memory", strings.Join(parent.Meta.Memory, " | "), strings.Join(child.Meta.Memory, " | "))
		return out
	}
	for _, name := range []string{CodeReviewName, "wine", "digits", "maze"} {
		r, d := evolvedRun(t, name, 3, 300)
		a := r.Archive()
		changes := 0
		for i := 1; i < a.Len(); i++ {
			e := a.At(i)
			pi, _ := a.Index(e.Agent.ParentID)
			got, want := Diff(&a.At(pi).Agent, &e.Agent, d), plain(&a.At(pi).Agent, &e.Agent, d)
			if !reflect.DeepEqual(got, want) {
				t.Fatalf("%s, agent %d: Diff = %+v, want %+v", name, i, got, want)
			}
			changes += len(got)
		}
		if changes == 0 {
			t.Errorf("%s: no edge changed anything", name)
		}
	}
}
