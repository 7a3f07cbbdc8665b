package store

import (
	"context"
	"encoding/json"
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
		for !p.Done() {
			if err := p.Step(); err != nil {
				t.Fatal(err)
			}
		}
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

// TestAdaptiveAgentJSONMatchesEncodingJSON checks the hand-written JSON of adaptive agents against
// encoding/json of the same values as maps: one output, several outputs with biases, a controller.
func TestAdaptiveAgentJSONMatchesEncodingJSON(t *testing.T) {
	for _, name := range []string{"digits", "wine", "maze"} {
		r := adaptiveRun(t, name, engine.SelectDGM, engine.MetaEvolve, 15)
		d := r.Domain()
		shape, feats := d.Info().Shape, d.Features()
		enc := newAgentEncoder(d)
		for _, e := range r.Archive().Entries() {
			a := &e.Agent
			byFeat := func(w []float64) map[string]float64 {
				m := map[string]float64{}
				for i, f := range feats {
					m[f] = w[i]
				}
				return m
			}
			task := map[string]any{}
			if len(shape.Outputs) == 1 {
				task["weights"] = byFeat(a.Task.Weights)
			} else {
				rows := map[string]any{}
				for o, out := range shape.Outputs {
					rows[out] = byFeat(a.Task.Weights[o*len(feats) : (o+1)*len(feats)])
				}
				task["weights"] = rows
			}
			switch shape.Task {
			case engine.TaskBinary:
				task["threshold"] = a.Task.Threshold
			case engine.TaskMulticlass:
				b := map[string]float64{}
				for o, out := range shape.Outputs {
					b[out] = a.Task.Biases[o]
				}
				task["biases"] = b
			}
			type metaJSON struct {
				Sigma     float64  `json:"sigma"`
				SigmaB    float64  `json:"sigma_b"`
				PMut      float64  `json:"p_mut"`
				Eta       float64  `json:"eta"`
				EditRate  float64  `json:"edit_rate"`
				EditScale float64  `json:"edit_scale"`
				Memory    []string `json:"memory"`
			}
			k := a.Meta.Knobs
			meta := metaJSON{k[0], k[1], k[2], k[3], k[4], k[5], nonNil(a.Meta.Memory)}
			for col, v := range []any{task, meta, nonNil(a.Lineage), map[string]float64{}, map[string]float64{}} {
				want, _ := json.Marshal(v)
				if got := enc.append(nil, col, &e); string(got) != string(want) {
					t.Fatalf("%s %s column %d:\n got %s\nwant %s", name, a.ID, col, got, want)
				}
			}
			var back engine.Entry
			cols := make([]string, 5)
			for col := range cols {
				cols[col] = string(enc.append(nil, col, &e))
			}
			if err := decodeAgent(&back, d, cols[0], cols[1], cols[2], cols[3], cols[4]); err != nil {
				t.Fatalf("%s %s: decode: %v", name, a.ID, err)
			}
			if !slices.Equal(back.Agent.Task.Weights, a.Task.Weights) || !slices.Equal(back.Agent.Task.Biases, a.Task.Biases) ||
				back.Agent.Task.Threshold != a.Task.Threshold || back.Agent.Meta.Knobs != a.Meta.Knobs {
				t.Fatalf("%s %s: decoded agent differs", name, a.ID)
			}
		}
	}
}
