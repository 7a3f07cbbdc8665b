package engine

import (
	"errors"
	"fmt"
)

// Mode is an ablation: which parts of the hyperagent loop are switched on.
type Mode int

// The ablation modes (REFERENCE §6).
const (
	// ModeHyperagent is the full system: weighted selection over the whole archive and a meta policy
	// that mutates and adapts.
	ModeHyperagent Mode = iota
	// ModeBaseline freezes the meta policy: every child starts from the seed agent's meta policy.
	ModeBaseline
	// ModeNoArchive is greedy: the parent is always the best agent so far.
	ModeNoArchive
)

// Modes lists every mode, in the seed's condition order.
var Modes = []Mode{ModeHyperagent, ModeBaseline, ModeNoArchive}

var modeNames = [...]string{"hyperagent", "baseline", "no_archive"}

var modeLabels = [...]string{"HyperAgent (full system)", "Baseline (frozen meta)", "No Archive (greedy)"}

var modeHelp = [...]string{
	"meta policy mutates and adapts; parents drawn from the whole archive",
	"meta policy frozen at the seed's; parents drawn from the whole archive",
	"greedy: the parent is always the best agent so far; no stepping stones",
}

// String returns the mode's name as the seed writes it: "hyperagent", "baseline", "no_archive".
func (m Mode) String() string {
	if m < 0 || int(m) >= len(modeNames) {
		return fmt.Sprintf("Mode(%d)", int(m))
	}
	return modeNames[m]
}

// Label returns the seed's CSV label of the mode, e.g. "HyperAgent (full system)".
func (m Mode) Label() string { return modeLabels[m] }

// Help is a one-line explanation of what the mode ablates.
func (m Mode) Help() string { return modeHelp[m] }

// ParseMode parses a mode name as printed by [Mode.String].
func ParseMode(s string) (Mode, error) {
	for i, n := range modeNames {
		if s == n {
			return Mode(i), nil
		}
	}
	return 0, fmt.Errorf("engine: unknown mode %q (want hyperagent, baseline or no_archive)", s)
}

// Flavour selects the arithmetic and the mutation operator of a run.
type Flavour int

const (
	// FlavourStandard is the default on code_review: the seed's algorithm with the flaws that
	// distort results fixed (see the package documentation).
	FlavourStandard Flavour = iota
	// FlavourSeed reproduces the seed system bit for bit, flaws included (code_review only).
	FlavourSeed
	// FlavourAdaptive is the default on every other domain: signed error-directed steps plus masked
	// Gaussian noise, driven by a meta policy of step and self-edit knobs ([Knobs]).
	FlavourAdaptive
)

// Flavours lists every flavour.
var Flavours = []Flavour{FlavourStandard, FlavourSeed, FlavourAdaptive}

var flavourNames = [...]string{"standard", "seed", "adaptive"}

// String returns "standard", "seed" or "adaptive".
func (f Flavour) String() string {
	if f < 0 || int(f) >= len(flavourNames) {
		return fmt.Sprintf("Flavour(%d)", int(f))
	}
	return flavourNames[f]
}

// ParseFlavour parses "standard", "seed" or "adaptive".
func ParseFlavour(s string) (Flavour, error) {
	for _, f := range Flavours {
		if s == f.String() {
			return f, nil
		}
	}
	return 0, fmt.Errorf("engine: unknown flavour %q (want standard, seed or adaptive)", s)
}

// DefaultFlavour is the flavour a domain runs unless told otherwise: standard on code_review,
// adaptive everywhere else.
func DefaultFlavour(d Domain) Flavour {
	if _, ok := d.(*CodeReview); ok {
		return FlavourStandard
	}
	return FlavourAdaptive
}

// MaxSeed is the largest seed a run accepts; it keeps seeds exact in JSON and JavaScript numbers.
const MaxSeed = 1<<53 - 1

// Config describes one run: its flavour, its condition on the meta × selection grid and its seed.
// The zero value is a standard-flavour hyperagent run (evolve × seed) with seed 0.
type Config struct {
	Flavour   Flavour   `json:"flavour"`
	Meta      MetaMode  `json:"meta"`
	Selection Selection `json:"selection"`
	// Seed drives every random draw of the run, in [0, MaxSeed].
	Seed uint64 `json:"seed"`
}

// Mode returns the seed mode (preset) the configuration's meta and selection form, if any.
func (c Config) Mode() (Mode, bool) {
	return Condition{Meta: c.Meta, Selection: c.Selection}.Mode()
}

// ConditionName names the configuration's condition: the seed mode's name for a preset
// ("hyperagent"), else "meta×selection" ("frozen×dgm").
func (c Config) ConditionName() string {
	if m, ok := c.Mode(); ok {
		return m.String()
	}
	return c.Meta.String() + "×" + c.Selection.String()
}

// ErrConfig is wrapped by every configuration error.
var ErrConfig = errors.New("engine: invalid configuration")

// Validate checks every field, and that the flavour supports the condition: the seed flavour runs
// only the seed's three modes, the standard flavour every selection but not the tuned meta.
func (c Config) Validate() error {
	if c.Flavour < 0 || int(c.Flavour) >= len(flavourNames) {
		return fmt.Errorf("%w: flavour %d", ErrConfig, int(c.Flavour))
	}
	if c.Meta < 0 || int(c.Meta) >= len(metaNames) {
		return fmt.Errorf("%w: meta mode %d", ErrConfig, int(c.Meta))
	}
	if c.Selection < 0 || int(c.Selection) >= len(selectionNames) {
		return fmt.Errorf("%w: selection %d", ErrConfig, int(c.Selection))
	}
	if c.Seed > MaxSeed {
		return fmt.Errorf("%w: seed %d above %d", ErrConfig, c.Seed, uint64(MaxSeed))
	}
	switch c.Flavour {
	case FlavourSeed:
		if _, ok := c.Mode(); !ok {
			return fmt.Errorf("%w: the seed flavour runs only the seed's modes (hyperagent, baseline, no_archive), not %s × %s", ErrConfig, c.Meta, c.Selection)
		}
	case FlavourStandard:
		if c.Meta == MetaTuned {
			return fmt.Errorf("%w: the tuned meta needs the adaptive flavour", ErrConfig)
		}
	}
	return nil
}

// CheckDomain reports whether the configuration's flavour runs on d: seed and standard on
// code_review only, adaptive on every other domain.
func (c Config) CheckDomain(d Domain) error {
	if d == nil {
		return fmt.Errorf("%w: nil domain", ErrConfig)
	}
	_, isCR := d.(*CodeReview)
	switch {
	case c.Flavour == FlavourAdaptive && isCR:
		return fmt.Errorf("%w: the adaptive flavour does not run on code_review (use standard or seed)", ErrConfig)
	case c.Flavour != FlavourAdaptive && !isCR:
		return fmt.Errorf("%w: the %s flavour runs only on code_review; %s needs the adaptive flavour", ErrConfig, c.Flavour, d.Name())
	}
	return nil
}

// MarshalText implements encoding.TextMarshaler with the meta mode's name.
func (m MetaMode) MarshalText() ([]byte, error) {
	if m < 0 || int(m) >= len(metaNames) {
		return nil, fmt.Errorf("%w: meta mode %d", ErrConfig, int(m))
	}
	return []byte(m.String()), nil
}

// UnmarshalText implements encoding.TextUnmarshaler.
func (m *MetaMode) UnmarshalText(b []byte) error {
	v, err := ParseMetaMode(string(b))
	*m = v
	return err
}

// MarshalText implements encoding.TextMarshaler with the selection's name.
func (s Selection) MarshalText() ([]byte, error) {
	if s < 0 || int(s) >= len(selectionNames) {
		return nil, fmt.Errorf("%w: selection %d", ErrConfig, int(s))
	}
	return []byte(s.String()), nil
}

// UnmarshalText implements encoding.TextUnmarshaler.
func (s *Selection) UnmarshalText(b []byte) error {
	v, err := ParseSelection(string(b))
	*s = v
	return err
}

// MarshalText implements encoding.TextMarshaler with the mode's name.
func (m Mode) MarshalText() ([]byte, error) {
	if m < 0 || int(m) >= len(modeNames) {
		return nil, fmt.Errorf("%w: mode %d", ErrConfig, int(m))
	}
	return []byte(m.String()), nil
}

// UnmarshalText implements encoding.TextUnmarshaler.
func (m *Mode) UnmarshalText(b []byte) error {
	v, err := ParseMode(string(b))
	*m = v
	return err
}

// MarshalText implements encoding.TextMarshaler with the flavour's name.
func (f Flavour) MarshalText() ([]byte, error) {
	if f < 0 || int(f) >= len(flavourNames) {
		return nil, fmt.Errorf("%w: flavour %d", ErrConfig, int(f))
	}
	return []byte(f.String()), nil
}

// UnmarshalText implements encoding.TextUnmarshaler.
func (f *Flavour) UnmarshalText(b []byte) error {
	v, err := ParseFlavour(string(b))
	*f = v
	return err
}
