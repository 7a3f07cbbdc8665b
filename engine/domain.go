package engine

// Example is one labelled item of a domain: e.g. a repository described by its features, in the
// domain's feature order, and (code_review only) the rule adjustments that apply to it. Label is
// the class index: 1 accept / 0 reject in binary domains.
type Example struct {
	ID          string       `json:"id"`
	Name        string       `json:"name"`
	Features    []float64    `json:"features"`
	Label       int          `json:"label"`
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

// Bounds are the ranges every policy value is clamped to. The step and exploration ranges belong
// to the seed and standard flavours' meta policy; the adaptive flavour's knobs have their own
// ([Knobs]). Threshold bounds thresholds and, in multi-class domains, biases.
type Bounds struct {
	Weight           [2]float64 `json:"weight"`
	Threshold        [2]float64 `json:"threshold"`
	WeightStep       [2]float64 `json:"weight_step"`
	ThresholdStep    [2]float64 `json:"threshold_step"`
	ExplorationScale [2]float64 `json:"exploration_scale"`
}

// Task kinds of [Shape].
const (
	TaskBinary     = "binary"     // accept iff w·x ≥ threshold
	TaskMulticlass = "multiclass" // argmax over classes of w_k·x + b_k
	TaskControl    = "control"    // outputs drive a simulated agent
)

// Shape is the form of a domain's task policy: a weight matrix of Outputs rows by Inputs columns
// (row-major in [TaskPolicy.Weights]), plus one threshold (binary) or one bias per row
// (multi-class), or neither (control).
type Shape struct {
	Task    string   `json:"task"`
	Outputs []string `json:"outputs"` // row names: "accept", class names, "turn" and "speed"
	Inputs  int      `json:"inputs"`
}

// Weights is the number of weights.
func (s Shape) Weights() int { return len(s.Outputs) * s.Inputs }

// Extras is the number of thresholds or biases after the weights.
func (s Shape) Extras() int {
	switch s.Task {
	case TaskBinary:
		return 1
	case TaskMulticlass:
		return len(s.Outputs)
	}
	return 0
}

// Params is the number of numbers in a task policy.
func (s Shape) Params() int { return s.Weights() + s.Extras() }

// Domain kinds of [DomainInfo].
const (
	KindDataset    = "dataset"    // real data shipped with the program
	KindProcedural = "procedural" // generated from a task seed
	KindSimulated  = "simulated"  // no rows: an environment
)

// DomainInfo describes a domain for people and listings.
type DomainInfo struct {
	Name        string `json:"name"`   // canonical name, e.g. "hidden:7"
	Family      string `json:"family"` // e.g. "hidden"
	Kind        string `json:"kind"`
	Description string `json:"description"`
	Source      string `json:"source"` // where the data come from, with credit and licence
	Shape       Shape  `json:"shape"`
	// Rows per split (train, validation, test); zero for simulated domains.
	Rows [3]int `json:"rows"`
	// Parameters describes the generator or the split, e.g. "split seed 0, 50/25/25 stratified".
	Parameters string `json:"parameters"`
	// Selection is the selection the full system uses on this domain (RESEARCH.md §2: DGM's sharp
	// sigmoid traps the maze, where seed-style selection escapes).
	Selection Selection `json:"selection"`
}

// Domain is a task a task policy solves: named features, a policy shape, the bounds of every
// policy value, and a deliberately weak initial agent. Classification domains also implement
// [Labelled]; the maze implements [Simulated]. Implementations must be deterministic and must
// not change after construction, so one value may serve many runs at once.
type Domain interface {
	// Name is the canonical name [LookupDomain] reads back, e.g. "wine" or "hidden:7@2".
	Name() string
	// Info describes the domain.
	Info() DomainInfo
	// Features names the policy's inputs, in the order of [Example.Features].
	Features() []string
	// Bounds are the ranges policies are clamped to.
	Bounds() Bounds
	// Seed is the agent every run starts from, with generation 0 and no parent.
	Seed() Agent
}

// Labelled is a classification domain: labelled examples in train, validation and test splits.
// Fitness is measured on train; the reported agent is chosen on validation; test is reported
// only, never used for selection or by the mutation operator.
type Labelled interface {
	Domain
	// Classes names the labels: index 1 is the positive class of a binary domain.
	Classes() []string
	Train() []Example
	// Val may be empty (code_review has no validation split).
	Val() []Example
	Test() []Example
}
