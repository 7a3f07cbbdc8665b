package engine

import (
	"strconv"
	"strings"
)

// Prediction is one example's score under an agent and whether it was accepted. An evaluation
// holds one per train example, then one per test example, in dataset order.
type Prediction struct {
	Score  float64 `json:"score"`
	Accept bool    `json:"accept"`
}

// Evaluation is how an agent did: train and test accuracy (rounded to 3 decimals; fitness is the train
// accuracy), false positives and negatives on the train set with their per-feature means (rounded to 4
// decimals, all zero when there are none), a one-line summary and every prediction.
type Evaluation struct {
	Fitness       float64      `json:"fitness"`
	TrainAccuracy float64      `json:"train_accuracy"`
	TestAccuracy  float64      `json:"test_accuracy"`
	FalsePos      int          `json:"false_positive_count"`
	FalseNeg      int          `json:"false_negative_count"`
	FalsePosAvgs  []float64    `json:"false_positive_feature_avgs"`
	FalseNegAvgs  []float64    `json:"false_negative_feature_avgs"`
	Summary       string       `json:"summary"`
	Predictions   []Prediction `json:"predictions"`
}

// Evaluate scores the policy on every train and test example of the domain (REFERENCE §5.2).
func Evaluate(d Domain, p *TaskPolicy) Evaluation {
	train, test := d.Train(), d.Test()
	nf := len(d.Features())
	cut := p.Cutoff()
	avgs := make([]float64, 2*nf)
	ev := Evaluation{
		FalsePosAvgs: avgs[:nf:nf],
		FalseNegAvgs: avgs[nf:],
		Predictions:  make([]Prediction, 0, len(train)+len(test)),
	}
	correct := 0
	for i := range train {
		x := &train[i]
		s := d.Score(p.Weights, x)
		acc := s >= cut
		ev.Predictions = append(ev.Predictions, Prediction{Score: s, Accept: acc})
		switch {
		case acc == (x.Label == 1):
			correct++
		case acc:
			ev.FalsePos++
			addTo(ev.FalsePosAvgs, x.Features)
		default:
			ev.FalseNeg++
			addTo(ev.FalseNegAvgs, x.Features)
		}
	}
	ev.TrainAccuracy = Round(float64(correct)/float64(len(train)), 3)
	ev.Fitness = Round(ev.TrainAccuracy, 3)
	correct = 0
	for i := range test {
		x := &test[i]
		s := d.Score(p.Weights, x)
		acc := s >= cut
		ev.Predictions = append(ev.Predictions, Prediction{Score: s, Accept: acc})
		if acc == (x.Label == 1) {
			correct++
		}
	}
	ev.TestAccuracy = Round(float64(correct)/float64(len(test)), 3)
	meanRound(ev.FalsePosAvgs, ev.FalsePos)
	meanRound(ev.FalseNegAvgs, ev.FalseNeg)
	ev.Summary = summarize(d.Features(), &ev)
	return ev
}

func addTo(sum, x []float64) {
	for i, v := range x {
		sum[i] += v
	}
}

func meanRound(sum []float64, n int) {
	if n == 0 {
		return
	}
	for i, v := range sum {
		sum[i] = Round(v/float64(n), 4)
	}
}

// summarize writes the seed's summary line: the FP count and the feature they are weakest on, the FN
// count and the feature they are strongest on (first feature wins ties).
func summarize(features []string, ev *Evaluation) string {
	if ev.FalsePos == 0 && ev.FalseNeg == 0 {
		return "Perfect train accuracy. Current lineage is stable."
	}
	var parts []string
	if ev.FalsePos > 0 {
		parts = append(parts, strconv.Itoa(ev.FalsePos)+" false positives, usually weak on "+features[argmin(ev.FalsePosAvgs)])
	}
	if ev.FalseNeg > 0 {
		parts = append(parts, strconv.Itoa(ev.FalseNeg)+" false negatives, often strong on "+features[argmax(ev.FalseNegAvgs)])
	}
	return strings.Join(parts, ". ") + "."
}

// argmax returns the index of the largest value; the first wins ties.
func argmax(v []float64) int {
	best := 0
	for i := 1; i < len(v); i++ {
		if v[i] > v[best] {
			best = i
		}
	}
	return best
}

// argmin returns the index of the smallest value; the first wins ties.
func argmin(v []float64) int {
	best := 0
	for i := 1; i < len(v); i++ {
		if v[i] < v[best] {
			best = i
		}
	}
	return best
}
