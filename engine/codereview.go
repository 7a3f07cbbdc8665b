package engine

import (
	"bytes"
	_ "embed"
	"encoding/csv"
	"fmt"
	"strconv"
)

//go:embed data/code_review.csv
var codeReviewCSV []byte

// CodeReviewFeatures are the code-review domain's features, in the order that sums, ties and
// weights follow.
var CodeReviewFeatures = []string{"maintainability", "security", "test_coverage", "documentation", "simplicity"}

// Feature indexes of the code-review domain, used by its prediction rule.
const (
	crMaintainability = iota
	crSecurity
	crTestCoverage
)

// CodeReview is the seed's domain: accept or reject a code repository from five quality features in
// [0, 1]; 20 train and 10 test repositories (the seed's dataset.csv, shipped in the package).
type CodeReview struct {
	train, test []Example
}

// NewCodeReview parses the shipped dataset.
func NewCodeReview() (*CodeReview, error) {
	d, err := ParseCodeReviewCSV(codeReviewCSV)
	if err != nil {
		return nil, fmt.Errorf("engine: shipped code-review dataset: %w", err)
	}
	return d, nil
}

// ParseCodeReviewCSV reads a dataset in the seed's dataset.csv layout: split, id, name, the five
// features in [CodeReviewFeatures] order, label.
func ParseCodeReviewCSV(data []byte) (*CodeReview, error) {
	recs, err := csv.NewReader(bytes.NewReader(data)).ReadAll()
	if err != nil {
		return nil, fmt.Errorf("read csv: %w", err)
	}
	if len(recs) < 2 {
		return nil, fmt.Errorf("no rows")
	}
	want := append(append([]string{"split", "id", "name"}, CodeReviewFeatures...), "label")
	if fmt.Sprint(recs[0]) != fmt.Sprint(want) {
		return nil, fmt.Errorf("header %v, want %v", recs[0], want)
	}
	d := &CodeReview{}
	for i, r := range recs[1:] {
		f := make([]float64, len(CodeReviewFeatures))
		for j := range f {
			v, err := strconv.ParseFloat(r[3+j], 64)
			if err != nil || v < 0 || v > 1 {
				return nil, fmt.Errorf("row %d: %s = %q is not a number in [0, 1]", i+2, CodeReviewFeatures[j], r[3+j])
			}
			f[j] = v
		}
		x := d.NewExample(r[1], r[2], f, 0)
		switch r[len(r)-1] {
		case "1":
			x.Label = 1
		case "0":
			x.Label = 0
		default:
			return nil, fmt.Errorf("row %d: label %q is not 0 or 1", i+2, r[len(r)-1])
		}
		switch r[0] {
		case "train":
			d.train = append(d.train, x)
		case "test":
			d.test = append(d.test, x)
		default:
			return nil, fmt.Errorf("row %d: split %q is not train or test", i+2, r[0])
		}
	}
	if len(d.train) == 0 || len(d.test) == 0 {
		return nil, fmt.Errorf("need train and test rows, have %d and %d", len(d.train), len(d.test))
	}
	return d, nil
}

// CodeReviewName is the code-review domain's name. Files from before domains had names call it
// "code-review"; [LookupDomain] reads that too.
const CodeReviewName = "code_review"

// Name implements [Domain].
func (d *CodeReview) Name() string { return CodeReviewName }

// Info implements [Domain].
func (d *CodeReview) Info() DomainInfo {
	return DomainInfo{
		Name: CodeReviewName, Family: CodeReviewName, Kind: KindDataset,
		Description: "Accept or reject a code repository from five quality features in [0, 1] " +
			"(maintainability, security, test coverage, documentation, simplicity): a weighted sum plus " +
			"fixed rule adjustments against a threshold and a review style. The seed system's 30 hand-made " +
			"rows; they saturate within ten iterations, so no claim rests on this domain.",
		Source: "The seed system's dataset.csv (hand-made for the seed artifact).",
		Shape:  Shape{Task: TaskBinary, Outputs: []string{"accept"}, Inputs: len(CodeReviewFeatures)},
		Rows:   [3]int{len(d.train), 0, len(d.test)}, Parameters: "the seed's fixed 20/10 train/test split",
		Selection: SelectSeed,
	}
}

// Classes implements [Labelled].
func (d *CodeReview) Classes() []string { return []string{"reject", "accept"} }

// Val implements [Labelled]: code_review has no validation split.
func (d *CodeReview) Val() []Example { return nil }

// Features implements [Domain].
func (d *CodeReview) Features() []string { return CodeReviewFeatures }

// Train implements [Domain].
func (d *CodeReview) Train() []Example { return d.train }

// Test implements [Domain].
func (d *CodeReview) Test() []Example { return d.test }

// Bounds implements [Domain] with the seed's clamps (REFERENCE §3).
func (d *CodeReview) Bounds() Bounds {
	return Bounds{
		Weight:           [2]float64{0.25, 1.8},
		Threshold:        [2]float64{2.4, 4.2},
		WeightStep:       [2]float64{0.04, 0.22},
		ThresholdStep:    [2]float64{0.03, 0.14},
		ExplorationScale: [2]float64{0.05, 0.45},
	}
}

// Seed implements [Domain] with the seed's agent-000 (REFERENCE §7).
func (d *CodeReview) Seed() Agent {
	return Agent{
		ID: AgentID(0),
		Task: TaskPolicy{
			Weights:     []float64{0.90, 0.85, 0.88, 0.72, 0.78},
			Threshold:   3.05,
			ReviewStyle: StyleBalanced,
		},
		Meta: MetaPolicy{
			Focus:            crSecurity,
			WeightStep:       0.12,
			ThresholdStep:    0.07,
			ExplorationScale: 0.18,
			Memory:           []string{"Initial reviewer: watch for repos with good docs but poor security or no tests."},
		},
		Lineage: []string{"Seed agent with simple weighted scoring and no domain-specific special casing."},
	}
}

// Rules returns the code-review prediction rule's adjustments that apply to a repository with
// features f, in the order they are applied (REFERENCE §5.1).
func (d *CodeReview) Rules(f []float64) []Adjustment {
	var out []Adjustment
	if f[crSecurity] < 0.35 {
		out = append(out, Adjustment{Reason: "security below 0.35", Value: -0.15})
	}
	if f[crTestCoverage] < 0.30 {
		out = append(out, Adjustment{Reason: "test coverage below 0.30", Value: -0.08})
	}
	if f[crMaintainability] > 0.78 && f[crSecurity] > 0.78 {
		out = append(out, Adjustment{Reason: "maintainability and security above 0.78", Value: 0.08})
	}
	return out
}

// NewExample builds a repository example with the domain's rule adjustments, e.g. for live review.
func (d *CodeReview) NewExample(id, name string, features []float64, label int) Example {
	return Example{ID: id, Name: name, Features: features, Label: label, Adjustments: d.Rules(features)}
}
