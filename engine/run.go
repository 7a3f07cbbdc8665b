package engine

import (
	"context"
	"errors"
	"fmt"
	"hash/fnv"
	"math/rand/v2"
)

// Progress is one row of a run's learning curve, the seed's ProgressRow: the best fitness (train)
// after the iteration, the reported agent's test accuracy, the new child's accuracies, the archive
// size and the child's meta policy after its post-evaluation adjustment.
//
// In the seed and standard flavours the reported agent is the best on train; in the adaptive
// flavour it is the one chosen on validation, whose validation accuracy BestVal is, and the meta
// policy is the child's knobs.
type Progress struct {
	Iteration        int        `json:"iteration"`
	BestFitness      float64    `json:"best_fitness"`
	BestTestAccuracy float64    `json:"best_test_accuracy"`
	ChildTrain       float64    `json:"child_train_accuracy"`
	ChildTest        float64    `json:"child_test_accuracy"`
	ArchiveSize      int        `json:"archive_size"`
	Focus            string     `json:"meta_focus_metric"`
	WeightStep       float64    `json:"meta_weight_step"`
	ThresholdStep    float64    `json:"meta_threshold_step"`
	ExplorationScale float64    `json:"meta_exploration_scale"`
	Source           string     `json:"mutation_source"`
	BestVal          float64    `json:"best_val_accuracy"`
	Knobs            KnobValues `json:"meta_knobs"`
}

// Event is what one iteration did: the parent chosen, the child made and archived, the child's
// fitness minus the parent's (rounded to 4 decimals) and the resulting progress row.
type Event struct {
	Iteration int      `json:"iteration"`
	Parent    int      `json:"parent"` // archive index
	Child     int      `json:"child"`  // archive index
	ParentID  string   `json:"parent_id"`
	ChildID   string   `json:"child_id"`
	Delta     float64  `json:"fitness_delta"`
	Source    string   `json:"mutation_source"`
	Summary   string   `json:"summary"`
	Progress  Progress `json:"progress"`
}

// Run is one evolutionary run of one configuration. Create it with [New] and advance it with
// [Run.Step]. A Run is not safe for concurrent use.
type Run struct {
	cfg      Config
	dom      Domain
	features []string
	bounds   Bounds
	posAvg   []float64
	negAvg   []float64
	seedMeta MetaPolicy

	// adaptive flavour
	shape   Shape
	scorer  *classScorer // labelled domains
	sim     *mazeEval    // simulated domains
	frozen  MetaPolicy   // what frozen and tuned children get
	changed []int        // reused coordinate list

	archive  *Archive
	selector Selector
	progress chunks[Progress]
	notes    [][3]string // per focus feature: the raise-bar, recover and balance notes
	summary  map[uint64]string
	noise    noiseFunc // standard flavour: draws from rng

	pcg *rand.PCG  // standard flavour
	rng *rand.Rand // standard flavour, over pcg
	mt  *PyRandom  // seed flavour

	nextID  int
	evalLen int      // floats an evaluation stores: one score per example and two means per feature
	pending *Pending // an LLM iteration begun and not finished
}

// ErrPending is returned by [Run.Step] and [Run.BeginLLM] while an LLM iteration is begun and not
// finished: nothing may draw from the run's generator until [Run.FinishLLM] completes it.
var ErrPending = errors.New("engine: an LLM iteration is waiting for the model")

// streamID is the PCG stream of a condition, so each (seed, condition) pair has its own stream and
// adding a condition never shifts the others. The seed's modes keep the streams they always had.
func streamID(c Config) uint64 {
	h := fnv.New64a()
	h.Write([]byte("hyperagents/" + c.ConditionName()))
	return h.Sum64()
}

// New starts a run: it validates the configuration, evaluates the domain's seed agent and archives
// it as iteration 0.
func New(c Config, d Domain) (*Run, error) {
	if err := c.Validate(); err != nil {
		return nil, err
	}
	if err := c.CheckDomain(d); err != nil {
		return nil, err
	}
	r := &Run{
		cfg:      c,
		dom:      d,
		features: d.Features(),
		bounds:   d.Bounds(),
		shape:    d.Info().Shape,
		archive:  NewArchive(c.Flavour == FlavourSeed),
	}
	seed := d.Seed()
	if err := r.validTask(&seed.Task); err != nil {
		return nil, fmt.Errorf("%w: seed agent of %s: %v", ErrConfig, d.Name(), err)
	}
	r.seedMeta = seed.Meta
	if c.Flavour == FlavourSeed {
		r.mt = NewPyRandomInt(int64(c.Seed))
	} else {
		r.pcg = rand.NewPCG(c.Seed, streamID(c))
		r.rng = rand.New(r.pcg)
		r.noise = func(string, string, int) float64 { return 2*r.rng.Float64() - 1 }
	}
	switch c.Selection {
	case SelectSeed:
		r.selector = &WeightedSelector{Floor: c.Flavour == FlavourAdaptive}
	case SelectDGM, SelectDGMCode:
		r.selector = NewDGMSelector(r.rng, c.Selection == SelectDGMCode)
	case SelectUniform:
		r.selector = UniformSelector{rng: r.rng}
	case SelectBest:
		r.selector = GreedySelector{}
	case SelectLatest:
		r.selector = LatestSelector{}
	}
	r.summary = map[uint64]string{}
	if c.Flavour == FlavourAdaptive {
		r.frozen = seed.Meta
		if c.Meta == MetaTuned {
			r.frozen.Knobs, _ = Tuned(d)
		}
		switch dd := d.(type) {
		case Labelled:
			r.scorer = newClassScorer(dd)
		case *Maze:
			r.sim = &mazeEval{m: dd}
		default:
			return nil, fmt.Errorf("%w: domain %s is neither labelled nor a maze", ErrConfig, d.Name())
		}
		seed.ID, seed.ParentID, seed.Generation = AgentID(0), "", 0
		r.nextID = 1
		e := Entry{Agent: seed, Eval: r.evaluate(&seed.Task, nil), Source: SourceSeed}
		row := r.progressRow(r.archive.Add(&e))
		r.progress.add(&row)
		return r, nil
	}
	r.posAvg, r.negAvg = classMeans(d.(Labelled))
	r.notes = make([][3]string, len(r.features))
	for i, f := range r.features {
		r.notes[i] = [3]string{
			"Raise bar on " + f + "; weak repos are slipping through as merge-ready.",
			"Recover missed healthy repos by rewarding " + f + " more explicitly.",
			"Balance review policy and keep probing " + f + ".",
		}
	}
	seed.ID = AgentID(0)
	seed.ParentID = ""
	seed.Generation = 0
	r.nextID = 1
	lab := d.(Labelled)
	r.evalLen = len(lab.Train()) + len(lab.Test()) + 2*len(r.features)
	e := Entry{Agent: seed, Eval: r.evaluate(&seed.Task, nil), Source: SourceSeed}
	row := r.progressRow(r.archive.Add(&e))
	r.progress.add(&row)
	return r, nil
}

// classMeans returns the per-feature means of the positive and negative train examples, rounded to 4
// decimals.
func classMeans(d Labelled) (pos, neg []float64) {
	nf := len(d.Features())
	pos, neg = make([]float64, nf), make([]float64, nf)
	np, nn := 0, 0
	for _, x := range d.Train() {
		if x.Label == 1 {
			addTo(pos, x.Features)
			np++
		} else {
			addTo(neg, x.Features)
			nn++
		}
	}
	meanRound(pos, np)
	meanRound(neg, nn)
	return pos, neg
}

// Config returns the run's configuration.
func (r *Run) Config() Config { return r.cfg }

// Domain returns the run's domain.
func (r *Run) Domain() Domain { return r.dom }

// Archive returns the run's archive. The caller must not modify it.
func (r *Run) Archive() *Archive { return r.archive }

// Best returns the reported best entry so far: the best on train in the seed and standard
// flavours, the one chosen on validation in the adaptive flavour.
func (r *Run) Best() *Entry {
	if r.cfg.Flavour == FlavourAdaptive {
		return r.archive.At(r.archive.Chosen())
	}
	return r.archive.At(r.archive.Best())
}

// Iterations is the number of iterations completed.
func (r *Run) Iterations() int { return r.archive.Len() - 1 }

// Progress returns a copy of the progress rows, one per iteration, the seed's row 0 first.
func (r *Run) Progress() []Progress { return r.progress.slice() }

// ProgressAt returns the progress row of iteration i. It panics if i is out of range.
func (r *Run) ProgressAt(i int) Progress { return *r.progress.at(i) }

// Step advances the run by exactly one iteration: select a parent, mutate it, evaluate the child,
// adjust the child's meta policy and archive the child.
func (r *Run) Step(ctx context.Context) (Event, error) {
	if err := ctx.Err(); err != nil {
		return Event{}, fmt.Errorf("engine: step %d: %w", r.Iterations()+1, err)
	}
	if r.pending != nil {
		return Event{}, fmt.Errorf("step %d: %w", r.Iterations()+1, ErrPending)
	}
	return r.finish(r.selectParent(), nil), nil
}

// selectParent draws the next parent's archive index.
func (r *Run) selectParent() int {
	var src Source = r.rng
	if r.cfg.Flavour == FlavourSeed {
		src = r.mt
	}
	return r.selector.Select(r.archive, src)
}

// finish makes, evaluates and archives the child of entry pi: by heuristic mutation, or from the
// model's proposal when prop is not nil.
func (r *Run) finish(pi int, prop *Proposal) Event {
	completed := r.Iterations()
	noise := r.noise
	if r.cfg.Flavour == FlavourSeed {
		noise = seedNoise(completed)
	}
	parent := r.archive.At(pi)
	// One allocation for the child's numbers and one for its notes: allocation is what costs most
	// under WebAssembly.
	nw := len(r.features)
	if r.cfg.Flavour == FlavourAdaptive {
		nw = r.shape.Weights()
	}
	nums := make([]float64, nw+r.evalLen)
	arena := make([]string, 0, lineageLen+memoryLen)
	var child Agent
	var note string
	var ev Evaluation
	var delta float64
	source := SourceHeuristic
	switch {
	case r.cfg.Flavour == FlavourAdaptive:
		var changed []int
		var pe *scoreEntry
		if prop != nil {
			child, _ = r.fromAdaptiveProposal(parent, prop, nums[:nw:nw], &arena)
			source = SourceLLM
		} else {
			child, changed, note, pe = r.mutateAdaptive(pi, nums[:nw:nw], &arena)
		}
		if pe != nil {
			ev = r.scorer.child(pe, &parent.Agent.Task, &child.Task, changed, r.archive.Len())
		} else {
			ev = r.evaluate(&child.Task, nil)
		}
		delta = ev.Fitness - parent.Eval.Fitness
		child.Meta.Memory = keepLast(&arena, child.Meta.Memory, memoryLen, memoryNote(note, source == SourceLLM, delta))
	case prop != nil:
		child, note = r.fromProposal(parent, prop, nums[:nw:nw], &arena)
		source = SourceLLM
		ev = r.evaluate(&child.Task, nums[nw:])
		delta = Round(ev.Fitness-parent.Eval.Fitness, 4)
		r.adjustAfterEvaluation(&child.Meta, note, delta, &arena)
	default:
		child, note = r.mutateHeuristic(parent, noise, nums[:nw:nw], &arena)
		ev = r.evaluate(&child.Task, nums[nw:])
		delta = Round(ev.Fitness-parent.Eval.Fitness, 4)
		r.adjustAfterEvaluation(&child.Meta, note, delta, &arena)
	}
	child.ID = AgentID(r.nextID)
	r.nextID++
	e := Entry{Agent: child, Eval: ev, Created: completed + 1, Source: source}
	parentID := parent.Agent.ID
	ci := r.archive.Add(&e)
	row := r.progressRow(ci)
	r.progress.add(&row)
	return Event{
		Iteration: completed + 1,
		Parent:    pi,
		Child:     ci,
		ParentID:  parentID,
		ChildID:   child.ID,
		Delta:     delta,
		Source:    e.Source,
		Summary:   ev.Summary,
		Progress:  row,
	}
}

// progressRow builds the progress row after entry ci was archived.
func (r *Run) progressRow(ci int) Progress {
	best := r.Best()
	c := r.archive.At(ci)
	m := &c.Agent.Meta
	p := Progress{
		Iteration:        c.Created,
		BestFitness:      r.archive.At(r.archive.Best()).Eval.Fitness,
		BestTestAccuracy: best.Eval.TestAccuracy,
		ChildTrain:       c.Eval.TrainAccuracy,
		ChildTest:        c.Eval.TestAccuracy,
		ArchiveSize:      r.archive.Len(),
		Source:           c.Source,
	}
	if r.cfg.Flavour == FlavourAdaptive {
		p.BestVal = best.Eval.ValAccuracy
		p.Knobs = m.Knobs
		return p
	}
	p.Focus = r.features[m.Focus]
	p.WeightStep, p.ThresholdStep, p.ExplorationScale = m.WeightStep, m.ThresholdStep, m.ExplorationScale
	return p
}

// RunN advances the run by n iterations, calling obs (if not nil) after each.
func (r *Run) RunN(ctx context.Context, n int, obs func(Event)) error {
	for range n {
		ev, err := r.Step(ctx)
		if err != nil {
			return err
		}
		if obs != nil {
			obs(ev)
		}
	}
	return nil
}
