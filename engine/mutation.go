package engine

import "strconv"

// Constants of the heuristic mutation (REFERENCE §3, §5.5, §5.6).
const (
	lowPressure     = 0.08  // focus pressure below this widens steps and exploration
	fnPressure      = 0.7   // weight of false-negative pressure
	focusBonus      = 0.04  // extra weight step on the focus feature, × weight_step
	noiseAmplitude  = 0.05  // noise × exploration_scale × this
	weightStepUp    = 0.015 // weight_step change on low pressure
	weightStepDown  = 0.005 // weight_step change otherwise
	explorationUp   = 0.03  // exploration change on low pressure
	thresholdStepDt = 0.005 // threshold_step change per mutation
	explorationGain = 0.02  // exploration tightening after an improvement
	explorationLoss = 0.05  // exploration widening after stagnation
)

// Meta memory notes written after evaluation (REFERENCE §5.6).
const (
	notePositive   = "Positive update. Tighten exploration and consolidate gains."
	noteStagnation = "Stagnation detected. Increase exploration on the next mutation."
)

// noiseFunc returns the i-th noise value in [−1, 1) for feature f of a child of parent.
type noiseFunc func(parentID string, f string, i int) float64

// pressure computes the error pressure per feature of a parent with the given evaluation and the
// focus it implies (REFERENCE §5.5 step 2). With no errors every pressure is 0 and ok is false.
func pressure(ev *Evaluation, pos, neg []float64, out []float64) (focus int, ok bool) {
	if ev.FalsePos == 0 && ev.FalseNeg == 0 {
		clear(out)
		return 0, false
	}
	for i := range out {
		p := max(0, pos[i]-ev.FalsePosAvgs[i])
		p += float64(max(0, ev.FalseNegAvgs[i]-neg[i]) * fnPressure)
		out[i] = Round(p, 4)
	}
	return argmax(out), true
}

// mutateHeuristic builds a child of parent by error-pressure mutation of its task and meta policies
// (REFERENCE §5.5). frozen is the meta policy baseline children start from; freezeAll (standard
// baseline) keeps it entirely unchanged, focus and memory included.
//
// The note it returns is added to the child's memory by [Run.adjustAfterEvaluation]. The child's
// weights are stored in weights (len = number of features) and its lineage notes in arena.
func (r *Run) mutateHeuristic(parent *Entry, noise noiseFunc, weights []float64, arena *[]string) (Agent, string) {
	b := r.bounds
	pa := &parent.Agent
	ev := &parent.Eval
	baseline := r.cfg.Meta == MetaFrozen
	freezeAll := baseline && r.cfg.Flavour == FlavourStandard

	task := pa.Task
	meta := pa.Meta
	if baseline {
		meta = r.seedMeta
	}
	var pbuf [16]float64
	press := pbuf[:len(task.Weights)] // on the stack for up to 16 features
	if len(task.Weights) > len(pbuf) {
		press = make([]float64, len(task.Weights))
	}
	focus, ok := pressure(ev, r.posAvg, r.negAvg, press)
	if !ok {
		focus = pa.Meta.Focus
	}
	if freezeAll {
		focus = meta.Focus
	} else {
		meta.Focus = focus
	}

	ws := meta.WeightStep
	for i, w := range task.Weights {
		d := float64(press[i] * ws)
		if i == focus {
			d += float64(ws * focusBonus)
		}
		s := float64(float64(noise(pa.ID, r.features[i], i)*meta.ExplorationScale) * noiseAmplitude)
		weights[i] = clampRound(w+d+s, b.Weight[0], b.Weight[1], 3)
	}
	task.Weights = weights

	ts := meta.ThresholdStep
	switch {
	case ev.FalsePos > ev.FalseNeg:
		task.Threshold = clampRound(task.Threshold+ts, b.Threshold[0], b.Threshold[1], 3)
		task.ReviewStyle = StyleStrict
	case ev.FalseNeg > ev.FalsePos:
		task.Threshold = clampRound(task.Threshold-ts, b.Threshold[0], b.Threshold[1], 3)
		task.ReviewStyle = StyleLenient
	default:
		task.ReviewStyle = StyleBalanced
	}

	if !baseline {
		if press[focus] < lowPressure {
			meta.WeightStep = clampRound(ws+weightStepUp, b.WeightStep[0], b.WeightStep[1], 3)
			meta.ExplorationScale = clampRound(meta.ExplorationScale+explorationUp, b.ExplorationScale[0], b.ExplorationScale[1], 3)
		} else {
			meta.WeightStep = clampRound(ws-weightStepDown, b.WeightStep[0], b.WeightStep[1], 3)
		}
		if ev.FalsePos != ev.FalseNeg {
			meta.ThresholdStep = clampRound(ts+thresholdStepDt, b.ThresholdStep[0], b.ThresholdStep[1], 3)
		} else {
			meta.ThresholdStep = clampRound(ts-thresholdStepDt, b.ThresholdStep[0], b.ThresholdStep[1], 3)
		}
	}

	note := r.notes[focus][2]
	switch {
	case ev.FalsePos > ev.FalseNeg:
		note = r.notes[focus][0]
	case ev.FalseNeg > ev.FalsePos:
		note = r.notes[focus][1]
	}
	return Agent{
		ParentID:   pa.ID,
		Generation: pa.Generation + 1,
		Task:       task,
		Meta:       meta,
		Lineage:    keepLast(arena, pa.Lineage, lineageLen, note),
	}, note
}

// adjustAfterEvaluation records the mutation's note in the child's memory and applies the
// post-evaluation meta adjustment (REFERENCE §5.6): exploration tightens after an improvement and
// widens after stagnation. Baseline children get no adjustment; in the standard flavour their memory
// stays frozen too.
func (r *Run) adjustAfterEvaluation(meta *MetaPolicy, note string, delta float64, arena *[]string) {
	if r.cfg.Meta == MetaFrozen {
		if r.cfg.Flavour == FlavourSeed {
			meta.Memory = keepLast(arena, meta.Memory, memoryLen, note)
		}
		return
	}
	b := r.bounds.ExplorationScale
	if delta > 0 {
		meta.ExplorationScale = clampRound(meta.ExplorationScale-explorationGain, b[0], b[1], 3)
		meta.Memory = keepLast(arena, meta.Memory, memoryLen, note, notePositive)
	} else {
		meta.ExplorationScale = clampRound(meta.ExplorationScale+explorationLoss, b[0], b[1], 3)
		meta.Memory = keepLast(arena, meta.Memory, memoryLen, note, noteStagnation)
	}
}

// seedNoise is the seed's noise: 2·U − 1 with U the first random() of a generator seeded by the string
// "{parent}:{feature}:{index}:{iterations completed}". It ignores the run's seed (REFERENCE §18.4).
func seedNoise(completed int) noiseFunc {
	c := strconv.Itoa(completed)
	return func(parentID, f string, i int) float64 {
		return 2*NewPyRandomString(parentID+":"+f+":"+strconv.Itoa(i)+":"+c).Float64() - 1
	}
}
