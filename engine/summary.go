package engine

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
)

// Metrics of a sweep's summary, in the order results list them. best_test is the primary
// endpoint: the test accuracy of the agent chosen on validation, at the last checkpoint.
var SweepMetrics = []string{"best_test", "best_val", "best_train", "auc"}

// SweepSummary is summary.json: the spec and one result per domain × checkpoint × metric.
type SweepSummary struct {
	Spec          *Spec    `json:"spec"`
	EngineVersion string   `json:"engine_version"`
	Seeds         []uint64 `json:"seeds"`
	Results       []Result `json:"results"`
}

// Result is one table: a metric of every condition at one checkpoint of one domain, and the
// comparisons of every other condition with the reference (Holm-corrected within the table).
type Result struct {
	Domain      string       `json:"domain"`
	Iteration   int          `json:"iteration"`
	Metric      string       `json:"metric"`
	Conditions  []CondStat   `json:"conditions"`
	Comparisons []Comparison `json:"comparisons"`
}

// CondStat is a condition's values over seeds (in seed order) and their statistics: median with
// its 95% percentile-bootstrap interval (10,000 resamples, fixed seed), mean and population
// standard deviation.
type CondStat struct {
	Name   string     `json:"name"`
	Values []float64  `json:"values"`
	Median float64    `json:"median"`
	CI     [2]float64 `json:"ci"`
	Mean   float64    `json:"mean"`
	Std    float64    `json:"std"`
}

// Comparison is the paired comparison of condition B with the reference A over seeds: the
// two-sided Wilcoxon signed-rank p-value (null when every difference is zero: there is no test),
// its Holm-adjusted value, and the seeds where A is higher (wins), equal (ties) or lower (losses).
type Comparison struct {
	A         string   `json:"a"`
	B         string   `json:"b"`
	WilcoxonP *float64 `json:"wilcoxon_p"`
	HolmP     *float64 `json:"holm_p"`
	Wins      int      `json:"wins"`
	Ties      int      `json:"ties"`
	Losses    int      `json:"losses"`
}

// Summarize computes a sweep's summary from the series of all its runs, in any order. Every
// domain × condition × seed must be there exactly once.
func (s *Spec) Summarize(series []Series) (*SweepSummary, error) {
	return s.SummarizeYield(series, nil)
}

// SummarizeYield is [Spec.Summarize] calling yield (if not nil) between units of work of a few
// milliseconds, so a caller on a single thread (the page) can let the browser run.
func (s *Spec) SummarizeYield(series []Series, yield func()) (*SweepSummary, error) {
	domains, err := s.DomainNames()
	if err != nil {
		return nil, err
	}
	if len(series) != s.Runs() {
		return nil, fmt.Errorf("summary: %d runs, the spec has %d", len(series), s.Runs())
	}
	byKey := make([]*Series, s.Runs())
	for i := range series {
		se := &series[i]
		di, ci := slicesIndex(domains, se.Domain), -1
		for k, c := range s.Conditions {
			if c.Name == se.Condition {
				ci = k
			}
		}
		if di < 0 || ci < 0 || se.SeedIdx < 0 || se.SeedIdx >= s.Seeds {
			return nil, fmt.Errorf("summary: run %s/%s/seed %d is not in the spec", se.Domain, se.Condition, se.SeedIdx)
		}
		k := (di*len(s.Conditions)+ci)*s.Seeds + se.SeedIdx
		if byKey[k] != nil {
			return nil, fmt.Errorf("summary: run %s/%s/seed %d twice", se.Domain, se.Condition, se.SeedIdx)
		}
		if len(se.BestTrain) != s.Iterations+1 || len(se.BestVal) != len(s.Checkpoints) || len(se.BestTest) != len(s.Checkpoints) {
			return nil, fmt.Errorf("summary: run %s/%s/seed %d is incomplete", se.Domain, se.Condition, se.SeedIdx)
		}
		byKey[k] = se
	}
	out := &SweepSummary{Spec: s, EngineVersion: Version, Seeds: DefaultSeeds(s.Seeds)}
	ref := 0
	for k, c := range s.Conditions {
		if c.Name == s.Reference {
			ref = k
		}
	}
	for di, dom := range domains {
		for cpi, cp := range s.Checkpoints {
			for _, metric := range SweepMetrics {
				res := Result{Domain: dom, Iteration: cp, Metric: metric}
				values := make([][]float64, len(s.Conditions))
				for ci, c := range s.Conditions {
					v := make([]float64, s.Seeds)
					for si := range v {
						se := byKey[(di*len(s.Conditions)+ci)*s.Seeds+si]
						switch metric {
						case "best_test":
							v[si] = se.BestTest[cpi]
						case "best_val":
							v[si] = se.BestVal[cpi]
						case "best_train":
							v[si] = se.BestTrain[cp]
						case "auc":
							v[si] = AUC(se.BestTrain, cp)
						}
					}
					values[ci] = v
					if yield != nil {
						yield()
					}
					st := describeYield(v, yield)
					res.Conditions = append(res.Conditions, CondStat{
						Name: c.Name, Values: v, Median: st.Median, CI: [2]float64{st.CILow, st.CIHigh}, Mean: st.Mean, Std: st.Std,
					})
				}
				names := make([]string, len(s.Conditions))
				for ci, c := range s.Conditions {
					names[ci] = c.Name
				}
				res.Comparisons = compareWith(values, names, ref)
				out.Results = append(out.Results, res)
			}
		}
	}
	return out, nil
}

// compareWith compares every condition's per-seed values with the reference's (index ref):
// paired two-sided Wilcoxon, Holm-adjusted over these comparisons, and wins, ties and losses of
// the reference.
func compareWith(values [][]float64, names []string, ref int) []Comparison {
	var out []Comparison
	var ps []float64
	var oks []bool
	for ci := range values {
		if ci == ref {
			continue
		}
		cmp := Comparison{A: names[ref], B: names[ci]}
		for si := range values[ci] {
			a, b := values[ref][si], values[ci][si]
			switch {
			case a > b:
				cmp.Wins++
			case a < b:
				cmp.Losses++
			default:
				cmp.Ties++
			}
		}
		p, ok := Wilcoxon(values[ref], values[ci])
		if ok {
			cmp.WilcoxonP = &p
		}
		ps, oks = append(ps, p), append(oks, ok)
		out = append(out, cmp)
	}
	for i, h := range Holm(ps, oks) {
		if oks[i] {
			out[i].HolmP = &h
		}
	}
	return out
}

// JSON is summary.json.
func (m *SweepSummary) JSON() []byte {
	b, _ := json.MarshalIndent(m, "", " ")
	return append(b, '\n')
}

// find returns the result of a domain, checkpoint and metric.
func (m *SweepSummary) find(domain string, it int, metric string) *Result {
	for i := range m.Results {
		r := &m.Results[i]
		if r.Domain == domain && r.Iteration == it && r.Metric == metric {
			return r
		}
	}
	return nil
}

// Markdown is summary.md: per domain and checkpoint, a table of every condition's best test
// (median with its interval, mean ± std, the comparison with the reference) beside its best
// validation, best train and area under the curve (medians). summary.json has every number.
func (m *SweepSummary) Markdown() []byte {
	s := m.Spec
	var b strings.Builder
	f3 := func(v float64) string { return strconv.FormatFloat(v, 'f', 3, 64) }
	pv := func(p *float64) string {
		if p == nil {
			return "—"
		}
		if *p < 0.001 {
			return strconv.FormatFloat(*p, 'e', 1, 64)
		}
		return strconv.FormatFloat(*p, 'f', 3, 64)
	}
	fmt.Fprintf(&b, "# Sweep summary\n\n")
	var conds []string
	for _, c := range s.Conditions {
		what := c.Meta + " × " + c.Selection
		if c.Mode != "" {
			what = "mode " + c.Mode
		}
		conds = append(conds, "`"+c.Name+"` ("+what+")")
	}
	fmt.Fprintf(&b, "Domains: %s. Conditions: %s. %d seeds (7 + 13·k), %d iterations, checkpoints %s; reference `%s`. Engine %s.\n\n",
		strings.Join(s.Domains, ", "), strings.Join(conds, ", "), s.Seeds, s.Iterations, strings.Trim(fmt.Sprint(s.Checkpoints), "[]"), s.Reference, m.EngineVersion)
	b.WriteString("**Primary endpoint** (fixed before running): best test — the test accuracy of the agent chosen on " +
		"validation — at the last checkpoint. Accuracies are chance-corrected balanced accuracies (0 = a constant guess, " +
		"1 = perfect); on the maze, fitness (1 − final distance / start distance).\n\n")
	b.WriteString("How to read: median [95% bootstrap CI] over seeds; mean ± population std; p: paired two-sided Wilcoxon " +
		"signed-rank test against the reference (as scipy.stats.wilcoxon computes it), — when every difference is zero " +
		"(no test); Holm: adjusted over the comparisons of the table; W/T/L: seeds where the reference is higher / equal / lower. " +
		"Validation, train and AUC (area under the best-train curve, divided by the iterations) are medians; " +
		"summary.json has their intervals and tests too.\n")
	for _, dom := range m.domains() {
		fmt.Fprintf(&b, "\n## %s\n", dom)
		for _, cp := range s.Checkpoints {
			test := m.find(dom, cp, "best_test")
			val, train, auc := m.find(dom, cp, "best_val"), m.find(dom, cp, "best_train"), m.find(dom, cp, "auc")
			tag := ""
			if cp == s.Checkpoints[len(s.Checkpoints)-1] {
				tag = " (primary endpoint)"
			}
			fmt.Fprintf(&b, "\n### Iteration %d%s\n\n", cp, tag)
			fmt.Fprintf(&b, "| condition | best test: median [95%% CI] | mean ± std | p vs %s | Holm p | W/T/L | best val | best train | AUC |\n", s.Reference)
			b.WriteString("|---|---|---|---|---|---|---|---|---|\n")
			for ci, c := range test.Conditions {
				p, h, wtl := "reference", "", ""
				for _, cmp := range test.Comparisons {
					if cmp.B == c.Name {
						p, h, wtl = pv(cmp.WilcoxonP), pv(cmp.HolmP), fmt.Sprintf("%d/%d/%d", cmp.Wins, cmp.Ties, cmp.Losses)
					}
				}
				fmt.Fprintf(&b, "| %s | %s [%s, %s] | %s ± %s | %s | %s | %s | %s | %s | %s |\n", c.Name,
					f3(c.Median), f3(c.CI[0]), f3(c.CI[1]), f3(c.Mean), f3(c.Std), p, h, wtl,
					f3(val.Conditions[ci].Median), f3(train.Conditions[ci].Median), f3(auc.Conditions[ci].Median))
			}
		}
	}
	return []byte(b.String())
}

// domains lists the summary's domains in order.
func (m *SweepSummary) domains() []string {
	var out []string
	for _, r := range m.Results {
		if len(out) == 0 || out[len(out)-1] != r.Domain {
			out = append(out, r.Domain)
		}
	}
	return out
}
