package engine

import (
	"bytes"
	"context"
	"crypto/sha256"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// adaptiveDomains are the domains the adaptive flavour is tested on.
var adaptiveDomains = []string{"wine", "breast_cancer", "digits", "digits10", "hidden:7", "maze"}

// lookup returns a domain or fails the test.
func lookup(t testing.TB, name string) Domain {
	t.Helper()
	d, err := LookupDomain(name)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// adaptive is the configuration of an adaptive run.
func adaptive(meta MetaMode, sel Selection, seed uint64) Config {
	return Config{Flavour: FlavourAdaptive, Meta: meta, Selection: sel, Seed: seed}
}

// adaptiveLine writes everything an adaptive iteration produced. With withTest false it leaves out
// every test number, so two runs that differ only in their test split must give the same lines.
func adaptiveLine(r *Run, ev Event, withTest bool) string {
	c := r.Archive().At(ev.Child)
	var b strings.Builder
	fmt.Fprintf(&b, "%d %s>%s d=%s w=", ev.Iteration, ev.ParentID, ev.ChildID, g(ev.Delta))
	for _, w := range c.Agent.Task.Weights {
		b.WriteString(g(w) + ",")
	}
	fmt.Fprintf(&b, " t=%s b=%v k=%v mem=%q lin=%q", g(c.Agent.Task.Threshold), c.Agent.Task.Biases, c.Agent.Meta.Knobs, c.Agent.Meta.Memory, c.Agent.Lineage)
	fmt.Fprintf(&b, " fit=%s val=%s fp=%d fn=%d %q", g(c.Eval.Fitness), g(c.Eval.ValAccuracy), c.Eval.FalsePos, c.Eval.FalseNeg, c.Eval.Summary)
	p := ev.Progress
	fmt.Fprintf(&b, " best=%s/%s n=%d", g(p.BestFitness), g(p.BestVal), p.ArchiveSize)
	if withTest {
		fmt.Fprintf(&b, " test=%s/%s", g(c.Eval.TestAccuracy), g(p.BestTestAccuracy))
	}
	return b.String()
}

// adaptiveStream runs cfg on d for n iterations and returns the first show lines (shortened) and
// a SHA-256 of all n full lines.
func adaptiveStream(t testing.TB, cfg Config, d Domain, n, show int, withTest bool) ([]string, string) {
	t.Helper()
	lines, with, without := adaptiveStreams(t, cfg, d, n, show)
	if withTest {
		return lines, with
	}
	return lines, without
}

// adaptiveStreams is adaptiveStream with and without the test numbers, from one run.
func adaptiveStreams(t testing.TB, cfg Config, d Domain, n, show int) (lines []string, with, without string) {
	t.Helper()
	r, err := New(cfg, d)
	if err != nil {
		t.Fatal(err)
	}
	h, h0 := sha256.New(), sha256.New()
	for i := range n {
		ev, err := r.Step(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		l := adaptiveLine(r, ev, true)
		fmt.Fprintln(h, l)
		fmt.Fprintln(h0, adaptiveLine(r, ev, false))
		if i < show {
			if len(l) > 600 {
				l = l[:600] + "…"
			}
			lines = append(lines, l)
		}
	}
	return lines, fmt.Sprintf("%x", h.Sum(nil)), fmt.Sprintf("%x", h0.Sum(nil))
}

// TestGoldenAdaptiveStream compares every adaptive domain under several conditions with
// testdata/adaptive.golden. It runs natively and under GOOS=js GOARCH=wasm (make test-wasm), so
// both must produce the identical stream, bit for bit: the domains' arithmetic (exact integer
// scores, portable exp and log, the maze's simulation) must not depend on the platform. Rewrite
// with: go test ./engine -run GoldenAdaptiveStream -update
func TestGoldenAdaptiveStream(t *testing.T) {
	var out bytes.Buffer
	conds := []Config{
		adaptive(MetaEvolve, SelectDGM, 7), adaptive(MetaFrozen, SelectSeed, 7), adaptive(MetaTuned, SelectDGMCode, 11),
		adaptive(MetaEvolve, SelectUniform, 13), adaptive(MetaEvolve, SelectLatest, 17), adaptive(MetaEvolve, SelectBest, 19),
	}
	for _, name := range adaptiveDomains {
		d := lookup(t, name)
		for _, cfg := range conds {
			n := 400
			if name == "maze" || name == "digits10" {
				n = 150
			}
			lines, sum := adaptiveStream(t, cfg, d, n, 3, true)
			fmt.Fprintf(&out, "# %s %s seed %d: sha256 of %d events %s\n", name, cfg.ConditionName(), cfg.Seed, n, sum)
			for _, l := range lines {
				fmt.Fprintln(&out, l)
			}
		}
	}
	path := filepath.Join("testdata", "adaptive.golden")
	if *update {
		if err := os.WriteFile(path, out.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (create it with -update)", err)
	}
	if !bytes.Equal(out.Bytes(), want) {
		gl, wl := strings.Split(out.String(), "\n"), strings.Split(string(want), "\n")
		for i := range min(len(gl), len(wl)) {
			if gl[i] != wl[i] {
				t.Fatalf("adaptive stream differs from %s at line %d:\n got %.300s\nwant %.300s", path, i+1, gl[i], wl[i])
			}
		}
		t.Fatalf("adaptive stream has %d lines, golden %d", len(gl), len(wl))
	}
}

// swappedTest is a labelled domain whose test split is replaced.
type swappedTest struct {
	Labelled
	test []Example
}

func (s swappedTest) Test() []Example { return s.test }

// TestTestSplitIsNeverUsed runs every domain twice under every selection and meta mode: once as
// it is, once with its test split changed (labels flipped, or the maze's test starts moved). Every
// parent, child, train and validation number must be the same; only test numbers may differ. So
// the test split is never used for selection, by the operator or to choose the reported agent.
func TestTestSplitIsNeverUsed(t *testing.T) {
	t.Parallel()
	for _, name := range adaptiveDomains {
		d := lookup(t, name)
		var other Domain
		switch dd := d.(type) {
		case *Maze:
			m := *dd
			m.starts[2] = slices.Clone(dd.starts[2])
			for i := range m.starts[2] {
				m.starts[2][i].At.X += 20
				m.starts[2][i].Heading += 1
			}
			other = &m
		case Labelled:
			test := slices.Clone(dd.Test())
			for i := range test {
				test[i].Label = (test[i].Label + 1) % len(dd.Classes())
			}
			other = swappedTest{dd, test}
		}
		differs := 0
		for _, meta := range MetaModes {
			for _, sel := range Selections {
				cfg := adaptive(meta, sel, 5)
				n := 120
				if name == "maze" || name == "digits10" {
					n = 40
				}
				_, aT, a := adaptiveStreams(t, cfg, d, n, 0)
				_, bT, b := adaptiveStreams(t, cfg, other, n, 0)
				if a != b {
					t.Errorf("%s %s: changing the test split changed the run", name, cfg.ConditionName())
				}
				if aT != bT {
					differs++
				}
			}
		}
		if differs == 0 {
			t.Errorf("%s: changing the test split changed no test number in any run (the check would be vacuous)", name)
		}
	}
}

// TestAdaptiveResume checks that a run resumed from its archive and state continues exactly as the
// original, for every domain and selection.
func TestAdaptiveResume(t *testing.T) {
	t.Parallel()
	for _, name := range adaptiveDomains {
		d := lookup(t, name)
		for i, sel := range Selections {
			cfg := adaptive(MetaModes[i%len(MetaModes)], sel, 21)
			n, cut := 90, 37
			if name == "maze" || name == "digits10" {
				n, cut = 30, 11
			}
			whole, err := New(cfg, d)
			if err != nil {
				t.Fatal(err)
			}
			if err := whole.RunN(context.Background(), n, nil); err != nil {
				t.Fatal(err)
			}
			part, err := New(cfg, d)
			if err != nil {
				t.Fatal(err)
			}
			if err := part.RunN(context.Background(), cut, nil); err != nil {
				t.Fatal(err)
			}
			state, err := part.State()
			if err != nil {
				t.Fatal(err)
			}
			entries := part.Archive().Entries()
			for k := range entries {
				entries[k].Eval.Scores = nil
			}
			resumed, err := Resume(cfg, d, entries, state)
			if err != nil {
				t.Fatalf("%s %s: resume: %v", name, cfg.ConditionName(), err)
			}
			if err := resumed.RunN(context.Background(), n-cut, nil); err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(whole.Hashes(), resumed.Hashes()) {
				t.Errorf("%s %s: resumed at %d differs from the whole run", name, cfg.ConditionName(), cut)
			}
		}
	}
}

// TestAdaptiveResumeRefusesTampering checks Resume re-evaluates adaptive agents and refuses edited
// numbers, off-grid weights and knobs outside their bounds.
func TestAdaptiveResumeRefusesTampering(t *testing.T) {
	d := lookup(t, "wine")
	cfg := adaptive(MetaEvolve, SelectDGM, 3)
	r, err := New(cfg, d)
	if err != nil {
		t.Fatal(err)
	}
	if err := r.RunN(context.Background(), 20, nil); err != nil {
		t.Fatal(err)
	}
	state, _ := r.State()
	for _, tt := range []struct {
		name string
		edit func(e *Entry)
	}{
		{"validation accuracy", func(e *Entry) { e.Eval.ValAccuracy += 0.01 }},
		{"test accuracy", func(e *Entry) { e.Eval.TestAccuracy = 1 }},
		{"off-grid weight", func(e *Entry) {
			e.Agent.Task.Weights = slices.Clone(e.Agent.Task.Weights)
			e.Agent.Task.Weights[0] += ParamGrid / 3
		}},
		{"knob out of bounds", func(e *Entry) { e.Agent.Meta.Knobs[KnobSigma] = 5 }},
		{"bias count", func(e *Entry) { e.Agent.Task.Biases = e.Agent.Task.Biases[:1] }},
	} {
		entries := r.Archive().Entries()
		tt.edit(&entries[12])
		if _, err := Resume(cfg, d, entries, state); err == nil {
			t.Errorf("%s: resume accepted a tampered entry", tt.name)
		}
	}
}

// TestFrozenAndTunedMetaStayFixed checks the meta axis: frozen children carry the initial knobs,
// tuned ones the domain's tuned knobs, and evolving ones drift.
func TestFrozenAndTunedMetaStayFixed(t *testing.T) {
	d := lookup(t, "breast_cancer")
	tuned, how := Tuned(d)
	if how == "" {
		t.Error("tuned knobs without a note on how they were chosen")
	}
	for _, tt := range []struct {
		meta MetaMode
		want KnobValues
	}{{MetaFrozen, InitialKnobs}, {MetaTuned, tuned}} {
		r, _ := New(adaptive(tt.meta, SelectDGM, 4), d)
		r.RunN(context.Background(), 200, nil)
		for i := 1; i < r.Archive().Len(); i++ {
			if k := r.Archive().At(i).Agent.Meta.Knobs; k != tt.want {
				t.Fatalf("%s: agent %d has knobs %v, want %v", tt.meta, i, k, tt.want)
			}
		}
	}
	r, _ := New(adaptive(MetaEvolve, SelectDGM, 4), d)
	r.RunN(context.Background(), 200, nil)
	distinct := map[KnobValues]bool{}
	for _, e := range r.Archive().Entries() {
		if err := checkKnobs(&e.Agent.Meta.Knobs); err != nil {
			t.Fatal(err)
		}
		distinct[e.Agent.Meta.Knobs] = true
	}
	if len(distinct) < 10 {
		t.Errorf("evolving meta: only %d distinct knob settings in 200 children", len(distinct))
	}
}
