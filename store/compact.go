package store

import (
	"errors"
	"fmt"
	"math"
	"strconv"

	"hyperagents/engine"
)

// The compact rows of schema 5. An agent's notes and summary, and an event's summary, are numbers
// of texts stored once per run (the texts table), numbered in order of first use as the run's rows
// are written iteration by iteration: saving, verifying and converting an older file all number
// them the same way. Policies and error means are JSON arrays in the domain's feature order:
//
//	task_policy   code_review: [w₁ … wₙ, threshold, "review style"]
//	              adaptive:    [weights by output then feature …, threshold (binary) or one bias per output (multiclass)]
//	meta_policy   code_review: [focus feature index, weight step, threshold step, exploration scale, [memory note ids]]
//	              adaptive:    [σ, σ_b, p_mut, η, q, τ, [memory note ids]]
//	lineage_notes [note ids]
//	error_means   code_review: [[false-positive means by feature], [false-negative means by feature]]; adaptive: []

// texts numbers the distinct texts of one run.
type texts struct {
	ids   map[string]int
	list  []string // by id
	saved int      // list[:saved] are stored
}

func newTexts() *texts { return &texts{ids: map[string]int{}} }

// id returns the number of s, giving it the next one on first use.
func (t *texts) id(s string) int {
	if id, ok := t.ids[s]; ok {
		return id
	}
	id := len(t.list)
	t.ids[s] = id
	t.list = append(t.list, s)
	return id
}

// unsaved adds the rows of the texts numbered since the last call to out and marks them saved.
func (t *texts) unsaved(run string, out *rows) {
	for id := t.saved; id < len(t.list); id++ {
		out.add(run, id, t.list[id])
	}
	t.saved = len(t.list)
}

// rowEncoder writes an agent's compact columns for one domain.
type rowEncoder struct {
	nf       int // features
	shape    engine.Shape
	adaptive bool
	buf      []byte
}

func newRowEncoder(d engine.Domain) *rowEncoder {
	return &rowEncoder{nf: len(d.Features()), shape: d.Info().Shape, adaptive: engine.DefaultFlavour(d) == engine.FlavourAdaptive}
}

// nums writes v as comma-separated numbers, n of them: zeros past the end of v.
func nums(b []byte, v []float64, n int) []byte {
	for i := range n {
		if i > 0 {
			b = append(b, ',')
		}
		if i < len(v) {
			b = appendNum(b, v[i])
		} else {
			b = append(b, '0')
		}
	}
	return b
}

func ids(b []byte, t *texts, notes []string) []byte {
	b = append(b, '[')
	for i, s := range notes {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendInt(b, t.id(s))
	}
	return append(b, ']')
}

func appendInt(b []byte, v int) []byte { return strconv.AppendInt(b, int64(v), 10) }

// columns returns e's task policy, meta policy, lineage notes and error means, numbering the
// notes in t (lineage first, then memory).
func (x *rowEncoder) columns(e *engine.Entry, t *texts) (task, meta, lineage, means string) {
	a := &e.Agent
	b := x.buf[:0]
	b = append(b, '[')
	if !x.adaptive {
		b = nums(b, a.Task.Weights, x.nf)
		b = append(b, ',')
		b = appendNum(b, a.Task.Threshold)
		b = append(b, ',')
		b = appendJSONString(b, string(a.Task.ReviewStyle))
	} else {
		b = nums(b, a.Task.Weights, x.nf*len(x.shape.Outputs))
		switch x.shape.Task {
		case engine.TaskBinary:
			b = append(b, ',')
			b = appendNum(b, a.Task.Threshold)
		case engine.TaskMulticlass:
			b = append(b, ',')
			b = nums(b, a.Task.Biases, len(x.shape.Outputs))
		}
	}
	b = append(b, ']')
	task = string(b)

	b = ids(b[:0], t, a.Lineage)
	lineage = string(b)

	b = append(b[:0], '[')
	if !x.adaptive {
		b = appendInt(b, a.Meta.Focus)
		b = append(b, ',')
		b = nums(b, []float64{a.Meta.WeightStep, a.Meta.ThresholdStep, a.Meta.ExplorationScale}, 3)
	} else {
		b = nums(b, a.Meta.Knobs[:], engine.NumKnobs)
	}
	b = append(b, ',')
	b = ids(b, t, a.Meta.Memory)
	b = append(b, ']')
	meta = string(b)

	if x.adaptive {
		means = "[]"
	} else {
		b = append(b[:0], '[', '[')
		b = nums(b, e.Eval.FalsePosAvgs, x.nf)
		b = append(b, ']', ',', '[')
		b = nums(b, e.Eval.FalseNegAvgs, x.nf)
		b = append(b, ']', ']')
		means = string(b)
	}
	x.buf = b
	return task, meta, lineage, means
}

// agentRow adds e's agents row for run id.
func (x *rowEncoder) agentRow(out *rows, id string, e *engine.Entry, t *texts) {
	task, meta, lineage, means := x.columns(e, t)
	var parent any
	if e.Agent.ParentID != "" {
		parent = e.Agent.ParentID
	}
	ev := &e.Eval
	out.add(id, e.Agent.ID, parent, e.Agent.Generation, e.Created, e.Source, task, meta, lineage,
		ev.Fitness, ev.TrainAccuracy, ev.ValAccuracy, ev.TestAccuracy, ev.FalsePos, ev.FalseNeg, means, t.id(ev.Summary))
}

// decodeCompact reads an agent's compact columns back, strictly: wrong lengths, types or note
// numbers are errors. notes are the run's texts by number.
func decodeCompact(e *engine.Entry, d engine.Domain, notes []string, task, meta, lineage, means string, summary int64) error {
	x := newRowEncoder(d)
	tv, err := jsonArray(task, "task policy")
	if err != nil {
		return err
	}
	var p engine.TaskPolicy
	if !x.adaptive {
		if len(tv) != x.nf+2 {
			return fmt.Errorf("task policy: want %d weights, a threshold and a review style", x.nf)
		}
		if p.Weights, err = numbers(tv[:x.nf], "task policy weights"); err != nil {
			return err
		}
		th, ok1 := tv[x.nf].(float64)
		style, ok2 := tv[x.nf+1].(string)
		if !ok1 || !ok2 {
			return errors.New("task policy: the threshold must be a number and the review style a string")
		}
		p.Threshold, p.ReviewStyle = th, engine.ReviewStyle(style)
	} else {
		nw := x.nf * len(x.shape.Outputs)
		extra := 0
		switch x.shape.Task {
		case engine.TaskBinary:
			extra = 1
		case engine.TaskMulticlass:
			extra = len(x.shape.Outputs)
		}
		if len(tv) != nw+extra {
			return fmt.Errorf("task policy: want %d numbers", nw+extra)
		}
		all, err := numbers(tv, "task policy")
		if err != nil {
			return err
		}
		p.Weights = all[:nw:nw]
		switch x.shape.Task {
		case engine.TaskBinary:
			p.Threshold = all[nw]
		case engine.TaskMulticlass:
			p.Biases = all[nw:]
		}
	}
	e.Agent.Task = p

	mv, err := jsonArray(meta, "meta policy")
	if err != nil {
		return err
	}
	n := 4
	if x.adaptive {
		n = engine.NumKnobs
	}
	if len(mv) != n+1 {
		return fmt.Errorf("meta policy: want %d numbers and a list of memory notes", n)
	}
	mn, err := numbers(mv[:n], "meta policy")
	if err != nil {
		return err
	}
	if x.adaptive {
		copy(e.Agent.Meta.Knobs[:], mn)
	} else {
		focus := mn[0]
		if focus != math.Trunc(focus) || focus < 0 || int(focus) >= x.nf {
			return fmt.Errorf("meta policy: focus %v is not a feature's number", focus)
		}
		e.Agent.Meta.Focus, e.Agent.Meta.WeightStep, e.Agent.Meta.ThresholdStep, e.Agent.Meta.ExplorationScale = int(focus), mn[1], mn[2], mn[3]
	}
	if e.Agent.Meta.Memory, err = noteList(mv[n], notes, "memory notes"); err != nil {
		return err
	}

	lv, err := parseJSON(lineage)
	if err != nil {
		return fmt.Errorf("lineage notes: %w", err)
	}
	if e.Agent.Lineage, err = noteList(lv, notes, "lineage notes"); err != nil {
		return err
	}

	ev, err := jsonArray(means, "error means")
	if err != nil {
		return err
	}
	if x.adaptive {
		if len(ev) != 0 {
			return errors.New("error means: an adaptive agent has none ([])")
		}
	} else {
		if len(ev) != 2 {
			return errors.New("error means: want the false positives' and the false negatives'")
		}
		for i, dst := range []*[]float64{&e.Eval.FalsePosAvgs, &e.Eval.FalseNegAvgs} {
			a, ok := ev[i].([]any)
			if !ok || len(a) != x.nf {
				return fmt.Errorf("error means: want %d numbers for each kind of error", x.nf)
			}
			if *dst, err = numbers(a, "error means"); err != nil {
				return err
			}
		}
	}
	if summary < 0 || summary >= int64(len(notes)) {
		return fmt.Errorf("evaluation summary: text %d is not stored", summary)
	}
	e.Eval.Summary = notes[summary]
	return nil
}

// jsonArray parses s as a JSON array.
func jsonArray(s, what string) ([]any, error) {
	v, err := parseJSON(s)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	a, ok := v.([]any)
	if !ok {
		return nil, fmt.Errorf("%s: want an array", what)
	}
	return a, nil
}

// numbers reads an array of numbers.
func numbers(a []any, what string) ([]float64, error) {
	out := make([]float64, len(a))
	for i, x := range a {
		v, ok := x.(float64)
		if !ok {
			return nil, fmt.Errorf("%s: want numbers", what)
		}
		out[i] = v
	}
	return out, nil
}

// noteList reads an array of text numbers as the texts.
func noteList(v any, notes []string, what string) ([]string, error) {
	a, ok := v.([]any)
	if !ok {
		return nil, fmt.Errorf("%s: want an array of text numbers", what)
	}
	out := make([]string, len(a))
	for i, x := range a {
		n, ok := x.(float64)
		if !ok || n != math.Trunc(n) || n < 0 || n >= float64(len(notes)) {
			return nil, fmt.Errorf("%s: %v is not a stored text's number", what, x)
		}
		out[i] = notes[int(n)]
	}
	return out, nil
}
