package engine

import (
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"
)

// Limits of an adaptive prompt: the train mistakes it lists, and the feature count up to which a
// mistake lists its features.
const (
	maxPromptErrors   = 12
	maxPromptFeatures = 16
)

// paramNames names every number of a task policy of domain d, as prompts and replies use them:
// the feature ("px_3_4") for a single-output policy, "output·feature" otherwise, then "threshold"
// or "bias CLASS".
func paramNames(d Domain) []string {
	shape, feats := d.Info().Shape, d.Features()
	out := make([]string, shape.Params())
	for i := range out {
		out[i] = strings.TrimPrefix(ParamName(shape, feats, i), "weight ")
	}
	return out
}

// paramValue is coordinate i of task policy p of the given shape.
func paramValue(shape Shape, p *TaskPolicy, i int) float64 {
	nw := shape.Weights()
	switch {
	case i < nw:
		return p.Weights[i]
	case shape.Task == TaskBinary:
		return p.Threshold
	}
	return p.Biases[i-nw]
}

// PredictClass is the class policy p gives example x of labelled domain d (adaptive domains):
// binary 1 when the weighted sum reaches the threshold, else the class with the highest score plus
// bias (the first wins ties). Features and policy numbers lie on their grids, so the float sums are
// exact and agree with the run's integer scores.
func PredictClass(d Labelled, p *TaskPolicy, x *Example) int {
	shape := d.Info().Shape
	nf := len(x.Features)
	score := func(o int) float64 {
		s := 0.0
		for j, v := range x.Features {
			s += float64(v * p.Weights[o*nf+j])
		}
		return s
	}
	if shape.Task == TaskBinary {
		if score(0) >= p.Threshold {
			return 1
		}
		return 0
	}
	best, bv := 0, math.Inf(-1)
	for o := range shape.Outputs {
		if v := score(o) + p.Biases[o]; v > bv {
			best, bv = o, v
		}
	}
	return best
}

// buildAdaptivePrompt writes the prompt for a child of parent on an adaptive domain: the domain's
// description, the parent's numbers and knobs, and its mistakes on the training set (on the maze,
// where its train episode ended). Never anything of the test split.
func buildAdaptivePrompt(d Domain, parent *Entry, frozenMeta bool) (Prompt, error) {
	info := d.Info()
	shape, b := info.Shape, d.Bounds()
	g := func(v float64) string { return strconv.FormatFloat(v, 'g', 4, 64) }
	var shapeText string
	switch shape.Task {
	case TaskBinary:
		shapeText = fmt.Sprintf("one weight per feature (%d) and a threshold; it says %q when the weighted sum of the features (each in [0, 1]) reaches the threshold.",
			shape.Inputs, shape.Outputs[0])
	case TaskMulticlass:
		shapeText = fmt.Sprintf("for each class (%s) one weight per feature (%d, named class·feature) and a bias (named bias CLASS); the class with the highest weighted sum plus bias wins.",
			strings.Join(shape.Outputs, ", "), shape.Inputs)
	default:
		shapeText = fmt.Sprintf("for each output (%s) one weight per sensor (%d, named output·sensor); each step an output is the weighted sum of the sensors, clipped to [-1, 1].",
			strings.Join(shape.Outputs, ", "), shape.Inputs)
	}
	extra := ""
	if shape.Extras() > 0 {
		extra = ", thresholds and biases from " + g(b.Threshold[0]) + " to " + g(b.Threshold[1])
	}
	var help []string
	for _, k := range Knobs {
		help = append(help, k.Name+" ("+k.Help+", "+g(k.Min)+" to "+g(k.Max)+")")
	}
	metaAsk, metaJSON, frozen := "", "", ""
	if frozenMeta {
		frozen = " (frozen in this experiment: do not propose meta values)"
	} else {
		metaAsk = " and, if you like, new meta-policy knobs"
		metaJSON = "\n \"meta\": {\"<knob name>\": number, ...},"
	}
	sys, err := fill("system_adaptive.tmpl", map[string]string{
		"description": info.Description, "shape": shapeText, "wmin": g(b.Weight[0]), "wmax": g(b.Weight[1]),
		"extra_bounds": extra, "knob_help": strings.Join(help, "; ") + ".", "meta_ask": metaAsk, "meta_json": metaJSON,
	})
	if err != nil {
		return Prompt{}, err
	}
	a := &parent.Agent
	names := paramNames(d)
	var task, meta strings.Builder
	for i, n := range names {
		fmt.Fprintf(&task, "%s = %.4f\n", n, paramValue(shape, &a.Task, i))
	}
	for i, k := range Knobs {
		fmt.Fprintf(&meta, "- %s: %.4g\n", k.Name, a.Meta.Knobs[i])
	}
	if len(a.Meta.Memory) > 0 {
		fmt.Fprintf(&meta, "- memory: %s\n", strings.Join(a.Meta.Memory, " | "))
	}
	user, err := fill("user_adaptive.tmpl", map[string]string{
		"id": a.ID, "generation": strconv.Itoa(a.Generation), "domain": d.Name(), "train": fmt.Sprintf("%.3f", parent.Eval.TrainAccuracy),
		"n_params": strconv.Itoa(len(names)), "task": task.String(), "frozen": frozen, "meta": meta.String(),
		"errors": trainMistakes(d, &a.Task),
	})
	if err != nil {
		return Prompt{}, err
	}
	return Prompt{System: sys, User: user}, nil
}

// trainMistakes describes what policy p gets wrong on d's training split.
func trainMistakes(d Domain, p *TaskPolicy) string {
	if m, ok := d.(*Maze); ok {
		var path []Point
		f, end := m.Episode(p, m.Starts(0)[0], &path)
		return fmt.Sprintf("- the train episode starts at (%.1f, %.1f) and ends at (%.1f, %.1f), %.1f from the goal at (%.0f, %.0f): fitness %.3f\n",
			path[0].X, path[0].Y, end.X, end.Y, dist(end, m.Goal()), m.Goal().X, m.Goal().Y, f)
	}
	lab, ok := d.(Labelled)
	if !ok {
		return "- (no examples)\n"
	}
	classes, feats := lab.Classes(), d.Features()
	var b strings.Builder
	wrong := 0
	train := lab.Train()
	for i := range train {
		x := &train[i]
		pred := PredictClass(lab, p, x)
		if pred == x.Label {
			continue
		}
		wrong++
		if wrong > maxPromptErrors {
			continue
		}
		fmt.Fprintf(&b, "- %s: is %s, predicted %s", x.Name, classes[x.Label], classes[pred])
		if len(feats) <= maxPromptFeatures {
			vals := make([]string, len(feats))
			for j, f := range feats {
				vals[j] = fmt.Sprintf("%s %.2f", f, x.Features[j])
			}
			fmt.Fprintf(&b, " (%s)", strings.Join(vals, ", "))
		}
		b.WriteString("\n")
	}
	switch {
	case wrong == 0:
		return "- nothing: every train row is right\n"
	case wrong > maxPromptErrors:
		fmt.Fprintf(&b, "- … %d more (%d of %d train rows wrong)\n", wrong-maxPromptErrors, wrong, len(train))
	}
	return b.String()
}

// parseAdaptiveProposal reads a reply for an adaptive domain: the first JSON object, with "set"
// (numbers by name), optional "meta" (knobs by name; ignored when frozenMeta) and a note. Values
// outside their bounds are clamped and listed; numbers are put on the policy's grid. Unknown
// names, non-numbers and a proposal that changes nothing are errors wrapping [ErrReply].
func parseAdaptiveProposal(reply string, d Domain, frozenMeta bool) (Proposal, error) {
	var p Proposal
	obj, ok := firstJSONObject(reply)
	if !ok {
		short := strings.TrimSpace(reply)
		if len(short) > 80 {
			short = short[:80] + "…"
		}
		return p, fmt.Errorf("%w: no JSON object in the reply %q", ErrReply, short)
	}
	var raw struct {
		Set  map[string]json.Number `json:"set"`
		Meta map[string]json.Number `json:"meta"`
		Note string                 `json:"note"`
	}
	dec := json.NewDecoder(strings.NewReader(obj))
	dec.UseNumber()
	if err := dec.Decode(&raw); err != nil {
		return p, fmt.Errorf("%w: %v", ErrReply, err)
	}
	shape, b := d.Info().Shape, d.Bounds()
	index := map[string]int{}
	for i, n := range paramNames(d) {
		index[n] = i
	}
	num := func(what string, n json.Number, lo, hi float64) (float64, error) {
		v, err := n.Float64()
		if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
			return 0, fmt.Errorf("%w: %s is not a number", ErrReply, what)
		}
		if v < lo || v > hi {
			p.Clamped = append(p.Clamped, fmt.Sprintf("%s %g → [%g, %g]", what, v, lo, hi))
			v = math.Min(math.Max(v, lo), hi)
		}
		return v, nil
	}
	p.Set = map[int]float64{}
	for name, n := range raw.Set {
		i, ok := index[name]
		if !ok {
			return p, fmt.Errorf("%w: %q is not a number of this policy", ErrReply, name)
		}
		lim := b.Weight
		if i >= shape.Weights() {
			lim = b.Threshold
		}
		v, err := num(name, n, lim[0], lim[1])
		if err != nil {
			return p, err
		}
		p.Set[i] = min(max(quantizeParam(v), lim[0]), lim[1])
	}
	if len(raw.Meta) > 0 && !frozenMeta {
		k := KnobValues{}
		set := map[int]bool{}
		for name, n := range raw.Meta {
			found := -1
			for i, spec := range Knobs {
				if spec.Name == name {
					found = i
				}
			}
			if found < 0 {
				return p, fmt.Errorf("%w: %q is not a meta knob", ErrReply, name)
			}
			v, err := num(name, n, Knobs[found].Min, Knobs[found].Max)
			if err != nil {
				return p, err
			}
			k[found] = min(max(Round(v, 5), Knobs[found].Min), Knobs[found].Max)
			set[found] = true
		}
		p.Knobs, p.KnobSet = &k, set
	}
	if len(p.Set) == 0 && p.Knobs == nil {
		return p, fmt.Errorf("%w: the reply changes nothing", ErrReply)
	}
	note := strings.Join(strings.Fields(raw.Note), " ")
	if r := []rune(note); len(r) > maxNoteLen {
		note = string(r[:maxNoteLen])
	}
	p.Note = note
	return p, nil
}

// fromAdaptiveProposal builds the child the model proposed on an adaptive domain: the parent's
// policy with the proposed numbers set; the parent's knobs (the run's fixed ones when frozen or
// tuned) with the proposed knobs set.
func (r *Run) fromAdaptiveProposal(parent *Entry, p *Proposal, weights []float64, arena *[]string) (Agent, string) {
	pa := &parent.Agent
	task := pa.Task
	copy(weights, task.Weights)
	task.Weights = weights
	if len(task.Biases) > 0 {
		task.Biases = append([]float64(nil), task.Biases...)
	}
	nw := r.shape.Weights()
	for i, v := range p.Set {
		switch {
		case i < nw:
			task.Weights[i] = v
		case r.shape.Task == TaskBinary:
			task.Threshold = v
		default:
			task.Biases[i-nw] = v
		}
	}
	meta := r.frozen
	meta.Memory = pa.Meta.Memory
	if r.cfg.Meta == MetaEvolve {
		meta = pa.Meta
		if p.Knobs != nil {
			for k := range p.KnobSet {
				meta.Knobs[k] = p.Knobs[k]
			}
		}
	}
	note := "LLM: " + p.Note
	if p.Note == "" {
		note = "LLM proposal."
	}
	return Agent{
		ParentID:   pa.ID,
		Generation: pa.Generation + 1,
		Task:       task,
		Meta:       meta,
		Lineage:    keepLast(arena, pa.Lineage, lineageLen, note),
	}, note
}
