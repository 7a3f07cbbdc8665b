package engine

import (
	"cmp"
	"math"
	"math/rand/v2"
	"slices"
)

// Bootstrap settings of [Summarize]: resamples, confidence level and the fixed generator seed that
// makes every summary reproducible.
const (
	BootstrapResamples = 10_000
	BootstrapLevel     = 0.95
	bootstrapSeed      = 0x6879706572 // "hyper"
)

// Stat summarises one metric over seeds: the mean and population standard deviation (as the seed
// reports them) and the median with a percentile-bootstrap confidence interval (the paper's protocol).
type Stat struct {
	N      int     `json:"n"`
	Mean   float64 `json:"mean"`
	Std    float64 `json:"std"` // population standard deviation
	Median float64 `json:"median"`
	CILow  float64 `json:"ci_low"`
	CIHigh float64 `json:"ci_high"`
}

// Summary is one condition's result at the last iteration, over seeds.
type Summary struct {
	Condition Condition `json:"condition"`
	BestTrain Stat      `json:"best_train"`
	BestTest  Stat      `json:"best_test"`
}

// Summarize computes, per condition in the order the conditions first appear, the statistics of
// best_fitness and best_test_accuracy at each run's last iteration.
func Summarize(rows []Row) []Summary {
	type key struct {
		m    string
		seed int
	}
	last := map[key]Row{}
	var order []Condition
	for _, r := range rows {
		if !slices.Contains(order, r.Condition) {
			order = append(order, r.Condition)
		}
		k := key{r.Condition.Name, r.SeedIdx}
		if old, ok := last[k]; !ok || r.Iteration >= old.Iteration {
			last[k] = r
		}
	}
	out := make([]Summary, 0, len(order))
	for _, m := range order {
		var train, test []float64
		for k, r := range last {
			if k.m == m.Name {
				train = append(train, r.BestFitness)
				test = append(test, r.BestTestAccuracy)
			}
		}
		// Map order is random: sort so sums are taken in one fixed order.
		slices.Sort(train)
		slices.Sort(test)
		out = append(out, Summary{Condition: m, BestTrain: Describe(train), BestTest: Describe(test)})
	}
	return out
}

// Describe computes a [Stat] of xs. The bootstrap draws from a fixed seed, so the same values always
// give the same interval.
func Describe(xs []float64) Stat { return describeYield(xs, nil) }

// describeYield is [Describe] calling yield (if not nil) every [bootstrapChunk] resamples.
func describeYield(xs []float64, yield func()) Stat {
	st := Stat{N: len(xs)}
	if len(xs) == 0 {
		return st
	}
	st.Mean, st.Std = meanStd(xs)
	st.Median = median(slices.Clone(xs))
	st.CILow, st.CIHigh = bootstrapMedianCI(xs, BootstrapResamples, BootstrapLevel, yield)
	return st
}

// bootstrapChunk is how many bootstrap resamples are drawn between two calls of a yield function.
const bootstrapChunk = 1000

// median returns the median of xs, sorting xs in place.
func median(xs []float64) float64 {
	slices.Sort(xs)
	n := len(xs)
	if n%2 == 1 {
		return xs[n/2]
	}
	return (xs[n/2-1] + xs[n/2]) / 2
}

// bootstrapMedianCI is the percentile bootstrap interval of the median: resample xs with replacement
// b times and take the (1−level)/2 and (1+level)/2 quantiles of the resampled medians. A resample's
// median is read from how often each value was drawn (xs sorted once), which gives the same number
// as sorting the resample, in time linear in len(xs).
//
// yield (if not nil) is called every bootstrapChunk resamples: the page lets the browser run then.
func bootstrapMedianCI(xs []float64, b int, level float64, yield func()) (lo, hi float64) {
	n := len(xs)
	rng := rand.New(rand.NewPCG(bootstrapSeed, uint64(n)))
	order := make([]int, n) // order[r] is the index in xs of the r-th smallest value
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return cmp.Compare(xs[a], xs[b]) })
	rank := make([]int, n)
	for r, i := range order {
		rank[i] = r
	}
	counts := make([]int, n)
	// kth returns the k-th smallest (0-based) value of the resample described by counts.
	kth := func(k int) float64 {
		for r, c := range counts {
			if k < c {
				return xs[order[r]]
			}
			k -= c
		}
		return xs[order[n-1]]
	}
	meds := make([]float64, b)
	for i := range meds {
		if yield != nil && i > 0 && i%bootstrapChunk == 0 {
			yield()
		}
		clear(counts)
		for range n {
			counts[rank[rng.IntN(n)]]++
		}
		if n%2 == 1 {
			meds[i] = kth(n / 2)
		} else {
			meds[i] = (kth(n/2-1) + kth(n/2)) / 2
		}
	}
	slices.Sort(meds)
	alpha := (1 - level) / 2
	li := int(math.Floor(alpha * float64(b)))
	hiIdx := int(math.Ceil((1-alpha)*float64(b))) - 1
	return meds[li], meds[min(max(hiIdx, 0), b-1)]
}

// Metric extracts one number from a progress row.
type Metric func(p *Progress) float64

// Metrics of the learning curves and the meta-policy drift, by CSV column name.
var (
	MetricBestTrain        Metric = func(p *Progress) float64 { return p.BestFitness }
	MetricBestTest         Metric = func(p *Progress) float64 { return p.BestTestAccuracy }
	MetricChildTrain       Metric = func(p *Progress) float64 { return p.ChildTrain }
	MetricWeightStep       Metric = func(p *Progress) float64 { return p.WeightStep }
	MetricThresholdStep    Metric = func(p *Progress) float64 { return p.ThresholdStep }
	MetricExplorationScale Metric = func(p *Progress) float64 { return p.ExplorationScale }
	MetricBestVal          Metric = func(p *Progress) float64 { return p.BestVal }
)

// KnobMetric is the metric of the child's adaptive meta knob k.
func KnobMetric(k int) Metric { return func(p *Progress) float64 { return p.Knobs[k] } }

// Curve is a metric's mean and population standard deviation over seeds, per iteration.
type Curve struct {
	Condition Condition
	X         []float64 // iterations
	Mean, Std []float64
}

// Curves aggregates a metric over seeds for every condition in rows, per iteration, in the order
// the conditions first appear.
func Curves(rows []Row, m Metric) []Curve {
	type key struct {
		c  string
		it int
	}
	vals := map[key][]float64{}
	var order []Condition
	maxIt := map[string]int{}
	for i := range rows {
		r := &rows[i]
		if !slices.Contains(order, r.Condition) {
			order = append(order, r.Condition)
		}
		k := key{r.Condition.Name, r.Iteration}
		vals[k] = append(vals[k], m(&r.Progress))
		maxIt[r.Condition.Name] = max(maxIt[r.Condition.Name], r.Iteration)
	}
	out := make([]Curve, 0, len(order))
	for _, c := range order {
		cv := Curve{Condition: c}
		for it := 0; it <= maxIt[c.Name]; it++ {
			v, ok := vals[key{c.Name, it}]
			if !ok {
				continue
			}
			mean, std := meanStd(v)
			cv.X = append(cv.X, float64(it))
			cv.Mean = append(cv.Mean, mean)
			cv.Std = append(cv.Std, std)
		}
		out = append(out, cv)
	}
	return out
}

// meanStd is the mean and population standard deviation of xs (non-empty). It sums deviations from
// the first value: exact for constant data and better conditioned than a plain sum.
func meanStd(xs []float64) (mean, std float64) {
	shift, sum := xs[0], 0.0
	for _, x := range xs {
		sum += x - shift
	}
	mean = shift + sum/float64(len(xs))
	ss := 0.0
	for _, x := range xs {
		d := x - mean
		ss += float64(d * d)
	}
	return mean, math.Sqrt(ss / float64(len(xs)))
}
