package engine

// Example is one labelled item of a domain: a repository described by its features, in the domain's
// feature order.
type Example struct {
	ID       string    `json:"id"`
	Name     string    `json:"name"`
	Features []float64 `json:"features"`
	Label    int       `json:"label"` // 1 accept, 0 reject
}

// Adjustment is one rule of a domain's prediction that moved an example's score.
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
// features, a seed agent to start from, and a prediction rule. Implementations must be deterministic
// and must not change their examples after construction.
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
	// Score is the example's score under the weights, rule adjustments included.
	Score(weights []float64, x *Example) float64
	// Explain breaks down the score of x under the policy.
	Explain(p *TaskPolicy, x *Example) Breakdown
}
