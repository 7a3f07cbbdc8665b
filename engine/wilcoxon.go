package engine

import (
	"math"
	"slices"
)

// WilcoxonExactMax is the largest number of pairs for which [Wilcoxon] uses the exact null
// distribution (when no difference is zero), as scipy does.
const WilcoxonExactMax = 50

// Wilcoxon is the paired, two-sided Wilcoxon signed-rank test of x against y, computed exactly as
// scipy.stats.wilcoxon(x, y) does with its defaults in scipy 1.10 (zero_method "wilcox", no
// continuity correction, method "auto"):
//
//   - with at most 50 pairs and no zero difference, the exact null distribution of the positive
//     rank sum (ties among |differences| get average ranks, and the rank sum is then truncated to
//     an integer, as scipy does);
//   - otherwise zero differences are dropped and the normal approximation is used, with the tie
//     correction of the variance and no continuity correction.
//
// ok is false when there is no p-value: no pairs, or every difference zero (scipy raises an error
// there). x and y must have the same length.
func Wilcoxon(x, y []float64) (p float64, ok bool) {
	d := make([]float64, len(x))
	zeros := 0
	for i := range x {
		d[i] = x[i] - y[i]
		if d[i] == 0 {
			zeros++
		}
	}
	if len(d) == 0 || zeros == len(d) {
		return 0, false
	}
	exact := len(d) <= WilcoxonExactMax && zeros == 0
	if !exact {
		kept := d[:0]
		for _, v := range d {
			if v != 0 {
				kept = append(kept, v)
			}
		}
		d = kept
	}
	n := len(d)
	ranks, ties := averageRanks(d)
	rPlus, rMinus := 0.0, 0.0
	for i, v := range d {
		if v > 0 {
			rPlus += ranks[i]
		} else {
			rMinus += ranks[i]
		}
	}
	if exact {
		return wilcoxonExact(n, int(rPlus)), true
	}
	t := min(rPlus, rMinus)
	fn := float64(n)
	mn := fn * (fn + 1) * 0.25
	se := fn * (fn + 1) * (2*fn + 1)
	for _, c := range ties {
		fc := float64(c)
		se -= 0.5 * fc * (fc*fc - 1)
	}
	se = math.Sqrt(se / 24)
	z := (t - mn) / se
	return perfc(math.Abs(z) / math.Sqrt2), true
}

// averageRanks ranks |d| from 1, giving tied values the average of their ranks (scipy's rankdata),
// and returns the sizes of the groups of tied values (of more than one).
func averageRanks(d []float64) ([]float64, []int) {
	idx := make([]int, len(d))
	for i := range idx {
		idx[i] = i
	}
	slices.SortStableFunc(idx, func(a, b int) int {
		x, y := math.Abs(d[a]), math.Abs(d[b])
		switch {
		case x < y:
			return -1
		case x > y:
			return 1
		}
		return 0
	})
	ranks := make([]float64, len(d))
	var ties []int
	for i := 0; i < len(idx); {
		j := i
		for j+1 < len(idx) && math.Abs(d[idx[j+1]]) == math.Abs(d[idx[i]]) {
			j++
		}
		r := float64(i+j+2) / 2 // ranks i+1 … j+1
		for k := i; k <= j; k++ {
			ranks[idx[k]] = r
		}
		if j > i {
			ties = append(ties, j-i+1)
		}
		i = j + 1
	}
	return ranks, ties
}

// wilcoxonExact is the two-sided exact p-value of a positive rank sum r among n pairs: the counts
// of subsets of {1, …, n} by their sum, over 2^n. Counts are exact integers; dividing by 2^n is
// exact, so the result is scipy's to the bit.
func wilcoxonExact(n, r int) float64 {
	top := n * (n + 1) / 2
	c := make([]uint64, top+1)
	c[0] = 1
	for k := 1; k <= n; k++ {
		for s := k * (k + 1) / 2; s >= k; s-- {
			c[s] += c[s-k]
		}
	}
	if r == top/2 {
		return 1
	}
	var less, greater uint64
	for s := 0; s <= r && s <= top; s++ {
		less += c[s]
	}
	for s := max(r, 0); s <= top; s++ {
		greater += c[s]
	}
	total := math.Ldexp(1, n)
	p := 2 * min(float64(less)/total, float64(greater)/total)
	return min(max(p, 0), 1)
}

// Holm adjusts p-values for multiple comparisons (Holm–Bonferroni): with the m present values
// sorted ascending, the i-th (from 0) becomes max over j ≤ i of min(1, (m − j)·p_j). Missing
// values (ok false) stay missing and do not count in m. The adjusted values are monotone in the
// raw ones and never below them.
func Holm(p []float64, ok []bool) []float64 {
	var idx []int
	for i := range p {
		if ok[i] {
			idx = append(idx, i)
		}
	}
	slices.SortStableFunc(idx, func(a, b int) int {
		switch {
		case p[a] < p[b]:
			return -1
		case p[a] > p[b]:
			return 1
		}
		return 0
	})
	out := make([]float64, len(p))
	m := len(idx)
	run := 0.0
	for j, i := range idx {
		run = max(run, min(1, float64(m-j)*p[i]))
		out[i] = run
	}
	return out
}
