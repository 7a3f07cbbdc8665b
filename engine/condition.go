package engine

import (
	"fmt"
	"strings"
)

// MetaMode is the meta axis of a condition: whether the meta policy evolves.
type MetaMode int

// The meta modes.
const (
	// MetaEvolve lets every child inherit and edit its parent's meta policy (the hyperagent).
	MetaEvolve MetaMode = iota
	// MetaFrozen freezes the meta policy at the initial agent's (the paper's "w/o self-improve").
	MetaFrozen
	// MetaTuned freezes it at a per-domain sensible meta policy chosen without test data
	// ([Tuned]): the control that shows whether evolution only recovers tuning. Adaptive flavour
	// only.
	MetaTuned
)

// MetaModes lists every meta mode.
var MetaModes = []MetaMode{MetaEvolve, MetaFrozen, MetaTuned}

var metaNames = [...]string{"evolve", "frozen", "tuned"}

var metaHelp = [...]string{
	"every child inherits and edits its parent's meta policy (the hyperagent)",
	"the meta policy stays the initial agent's (no self-improvement of the improver)",
	"the meta policy stays a per-domain setting tuned on validation (the control for evolution)",
}

// Help is a one-line description of the meta mode.
func (m MetaMode) Help() string {
	if m < 0 || int(m) >= len(metaHelp) {
		return ""
	}
	return metaHelp[m]
}

// String returns "evolve", "frozen" or "tuned".
func (m MetaMode) String() string {
	if m < 0 || int(m) >= len(metaNames) {
		return fmt.Sprintf("MetaMode(%d)", int(m))
	}
	return metaNames[m]
}

// ParseMetaMode parses a meta mode name.
func ParseMetaMode(s string) (MetaMode, error) {
	for i, n := range metaNames {
		if s == n {
			return MetaMode(i), nil
		}
	}
	return 0, fmt.Errorf("engine: unknown meta mode %q (want %s)", s, strings.Join(metaNames[:], ", "))
}

// Selection is the selection axis of a condition: how the next parent is drawn from the archive.
type Selection int

// The parent-selection strategies (RESEARCH.md §3).
const (
	// SelectSeed draws with the seed system's weights (REFERENCE §5.4).
	SelectSeed Selection = iota
	// SelectDGM draws with p ∝ σ(10·(fitness − mean of the top-3 fitnesses)) / (1 + children), the
	// Darwin Gödel Machine's rule as the paper states it.
	SelectDGM
	// SelectDGMCode is DGM with the released code's child penalty exp(−(children/8)³).
	SelectDGMCode
	// SelectUniform draws every archived agent with equal probability.
	SelectUniform
	// SelectBest always takes the best agent on train (greedy: the seed's no_archive).
	SelectBest
	// SelectLatest always takes the newest agent: a single chain, the paper's "w/o open-ended
	// exploration".
	SelectLatest
)

// Selections lists every selection strategy.
var Selections = []Selection{SelectSeed, SelectDGM, SelectDGMCode, SelectUniform, SelectBest, SelectLatest}

var selectionNames = [...]string{"seed", "dgm", "dgm_code", "uniform", "best", "latest"}

var selectionHelp = [...]string{
	"the seed system's weights: (0.25 + fitness) × exploration × novelty",
	"DGM: sigmoid(10·(fitness − top-3 mean)) / (1 + children)",
	"DGM as released: sigmoid(10·(fitness − top-3 mean)) × exp(−(children/8)³)",
	"every archived agent equally likely",
	"always the best agent on train (greedy, no stepping stones)",
	"always the newest agent (one chain, no open-ended exploration)",
}

// String returns the strategy's name, e.g. "dgm_code".
func (s Selection) String() string {
	if s < 0 || int(s) >= len(selectionNames) {
		return fmt.Sprintf("Selection(%d)", int(s))
	}
	return selectionNames[s]
}

// Help is a one-line description of the strategy.
func (s Selection) Help() string {
	if s < 0 || int(s) >= len(selectionHelp) {
		return ""
	}
	return selectionHelp[s]
}

// ParseSelection parses a selection strategy name.
func ParseSelection(s string) (Selection, error) {
	for i, n := range selectionNames {
		if s == n {
			return Selection(i), nil
		}
	}
	return 0, fmt.Errorf("engine: unknown selection %q (want %s)", s, strings.Join(selectionNames[:], ", "))
}

// Preset returns the meta mode and selection of one of the seed's modes: hyperagent = evolve ×
// seed, baseline = frozen × seed, no_archive = evolve × best.
func (m Mode) Preset() (MetaMode, Selection) {
	switch m {
	case ModeBaseline:
		return MetaFrozen, SelectSeed
	case ModeNoArchive:
		return MetaEvolve, SelectBest
	}
	return MetaEvolve, SelectSeed
}

// Config returns the run configuration of mode m.
func (m Mode) Config(f Flavour, seed uint64) Config {
	meta, sel := m.Preset()
	return Config{Flavour: f, Meta: meta, Selection: sel, Seed: seed}
}

// Condition is one arm of an experiment: a name and a point on the meta × selection grid.
type Condition struct {
	Name      string    `json:"name"`
	Meta      MetaMode  `json:"meta"`
	Selection Selection `json:"selection"`
}

// ModeCondition is the condition of one of the seed's modes, named as the seed names it.
func ModeCondition(m Mode) Condition {
	meta, sel := m.Preset()
	return Condition{Name: m.String(), Meta: meta, Selection: sel}
}

// Mode returns the seed mode with the condition's meta and selection, if there is one.
func (c Condition) Mode() (Mode, bool) {
	for _, m := range Modes {
		if meta, sel := m.Preset(); meta == c.Meta && sel == c.Selection {
			return m, true
		}
	}
	return 0, false
}

// Label is how charts and CSV files label the condition: the seed's label for its modes
// ("HyperAgent (full system)"), else "name (meta × selection)".
func (c Condition) Label() string {
	if m, ok := c.Mode(); ok && c.Name == m.String() {
		return m.Label()
	}
	return c.Name + " (" + c.Meta.String() + " × " + c.Selection.String() + ")"
}
