package engine

import (
	"strconv"
	"strings"
)

// Prediction is one example's score under an agent and whether it was accepted.
type Prediction struct {
	Score  float64 `json:"score"`
	Accept bool    `json:"accept"`
}

// Evaluation is how an agent did.
//
// In the seed and standard flavours (code_review): train and test accuracy (rounded to 3 decimals;
// fitness is the train accuracy), false positives and negatives on the train set with their
// per-feature means (rounded to 4 decimals, all zero when there are none), a one-line summary and
// the score of every example: train examples first, then test examples, in dataset order. An
// example is accepted when its score reaches the policy's [TaskPolicy.Cutoff];
// [Evaluation.Predictions] pairs each score with that verdict.
//
// In the adaptive flavour the accuracies are chance-corrected balanced accuracies (a constant
// prediction scores 0, a perfect one 1) on train, validation and test, or the maze's fitness per
// split; FalsePos and FalseNeg count train errors (in a multi-class domain every error is in
// FalseNeg); there are no feature means or scores.
type Evaluation struct {
	Fitness       float64   `json:"fitness"`
	TrainAccuracy float64   `json:"train_accuracy"`
	ValAccuracy   float64   `json:"val_accuracy"`
	TestAccuracy  float64   `json:"test_accuracy"`
	FalsePos      int       `json:"false_positive_count"`
	FalseNeg      int       `json:"false_negative_count"`
	FalsePosAvgs  []float64 `json:"false_positive_feature_avgs"`
	FalseNegAvgs  []float64 `json:"false_negative_feature_avgs"`
	Summary       string    `json:"summary"`
	Scores        []float64 `json:"scores"`
}

// Evaluate evaluates the policy on every split of the domain (code_review: REFERENCE §5.2).
func Evaluate(d Domain, p *TaskPolicy) Evaluation {
	switch dd := d.(type) {
	case *CodeReview:
		ev := score(dd, p, nil)
		ev.Summary = summarize(d.Features(), &ev)
		return ev
	case Labelled:
		return newClassScorer(dd).eval(p)
	case *Maze:
		return mazeEval{m: dd}.eval(p)
	}
	return Evaluation{}
}

// summaryKey identifies a summary line by its error counts and the features they name.
func summaryKey(ev *Evaluation) uint64 {
	return uint64(ev.FalsePos)<<48 | uint64(ev.FalseNeg)<<32 | uint64(argmin(ev.FalsePosAvgs))<<16 | uint64(argmax(ev.FalseNegAvgs))
}

// evaluate is [Evaluate] with the run's cache of summary lines, which repeat endlessly; buf, if
// not nil, holds [Run.evalLen] floats for the scores and means.
func (r *Run) evaluate(p *TaskPolicy, buf []float64) Evaluation {
	switch {
	case r.scorer != nil:
		return r.scorer.eval(p)
	case r.sim != nil:
		return r.sim.eval(p)
	}
	ev := score(r.dom.(Labelled), p, buf)
	k := summaryKey(&ev)
	s, ok := r.summary[k]
	if !ok {
		s = summarize(r.features, &ev)
		r.summary[k] = s
	}
	ev.Summary = s
	return ev
}

// score computes everything of an evaluation but its summary, storing its numbers in buf (allocated
// if nil; else zeroed, of length examples + 2·features).
func score(d Labelled, p *TaskPolicy, buf []float64) Evaluation {
	train, test := d.Train(), d.Test()
	nf := len(d.Features())
	cut := p.Cutoff()
	n := len(train) + len(test)
	if buf == nil {
		buf = make([]float64, n+2*nf)
	}
	ev := Evaluation{
		Scores:       buf[:0:n],
		FalsePosAvgs: buf[n : n+nf : n+nf],
		FalseNegAvgs: buf[n+nf:],
	}
	correct := 0
	for i := range train {
		x := &train[i]
		s := dot(x, p.Weights)
		acc := s >= cut
		ev.Scores = append(ev.Scores, s)
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
		s := dot(x, p.Weights)
		acc := s >= cut
		ev.Scores = append(ev.Scores, s)
		if acc == (x.Label == 1) {
			correct++
		}
	}
	ev.TestAccuracy = Round(float64(correct)/float64(len(test)), 3)
	meanRound(ev.FalsePosAvgs, ev.FalsePos)
	meanRound(ev.FalseNegAvgs, ev.FalseNeg)
	return ev
}

// Predictions pairs every score with its verdict under p, the policy that was evaluated.
func (e *Evaluation) Predictions(p *TaskPolicy) []Prediction {
	cut := p.Cutoff()
	out := make([]Prediction, len(e.Scores))
	for i, s := range e.Scores {
		out[i] = Prediction{Score: s, Accept: s >= cut}
	}
	return out
}

// dot is [Example.Score] written out for the evaluation loop: function calls are costly under
// WebAssembly. The arithmetic, and so every bit, is the same.
func dot(x *Example, w []float64) float64 {
	f := x.Features
	w = w[:len(f)]
	s := 0.0
	for i := range f {
		s += float64(f[i] * w[i])
	}
	for i := range x.Adjustments {
		s += x.Adjustments[i].Value
	}
	return s
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
