package chart

import (
	"container/heap"
	"fmt"
	"math"
	"strings"

	"hyperagents/engine"
)

// Tree is the lineage of an archive laid out for drawing: a connected part of the tree of agents
// (root = the chosen root, normally the initial agent) of at most a budget of nodes, drawn
// radially — the root at the centre, each generation one ring further out, leaves spread evenly
// around. When the subtree is larger than the budget, the nodes kept are those heading the
// largest subtrees (plus every ancestor of the agents that must show: the best and the chosen), so
// the big branches stay and small distant twigs fold into their parents, which say how many
// descendants they hide.
type Tree struct {
	Root    int
	Nodes   []TreeNode // Nodes[0] is the root; parents come before their children
	Total   int        // agents in the root's subtree
	Hidden  int        // of those, not drawn
	MaxGen  int        // deepest generation drawn, relative to the root
	indexOf map[int]int
}

// TreeNode is one drawn agent.
type TreeNode struct {
	Index    int // archive index
	Parent   int // index in Tree.Nodes, −1 for the root
	Kids     []int
	X, Y     float64
	Children int // in the archive
	Hidden   int // descendants not drawn below this node
}

// Size of the drawing (a square).
const treeSize = 760

// lineageTree holds an archive's parent links, children lists and subtree sizes.
type lineageTree struct {
	parent []int
	kids   [][]int
	size   []int
}

func newLineageTree(a *engine.Archive) *lineageTree {
	n := a.Len()
	t := &lineageTree{parent: make([]int, n), kids: make([][]int, n), size: make([]int, n)}
	for i := range n {
		t.parent[i] = -1
		if pi, ok := a.Index(a.At(i).Agent.ParentID); ok && pi < i {
			t.parent[i] = pi
			t.kids[pi] = append(t.kids[pi], i)
		}
	}
	for i := n - 1; i >= 0; i-- {
		t.size[i]++
		if p := t.parent[i]; p >= 0 {
			t.size[p] += t.size[i]
		}
	}
	return t
}

// bySize is a max-heap of archive indexes by subtree size (then the older first).
type bySize struct {
	idx  []int
	size []int
}

func (h bySize) Len() int { return len(h.idx) }
func (h bySize) Less(i, j int) bool {
	a, b := h.idx[i], h.idx[j]
	return h.size[a] > h.size[b] || h.size[a] == h.size[b] && a < b
}
func (h bySize) Swap(i, j int) { h.idx[i], h.idx[j] = h.idx[j], h.idx[i] }
func (h *bySize) Push(x any)   { h.idx = append(h.idx, x.(int)) }
func (h *bySize) Pop() any     { x := h.idx[len(h.idx)-1]; h.idx = h.idx[:len(h.idx)-1]; return x }

// LayoutTree lays out the subtree of archive entry root with at most budget nodes, keeping every
// ancestor (below root) of the entries in keep.
func LayoutTree(a *engine.Archive, root, budget int, keep ...int) *Tree {
	lt := newLineageTree(a)
	root = min(max(root, 0), a.Len()-1)
	budget = max(budget, 1)
	in := map[int]bool{root: true}
	for _, k := range keep {
		var chain []int
		for i := k; i >= 0 && i != root; i = lt.parent[i] {
			chain = append(chain, i)
		}
		if len(chain) > 0 && lt.parent[chain[len(chain)-1]] == root {
			for _, i := range chain {
				in[i] = true
			}
		}
	}
	h := &bySize{size: lt.size}
	push := func(i int) {
		for _, k := range lt.kids[i] {
			if !in[k] {
				heap.Push(h, k)
			}
		}
	}
	for i := range in {
		push(i)
	}
	for h.Len() > 0 && len(in) < budget {
		i := heap.Pop(h).(int)
		if in[i] {
			continue
		}
		in[i] = true
		push(i)
	}
	// Order: depth-first from the root, children by creation, so parents precede children.
	t := &Tree{Root: root, Total: lt.size[root], indexOf: map[int]int{}}
	var walk func(i, parent, gen int)
	walk = func(i, parent, gen int) {
		k := len(t.Nodes)
		t.indexOf[i] = k
		t.Nodes = append(t.Nodes, TreeNode{Index: i, Parent: parent, Children: len(lt.kids[i])})
		t.MaxGen = max(t.MaxGen, gen)
		if parent >= 0 {
			t.Nodes[parent].Kids = append(t.Nodes[parent].Kids, k)
		}
		for _, c := range lt.kids[i] {
			if in[c] {
				walk(c, k, gen+1)
			} else {
				t.Nodes[k].Hidden += lt.size[c]
			}
		}
	}
	walk(root, -1, 0)
	t.Hidden = t.Total - len(t.Nodes)
	t.place()
	return t
}

// place computes radial positions: generation → radius (√ of the depth), leaf order → angle.
func (t *Tree) place() {
	leaves := 0
	for _, n := range t.Nodes {
		if len(n.Kids) == 0 {
			leaves++
		}
	}
	c, r := float64(treeSize)/2, float64(treeSize)/2-20
	angle := make([]float64, len(t.Nodes))
	leaf := 0
	var visit func(k, gen int)
	visit = func(k, gen int) {
		n := &t.Nodes[k]
		if len(n.Kids) == 0 {
			angle[k] = 2 * math.Pi * (float64(leaf) + 0.5) / float64(max(1, leaves))
			leaf++
		} else {
			for _, kid := range n.Kids {
				visit(kid, gen+1)
			}
			angle[k] = (angle[n.Kids[0]] + angle[n.Kids[len(n.Kids)-1]]) / 2
		}
		// The square root spreads the inner rings, where a radial tree is crowded, and keeps
		// deep generations from running off the edge.
		rad := r * math.Sqrt(float64(gen)/float64(max(1, t.MaxGen)))
		n.X, n.Y = c+rad*math.Cos(angle[k]-math.Pi/2), c+rad*math.Sin(angle[k]-math.Pi/2)
	}
	visit(0, 0)
}

// Node returns the drawn node of archive entry i, if it is drawn.
func (t *Tree) Node(i int) (*TreeNode, bool) {
	k, ok := t.indexOf[i]
	if !ok {
		return nil, false
	}
	return &t.Nodes[k], true
}

// TreeStyle says what the drawing marks.
type TreeStyle struct {
	Path  []int // archive indexes whose edges to their parents are highlighted (the way to the best)
	Fit   func(i int) float64
	Label func(i int) string // the accessible name of entry i's node
	Edge  func(i int) string // what changed from entry i's parent to it (the edge's tooltip); nil for none
	Best  int
}

// SVG draws the tree: edges, then nodes coloured by fitness (light = low, dark = high), sized by
// their number of children, focusable (tabindex) with data-i holding the archive index. What
// changes with the scrubbed iteration is drawn apart, by [Tree.Overlay], so scrubbing redraws only
// that.
func (t *Tree) SVG(st TreeStyle) string {
	var b strings.Builder
	b.Grow(160 * len(t.Nodes))
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" id="lineage-svg" viewBox="0 0 %d %d" width="%d" height="%d" font-family="system-ui, sans-serif" font-size="11" role="group" aria-label="lineage tree">`,
		treeSize, treeSize, treeSize, treeSize)
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, n := range t.Nodes {
		f := st.Fit(n.Index)
		lo, hi = math.Min(lo, f), math.Max(hi, f)
	}
	onPath := map[int]bool{}
	for _, i := range st.Path {
		onPath[i] = true
	}
	b.WriteString(`<g class="edges" stroke="#b9b2a6" stroke-width="1">`)
	for _, n := range t.Nodes {
		if n.Parent < 0 {
			continue
		}
		p := t.Nodes[n.Parent]
		attr := ""
		if onPath[n.Index] {
			attr = ` class="path" stroke="#b8582f" stroke-width="3"`
		}
		if st.Edge == nil {
			fmt.Fprintf(&b, `<line x1="%s" y1="%s" x2="%s" y2="%s" data-i="%d"%s/>`, num(p.X), num(p.Y), num(n.X), num(n.Y), n.Index, attr)
			continue
		}
		fmt.Fprintf(&b, `<line x1="%s" y1="%s" x2="%s" y2="%s" data-i="%d"%s><title>%s</title></line>`, num(p.X), num(p.Y), num(n.X), num(n.Y), n.Index, attr, esc(st.Edge(n.Index)))
	}
	b.WriteString(`</g>`)
	b.WriteString(`<g class="nodes">`)
	for _, n := range t.Nodes {
		f := 0.5
		if hi > lo {
			f = (st.Fit(n.Index) - lo) / (hi - lo)
		}
		r := 2.5 + math.Sqrt(float64(n.Children))
		cls := "ln"
		if n.Index == st.Best {
			cls += " best"
		}
		if n.Hidden > 0 {
			cls += " folded"
		}
		fmt.Fprintf(&b, `<circle id="ln-%d" class="%s" data-i="%d" tabindex="0" role="button" aria-label="%s" cx="%s" cy="%s" r="%s" fill="%s"/>`,
			n.Index, cls, n.Index, esc(st.Label(n.Index)), num(n.X), num(n.Y), num(r), sequential(f))
	}
	b.WriteString(`</g></svg>`)
	return b.String()
}

// Overlay draws, over the tree, the selection at a scrubbed iteration: probs holds the chance
// each of entries 0 … len−1 had of being drawn as the parent; each drawn agent's orange ring grows
// with it, and agents not born yet (index ≥ len) are veiled. It takes no pointer events.
func (t *Tree) Overlay(probs []float64) string {
	var b strings.Builder
	b.Grow(64 * len(t.Nodes))
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" id="lineage-overlay" viewBox="0 0 %d %d" width="%d" height="%d" aria-hidden="true" pointer-events="none">`,
		treeSize, treeSize, treeSize, treeSize)
	b.WriteString(`<g class="veil" fill="#fff" fill-opacity="0.8" stroke="#fff" stroke-opacity="0.75" stroke-width="2">`)
	for _, n := range t.Nodes {
		if n.Index >= len(probs) {
			p := t.Nodes[max(n.Parent, 0)]
			fmt.Fprintf(&b, `<line x1="%s" y1="%s" x2="%s" y2="%s"/><circle cx="%s" cy="%s" r="%s"/>`,
				num(p.X), num(p.Y), num(n.X), num(n.Y), num(n.X), num(n.Y), num(3.5+math.Sqrt(float64(n.Children))))
		}
	}
	b.WriteString(`</g><g class="halos" fill="#f2a541" fill-opacity="0.22" stroke="#e07b00" stroke-width="1.5">`)
	for _, n := range t.Nodes {
		if n.Index < len(probs) && probs[n.Index] > 0 {
			fmt.Fprintf(&b, `<circle cx="%s" cy="%s" r="%s"/>`, num(n.X), num(n.Y), num(3+40*math.Sqrt(probs[n.Index])))
		}
	}
	b.WriteString(`</g></svg>`)
	return b.String()
}

// sequential maps t in [0, 1] to a light-to-dark colour (low to high fitness).
func sequential(t float64) string {
	t = math.Max(0, math.Min(1, t))
	stops := [][3]float64{{253, 231, 37}, {94, 201, 98}, {33, 145, 140}, {59, 82, 139}, {68, 1, 84}} // viridis, light to dark
	x := t * float64(len(stops)-1)
	i := min(int(x), len(stops)-2)
	f := x - float64(i)
	c := func(k int) int { return int(math.Round(stops[i][k] + (stops[i+1][k]-stops[i][k])*f)) }
	return fmt.Sprintf("#%02x%02x%02x", c(0), c(1), c(2))
}
