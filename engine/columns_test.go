package engine

import (
	"context"
	"reflect"
	"testing"
)

// TestRunsShareColumns checks that runs on one domain value share its examples laid out by
// column, made once, and that sharing changes no result: interleaved runs on one value give,
// agent for agent, what the same runs give each on a value of its own.
func TestRunsShareColumns(t *testing.T) {
	for name, build := range map[string]func(uint64) (Labelled, error){"wine": NewWine, "breast_cancer": NewBreastCancer, "digits": NewDigits} {
		shared, err := LookupDomain(name)
		if err != nil {
			t.Fatal(err)
		}
		l := shared.(Labelled)
		if columnsOf(l) != columnsOf(l) {
			t.Errorf("%s: the columns are made again for every run", name)
		}
		cfg := func(seed uint64) Config {
			return Config{Flavour: FlavourAdaptive, Selection: shared.Info().Selection, Seed: seed}
		}
		var together [2]*Run
		for i := range together {
			if together[i], err = New(cfg(uint64(7+i)), shared); err != nil {
				t.Fatal(err)
			}
		}
		for range 20 {
			for _, r := range together {
				if err := r.RunN(context.Background(), 5, nil); err != nil {
					t.Fatal(err)
				}
			}
		}
		for i, r := range together {
			own, err := build(DefaultSplitSeed)
			if err != nil {
				t.Fatal(err)
			}
			alone, err := New(cfg(uint64(7+i)), own)
			if err != nil {
				t.Fatal(err)
			}
			if err := alone.RunN(context.Background(), 100, nil); err != nil {
				t.Fatal(err)
			}
			a, b := r.Archive(), alone.Archive()
			if a.Len() != b.Len() {
				t.Fatalf("%s seed %d: %d agents shared, %d alone", name, 7+i, a.Len(), b.Len())
			}
			for j := range a.Len() {
				x, y := a.At(j), b.At(j)
				if x.Agent.ID != y.Agent.ID || !reflect.DeepEqual(x.Eval, y.Eval) {
					t.Fatalf("%s seed %d, agent %d: shared %+v, alone %+v", name, 7+i, j, x.Eval, y.Eval)
				}
			}
		}
	}
}

// TestSharedDatasets checks which domains LookupDomain shares: the shipped tables with their
// default split are one value per process; another split is a new value each time, equal to the
// last.
func TestSharedDatasets(t *testing.T) {
	for _, name := range []string{"wine", "breast_cancer", "digits", "digits10"} {
		a, err := LookupDomain(name)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := LookupDomain(name)
		if a != b {
			t.Errorf("%s: two values for the default split", name)
		}
		c, _ := LookupDomain(name + "@3")
		d, _ := LookupDomain(name + "@3")
		if c == d || c == a {
			t.Errorf("%s@3: shared (%v, %v)", name, c == d, c == a)
		}
		if !reflect.DeepEqual(c.(Labelled).Test(), d.(Labelled).Test()) || reflect.DeepEqual(c.(Labelled).Test(), a.(Labelled).Test()) {
			t.Errorf("%s@3: the split is not the same each time, or not another split", name)
		}
	}
}
