package engine

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
)

// Spec is a sweep: every domain × condition × seed is run for the same number of iterations and
// summarised at the checkpoints, each condition compared with the reference. It is the unit a
// researcher writes, shares and re-runs (`hyperagents sweep SPEC.json`, the page's Experiments
// view). In JSON, unknown keys are an error.
type Spec struct {
	Domains     []string        `json:"domains"`
	Conditions  []SpecCondition `json:"conditions"`
	Seeds       int             `json:"seeds"`
	Iterations  int             `json:"iterations"`
	Checkpoints []int           `json:"checkpoints"`
	Reference   string          `json:"reference"`
	// Flavour, if set, is used on every domain; by default code_review runs standard and the
	// others adaptive.
	Flavour string `json:"flavour,omitempty"`
	// SplitSeed, if set, draws another train/validation/test split of every domain.
	SplitSeed *uint64 `json:"split_seed,omitempty"`

	built []Domain // the domains Validate built (building one is slow), which Plan and DomainNames use
}

// SpecCondition is a condition of a spec: a name and either meta and selection, or one of the
// seed's modes. Selection "default" is the domain's own ([DomainInfo.Selection]: dgm on the
// classification domains, seed on the maze).
type SpecCondition struct {
	Name      string `json:"name"`
	Meta      string `json:"meta,omitempty"`
	Selection string `json:"selection,omitempty"`
	Mode      string `json:"mode,omitempty"`
}

// Limits of a sweep.
const (
	MaxSweepRuns  = 100_000
	MaxSweepWork  = 500_000_000 // iterations over all runs
	maxSpecLength = 1 << 20
)

// DefaultSelection is the selection value that stands for the domain's own.
const DefaultSelection = "default"

// ParseSpec reads and checks a spec: strict JSON (unknown keys and trailing data are errors),
// known domains, valid and distinct conditions that every domain supports, a reference among
// them, seeds, iterations and checkpoints in range.
func ParseSpec(data []byte) (*Spec, error) {
	if len(data) > maxSpecLength {
		return nil, fmt.Errorf("spec: %d bytes, at most %d", len(data), maxSpecLength)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var s Spec
	if err := dec.Decode(&s); err != nil {
		return nil, fmt.Errorf("spec: %w", err)
	}
	if dec.More() {
		return nil, errors.New("spec: data after the JSON object")
	}
	if err := s.Validate(); err != nil {
		return nil, err
	}
	return &s, nil
}

// Validate checks the spec (see [ParseSpec]) and fills in the default checkpoint (the last
// iteration) when there is none.
func (s *Spec) Validate() error {
	if len(s.Domains) == 0 {
		return errors.New("spec: no domains")
	}
	if len(s.Conditions) == 0 {
		return errors.New("spec: no conditions")
	}
	if s.Seeds < 1 || s.Seeds > MaxSeeds {
		return fmt.Errorf("spec: seeds %d, want 1 to %d", s.Seeds, MaxSeeds)
	}
	if s.Iterations < 1 || s.Iterations > MaxIterations {
		return fmt.Errorf("spec: iterations %d, want 1 to %d", s.Iterations, MaxIterations)
	}
	runs := len(s.Domains) * len(s.Conditions) * s.Seeds
	if runs > MaxSweepRuns || runs*s.Iterations > MaxSweepWork {
		return fmt.Errorf("spec: %d runs × %d iterations is more than this program runs in one sweep (%d runs, %d iterations)",
			runs, s.Iterations, MaxSweepRuns, MaxSweepWork)
	}
	if len(s.Checkpoints) == 0 {
		s.Checkpoints = []int{s.Iterations}
	}
	for i, c := range s.Checkpoints {
		if c < 1 || c > s.Iterations {
			return fmt.Errorf("spec: checkpoint %d outside 1 to %d (the iterations)", c, s.Iterations)
		}
		if i > 0 && c <= s.Checkpoints[i-1] {
			return errors.New("spec: checkpoints must be increasing")
		}
	}
	if s.Flavour != "" {
		if _, err := ParseFlavour(s.Flavour); err != nil {
			return fmt.Errorf("spec: %w", err)
		}
	}
	if s.SplitSeed != nil && *s.SplitSeed > MaxSeed {
		return fmt.Errorf("spec: split_seed above %d", uint64(MaxSeed))
	}
	seenDomain := map[string]bool{}
	s.built = nil
	var built []Domain
	for _, name := range s.Domains {
		d, err := s.domain(name)
		if err != nil {
			return fmt.Errorf("spec: %w", err)
		}
		built = append(built, d)
		if seenDomain[d.Name()] {
			return fmt.Errorf("spec: domain %s listed twice", d.Name())
		}
		seenDomain[d.Name()] = true
		for _, sc := range s.Conditions {
			if _, err := s.Config(sc, d, 0); err != nil {
				return fmt.Errorf("spec: condition %q on %s: %w", sc.Name, d.Name(), err)
			}
		}
	}
	names := map[string]bool{}
	for _, c := range s.Conditions {
		switch {
		case c.Name == "" || strings.ContainsAny(c.Name, ",\"\n\r\t|") || len(c.Name) > 40:
			return fmt.Errorf("spec: condition name %q: want 1 to 40 characters without commas, quotes, bars or line breaks", c.Name)
		case names[c.Name]:
			return fmt.Errorf("spec: condition %q listed twice", c.Name)
		}
		names[c.Name] = true
	}
	if !names[s.Reference] {
		return fmt.Errorf("spec: reference %q is not one of the conditions", s.Reference)
	}
	s.built = built
	return nil
}

// domain builds a domain of the spec, with its split seed.
func (s *Spec) domain(name string) (Domain, error) {
	if s.SplitSeed != nil {
		if _, err := LookupDomain(name); err != nil {
			return nil, err
		}
		name = WithSplit(name, *s.SplitSeed)
	}
	return LookupDomain(name)
}

// builtDomain is the spec's i-th domain: the one Validate built, or built now.
func (s *Spec) builtDomain(i int) (Domain, error) {
	if len(s.built) == len(s.Domains) {
		return s.built[i], nil
	}
	return s.domain(s.Domains[i])
}

// Config is the run configuration of condition sc on domain d with a seed.
func (s *Spec) Config(sc SpecCondition, d Domain, seed uint64) (Config, error) {
	f := DefaultFlavour(d)
	if s.Flavour != "" {
		f, _ = ParseFlavour(s.Flavour)
	}
	c := Config{Flavour: f, Seed: seed}
	switch {
	case sc.Mode != "":
		if sc.Meta != "" || sc.Selection != "" {
			return c, errors.New("give either mode or meta and selection, not both")
		}
		m, err := ParseMode(sc.Mode)
		if err != nil {
			return c, err
		}
		c.Meta, c.Selection = m.Preset()
	default:
		meta, err := ParseMetaMode(sc.Meta)
		if err != nil {
			return c, err
		}
		c.Meta = meta
		if sc.Selection == DefaultSelection {
			c.Selection = d.Info().Selection
		} else if c.Selection, err = ParseSelection(sc.Selection); err != nil {
			return c, err
		}
	}
	if err := c.CheckDomain(d); err != nil {
		return c, err
	}
	return c, c.Validate()
}

// SweepRun is one run of a sweep: its place in the canonical order (domains, then conditions,
// then seeds), its domain, condition and configuration.
type SweepRun struct {
	Index     int
	Domain    Domain
	Condition Condition // with the selection resolved for the domain
	SeedIdx   int
	Config    Config
}

// Plan lists the runs of the spec in canonical order that fall in shard i of n (index mod n ==
// i; shard 0 of 1 is every run). Seeds are the experiments' seeds, 7 + 13·k.
func (s *Spec) Plan(shard, shards int) ([]SweepRun, error) {
	if shards < 1 || shard < 0 || shard >= shards {
		return nil, fmt.Errorf("shard %d of %d: want 0 ≤ I < N", shard, shards)
	}
	seeds := DefaultSeeds(s.Seeds)
	var out []SweepRun
	k := 0
	for i := range s.Domains {
		d, err := s.builtDomain(i)
		if err != nil {
			return nil, err
		}
		for _, sc := range s.Conditions {
			for si, seed := range seeds {
				if k%shards == shard {
					cfg, err := s.Config(sc, d, seed)
					if err != nil {
						return nil, err
					}
					out = append(out, SweepRun{
						Index: k, Domain: d, SeedIdx: si, Config: cfg,
						Condition: Condition{Name: sc.Name, Meta: cfg.Meta, Selection: cfg.Selection},
					})
				}
				k++
			}
		}
	}
	return out, nil
}

// Runs is the number of runs of the whole sweep.
func (s *Spec) Runs() int { return len(s.Domains) * len(s.Conditions) * s.Seeds }

// DomainNames are the canonical names of the spec's domains (split seed applied), in order.
func (s *Spec) DomainNames() ([]string, error) {
	out := make([]string, len(s.Domains))
	for i := range s.Domains {
		d, err := s.builtDomain(i)
		if err != nil {
			return nil, err
		}
		out[i] = d.Name()
	}
	return out, nil
}

// Canonical is the spec as JSON with its defaults filled in, indented: what a sweep writes to
// spec.json and what shards are compared by.
func (s *Spec) Canonical() []byte {
	b, _ := json.MarshalIndent(s, "", "  ")
	return append(b, '\n')
}

// Series is what a sweep keeps of one run for its summary: the best train fitness after every
// iteration (for the area under the curve) and, at each checkpoint, the best validation and test
// accuracy of the reported agent.
type Series struct {
	Index     int
	Domain    string
	Condition string
	SeedIdx   int
	BestTrain []float64 // iterations 0 … N
	BestVal   []float64 // per checkpoint
	BestTest  []float64 // per checkpoint
	Test      []float64 // the reported agent's test accuracy, iterations 0 … N (the curves)
}

// NewSeries extracts a run's series at the checkpoints from its progress rows.
func NewSeries(sr SweepRun, rows []Progress, checkpoints []int) Series {
	se := Series{Index: sr.Index, Domain: sr.Domain.Name(), Condition: sr.Condition.Name, SeedIdx: sr.SeedIdx}
	se.BestTrain = make([]float64, len(rows))
	se.Test = make([]float64, len(rows))
	for i := range rows {
		se.BestTrain[i] = rows[i].BestFitness
		se.Test[i] = rows[i].BestTestAccuracy
	}
	for _, c := range checkpoints {
		se.BestVal = append(se.BestVal, rows[c].BestVal)
		se.BestTest = append(se.BestTest, rows[c].BestTestAccuracy)
	}
	return se
}

// AUC is the area under the best-train curve from iteration 0 to c by the trapezoid rule,
// divided by c: the mean best train fitness over the first c iterations.
func AUC(bestTrain []float64, c int) float64 {
	sum := 0.0
	for i := 1; i <= c; i++ {
		sum += (bestTrain[i-1] + bestTrain[i]) / 2
	}
	return sum / float64(c)
}

// slicesIndex is slices.Index, named for readability in the summary.
func slicesIndex(xs []string, x string) int { return slices.Index(xs, x) }
