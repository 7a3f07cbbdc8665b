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

// Flavour selects between the seed's exact arithmetic and the corrected algorithm.
type Flavour int

const (
	// FlavourStandard is the default: the seed's algorithm with the flaws that distort results fixed
	// (see the package documentation).
	FlavourStandard Flavour = iota
	// FlavourSeed reproduces the seed system bit for bit, flaws included.
	FlavourSeed
)

// Flavours lists every flavour.
var Flavours = []Flavour{FlavourStandard, FlavourSeed}

// String returns "standard" or "seed".
func (f Flavour) String() string {
	switch f {
	case FlavourStandard:
		return "standard"
	case FlavourSeed:
		return "seed"
	}
	return fmt.Sprintf("Flavour(%d)", int(f))
}

// ParseFlavour parses "standard" or "seed".
func ParseFlavour(s string) (Flavour, error) {
	for _, f := range Flavours {
		if s == f.String() {
			return f, nil
		}
	}
	return 0, fmt.Errorf("engine: unknown flavour %q (want standard or seed)", s)
}

// MaxSeed is the largest seed a run accepts; it keeps seeds exact in JSON and JavaScript numbers.
const MaxSeed = 1<<53 - 1

// Config describes one run. The zero value is a standard-flavour hyperagent run with seed 0.
type Config struct {
	Mode    Mode    `json:"mode"`
	Flavour Flavour `json:"flavour"`
	// Seed drives every random draw of the run, in [0, MaxSeed].
	Seed uint64 `json:"seed"`
}

// ErrConfig is wrapped by every configuration error.
var ErrConfig = errors.New("engine: invalid configuration")

// Validate checks every field.
func (c Config) Validate() error {
	if c.Mode < 0 || int(c.Mode) >= len(modeNames) {
		return fmt.Errorf("%w: mode %d", ErrConfig, int(c.Mode))
	}
	if c.Flavour != FlavourStandard && c.Flavour != FlavourSeed {
		return fmt.Errorf("%w: flavour %d", ErrConfig, int(c.Flavour))
	}
	if c.Seed > MaxSeed {
		return fmt.Errorf("%w: seed %d above %d", ErrConfig, c.Seed, uint64(MaxSeed))
	}
	return nil
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
	if f != FlavourStandard && f != FlavourSeed {
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
