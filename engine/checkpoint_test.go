package engine

import (
	"context"
	"errors"
	"reflect"
	"testing"
)

// stored strips an entry to what a database keeps: the agent and the evaluation's numbers and
// summary, not its scores.
func stored(e Entry) Entry {
	e.Eval = Evaluation{
		Fitness: e.Eval.Fitness, TrainAccuracy: e.Eval.TrainAccuracy, TestAccuracy: e.Eval.TestAccuracy,
		FalsePos: e.Eval.FalsePos, FalseNeg: e.Eval.FalseNeg, FalsePosAvgs: e.Eval.FalsePosAvgs,
		FalseNegAvgs: e.Eval.FalseNegAvgs, Summary: e.Eval.Summary,
	}
	return e
}

func storedEntries(r *Run) []Entry {
	es := r.Archive().Entries()
	for i := range es {
		es[i] = stored(es[i])
	}
	return es
}

// TestResumeContinuesExactly interrupts runs of every flavour and mode at several points, resumes
// them from their saved entries and state, and checks the continuation equals the uninterrupted run.
func TestResumeContinuesExactly(t *testing.T) {
	ctx := context.Background()
	for _, f := range []Flavour{FlavourStandard, FlavourSeed} {
		for _, m := range Modes {
			cfg := m.Config(f, 20)
			full := newRun(t, cfg)
			if err := full.RunN(ctx, 120, nil); err != nil {
				t.Fatal(err)
			}
			want := full.Hashes()
			for _, cut := range []int{0, 1, 7, 50, 119} {
				part := newRun(t, cfg)
				if err := part.RunN(ctx, cut, nil); err != nil {
					t.Fatal(err)
				}
				state, err := part.State()
				if err != nil {
					t.Fatal(err)
				}
				r, err := Resume(cfg, part.Domain(), storedEntries(part), state)
				if err != nil {
					t.Fatalf("%v/%v cut %d: %v", f, m, cut, err)
				}
				if err := r.RunN(ctx, 120-cut, nil); err != nil {
					t.Fatal(err)
				}
				if got := r.Hashes(); !reflect.DeepEqual(got, want) {
					t.Fatalf("%v/%v resumed at %d: hashes differ from the uninterrupted run", f, m, cut)
				}
				if !reflect.DeepEqual(r.Progress(), full.Progress()) {
					t.Fatalf("%v/%v resumed at %d: progress rows differ", f, m, cut)
				}
			}
		}
	}
}

func TestResumeRejectsBadData(t *testing.T) {
	ctx := context.Background()
	cfg := ModeHyperagent.Config(FlavourStandard, 5)
	r := newRun(t, cfg)
	if err := r.RunN(ctx, 10, nil); err != nil {
		t.Fatal(err)
	}
	state, _ := r.State()
	seedState, _ := newRun(t, ModeHyperagent.Config(FlavourSeed, 5)).State()
	tests := map[string]struct {
		edit  func([]Entry) []Entry
		state []byte
	}{
		"no entries":           {func([]Entry) []Entry { return nil }, state},
		"garbage state":        {nil, []byte("hello world, not a state")},
		"short state":          {nil, state[:10]},
		"other flavour":        {nil, seedState},
		"missing last entry":   {func(e []Entry) []Entry { return e[:len(e)-1] }, state},
		"wrong id":             {func(e []Entry) []Entry { e[3].Agent.ID = "agent-777"; return e }, state},
		"future parent":        {func(e []Entry) []Entry { e[3].Agent.ParentID = "agent-009"; return e }, state},
		"weight out of bounds": {func(e []Entry) []Entry { e[4].Agent.Task.Weights = []float64{9, 1, 1, 1, 1}; return e }, state},
		"too few weights":      {func(e []Entry) []Entry { e[4].Agent.Task.Weights = []float64{1}; return e }, state},
		"lying accuracy":       {func(e []Entry) []Entry { e[5].Eval.TrainAccuracy += 0.05; e[5].Eval.Fitness += 0.05; return e }, state},
		"bad focus":            {func(e []Entry) []Entry { e[2].Agent.Meta.Focus = 99; return e }, state},
		"other seed agent":     {func(e []Entry) []Entry { e[0].Agent.Task.Threshold = 3; return e }, state},
		"unknown source":       {func(e []Entry) []Entry { e[6].Source = "magic"; return e }, state},
		"bad generation":       {func(e []Entry) []Entry { e[6].Agent.Generation = 40; return e }, state},
	}
	for name, tt := range tests {
		es := storedEntries(r)
		if tt.edit != nil {
			es = tt.edit(es)
		}
		if _, err := Resume(cfg, r.Domain(), es, tt.state); !errors.Is(err, ErrState) {
			t.Errorf("%s: err = %v, want ErrState", name, err)
		}
	}
}

func TestReplayFindsFirstDifference(t *testing.T) {
	ctx := context.Background()
	for _, f := range []Flavour{FlavourStandard, FlavourSeed} {
		cfg := ModeBaseline.Config(f, 33)
		r := newRun(t, cfg)
		if err := r.RunN(ctx, 40, nil); err != nil {
			t.Fatal(err)
		}
		hashes := r.Hashes()
		replay := func(want []Hash) (bool, int) {
			p, err := NewReplay(cfg, r.Domain(), want)
			if err != nil {
				t.Fatal(err)
			}
			for !p.Done() {
				if err := p.Step(); err != nil {
					t.Fatal(err)
				}
			}
			return p.Result()
		}
		if ok, at := replay(hashes); !ok || at != -1 {
			t.Errorf("%v: faithful replay: verified %v, first diff %d", f, ok, at)
		}
		bad := append([]Hash(nil), hashes...)
		bad[17][0] ^= 1
		if ok, at := replay(bad); ok || at != 17 {
			t.Errorf("%v: tampered hash at 17: verified %v, first diff %d", f, ok, at)
		}
		other := ModeBaseline.Config(f, 34)
		p, _ := NewReplay(other, r.Domain(), hashes)
		for !p.Done() {
			p.Step()
		}
		if ok, at := p.Result(); ok || at < 1 {
			t.Errorf("%v: another seed replays as verified %v, first diff %d", f, ok, at)
		}
	}
}

func TestHashString(t *testing.T) {
	r := newRun(t, Config{Seed: 1})
	h := r.Hashes()[0]
	back, ok := ParseHash(h.String())
	if !ok || back != h || len(h.String()) != 32 {
		t.Errorf("hash %s round-trips to %s, %v", h, back, ok)
	}
	for _, bad := range []string{"", "zz", h.String()[:30], h.String() + "00"} {
		if _, ok := ParseHash(bad); ok {
			t.Errorf("ParseHash(%q) accepted", bad)
		}
	}
}
