package engine

import "sort"

// Source is the uniform random stream a selector draws from: *rand.Rand (standard flavour) and
// *PyRandom (seed flavour) both satisfy it.
type Source interface {
	Float64() float64
}

// Selector picks the parent of the next child.
type Selector interface {
	// Select returns the index of the parent in a. It draws from src only if it is stochastic.
	Select(a *Archive, src Source) int
}

// GreedySelector always picks the archive's best entry (the no_archive ablation). It draws nothing.
type GreedySelector struct{}

// Select implements [Selector].
func (GreedySelector) Select(a *Archive, _ Source) int { return a.Best() }

// WeightedSelector draws a parent with probability proportional to the seed's weight (REFERENCE §5.4):
//
//	(0.25 + fitness) · (1 + exploration_scale) · (1 + 0.03·min(generation, 8) [+ 0.08 if best − fitness > 0.15])
//
// and samples exactly as Python's random.choices(archive, weights, k=1): one uniform draw u, then the
// first index whose running (left-to-right) weight sum exceeds u·total.
//
// The running sums are kept between calls and extended as the archive grows; they are rebuilt only
// when the best fitness changes (the only thing that changes an old entry's weight), which happens a
// bounded number of times. So a draw costs O(log n) amortised and the sums are bit-identical to the
// seed's. A WeightedSelector must be used with one archive only.
//
// With Floor set (the adaptive flavour, whose chance-corrected fitness can be negative) fitness
// counts as at least 0, so every weight stays positive; adaptive meta policies have no
// exploration scale, so that factor is 1.
type WeightedSelector struct {
	Floor    bool
	cum      []float64
	bestSeen float64
}

// weight is the selection weight of e when the best fitness is best.
func weight(e *Entry, best float64, floor bool) float64 {
	f := e.Eval.Fitness
	if floor {
		f = max(f, 0)
	}
	exploitation := 0.25 + f
	exploration := 1.0 + e.Agent.Meta.ExplorationScale
	novelty := 1.0 + float64(float64(min(e.Agent.Generation, 8))*0.03)
	if best-e.Eval.Fitness > 0.15 {
		novelty += 0.08
	}
	return float64(exploitation*exploration) * novelty
}

// Select implements [Selector].
func (s *WeightedSelector) Select(a *Archive, src Source) int {
	best := a.At(a.Best()).Eval.Fitness
	if best != s.bestSeen || len(s.cum) > a.Len() {
		s.cum = s.cum[:0]
		s.bestSeen = best
	}
	for i := len(s.cum); i < a.Len(); i++ {
		w := weight(a.At(i), best, s.Floor)
		if i > 0 {
			w += s.cum[i-1]
		}
		s.cum = append(s.cum, w)
	}
	n := len(s.cum)
	x := src.Float64() * s.cum[n-1]
	// bisect_right(cum, x, 0, n-1)
	return sort.Search(n-1, func(i int) bool { return s.cum[i] > x })
}
