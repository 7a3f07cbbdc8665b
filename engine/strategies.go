package engine

import "math/rand/v2"

// UniformSelector draws every archived agent with equal probability.
type UniformSelector struct{ rng *rand.Rand }

// Select implements [Selector].
func (s UniformSelector) Select(a *Archive, _ Source) int { return s.rng.IntN(a.Len()) }

// LatestSelector always takes the newest agent. It draws nothing.
type LatestSelector struct{}

// Select implements [Selector].
func (LatestSelector) Select(a *Archive, _ Source) int { return a.Len() - 1 }

// dgmScale turns a DGM probability weight in (0, 1] into an integer: weights are summed exactly as
// integers, so the draw does not depend on the order the sums were built in (a resumed run draws
// what the original would have).
const dgmScale = 1 << 40

// DGMSelector draws a parent with probability ∝ s·h, where s = sigmoid(10·(fitness − α)) with α
// the mean of the three highest fitnesses, and h = 1/(1 + children) (the paper's rule) or, with
// Code set, exp(−(children/8)³) (the released code's). Weights are kept in a Fenwick tree of
// integers: a draw and an update cost O(log n); they are all rebuilt only when α changes.
type DGMSelector struct {
	Code bool

	rng    *rand.Rand
	tree   fenwick
	synced int        // entries incorporated
	top    [3]float64 // the highest fitnesses so far, best first
	ntop   int
	alpha  float64
}

// NewDGMSelector returns a DGM selector drawing from rng.
func NewDGMSelector(rng *rand.Rand, code bool) *DGMSelector {
	return &DGMSelector{rng: rng, Code: code}
}

// weight is entry i's integer weight.
func (s *DGMSelector) weight(a *Archive, i int) uint64 {
	return s.weightWith(a.At(i).Eval.Fitness, a.Children(i))
}

// weightWith is the integer weight of an entry with this fitness and number of children.
func (s *DGMSelector) weightWith(fitness float64, children int) uint64 {
	s0 := sigmoid(float64(10 * (fitness - s.alpha)))
	n := float64(children)
	var h float64
	if s.Code {
		c := n / 8
		h = pexp(-float64(float64(c*c) * c))
	} else {
		h = 1 / (1 + n)
	}
	return uint64(float64(float64(s0*h) * dgmScale))
}

// addTop records a fitness among the top three; it reports whether α changed.
func (s *DGMSelector) addTop(f float64) bool {
	if s.ntop == 3 && f <= s.top[2] {
		return false
	}
	k := min(s.ntop, 2)
	for k > 0 && s.top[k-1] < f {
		s.top[k] = s.top[k-1]
		k--
	}
	s.top[k] = f
	s.ntop = min(s.ntop+1, 3)
	sum := 0.0
	for _, v := range s.top[:s.ntop] {
		sum += v
	}
	old := s.alpha
	s.alpha = sum / float64(s.ntop)
	return s.alpha != old
}

// Select implements [Selector].
func (s *DGMSelector) Select(a *Archive, _ Source) int {
	n := a.Len()
	rebuild := s.synced > n
	if rebuild {
		*s = DGMSelector{rng: s.rng, Code: s.Code}
	}
	for i := s.synced; i < n; i++ {
		if s.addTop(a.At(i).Eval.Fitness) {
			rebuild = true
		}
	}
	if rebuild {
		s.tree.reset()
		for i := range n {
			s.tree.push(s.weight(a, i))
		}
	} else {
		for i := s.synced; i < n; i++ {
			s.tree.push(s.weight(a, i))
		}
		for i := s.synced; i < n; i++ {
			if pi, ok := a.Index(a.At(i).Agent.ParentID); ok {
				s.tree.set(pi, s.weight(a, pi))
			}
		}
	}
	s.synced = n
	return s.tree.find(s.rng.Uint64N(s.tree.total()))
}

// fenwick is a binary indexed tree of integer weights that grows by appending.
type fenwick struct {
	tree []uint64 // 1-based partial sums
	w    []uint64
}

func (f *fenwick) reset() { f.tree, f.w = f.tree[:0], f.w[:0] }

// prefix is the sum of the first i weights.
func (f *fenwick) prefix(i int) uint64 {
	var s uint64
	for ; i > 0; i -= i & -i {
		s += f.tree[i-1]
	}
	return s
}

// push appends a weight.
func (f *fenwick) push(w uint64) {
	i := len(f.w) + 1
	f.w = append(f.w, w)
	f.tree = append(f.tree, w+f.prefix(i-1)-f.prefix(i-(i&-i)))
}

// set changes weight i (0-based).
func (f *fenwick) set(i int, w uint64) {
	d := w - f.w[i] // modular: adding it is subtracting when w is smaller
	f.w[i] = w
	for j := i + 1; j <= len(f.w); j += j & -j {
		f.tree[j-1] += d
	}
}

func (f *fenwick) total() uint64 { return f.prefix(len(f.w)) }

// find returns the first index whose running sum exceeds u (u < total).
func (f *fenwick) find(u uint64) int {
	pos := 0
	step := 1
	for step*2 <= len(f.w) {
		step *= 2
	}
	for ; step > 0; step /= 2 {
		if next := pos + step; next <= len(f.w) && f.tree[next-1] <= u {
			pos = next
			u -= f.tree[next-1]
		}
	}
	return pos
}
