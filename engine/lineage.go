package engine

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
)

// Index returns the archive index of the agent with the given id, and whether it is in the archive.
// Agent ids are "agent-NNN" with NNN the creation order, so this is a parse and one check.
func (a *Archive) Index(id string) (int, bool) {
	s, ok := strings.CutPrefix(id, "agent-")
	if !ok || s == "" {
		return 0, false
	}
	i, err := strconv.Atoi(s)
	if err != nil || i < 0 || i >= a.Len() || a.At(i).Agent.ID != id {
		return 0, false
	}
	return i, true
}

// Ancestors returns the archive indexes from entry i back to the seed agent: i first, the seed
// last. It stops early if a parent is missing.
func (a *Archive) Ancestors(i int) []int {
	chain := []int{i}
	for {
		p := a.At(chain[len(chain)-1]).Agent.ParentID
		if p == "" {
			return chain
		}
		pi, ok := a.Index(p)
		if !ok || pi >= chain[len(chain)-1] {
			return chain
		}
		chain = append(chain, pi)
	}
}

// EventAt rebuilds the event of iteration i (1 ≤ i ≤ Iterations) from the archive and the progress
// rows: the same value [Run.Step] returned then.
func (r *Run) EventAt(i int) Event {
	if i < 1 || i > r.Iterations() {
		panic(fmt.Sprintf("engine: EventAt(%d) out of range 1..%d", i, r.Iterations()))
	}
	c := r.archive.At(i)
	pi, _ := r.archive.Index(c.Agent.ParentID)
	p := r.archive.At(pi)
	delta := Round(c.Eval.Fitness-p.Eval.Fitness, 4)
	if r.cfg.Flavour == FlavourAdaptive {
		delta = c.Eval.Fitness - p.Eval.Fitness
	}
	return Event{
		Iteration: c.Created,
		Parent:    pi,
		Child:     i,
		ParentID:  p.Agent.ID,
		ChildID:   c.Agent.ID,
		Delta:     delta,
		Source:    c.Source,
		Summary:   c.Eval.Summary,
		Progress:  r.ProgressAt(i),
	}
}

// Change is one difference between a parent agent and its child.
type Change struct {
	Part  string `json:"part"`  // "task" or "meta"
	Field string `json:"field"` // e.g. "weight tests", "threshold", "focus", "memory"
	From  string `json:"from"`
	To    string `json:"to"`
}

// Diff lists what changed from parent to child, task policy first, then meta policy. Numbers are
// shown with 4 decimals; d names the weights and the focus. A change is listed when the shown
// values differ, so a number that moved by less than the fourth decimal is not. Equal values are
// passed over before anything is formatted or named: most of a child's numbers are its parent's
// (the Lineage view describes hundreds of edges at once).
func Diff(parent, child *Agent, d Domain) []Change {
	var out []Change
	num := func(v float64) string { return strconv.FormatFloat(v, 'f', 4, 64) }
	add := func(part, field, from, to string) {
		if from != to {
			out = append(out, Change{Part: part, Field: field, From: from, To: to})
		}
	}
	// Equal bits show equally (NaN included), so skipping them before formatting changes nothing.
	same := func(a, b float64) bool { return math.Float64bits(a) == math.Float64bits(b) }
	addNum := func(part, field string, from, to float64) {
		if !same(from, to) {
			add(part, field, num(from), num(to))
		}
	}
	shape, features := d.Info().Shape, d.Features()
	addParam := func(i int, from, to float64) { // named only when it may have changed
		if !same(from, to) {
			add("task", ParamName(shape, features, i), num(from), num(to))
		}
	}
	for i := range min(len(parent.Task.Weights), len(child.Task.Weights)) {
		addParam(i, parent.Task.Weights[i], child.Task.Weights[i])
	}
	if shape.Task != TaskMulticlass && shape.Task != TaskControl {
		addNum("task", "threshold", parent.Task.Threshold, child.Task.Threshold)
	}
	for i := range min(len(parent.Task.Biases), len(child.Task.Biases)) {
		addParam(shape.Weights()+i, parent.Task.Biases[i], child.Task.Biases[i])
	}
	add("task", "review style", string(parent.Task.ReviewStyle), string(child.Task.ReviewStyle))
	if parent.Meta.Adaptive() || child.Meta.Adaptive() {
		for k, spec := range Knobs {
			addNum("meta", spec.Name, parent.Meta.Knobs[k], child.Meta.Knobs[k])
		}
	} else {
		name := func(i int) string {
			if i >= 0 && i < len(features) {
				return features[i]
			}
			return strconv.Itoa(i)
		}
		add("meta", "focus", name(parent.Meta.Focus), name(child.Meta.Focus))
		addNum("meta", "weight step", parent.Meta.WeightStep, child.Meta.WeightStep)
		addNum("meta", "threshold step", parent.Meta.ThresholdStep, child.Meta.ThresholdStep)
		addNum("meta", "exploration scale", parent.Meta.ExplorationScale, child.Meta.ExplorationScale)
	}
	if !slices.Equal(parent.Meta.Memory, child.Meta.Memory) { // equal lists join equally
		add("meta", "memory", strings.Join(parent.Meta.Memory, " | "), strings.Join(child.Meta.Memory, " | "))
	}
	return out
}

// ParamName names coordinate i of a task policy of the given shape: "weight FEATURE" in a
// single-output policy, "weight OUTPUT·FEATURE" otherwise, then "threshold" or "bias OUTPUT".
func ParamName(shape Shape, features []string, i int) string {
	nw := shape.Weights()
	if i >= nw {
		if shape.Task == TaskBinary {
			return "threshold"
		}
		return "bias " + shape.Outputs[i-nw]
	}
	if len(shape.Outputs) <= 1 {
		return "weight " + features[i]
	}
	return "weight " + shape.Outputs[i/shape.Inputs] + "·" + features[i%shape.Inputs]
}
