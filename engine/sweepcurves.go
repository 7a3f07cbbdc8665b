package engine

import "fmt"

// Curves of a sweep are drawn at up to MaxCurvePoints iterations; their median bands use
// CurveResamples bootstrap resamples (the tables use [BootstrapResamples]).
const (
	MaxCurvePoints = 101
	CurveResamples = 1_000
)

// SweepCurve is one condition's learning curve in a sweep: at each drawn iteration, the test
// score of the agent the run reports (chosen on validation in the adaptive flavour) over seeds,
// as the median with its 95% percentile-bootstrap interval and as the mean ± population std.
type SweepCurve struct {
	Condition      Condition
	X              []float64
	Median, Lo, Hi []float64
	Mean, Std      []float64
}

// DomainCurves are the curves of every condition of a sweep on one domain.
type DomainCurves struct {
	Domain string
	Curves []SweepCurve
}

// CurveIterations are the iterations a sweep's curves are drawn at: 0, every ⌈N/100⌉-th and N.
func (s *Spec) CurveIterations() []int {
	step := max(1, (s.Iterations+MaxCurvePoints-2)/(MaxCurvePoints-1))
	var its []int
	for it := 0; it < s.Iterations; it += step {
		its = append(its, it)
	}
	return append(its, s.Iterations)
}

// Curves computes the learning curves of a sweep from the series of all its runs, per domain in
// the spec's order, conditions in the spec's order.
func (s *Spec) Curves(series []Series) ([]DomainCurves, error) { return s.CurvesYield(series, nil) }

// CurvesYield is [Spec.Curves] calling yield (if not nil) between units of work.
func (s *Spec) CurvesYield(series []Series, yield func()) ([]DomainCurves, error) {
	domains, err := s.DomainNames()
	if err != nil {
		return nil, err
	}
	its := s.CurveIterations()
	out := make([]DomainCurves, len(domains))
	for di, dom := range domains {
		out[di].Domain = dom
		for _, sc := range s.Conditions {
			c := SweepCurve{Condition: Condition{Name: sc.Name}}
			bySeed := make([]*Series, s.Seeds) // in seed order, so sums are taken in one order
			for i := range series {
				se := &series[i]
				if se.Domain != dom || se.Condition != sc.Name {
					continue
				}
				if se.SeedIdx < 0 || se.SeedIdx >= s.Seeds || bySeed[se.SeedIdx] != nil || len(se.Test) != s.Iterations+1 {
					return nil, fmt.Errorf("curves: run %s/%s/seed %d is not one of the spec's or is incomplete", dom, sc.Name, se.SeedIdx)
				}
				bySeed[se.SeedIdx] = se
			}
			vals := make([]float64, s.Seeds)
			for _, it := range its {
				for k, se := range bySeed {
					if se == nil {
						return nil, fmt.Errorf("curves: %s/%s has no run for seed %d", dom, sc.Name, k)
					}
					vals[k] = se.Test[it]
				}
				if yield != nil {
					yield()
				}
				mean, std := meanStd(vals)
				lo, hi := bootstrapMedianCI(vals, CurveResamples, BootstrapLevel, yield)
				c.X = append(c.X, float64(it))
				c.Median = append(c.Median, median(append([]float64(nil), vals...)))
				c.Lo, c.Hi = append(c.Lo, lo), append(c.Hi, hi)
				c.Mean, c.Std = append(c.Mean, mean), append(c.Std, std)
			}
			out[di].Curves = append(out[di].Curves, c)
		}
	}
	return out, nil
}
