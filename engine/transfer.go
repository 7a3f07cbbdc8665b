package engine

import (
	"context"
	"errors"
	"fmt"
	"hash/fnv"
	"math/rand/v2"
	"sync"
)

// The imp@k transfer lab (RESEARCH.md §3): does a meta policy evolved on one domain help on
// another? Take the meta policy of an agent of a source run on domain A, freeze it, reset the task
// policy to domain B's initial agent, make k children on B, and report imp@k: the best test score
// of the agent chosen on validation minus the initial agent's test score. Four arms, all reported:
//
//   - transferred: the source agent's meta policy;
//   - initial: B's initial meta policy;
//   - random_prior: a meta policy drawn from the mutation prior (each applicable knob log-uniform
//     in its bounds), one per seed — the control the paper lacks: a transfer claim stands only
//     against it;
//   - target_evolved: a meta policy evolved on B itself by the same protocol as the source.

// Transfer arms, in the order summaries list them.
const (
	ArmTransferred   = "transferred"
	ArmInitial       = "initial"
	ArmRandomPrior   = "random_prior"
	ArmTargetEvolved = "target_evolved"
)

// TransferArms lists the arms.
var TransferArms = []string{ArmTransferred, ArmInitial, ArmRandomPrior, ArmTargetEvolved}

// Ways to pick the agent whose meta policy is transferred.
const (
	PickValidation = "validation" // the agent chosen on validation (the run's reported agent)
	PickGrowth     = "growth"     // the agent whose descendants improved most on it (the paper's growth score)
)

// TransferSpec describes a transfer experiment.
type TransferSpec struct {
	From, To string // domain names
	K        int    // children on the target
	Seeds    int
	// SourceIterations is the length of each source run (and of the target_evolved runs).
	SourceIterations int
	Pick             string
	// SourceKnobs, if set, is the meta policy to transfer (from a saved run); no source runs.
	SourceKnobs *KnobValues
}

// Validate checks the spec.
func (t *TransferSpec) Validate() error {
	_, _, err := t.check()
	return err
}

// check is [TransferSpec.Validate] returning the two domains it had to build.
func (t *TransferSpec) check() (from, to Domain, err error) {
	switch {
	case t.K < 1 || t.K > MaxIterations:
		return nil, nil, fmt.Errorf("transfer: k %d, want 1 to %d", t.K, MaxIterations)
	case t.Seeds < 1 || t.Seeds > MaxSeeds:
		return nil, nil, fmt.Errorf("transfer: seeds %d, want 1 to %d", t.Seeds, MaxSeeds)
	case t.SourceIterations < 1 || t.SourceIterations > MaxIterations:
		return nil, nil, fmt.Errorf("transfer: source iterations %d, want 1 to %d", t.SourceIterations, MaxIterations)
	case t.Pick != PickValidation && t.Pick != PickGrowth:
		return nil, nil, fmt.Errorf("transfer: pick %q, want %s or %s", t.Pick, PickValidation, PickGrowth)
	}
	var ds [2]Domain
	for i, name := range []string{t.From, t.To} {
		d, err := LookupDomain(name)
		if err != nil {
			return nil, nil, err
		}
		if DefaultFlavour(d) != FlavourAdaptive {
			return nil, nil, fmt.Errorf("transfer: %s has no adaptive meta policy to transfer", d.Name())
		}
		ds[i] = d
	}
	if t.SourceKnobs != nil {
		if err := checkKnobs(t.SourceKnobs); err != nil {
			return nil, nil, fmt.Errorf("transfer: source meta policy: %w", err)
		}
	}
	return ds[0], ds[1], nil
}

// TransferRun is one arm's run on the target for one seed.
type TransferRun struct {
	Arm     string
	SeedIdx int
	Knobs   KnobValues // the frozen meta policy
	Initial float64    // the initial agent's test score
	Best    float64    // test score of the agent chosen on validation after k children
	Imp     float64    // Best − Initial
}

// NewFrozenRun starts a run on d whose meta policy stays frozen at knobs (the meta axis "frozen",
// with other knobs than the initial ones).
func NewFrozenRun(sel Selection, seed uint64, d Domain, knobs KnobValues) (*Run, error) {
	if err := checkKnobs(&knobs); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrConfig, err)
	}
	r, err := New(Config{Flavour: FlavourAdaptive, Meta: MetaFrozen, Selection: sel, Seed: seed}, d)
	if err != nil {
		return nil, err
	}
	r.frozen.Knobs = knobs
	return r, nil
}

// PickAgent returns the entry of r whose meta policy a transfer takes.
func PickAgent(r *Run, pick string) *Entry {
	if pick != PickGrowth {
		return r.Best()
	}
	a := r.Archive()
	bestBelow := make([]float64, a.Len()) // best fitness in each entry's subtree
	for i := range bestBelow {
		bestBelow[i] = a.At(i).Eval.Fitness
	}
	for i := a.Len() - 1; i > 0; i-- {
		if pi, ok := a.Index(a.At(i).Agent.ParentID); ok {
			bestBelow[pi] = max(bestBelow[pi], bestBelow[i])
		}
	}
	best, growth := 0, -1.0
	for i := range bestBelow {
		if g := bestBelow[i] - a.At(i).Eval.Fitness; a.Children(i) > 0 && g > growth {
			best, growth = i, g
		}
	}
	return a.At(best)
}

// priorKnobs draws a meta policy from the mutation prior for seed index si: each knob that applies
// to shape log-uniform within its bounds; the others keep their initial value.
func priorKnobs(shape Shape, si int) KnobValues {
	h := fnv.New64a()
	h.Write([]byte("hyperagents/transfer/random_prior"))
	rng := rand.New(rand.NewPCG(uint64(si), h.Sum64()))
	k := InitialKnobs
	for i, spec := range Knobs {
		if shape.Applies(i) {
			a, b := plog(spec.Min), plog(spec.Max)
			k[i] = min(max(Round(pexp(a+float64(rng.Float64()*(b-a))), 5), spec.Min), spec.Max)
		}
	}
	return k
}

// evolvedKnobs evolves a run of the full system (meta evolving, the domain's selection) on d for
// n iterations with seed, and returns the picked agent's knobs.
func evolvedKnobs(ctx context.Context, d Domain, seed uint64, n int, pick string) (KnobValues, error) {
	r, err := New(Config{Flavour: FlavourAdaptive, Meta: MetaEvolve, Selection: d.Info().Selection, Seed: seed}, d)
	if err != nil {
		return KnobValues{}, err
	}
	if err := r.RunN(ctx, n, nil); err != nil {
		return KnobValues{}, err
	}
	return PickAgent(r, pick).Agent.Meta.Knobs, nil
}

// RunTransfer runs the four arms for every seed (7 + 13·i) on up to workers goroutines and
// returns the runs, arm by arm, seeds in order.
func RunTransfer(ctx context.Context, t TransferSpec, workers int) ([]TransferRun, error) {
	if err := t.Validate(); err != nil {
		return nil, err
	}
	from, _ := LookupDomain(t.From)
	to, _ := LookupDomain(t.To)
	seeds := DefaultSeeds(t.Seeds)
	out := make([]TransferRun, len(TransferArms)*t.Seeds)
	var mu sync.Mutex
	var first error
	jobs := make(chan int)
	var wg sync.WaitGroup
	for range max(1, workers) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for si := range jobs {
				runs, err := transferSeed(ctx, t, from, to, si, seeds[si])
				mu.Lock()
				if err != nil && first == nil {
					first = err
				}
				for a, r := range runs {
					out[a*t.Seeds+si] = r
				}
				mu.Unlock()
			}
		}()
	}
	for si := range seeds {
		jobs <- si
	}
	close(jobs)
	wg.Wait()
	if first != nil {
		return nil, first
	}
	return out, ctx.Err()
}

// transferSeed runs the four arms of one seed.
func transferSeed(ctx context.Context, t TransferSpec, from, to Domain, si int, seed uint64) ([]TransferRun, error) {
	st := newSeedTransfer(&t, from, to, si, seed)
	for !st.done() {
		if _, err := st.step(ctx, MaxIterations); err != nil {
			return nil, err
		}
	}
	return st.out, nil
}

// seedTransfer is one seed of a transfer, done in steps: the source run (unless the meta policy
// is given), the target-evolved run, then the four arms' k children on the target.
type seedTransfer struct {
	t        *TransferSpec
	from, to Domain
	si       int
	seed     uint64
	phase    int  // 0 source, 1 target-evolved, 2 + arm
	run      *Run // the phase's run in progress
	initial  float64
	knobs    [4]KnobValues
	out      []TransferRun
}

func newSeedTransfer(t *TransferSpec, from, to Domain, si int, seed uint64) *seedTransfer {
	st := &seedTransfer{t: t, from: from, to: to, si: si, seed: seed}
	st.knobs[1] = InitialKnobs
	st.knobs[2] = priorKnobs(to.Info().Shape, si)
	if t.SourceKnobs != nil {
		st.knobs[0], st.phase = *t.SourceKnobs, 1
	}
	return st
}

// seedIterations is how many iterations a seed of t takes.
func (t *TransferSpec) seedIterations() int {
	n := t.SourceIterations + len(TransferArms)*t.K
	if t.SourceKnobs == nil {
		n += t.SourceIterations
	}
	return n
}

func (st *seedTransfer) done() bool { return st.phase == 2+len(TransferArms) }

// step runs up to budget iterations of the seed and returns how many it ran.
func (st *seedTransfer) step(ctx context.Context, budget int) (int, error) {
	used := 0
	for used < budget && !st.done() {
		if st.run == nil {
			var err error
			switch st.phase {
			case 0, 1:
				d := st.from
				if st.phase == 1 {
					d = st.to
				}
				st.run, err = New(Config{Flavour: FlavourAdaptive, Meta: MetaEvolve, Selection: d.Info().Selection, Seed: st.seed}, d)
			default:
				st.run, err = NewFrozenRun(st.to.Info().Selection, st.seed, st.to, st.knobs[st.phase-2])
				if err == nil {
					st.initial = st.run.Best().Eval.TestAccuracy
				}
			}
			if err != nil {
				return used, st.fail(err)
			}
		}
		target := st.t.SourceIterations
		if st.phase >= 2 {
			target = st.t.K
		}
		n := min(budget-used, target-st.run.Iterations())
		if err := st.run.RunN(ctx, n, nil); err != nil {
			return used, st.fail(err)
		}
		used += n
		if st.run.Iterations() < target {
			continue
		}
		switch st.phase {
		case 0:
			st.knobs[0] = PickAgent(st.run, st.t.Pick).Agent.Meta.Knobs
		case 1:
			st.knobs[3] = PickAgent(st.run, st.t.Pick).Agent.Meta.Knobs
		default:
			a := st.phase - 2
			best := st.run.Best().Eval.TestAccuracy
			st.out = append(st.out, TransferRun{Arm: TransferArms[a], SeedIdx: st.si, Knobs: st.knobs[a], Initial: st.initial, Best: best, Imp: best - st.initial})
		}
		st.run = nil
		st.phase++
	}
	return used, nil
}

// fail names the phase an error happened in.
func (st *seedTransfer) fail(err error) error {
	switch st.phase {
	case 0:
		return fmt.Errorf("transfer: source run on %s: %w", st.from.Name(), err)
	case 1:
		return fmt.Errorf("transfer: target-evolved run on %s: %w", st.to.Name(), err)
	}
	return fmt.Errorf("transfer: %s arm on %s: %w", TransferArms[st.phase-2], st.to.Name(), err)
}

// TransferJob runs a transfer one slice at a time on the caller's goroutine, seed after seed: the
// page's transfer, which must yield to the browser. It gives the runs [RunTransfer] gives.
type TransferJob struct {
	t        TransferSpec
	from, to Domain
	seeds    []uint64
	cur      *seedTransfer
	next     int // seeds started
	runs     []TransferRun
	done     int
}

// NewTransferJob checks the spec and prepares the job; nothing runs until [TransferJob.Step].
func NewTransferJob(t TransferSpec) (*TransferJob, error) {
	from, to, err := t.check()
	if err != nil {
		return nil, err
	}
	return &TransferJob{t: t, from: from, to: to, seeds: DefaultSeeds(t.Seeds), runs: make([]TransferRun, len(TransferArms)*t.Seeds)}, nil
}

// Step runs up to budget iterations (at least one).
func (j *TransferJob) Step(ctx context.Context, budget int) error {
	for budget > 0 && !j.Finished() {
		if j.cur == nil {
			j.cur = newSeedTransfer(&j.t, j.from, j.to, j.next, j.seeds[j.next])
			j.next++
		}
		n, err := j.cur.step(ctx, budget)
		budget -= n
		j.done += n
		if err != nil {
			return err
		}
		if j.cur.done() {
			for a, r := range j.cur.out {
				j.runs[a*j.t.Seeds+j.cur.si] = r
			}
			j.cur = nil
		}
	}
	return nil
}

// Finished reports whether every seed is done.
func (j *TransferJob) Finished() bool { return j.next == len(j.seeds) && j.cur == nil }

// Done is the number of iterations run so far.
func (j *TransferJob) Done() int { return j.done }

// Total is the number of iterations of the whole transfer.
func (j *TransferJob) Total() int { return len(j.seeds) * j.t.seedIterations() }

// SeedsDone is the number of finished seeds.
func (j *TransferJob) SeedsDone() int {
	if j.cur != nil {
		return j.next - 1
	}
	return j.next
}

// Runs are the transfer's runs, arm by arm, seeds in order (complete once Finished).
func (j *TransferJob) Runs() []TransferRun { return j.runs }

// Spec is the transfer the job runs.
func (j *TransferJob) Spec() TransferSpec { return j.t }

// TransferSummary is the transfer's summary in the sweep's format: one result, metric imp@k at
// iteration k on the target, the four arms, and comparisons of transferred with each other arm.
func TransferSummary(t TransferSpec, runs []TransferRun) (*SweepSummary, error) {
	return TransferSummaryYield(t, runs, nil)
}

// TransferSummaryYield is [TransferSummary] calling yield (if not nil) between units of work.
func TransferSummaryYield(t TransferSpec, runs []TransferRun, yield func()) (*SweepSummary, error) {
	if len(runs) != len(TransferArms)*t.Seeds {
		return nil, errors.New("transfer: incomplete runs")
	}
	to, err := LookupDomain(t.To)
	if err != nil {
		return nil, err
	}
	spec := &Spec{Domains: []string{to.Name()}, Seeds: t.Seeds, Iterations: t.K, Checkpoints: []int{t.K}, Reference: ArmTransferred}
	for _, arm := range TransferArms {
		spec.Conditions = append(spec.Conditions, SpecCondition{Name: arm, Meta: "frozen", Selection: DefaultSelection})
	}
	res := Result{Domain: to.Name(), Iteration: t.K, Metric: "imp@" + fmt.Sprint(t.K)}
	values := make([][]float64, len(TransferArms))
	for a, arm := range TransferArms {
		v := make([]float64, t.Seeds)
		for si := range v {
			v[si] = runs[a*t.Seeds+si].Imp
		}
		values[a] = v
		if yield != nil {
			yield()
		}
		st := describeYield(v, yield)
		res.Conditions = append(res.Conditions, CondStat{Name: arm, Values: v, Median: st.Median, CI: [2]float64{st.CILow, st.CIHigh}, Mean: st.Mean, Std: st.Std})
	}
	res.Comparisons = compareWith(values, TransferArms, 0)
	return &SweepSummary{Spec: spec, EngineVersion: Version, Seeds: DefaultSeeds(t.Seeds), Results: []Result{res}}, nil
}

// TransferClaims says in plain words which claims the transfer supports: the transferred meta
// policy against each other arm (higher median, Holm p < 0.05 and more wins than losses counts as
// "beats"; lower median with the same as "loses to"; anything else as "cannot be told apart").
func TransferClaims(sum *SweepSummary) []string {
	r := sum.Results[0]
	med := map[string]float64{}
	for _, c := range r.Conditions {
		med[c.Name] = c.Median
	}
	what := map[string]string{
		ArmInitial:       "the initial meta policy",
		ArmRandomPrior:   "a meta policy drawn at random from the mutation prior (the control a transfer claim must beat)",
		ArmTargetEvolved: "a meta policy evolved on the target itself",
	}
	var out []string
	for _, cmp := range r.Comparisons {
		verdict := "cannot be told apart from"
		sig := cmp.HolmP != nil && *cmp.HolmP < 0.05
		switch {
		case sig && med[cmp.A] > med[cmp.B] && cmp.Wins > cmp.Losses:
			verdict = "beats"
		case sig && med[cmp.A] < med[cmp.B] && cmp.Losses > cmp.Wins:
			verdict = "loses to"
		}
		p := "no test (every difference zero)"
		if cmp.HolmP != nil {
			p = fmt.Sprintf("Holm p = %.3g", *cmp.HolmP)
		}
		out = append(out, fmt.Sprintf("The transferred meta policy %s %s: median %s %.3f vs %.3f, %s, %d/%d/%d seeds higher/equal/lower.",
			verdict, what[cmp.B], r.Metric, med[cmp.A], med[cmp.B], p, cmp.Wins, cmp.Ties, cmp.Losses))
	}
	return out
}

// TransferMarkdown is the transfer's summary.md: the arms' imp@k and the claims in plain words.
func TransferMarkdown(t TransferSpec, sum *SweepSummary) []byte {
	r := sum.Results[0]
	var b []byte
	src := fmt.Sprintf("evolved on %s (%d iterations per seed, agent picked by %s)", t.From, t.SourceIterations, t.Pick)
	if t.SourceKnobs != nil {
		src = "taken from a saved run on " + t.From
	}
	b = fmt.Appendf(b, "# Transfer: %s → %s, %s over %d seeds\n\n", t.From, t.To, r.Metric, t.Seeds)
	b = fmt.Appendf(b, "The meta policy %s, frozen, making %d children on %s from its initial agent. %s = best test score "+
		"of the agent chosen on validation − the initial agent's test score (chance-corrected; the maze: fitness).\n\n", src, t.K, t.To, r.Metric)
	b = append(b, "| arm | median [95% CI] | mean ± std | p vs transferred | Holm p | W/T/L |\n|---|---|---|---|---|---|\n"...)
	for _, c := range r.Conditions {
		p, h, wtl := "reference", "", ""
		for _, cmp := range r.Comparisons {
			if cmp.B == c.Name {
				p, h = "—", "—"
				if cmp.WilcoxonP != nil {
					p = fmt.Sprintf("%.3g", *cmp.WilcoxonP)
				}
				if cmp.HolmP != nil {
					h = fmt.Sprintf("%.3g", *cmp.HolmP)
				}
				wtl = fmt.Sprintf("%d/%d/%d", cmp.Wins, cmp.Ties, cmp.Losses)
			}
		}
		b = fmt.Appendf(b, "| %s | %.3f [%.3f, %.3f] | %.3f ± %.3f | %s | %s | %s |\n", c.Name, c.Median, c.CI[0], c.CI[1], c.Mean, c.Std, p, h, wtl)
	}
	b = append(b, "\nWhat holds:\n\n"...)
	for _, c := range TransferClaims(sum) {
		b = fmt.Appendf(b, "- %s\n", c)
	}
	return b
}
