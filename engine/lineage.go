package engine

import (
	"fmt"
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
	return Event{
		Iteration: c.Created,
		Parent:    pi,
		Child:     i,
		ParentID:  p.Agent.ID,
		ChildID:   c.Agent.ID,
		Delta:     Round(c.Eval.Fitness-p.Eval.Fitness, 4),
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
// shown with 4 decimals; features names the weights and the focus.
func Diff(parent, child *Agent, features []string) []Change {
	var out []Change
	num := func(v float64) string { return strconv.FormatFloat(v, 'f', 4, 64) }
	add := func(part, field, from, to string) {
		if from != to {
			out = append(out, Change{Part: part, Field: field, From: from, To: to})
		}
	}
	for i, f := range features {
		if i < len(parent.Task.Weights) && i < len(child.Task.Weights) {
			add("task", "weight "+f, num(parent.Task.Weights[i]), num(child.Task.Weights[i]))
		}
	}
	add("task", "threshold", num(parent.Task.Threshold), num(child.Task.Threshold))
	add("task", "review style", string(parent.Task.ReviewStyle), string(child.Task.ReviewStyle))
	name := func(i int) string {
		if i >= 0 && i < len(features) {
			return features[i]
		}
		return strconv.Itoa(i)
	}
	add("meta", "focus", name(parent.Meta.Focus), name(child.Meta.Focus))
	add("meta", "weight step", num(parent.Meta.WeightStep), num(child.Meta.WeightStep))
	add("meta", "threshold step", num(parent.Meta.ThresholdStep), num(child.Meta.ThresholdStep))
	add("meta", "exploration scale", num(parent.Meta.ExplorationScale), num(child.Meta.ExplorationScale))
	add("meta", "memory", strings.Join(parent.Meta.Memory, " | "), strings.Join(child.Meta.Memory, " | "))
	return out
}
