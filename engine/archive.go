package engine

// Archive keeps every variant of a run, in creation order, and tracks the best entry incrementally.
//
// The best entry maximises fitness; with TieOnTest (the seed flavour) test accuracy breaks fitness
// ties, otherwise it never does. Remaining ties go to the latest entry, as in the seed.
type Archive struct {
	entries   []Entry
	best      int
	tieOnTest bool
}

// NewArchive returns an empty archive. tieOnTest selects the seed's best-entry rule.
func NewArchive(tieOnTest bool) *Archive { return &Archive{tieOnTest: tieOnTest} }

// Len is the number of entries.
func (a *Archive) Len() int { return len(a.entries) }

// At returns the i-th entry (0 is the seed). It panics if i is out of range.
func (a *Archive) At(i int) *Entry { return &a.entries[i] }

// Entries returns the entries in creation order. The caller must not modify them.
func (a *Archive) Entries() []Entry { return a.entries }

// Best returns the index of the best entry. It panics if the archive is empty.
func (a *Archive) Best() int {
	if len(a.entries) == 0 {
		panic("engine: Best of an empty archive")
	}
	return a.best
}

// Add appends e and returns its index.
func (a *Archive) Add(e Entry) int {
	a.entries = append(a.entries, e)
	i := len(a.entries) - 1
	if i == 0 || a.beats(&a.entries[i], &a.entries[a.best]) {
		a.best = i
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
