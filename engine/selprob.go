package engine

// SelectionProbabilities is the probability each archived agent had of being drawn as the parent
// at iteration it (1 ≤ it ≤ a.Len()): the draw that made entry it, from entries 0 … it−1 with the
// children and fitnesses they had then, under the run's selection rule. it = a.Len() is the next
// iteration's draw. It returns it probabilities that sum to 1 (up to rounding).
func SelectionProbabilities(a *Archive, c Config, it int) []float64 {
	it = min(max(it, 1), a.Len())
	p := make([]float64, it)
	switch c.Selection {
	case SelectUniform:
		for i := range p {
			p[i] = 1 / float64(it)
		}
		return p
	case SelectLatest:
		p[it-1] = 1
		return p
	case SelectBest:
		best := 0
		tieOnTest := c.Flavour == FlavourSeed
		for i := 1; i < it; i++ {
			n, b := a.At(i).Eval, a.At(best).Eval
			if n.Fitness > b.Fitness || n.Fitness == b.Fitness && (!tieOnTest || n.TestAccuracy >= b.TestAccuracy) {
				best = i
			}
		}
		p[best] = 1
		return p
	}
	children := make([]int32, it)
	for j := 1; j < it; j++ {
		if pi, ok := a.Index(a.At(j).Agent.ParentID); ok && pi < j {
			children[pi]++
		}
	}
	total := 0.0
	switch c.Selection {
	case SelectDGM, SelectDGMCode:
		var s DGMSelector
		s.Code = c.Selection == SelectDGMCode
		for i := range it {
			s.addTop(a.At(i).Eval.Fitness)
		}
		for i := range it {
			p[i] = float64(s.weightWith(a.At(i).Eval.Fitness, int(children[i])))
			total += p[i]
		}
	default: // the seed's weights
		best := a.At(0).Eval.Fitness
		for i := 1; i < it; i++ {
			best = max(best, a.At(i).Eval.Fitness)
		}
		for i := range it {
			p[i] = weight(a.At(i), best, c.Flavour == FlavourAdaptive)
			total += p[i]
		}
	}
	for i := range p {
		p[i] /= total
	}
	return p
}
