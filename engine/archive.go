package engine

// Archive keeps every variant of a run, in creation order, and tracks incrementally the best
// entry, the entry chosen on validation and how many children each entry has.
//
// The best entry maximises fitness (on train); with TieOnTest (the seed flavour) test accuracy
// breaks fitness ties, otherwise it never does. Remaining ties go to the latest entry, as in the
// seed. The chosen entry maximises validation accuracy; fitness breaks ties, then the latest wins.
// Test accuracy never decides which entry is chosen.
type Archive struct {
	entries   chunks[Entry]
	children  []int32
	best      int
	chosen    int
	tieOnTest bool
}

// NewArchive returns an empty archive. tieOnTest selects the seed's best-entry rule.
func NewArchive(tieOnTest bool) *Archive { return &Archive{tieOnTest: tieOnTest} }

// Len is the number of entries.
func (a *Archive) Len() int { return a.entries.len() }

// At returns the i-th entry (0 is the seed). The address stays valid as the archive grows; the
// caller must not modify the entry. It panics if i is out of range.
func (a *Archive) At(i int) *Entry { return a.entries.at(i) }

// Entries returns a copy of the entries in creation order.
func (a *Archive) Entries() []Entry { return a.entries.slice() }

// Best returns the index of the best entry. It panics if the archive is empty.
func (a *Archive) Best() int {
	if a.entries.len() == 0 {
		panic("engine: Best of an empty archive")
	}
	return a.best
}

// Chosen returns the index of the entry chosen on validation. It panics if the archive is empty.
func (a *Archive) Chosen() int {
	if a.entries.len() == 0 {
		panic("engine: Chosen of an empty archive")
	}
	return a.chosen
}

// Children is the number of children entry i has in the archive.
func (a *Archive) Children(i int) int { return int(a.children[i]) }

// Add appends a copy of e and returns its index.
func (a *Archive) Add(e *Entry) int {
	i := a.entries.add(e)
	a.children = append(a.children, 0)
	if pi, ok := a.Index(e.Agent.ParentID); ok && pi < i {
		a.children[pi]++
	}
	n := a.At(i)
	if i == 0 || a.beats(n, a.At(a.best)) {
		a.best = i
	}
	if c := a.At(a.chosen); i == 0 || n.Eval.ValAccuracy > c.Eval.ValAccuracy ||
		(n.Eval.ValAccuracy == c.Eval.ValAccuracy && n.Eval.Fitness >= c.Eval.Fitness) {
		a.chosen = i
	}
	return i
}

// beats reports whether a newer entry n ranks at least as high as the current best b.
func (a *Archive) beats(n, b *Entry) bool {
	if n.Eval.Fitness != b.Eval.Fitness {
		return n.Eval.Fitness > b.Eval.Fitness
	}
	if a.tieOnTest {
		return n.Eval.TestAccuracy >= b.Eval.TestAccuracy
	}
	return true
}
