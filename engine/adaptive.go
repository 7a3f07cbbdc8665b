package engine

import (
	"strconv"
)

// The adaptive operator (FlavourAdaptive). A child is made in two moves:
//
//  1. Meta. With meta evolve, the child inherits its parent's knobs and, with probability q (the
//     parent's edit rate), edits one of them that applies to the domain: half the time it
//     resamples it log-uniformly within its bounds, half the time it multiplies it by
//     exp(τ·N(0, 1)) (τ the parent's edit scale), clamped. q and τ are knobs too, so how the meta
//     policy edits itself evolves as well. With meta frozen or tuned the child gets the fixed meta
//     policy of the run.
//  2. Task, with the child's own knobs. Each number of the task policy is mutated with probability
//     p_mut (at least one is): it moves by η times the signed error-directed step of the parent
//     ([classScorer.direction]: toward missed positives, away from false positives) plus Gaussian
//     noise of standard deviation σ (weights) or σ_b (thresholds and biases), is clamped to its
//     bounds and put on the 2^-13 grid.
//
// The step uses only the parent's train errors, and the run's fitness is train; validation chooses
// the reported agent; test is never read by the operator or by selection.

// editNote describes a self-edit for the child's memory.
func editNote(k int, old, v float64, resampled bool) string {
	b := []byte(Knobs[k].Symbol)
	b = append(b, ' ')
	b = strconv.AppendFloat(b, old, 'g', 3, 64)
	b = append(b, " → "...)
	b = strconv.AppendFloat(b, v, 'g', 3, 64)
	if resampled {
		b = append(b, " (resampled)"...)
	} else {
		b = append(b, " (×"...)
		b = strconv.AppendFloat(b, v/old, 'f', 2, 64)
		b = append(b, ')')
	}
	return string(b)
}

// selfEdit applies one self-edit to k with probability q, drawing from the run's generator, and
// describes it ("" when there was none).
func (r *Run) selfEdit(k *KnobValues, g *gaussian) string {
	q, tau := k[KnobEditRate], k[KnobEditScale]
	if r.rng.Float64() >= q {
		return ""
	}
	var apply [NumKnobs]int
	n := 0
	for i := range NumKnobs {
		if r.shape.Applies(i) {
			apply[n] = i
			n++
		}
	}
	i := apply[r.rng.IntN(n)]
	lo, hi := Knobs[i].Min, Knobs[i].Max
	old := k[i]
	var v float64
	resample := r.rng.Float64() < 0.5
	if resample {
		a, b := plog(lo), plog(hi)
		v = pexp(a + float64(r.rng.Float64()*(b-a)))
	} else {
		v = float64(old * pexp(float64(tau*g.next())))
	}
	v = min(max(Round(v, 5), lo), hi)
	k[i] = v
	return editNote(i, old, v, resample)
}

// mutateAdaptive makes a child of archive entry pi. Its weights go to weights (len = the shape's
// weights); it returns the child, the coordinates changed (weights first, then the threshold or
// biases), the self-edit note and, for labelled domains, the parent's cached scores.
func (r *Run) mutateAdaptive(pi int, weights []float64, arena *[]string) (Agent, []int, string, *scoreEntry) {
	parent := r.archive.At(pi)
	pa := &parent.Agent
	g := gaussian{rng: r.rng}
	meta := r.frozen
	meta.Memory = pa.Meta.Memory
	edit := ""
	if r.cfg.Meta == MetaEvolve {
		meta = pa.Meta
		edit = r.selfEdit(&meta.Knobs, &g)
	}
	k := &meta.Knobs
	var pe *scoreEntry
	if r.scorer != nil {
		pe = r.scorer.entry(pi, &pa.Task)
	}
	nw := r.shape.Weights()
	total := r.shape.Params()
	changed := r.changed[:0]
	for c := range total {
		if r.rng.Float64() < k[KnobPMut] {
			changed = append(changed, c)
		}
	}
	if len(changed) == 0 {
		changed = append(changed, r.rng.IntN(total))
	}
	r.changed = changed
	task := pa.Task
	copy(weights, task.Weights)
	task.Weights = weights
	if len(task.Biases) > 0 {
		task.Biases = append([]float64(nil), task.Biases...)
	}
	b := r.bounds
	eta := k[KnobEta]
	for _, c := range changed {
		step := 0.0
		if pe != nil {
			step = float64(eta * r.scorer.direction(pe, &pa.Task, c))
		}
		if c < nw {
			v := task.Weights[c] + step + float64(k[KnobSigma]*g.next())
			task.Weights[c] = quantizeParam(min(max(v, b.Weight[0]), b.Weight[1]))
			continue
		}
		noise := float64(k[KnobSigmaB] * g.next())
		if r.shape.Task == TaskBinary {
			task.Threshold = quantizeParam(min(max(task.Threshold+step+noise, b.Threshold[0]), b.Threshold[1]))
		} else {
			o := c - nw
			task.Biases[o] = quantizeParam(min(max(task.Biases[o]+step+noise, b.Threshold[0]), b.Threshold[1]))
		}
	}
	note := r.lineageNote(len(changed), total, k)
	return Agent{
		ParentID:   pa.ID,
		Generation: pa.Generation + 1,
		Task:       task,
		Meta:       meta,
		Lineage:    keepLast(arena, pa.Lineage, lineageLen, note),
	}, changed, edit, pe
}

// lineageNote describes a mutation: how many numbers changed and with which steps.
func (r *Run) lineageNote(n, total int, k *KnobValues) string {
	b := make([]byte, 0, 64)
	b = append(b, "Changed "...)
	b = strconv.AppendInt(b, int64(n), 10)
	b = append(b, " of "...)
	b = strconv.AppendInt(b, int64(total), 10)
	b = append(b, " numbers (σ "...)
	b = strconv.AppendFloat(b, k[KnobSigma], 'g', 3, 64)
	if r.shape.Applies(KnobEta) {
		b = append(b, ", η "...)
		b = strconv.AppendFloat(b, k[KnobEta], 'g', 3, 64)
	}
	b = append(b, ")."...)
	return string(b)
}

// memoryNote is what the child's memory records after evaluation: its self-edit, if any (or that the
// model proposed it), and how its fitness compares with its parent's.
func memoryNote(edit string, llm bool, delta float64) string {
	b := make([]byte, 0, 80)
	if llm {
		b = append(b, "LLM proposal"...)
	} else if edit == "" {
		b = append(b, "No self-edit"...)
	} else {
		b = append(b, "Self-edit "...)
		b = append(b, edit...)
	}
	b = append(b, "; train "...)
	if delta >= 0 {
		b = append(b, '+')
	}
	b = strconv.AppendFloat(b, delta, 'f', 4, 64)
	b = append(b, " vs parent."...)
	return string(b)
}
