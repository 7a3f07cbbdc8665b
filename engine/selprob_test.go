package engine

import (
	"context"
	"math"
	"math/rand/v2"
	"testing"
)

// TestSelectionProbabilities checks the probabilities a lineage view shows against the selectors
// themselves: at several iterations of real runs, the actual parent had a positive probability
// (all of it for best and latest), the probabilities sum to 1, and 40,000 draws of a fresh
// selector on the archive as it was then land in proportion to them.
func TestSelectionProbabilities(t *testing.T) {
	cases := []struct {
		domain string
		cfg    Config
	}{
		{"digits", Config{Flavour: FlavourAdaptive, Meta: MetaEvolve, Selection: SelectDGM, Seed: 3}},
		{"wine", Config{Flavour: FlavourAdaptive, Meta: MetaEvolve, Selection: SelectDGMCode, Seed: 4}},
		{"maze", Config{Flavour: FlavourAdaptive, Meta: MetaEvolve, Selection: SelectSeed, Seed: 5}},
		{CodeReviewName, Config{Flavour: FlavourStandard, Meta: MetaEvolve, Selection: SelectSeed, Seed: 6}},
		{"wine", Config{Flavour: FlavourAdaptive, Meta: MetaEvolve, Selection: SelectUniform, Seed: 7}},
		{"wine", Config{Flavour: FlavourAdaptive, Meta: MetaEvolve, Selection: SelectBest, Seed: 8}},
		{CodeReviewName, Config{Flavour: FlavourSeed, Meta: MetaEvolve, Selection: SelectBest, Seed: 9}},
		{"wine", Config{Flavour: FlavourAdaptive, Meta: MetaEvolve, Selection: SelectLatest, Seed: 10}},
	}
	for _, c := range cases {
		d, err := LookupDomain(c.domain)
		if err != nil {
			t.Fatal(err)
		}
		r, err := New(c.cfg, d)
		if err != nil {
			t.Fatal(err)
		}
		if err := r.RunN(context.Background(), 150, nil); err != nil {
			t.Fatal(err)
		}
		a := r.Archive()
		name := c.domain + "/" + c.cfg.Selection.String() + "/" + c.cfg.Flavour.String()
		for it := 1; it <= a.Len(); it++ {
			p := SelectionProbabilities(a, c.cfg, it)
			sum := 0.0
			for _, v := range p {
				sum += v
			}
			if len(p) != it || math.Abs(sum-1) > 1e-9 {
				t.Fatalf("%s at %d: %d probabilities summing to %v", name, it, len(p), sum)
			}
			if it == a.Len() {
				break
			}
			parent, _ := a.Index(a.At(it).Agent.ParentID)
			if p[parent] <= 0 {
				t.Errorf("%s at %d: the parent drawn, %d, had probability %v", name, it, parent, p[parent])
			}
			if (c.cfg.Selection == SelectBest || c.cfg.Selection == SelectLatest) && p[parent] != 1 {
				t.Errorf("%s at %d: the parent drawn, %d, had probability %v, want 1", name, it, parent, p[parent])
			}
		}
		if c.cfg.Selection != SelectDGM && c.cfg.Selection != SelectDGMCode && c.cfg.Selection != SelectSeed {
			continue
		}
		for _, it := range []int{20, 90, 151} {
			past := NewArchive(c.cfg.Flavour == FlavourSeed)
			for i := range it {
				past.Add(a.At(i))
			}
			rng := rand.New(rand.NewPCG(11, uint64(it)))
			var sel Selector = &WeightedSelector{Floor: c.cfg.Flavour == FlavourAdaptive}
			if c.cfg.Selection != SelectSeed {
				sel = NewDGMSelector(rng, c.cfg.Selection == SelectDGMCode)
			}
			const n = 40_000
			counts := make([]int, it)
			for range n {
				counts[sel.Select(past, rng)]++
			}
			p := SelectionProbabilities(a, c.cfg, it)
			for i, want := range p {
				got := float64(counts[i]) / n
				if tol := 5*math.Sqrt(want*(1-want)/n) + 1e-3; math.Abs(got-want) > tol {
					t.Errorf("%s at %d: agent %d drawn %.4f of the time, probability %.4f", name, it, i, got, want)
				}
			}
		}
	}
}
