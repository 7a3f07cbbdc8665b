package engine

import "fmt"

// Indexes of the adaptive meta policy's knobs in [KnobValues].
const (
	KnobSigma     = iota // σ: noise on weights
	KnobSigmaB           // σ_b: noise on thresholds and biases
	KnobPMut             // p_mut: share of the numbers a child changes
	KnobEta              // η: size of the signed error-directed step
	KnobEditRate         // q: how often a child's meta policy edits itself
	KnobEditScale        // τ: how far a multiplicative self-edit goes
	NumKnobs
)

// KnobValues are the knobs of an adaptive meta policy, indexed by the Knob constants. The step
// knobs (σ, σ_b, p_mut, η) shape how a child's task policy is made; the self-edit knobs (q, τ)
// shape how the child's meta policy changes itself, so how the meta policy changes also evolves.
type KnobValues [NumKnobs]float64

// KnobSpec describes one knob: its names, what it does and its bounds. Every knob lives in log
// space within its bounds.
type KnobSpec struct {
	Name   string  `json:"name"`   // column and JSON name, e.g. "p_mut"
	Symbol string  `json:"symbol"` // e.g. "p_mut", "σ"
	Help   string  `json:"help"`
	Min    float64 `json:"min"`
	Max    float64 `json:"max"`
}

// Knobs describes every knob, in index order.
var Knobs = [NumKnobs]KnobSpec{
	{"sigma", "σ", "standard deviation of the Gaussian noise added to each mutated weight", 0.001, 1},
	{"sigma_b", "σ_b", "standard deviation of the noise added to each mutated threshold or bias", 0.001, 4},
	{"p_mut", "p_mut", "share of the policy's numbers a child changes (at least one)", 0.01, 1},
	{"eta", "η", "size of the signed error-directed step: toward missed positives, away from false positives", 0.001, 2},
	{"edit_rate", "q", "probability that a child's meta policy edits one of its own knobs", 0.01, 1},
	{"edit_scale", "τ", "spread of a multiplicative self-edit: the knob is multiplied by exp(τ·N(0, 1))", 0.05, 2},
}

// InitialKnobs are the initial meta policy of every adaptive domain, chosen before any run: timid
// steps (σ = 0.02, a tenth of the numbers per child) and no directed step to speak of (η at its
// lower bound), so a meta policy has room to improve. σ_b = 0.5, q = 0.25, τ = 0.5.
var InitialKnobs = KnobValues{0.02, 0.5, 0.1, 0.001, 0.25, 0.5}

// initialMemory is the initial meta policy's memory note.
const initialMemory = "Initial meta policy: timid steps (σ 0.02 on a tenth of the numbers), no directed step; " +
	"edits one knob in four children."

// InitialMeta is the initial meta policy of the adaptive domains.
func InitialMeta() MetaPolicy {
	return MetaPolicy{Knobs: InitialKnobs, Memory: []string{initialMemory}}
}

// Adaptive reports whether m is an adaptive meta policy (its knobs are set).
func (m *MetaPolicy) Adaptive() bool { return m.Knobs[KnobSigma] > 0 }

// checkKnobs reports a knob outside its bounds.
func checkKnobs(k *KnobValues) error {
	for i, v := range k {
		if !(v >= Knobs[i].Min && v <= Knobs[i].Max) {
			return fmt.Errorf("meta knob %s = %v outside [%v, %v]", Knobs[i].Name, v, Knobs[i].Min, Knobs[i].Max)
		}
	}
	return nil
}

// Applies reports whether knob k has any effect on a domain of shape s: σ_b needs thresholds or
// biases and η needs labelled errors (none on a control task).
func (s Shape) Applies(k int) bool {
	switch k {
	case KnobSigmaB:
		return s.Extras() > 0
	case KnobEta:
		return s.Task != TaskControl
	}
	return true
}
