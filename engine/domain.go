package engine

// Example is one labelled item of a domain: a repository described by its features, in the domain's
// feature order, and the domain's rule adjustments that apply to it.
type Example struct {
	ID          string       `json:"id"`
	Name        string       `json:"name"`
	Features    []float64    `json:"features"`
	Label       int          `json:"label"` // 1 accept, 0 reject
	Adjustments []Adjustment `json:"adjustments,omitempty"`
}

// Score is the example's score under the weights (REFERENCE §5.1): the weighted feature sum, in
// feature order, then each adjustment in order. Products are rounded before each addition so no FMA
// changes the bits.
func (x *Example) Score(w []float64) float64 {
	s := 0.0
	for i, v := range x.Features {
		s += float64(v * w[i])
	}
	for _, a := range x.Adjustments {
		s += a.Value
	}
	return s
}

// Explain breaks down the score of x under the policy.
func (x *Example) Explain(p *TaskPolicy) Breakdown {
	b := Breakdown{Contributions: make([]float64, len(x.Features)), Adjustments: x.Adjustments, Cutoff: p.Cutoff()}
	for i, v := range x.Features {
		b.Contributions[i] = float64(v * p.Weights[i])
	}
	b.Score = x.Score(p.Weights)
	b.Accept = b.Score >= b.Cutoff
	return b
}

// Adjustment is one rule of a domain's prediction that moves an example's score, whatever the
// weights: e.g. −0.15 for a repository with security below 0.35.
type Adjustment struct {
	Reason string  `json:"reason"`
	Value  float64 `json:"value"`
}

// Breakdown explains one prediction: what each feature contributed, which rules adjusted the score,
// and the cutoff the score was compared with.
type Breakdown struct {
	Contributions []float64    `json:"contributions"` // feature value × weight, in feature order
	Adjustments   []Adjustment `json:"adjustments"`
	Score         float64      `json:"score"`
	Cutoff        float64      `json:"cutoff"` // threshold + review-style offset
	Accept        bool         `json:"accept"` // Score >= Cutoff
}

// Bounds are the ranges every policy value is clamped to.
type Bounds struct {
	Weight           [2]float64 `json:"weight"`
	Threshold        [2]float64 `json:"threshold"`
	WeightStep       [2]float64 `json:"weight_step"`
	ThresholdStep    [2]float64 `json:"threshold_step"`
	ExplorationScale [2]float64 `json:"exploration_scale"`
}

// Domain is a task a task policy solves: labelled train and test examples described by named
// features, a seed agent to start from and the bounds of every policy value. The prediction rule is
// the weighted feature sum plus the domain's per-example [Adjustment]s, compared with the policy's
// cutoff ([Example.Score]). Implementations must be deterministic and must not change their
// examples after construction.
type Domain interface {
	// Name identifies the domain, e.g. "code-review".
	Name() string
	// Features names the features, in the order of [Example.Features] and [TaskPolicy.Weights].
	Features() []string
	// Train is the set fitness is measured on.
	Train() []Example
	// Test is held out: it is reported, never used for selection.
	Test() []Example
	// Bounds are the ranges policies are clamped to.
	Bounds() Bounds
	// Seed is the agent every run starts from, with generation 0 and no parent.
	Seed() Agent
}
