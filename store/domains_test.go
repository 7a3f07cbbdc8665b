package store

import (
	"context"
	"slices"
	"testing"

	"hyperagents/engine"
)

// everyDomain is every adaptive domain family, with a short run length each.
var everyDomain = []struct {
	name string
	n    int
}{{"wine", 40}, {"breast_cancer", 40}, {"digits", 40}, {"digits10", 12}, {"hidden:5", 40}, {"maze", 12}, {"wine@3", 20}}

// adaptiveRun runs n iterations of an adaptive configuration on the named domain.
func adaptiveRun(t testing.TB, name string, sel engine.Selection, meta engine.MetaMode, n int) *engine.Run {
	t.Helper()
	d, err := engine.LookupDomain(name)
	if err != nil {
		t.Fatal(err)
	}
	r, err := engine.New(engine.Config{Flavour: engine.FlavourAdaptive, Meta: meta, Selection: sel, Seed: 9}, d)
	if err != nil {
		t.Fatal(err)
	}
	if err := r.RunN(context.Background(), n, nil); err != nil {
		t.Fatal(err)
	}
	return r
}

// TestEveryDomainTravels saves a run of every domain in two slices, exports it, imports it into
// another database, reopens it (every agent re-evaluated), continues it to the same end as an
// uninterrupted run, and replays it as verified.
func TestEveryDomainTravels(t *testing.T) {
	for i, dom := range everyDomain {
		sel := engine.Selections[i%len(engine.Selections)]
		meta := engine.MetaModes[i%len(engine.MetaModes)]
		half := adaptiveRun(t, dom.name, sel, meta, dom.n/2)
		db := newDB(t)
		if err := db.CreateRun("abcd0001", "first half", created, half); err != nil {
			t.Fatalf("%s: %v", dom.name, err)
		}
		if err := half.RunN(context.Background(), dom.n-dom.n/2, nil); err != nil {
			t.Fatal(err)
		}
		if _, err := db.Append("abcd0001", half); err != nil {
			t.Fatalf("%s: append: %v", dom.name, err)
		}
		data, err := db.Export("abcd0001")
		if err != nil {
			t.Fatal(err)
		}
		other := newDB(t)
		rep, err := other.Import(data)
		if err != nil || len(rep.Imported) != 1 {
			t.Fatalf("%s: import: %v %s", dom.name, err, rep)
		}
		ri := rep.Imported[0]
		if ri.Domain != half.Domain().Name() || ri.Config != half.Config() || ri.BestVal != half.Best().Eval.ValAccuracy {
			t.Errorf("%s: imported info %+v", dom.name, ri)
		}
		r, _, err := other.Open("abcd0001")
		if err != nil {
			t.Fatalf("%s: open: %v", dom.name, err)
		}
		whole := adaptiveRun(t, dom.name, sel, meta, dom.n+5)
		if err := r.RunN(context.Background(), 5, nil); err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(r.Hashes(), whole.Hashes()) {
			t.Errorf("%s: the reopened run continues differently", dom.name)
		}
		hashes, _ := other.Hashes("abcd0001")
		p, err := engine.NewReplay(ri.Config, r.Domain(), hashes)
		if err != nil {
			t.Fatal(err)
		}
		stepToEnd(t, p)
		if ok, at := p.Result(); !ok {
			t.Errorf("%s: replay differs at %d", dom.name, at)
		}
		csv, err := other.CSV("abcd0001")
		if err != nil || len(csv) == 0 {
			t.Errorf("%s: CSV: %v", dom.name, err)
		}
		ps, _ := other.Progress("abcd0001")
		for k, p := range ps {
			if p != r.ProgressAt(k) {
				t.Fatalf("%s: stored progress row %d %+v, run's %+v", dom.name, k, p, r.ProgressAt(k))
			}
		}
	}
}
