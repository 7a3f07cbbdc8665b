package engine

import (
	"context"
	"fmt"
)

// Limits of an experiment's size, so a typo cannot ask for a week of work.
const (
	MaxIterations = 1_000_000
	MaxSeeds      = 1000
)

// ExperimentConfig is an ablation experiment on one domain: every condition is run with every seed
// for the same number of iterations.
type ExperimentConfig struct {
	Flavour    Flavour     `json:"flavour"`
	Conditions []Condition `json:"conditions"`
	Seeds      []uint64    `json:"seeds"`
	Iterations int         `json:"iterations"`
}

// ModeConditions returns the conditions of the seed's modes.
func ModeConditions(ms ...Mode) []Condition {
	out := make([]Condition, len(ms))
	for i, m := range ms {
		out[i] = ModeCondition(m)
	}
	return out
}

// DefaultSeeds returns the seed's k seeds: 7 + 13·i for i in [0, k).
func DefaultSeeds(k int) []uint64 {
	s := make([]uint64, k)
	for i := range s {
		s[i] = 7 + 13*uint64(i)
	}
	return s
}

// Validate checks every field.
func (c ExperimentConfig) Validate() error {
	if len(c.Conditions) == 0 {
		return fmt.Errorf("%w: no conditions", ErrConfig)
	}
	seen := map[string]bool{}
	for _, m := range c.Conditions {
		if err := (Config{Flavour: c.Flavour, Meta: m.Meta, Selection: m.Selection}).Validate(); err != nil {
			return fmt.Errorf("condition %s: %w", m.Name, err)
		}
		if m.Name == "" {
			return fmt.Errorf("%w: a condition has no name", ErrConfig)
		}
		if seen[m.Name] {
			return fmt.Errorf("%w: condition %s listed twice", ErrConfig, m.Name)
		}
		seen[m.Name] = true
	}
	if len(c.Seeds) == 0 || len(c.Seeds) > MaxSeeds {
		return fmt.Errorf("%w: %d seeds, want 1 to %d", ErrConfig, len(c.Seeds), MaxSeeds)
	}
	for _, s := range c.Seeds {
		if s > MaxSeed {
			return fmt.Errorf("%w: seed %d above %d", ErrConfig, s, uint64(MaxSeed))
		}
	}
	if c.Iterations < 1 || c.Iterations > MaxIterations {
		return fmt.Errorf("%w: %d iterations, want 1 to %d", ErrConfig, c.Iterations, MaxIterations)
	}
	return nil
}

// Row is one line of an experiment's output: one progress row of one run.
type Row struct {
	Condition Condition `json:"condition"`
	Seed      uint64    `json:"seed"`
	SeedIdx   int       `json:"seed_idx"`
	Progress
}

// Experiment runs an [ExperimentConfig] one iteration at a time, so a caller (the browser) can
// interleave it with other work. Conditions run in order, seeds in order within each. An Experiment
// is not safe for concurrent use.
type Experiment struct {
	// OnRun, if set, is called with every run as it completes (e.g. to save it).
	OnRun func(*Run) error

	cfg  ExperimentConfig
	dom  Domain
	rows []Row
	cond int  // index of the current condition
	seed int  // index of the current seed
	run  *Run // current run, nil between runs
	done int  // iterations completed over all runs
}

// NewExperiment validates the configuration and prepares the experiment.
func NewExperiment(c ExperimentConfig, d Domain) (*Experiment, error) {
	if err := c.Validate(); err != nil {
		return nil, err
	}
	if err := (Config{Flavour: c.Flavour}).CheckDomain(d); err != nil {
		return nil, err
	}
	rows := len(c.Conditions) * len(c.Seeds) * (c.Iterations + 1)
	return &Experiment{cfg: c, dom: d, rows: make([]Row, 0, rows)}, nil
}

// Config returns the experiment's configuration.
func (x *Experiment) Config() ExperimentConfig { return x.cfg }

// Total is the number of iterations the experiment runs in all.
func (x *Experiment) Total() int {
	return len(x.cfg.Conditions) * len(x.cfg.Seeds) * x.cfg.Iterations
}

// Done is the number of iterations completed.
func (x *Experiment) Done() int { return x.done }

// Finished reports whether every run is complete.
func (x *Experiment) Finished() bool { return x.cond >= len(x.cfg.Conditions) }

// Rows returns the rows so far. The caller must not modify them.
func (x *Experiment) Rows() []Row { return x.rows }

// Step advances the current run by one iteration, starting the next run when needed. It is a no-op
// once the experiment is finished.
func (x *Experiment) Step(ctx context.Context) error {
	if x.Finished() {
		return nil
	}
	mode, seed := x.cfg.Conditions[x.cond], x.cfg.Seeds[x.seed]
	if x.run == nil {
		r, err := New(Config{Flavour: x.cfg.Flavour, Meta: mode.Meta, Selection: mode.Selection, Seed: seed}, x.dom)
		if err != nil {
			return fmt.Errorf("experiment %s seed %d: %w", mode.Name, seed, err)
		}
		x.run = r
		x.rows = append(x.rows, Row{Condition: mode, Seed: seed, SeedIdx: x.seed, Progress: r.Progress()[0]})
	}
	ev, err := x.run.Step(ctx)
	if err != nil {
		return fmt.Errorf("experiment %s seed %d: %w", mode.Name, seed, err)
	}
	x.done++
	x.rows = append(x.rows, Row{Condition: mode, Seed: seed, SeedIdx: x.seed, Progress: ev.Progress})
	if x.run.Iterations() == x.cfg.Iterations {
		if x.OnRun != nil {
			if err := x.OnRun(x.run); err != nil {
				return fmt.Errorf("experiment %s seed %d: %w", mode.Name, seed, err)
			}
		}
		x.run = nil
		x.seed++
		if x.seed == len(x.cfg.Seeds) {
			x.seed = 0
			x.cond++
		}
	}
	return nil
}

// RunExperiment runs a whole experiment and returns its rows.
func RunExperiment(ctx context.Context, c ExperimentConfig, d Domain) ([]Row, error) {
	x, err := NewExperiment(c, d)
	if err != nil {
		return nil, err
	}
	for !x.Finished() {
		if err := x.Step(ctx); err != nil {
			return nil, err
		}
	}
	return x.Rows(), nil
}
