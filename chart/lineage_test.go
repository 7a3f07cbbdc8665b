package chart

import (
	"context"
	"strings"
	"testing"

	"hyperagents/engine"
)

func lineageRun(t testing.TB, n int) *engine.Run {
	t.Helper()
	d, err := engine.LookupDomain("wine")
	if err != nil {
		t.Fatal(err)
	}
	r, err := engine.New(engine.Config{Flavour: engine.FlavourAdaptive, Meta: engine.MetaEvolve, Selection: engine.SelectDGM, Seed: 2}, d)
	if err != nil {
		t.Fatal(err)
	}
	if err := r.RunN(context.Background(), n, nil); err != nil {
		t.Fatal(err)
	}
	return r
}

// TestLayoutTree: a budget smaller than the archive keeps a connected tree holding the path to
// the best agent, accounts for every agent (drawn or hidden below a drawn one), and keeps the
// biggest branches; a budget as large as the archive draws everything.
func TestLayoutTree(t *testing.T) {
	r := lineageRun(t, 600)
	a := r.Archive()
	best := a.Best()
	tr := LayoutTree(a, 0, 100, best)
	if len(tr.Nodes) != 100 || tr.Total != a.Len() {
		t.Fatalf("%d nodes of %d", len(tr.Nodes), tr.Total)
	}
	hidden := 0
	for k, n := range tr.Nodes {
		hidden += n.Hidden
		if k > 0 {
			p := tr.Nodes[n.Parent]
			if pi, _ := a.Index(a.At(n.Index).Agent.ParentID); pi != p.Index || n.Parent >= k {
				t.Fatalf("node %d (agent %d) hangs under agent %d, its parent is %d", k, n.Index, p.Index, pi)
			}
		}
		if n.X < 0 || n.X > treeSize || n.Y < 0 || n.Y > treeSize {
			t.Errorf("node %d at (%v, %v), outside the drawing", k, n.X, n.Y)
		}
	}
	if hidden != tr.Hidden || tr.Hidden != a.Len()-100 {
		t.Errorf("hidden %d (sum %d), want %d", tr.Hidden, hidden, a.Len()-100)
	}
	for _, i := range a.Ancestors(best) {
		if _, ok := tr.Node(i); !ok {
			t.Errorf("ancestor %d of the best agent is not drawn", i)
		}
	}
	all := LayoutTree(a, 0, a.Len())
	if len(all.Nodes) != a.Len() || all.Hidden != 0 {
		t.Errorf("the whole tree: %d nodes, %d hidden", len(all.Nodes), all.Hidden)
	}
	// Re-rooting at a child of the root draws only its subtree.
	kid := tr.Nodes[tr.Nodes[0].Kids[0]].Index
	sub := LayoutTree(a, kid, 1_000_000)
	if sub.Root != kid || sub.Nodes[0].Index != kid || len(sub.Nodes) != sub.Total {
		t.Errorf("subtree of %d: root %d, %d nodes of %d", kid, sub.Nodes[0].Index, len(sub.Nodes), sub.Total)
	}
	svg := tr.SVG(TreeStyle{Path: a.Ancestors(best), Fit: func(i int) float64 { return a.At(i).Eval.Fitness },
		Label: func(i int) string { return a.At(i).Agent.ID }, Best: best})
	probs := engine.SelectionProbabilities(a, r.Config(), 300)
	over := tr.Overlay(probs)
	if n := strings.Count(svg, `class="ln`); n != 100 {
		t.Errorf("%d nodes drawn", n)
	}
	if n := strings.Count(svg, `class="path"`); n != len(a.Ancestors(best))-1 {
		t.Errorf("%d path edges, want %d", n, len(a.Ancestors(best))-1)
	}
	halos, veiled := 0, 0
	for _, n := range tr.Nodes {
		if n.Index < 300 && probs[n.Index] > 0 {
			halos++
		} else if n.Index >= 300 {
			veiled++
		}
	}
	if got := strings.Count(over, "<circle"); got != halos+veiled || halos == 0 || veiled == 0 {
		t.Errorf("overlay has %d circles, want %d halos and %d veiled agents", got, halos, veiled)
	}
}

// BenchmarkLineageTree is the layout and drawing of a 10,000-agent run's tree, and a scrub
// (probabilities at another iteration and the drawing again).
func BenchmarkLineageTree(b *testing.B) {
	r := lineageRun(b, 10_000)
	a := r.Archive()
	style := TreeStyle{Path: a.Ancestors(a.Best()), Fit: func(i int) float64 { return a.At(i).Eval.Fitness },
		Label: func(i int) string { return a.At(i).Agent.ID }, Best: a.Best()}
	b.Run("layout+draw", func(b *testing.B) {
		for b.Loop() {
			LayoutTree(a, 0, 400, a.Best(), a.Chosen()).SVG(style)
		}
	})
	tr := LayoutTree(a, 0, 400, a.Best(), a.Chosen())
	b.Run("scrub", func(b *testing.B) {
		for b.Loop() {
			tr.Overlay(engine.SelectionProbabilities(a, r.Config(), 5000))
		}
	})
}
