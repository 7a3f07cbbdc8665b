package engine

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"slices"
)

// Version names the engine's arithmetic. Saved runs record it; a replay under another version may
// legitimately differ. Change it whenever a change alters any run's results.
const Version = "hyperagents-engine/1"

// stateMagic starts every state blob, so a blob from elsewhere is refused rather than misread.
var stateMagic = []byte("HAS1")

// ErrState marks a saved run that cannot be resumed: a bad state blob or archive.
var ErrState = errors.New("engine: cannot resume")

// State returns what the run needs, besides its archive, to continue exactly: the number of the
// next agent and the random generator's state. Store it with the archive and pass both to [Resume].
func (r *Run) State() ([]byte, error) {
	b := append([]byte(nil), stateMagic...)
	b = append(b, byte(r.cfg.Flavour))
	b = binary.LittleEndian.AppendUint64(b, uint64(r.nextID))
	var rng []byte
	var err error
	if r.cfg.Flavour == FlavourSeed {
		rng, err = r.mt.MarshalBinary()
	} else {
		rng, err = r.pcg.MarshalBinary()
	}
	if err != nil {
		return nil, fmt.Errorf("engine: state: %w", err)
	}
	return append(b, rng...), nil
}

// Resume rebuilds a run from its configuration, its archive entries in creation order (as
// saved: agents with their evaluations' numbers and summaries) and [Run.State]. Continuing the
// resumed run gives exactly what the original would have given.
//
// Saved data may come from anywhere, so Resume checks everything: the seed agent must be the
// domain's, every entry's id, parent, iteration and policies must be well-formed and in bounds, and
// every stored evaluation must be what the entry's task policy scores now. Evaluations are
// recomputed (so stored scores are not needed). An error wraps [ErrState] and names the entry.
func Resume(c Config, d Domain, entries []Entry, state []byte) (*Run, error) {
	r, err := New(c, d)
	if err != nil {
		return nil, err
	}
	if len(entries) == 0 {
		return nil, fmt.Errorf("%w: no archive entries", ErrState)
	}
	if err := sameEntry(&entries[0], r.archive.At(0)); err != nil {
		return nil, fmt.Errorf("%w: seed agent: %v", ErrState, err)
	}
	for i := 1; i < len(entries); i++ {
		e := entries[i]
		if err := r.checkEntry(i, &e); err != nil {
			return nil, fmt.Errorf("%w: entry %d (%s): %v", ErrState, i, e.Agent.ID, err)
		}
		ev := r.evaluate(&e.Agent.Task, nil)
		if err := sameEval(&e.Eval, &ev); err != nil {
			return nil, fmt.Errorf("%w: entry %d (%s): %v", ErrState, i, e.Agent.ID, err)
		}
		e.Eval = ev
		e.Agent.Meta.Memory = slices.Clone(e.Agent.Meta.Memory)
		e.Agent.Lineage = slices.Clone(e.Agent.Lineage)
		e.Agent.Task.Biases = slices.Clone(e.Agent.Task.Biases)
		row := r.progressRow(r.archive.Add(&e))
		r.progress.add(&row)
	}
	if err := r.restoreState(state); err != nil {
		return nil, err
	}
	if r.nextID != len(entries) {
		return nil, fmt.Errorf("%w: state names agent %d next, but the archive has %d entries", ErrState, r.nextID, len(entries))
	}
	return r, nil
}

// restoreState applies a [Run.State] blob.
func (r *Run) restoreState(b []byte) error {
	if len(b) < len(stateMagic)+9 || !bytes.Equal(b[:len(stateMagic)], stateMagic) {
		return fmt.Errorf("%w: not a hyperagents generator state", ErrState)
	}
	b = b[len(stateMagic):]
	if Flavour(b[0]) != r.cfg.Flavour {
		return fmt.Errorf("%w: state of flavour %d for a %s run", ErrState, b[0], r.cfg.Flavour)
	}
	next := binary.LittleEndian.Uint64(b[1:9])
	if next > uint64(MaxIterations)+1 {
		return fmt.Errorf("%w: next agent %d out of range", ErrState, next)
	}
	r.nextID = int(next)
	rng := b[9:]
	var err error
	if r.cfg.Flavour == FlavourSeed {
		err = r.mt.UnmarshalBinary(rng)
	} else {
		err = r.pcg.UnmarshalBinary(rng)
	}
	if err != nil {
		return fmt.Errorf("%w: generator: %v", ErrState, err)
	}
	return nil
}

// checkEntry checks a saved entry i against the archive so far and the domain's bounds.
func (r *Run) checkEntry(i int, e *Entry) error {
	a := &e.Agent
	if a.ID != AgentID(i) {
		return fmt.Errorf("id %q, want %q", a.ID, AgentID(i))
	}
	if e.Created != i {
		return fmt.Errorf("made at iteration %d, want %d", e.Created, i)
	}
	pi, ok := r.archive.Index(a.ParentID)
	if !ok {
		return fmt.Errorf("parent %q is not an earlier agent", a.ParentID)
	}
	if g := r.archive.At(pi).Agent.Generation + 1; a.Generation != g {
		return fmt.Errorf("generation %d, want %d (parent's + 1)", a.Generation, g)
	}
	if e.Source != SourceHeuristic && e.Source != SourceLLM {
		return fmt.Errorf("mutation source %q", e.Source)
	}
	if err := r.validTask(&a.Task); err != nil {
		return err
	}
	if len(a.Meta.Memory) > memoryLen || len(a.Lineage) > lineageLen {
		return fmt.Errorf("%d memory and %d lineage notes, at most %d and %d", len(a.Meta.Memory), len(a.Lineage), memoryLen, lineageLen)
	}
	if r.cfg.Flavour == FlavourAdaptive {
		m := &a.Meta
		if m.Focus != 0 || m.WeightStep != 0 || m.ThresholdStep != 0 || m.ExplorationScale != 0 {
			return errors.New("an adaptive meta policy has no focus, steps or exploration scale")
		}
		if err := checkKnobs(&m.Knobs); err != nil {
			return err
		}
		if r.cfg.Meta != MetaEvolve && m.Knobs != r.frozen.Knobs {
			return fmt.Errorf("meta knobs %v, but this run's meta policy is %s at %v", m.Knobs, r.cfg.Meta, r.frozen.Knobs)
		}
		return nil
	}
	m, b := &a.Meta, &r.bounds
	if m.Knobs != (KnobValues{}) {
		return errors.New("meta knobs set outside the adaptive flavour")
	}
	switch {
	case m.Focus < 0 || m.Focus >= len(r.features):
		return fmt.Errorf("focus %d out of range", m.Focus)
	case !(m.WeightStep >= b.WeightStep[0] && m.WeightStep <= b.WeightStep[1]):
		return fmt.Errorf("weight step %v out of bounds", m.WeightStep)
	case !(m.ThresholdStep >= b.ThresholdStep[0] && m.ThresholdStep <= b.ThresholdStep[1]):
		return fmt.Errorf("threshold step %v out of bounds", m.ThresholdStep)
	case !(m.ExplorationScale >= b.ExplorationScale[0] && m.ExplorationScale <= b.ExplorationScale[1]):
		return fmt.Errorf("exploration scale %v out of bounds", m.ExplorationScale)
	}
	return nil
}

// sameEntry compares a saved seed entry with the domain's.
func sameEntry(saved, want *Entry) error {
	s, w := &saved.Agent, &want.Agent
	if s.ID != w.ID || s.ParentID != "" || s.Generation != 0 || saved.Created != 0 || saved.Source != SourceSeed {
		return fmt.Errorf("%s (parent %q, generation %d) is not the seed agent", s.ID, s.ParentID, s.Generation)
	}
	if !slices.Equal(s.Task.Weights, w.Task.Weights) || s.Task.Threshold != w.Task.Threshold || s.Task.ReviewStyle != w.Task.ReviewStyle ||
		!slices.Equal(s.Task.Biases, w.Task.Biases) {
		return errors.New("task policy differs from this domain's seed agent")
	}
	if s.Meta.Focus != w.Meta.Focus || s.Meta.WeightStep != w.Meta.WeightStep || s.Meta.ThresholdStep != w.Meta.ThresholdStep ||
		s.Meta.ExplorationScale != w.Meta.ExplorationScale || s.Meta.Knobs != w.Meta.Knobs ||
		!slices.Equal(s.Meta.Memory, w.Meta.Memory) || !slices.Equal(s.Lineage, w.Lineage) {
		return errors.New("meta policy or notes differ from this domain's seed agent")
	}
	return sameEval(&saved.Eval, &want.Eval)
}

// sameEval compares the stored numbers of an evaluation with a recomputed one.
func sameEval(saved, now *Evaluation) error {
	switch {
	case saved.Fitness != now.Fitness || saved.TrainAccuracy != now.TrainAccuracy:
		return fmt.Errorf("stored train accuracy %v, but its policy scores %v", saved.TrainAccuracy, now.TrainAccuracy)
	case saved.ValAccuracy != now.ValAccuracy:
		return fmt.Errorf("stored validation accuracy %v, but its policy scores %v", saved.ValAccuracy, now.ValAccuracy)
	case saved.TestAccuracy != now.TestAccuracy:
		return fmt.Errorf("stored test accuracy %v, but its policy scores %v", saved.TestAccuracy, now.TestAccuracy)
	case saved.FalsePos != now.FalsePos || saved.FalseNeg != now.FalseNeg:
		return fmt.Errorf("stored %d FP / %d FN, but its policy makes %d / %d", saved.FalsePos, saved.FalseNeg, now.FalsePos, now.FalseNeg)
	case saved.Summary != now.Summary:
		return fmt.Errorf("stored summary %q, but its policy gives %q", saved.Summary, now.Summary)
	}
	return nil
}
