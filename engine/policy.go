package engine

import (
	"errors"
	"fmt"
	"slices"
)

// ReviewStyle shifts a task policy's acceptance threshold at prediction time.
type ReviewStyle string

// The review styles and their threshold offsets (REFERENCE §3).
const (
	StyleBalanced ReviewStyle = "balanced"
	StyleStrict   ReviewStyle = "strict"
	StyleLenient  ReviewStyle = "lenient"
)

// Styles lists the valid review styles.
var Styles = []ReviewStyle{StyleBalanced, StyleStrict, StyleLenient}

// Offset is the amount the style adds to the threshold: strict +0.09, lenient −0.09.
func (s ReviewStyle) Offset() float64 {
	switch s {
	case StyleStrict:
		return 0.09
	case StyleLenient:
		return -0.09
	}
	return 0
}

// Valid reports whether s is one of [Styles].
func (s ReviewStyle) Valid() bool { return slices.Contains(Styles, s) }

// TaskPolicy is how an agent solves the task: a weight matrix (one row per output of the domain's
// [Shape], in the domain's feature order, row-major), a threshold (binary domains), one bias per
// class (multi-class domains) and, on code_review only, a review style. A TaskPolicy's slices are
// never changed in place once built, so copies may share them.
type TaskPolicy struct {
	Weights     []float64   `json:"weights"`
	Threshold   float64     `json:"threshold"`
	Biases      []float64   `json:"biases,omitempty"`
	ReviewStyle ReviewStyle `json:"review_style,omitempty"`
}

// Cutoff is the score an example needs to be accepted: threshold plus the style's offset.
func (p *TaskPolicy) Cutoff() float64 { return p.Threshold + p.ReviewStyle.Offset() }

// MetaPolicy is how an agent produces its children, and short memory notes on what happened. The
// seed and standard flavours use the focus feature (an index into the domain's features), the
// weight and threshold steps and the exploration scale; the adaptive flavour uses the knobs
// ([KnobValues]) and leaves the rest zero. Memory is never changed in place once built.
type MetaPolicy struct {
	Focus            int        `json:"focus"`
	WeightStep       float64    `json:"weight_step"`
	ThresholdStep    float64    `json:"threshold_step"`
	ExplorationScale float64    `json:"exploration_scale"`
	Knobs            KnobValues `json:"knobs"`
	Memory           []string   `json:"memory"`
}

// Lengths of the bounded note lists (REFERENCE §3).
const (
	memoryLen  = 4
	lineageLen = 6
)

// keepLast returns the last n of list followed by notes, stored at the end of *arena (allocated if it
// lacks room) and capped so appending to the result never writes into the arena. list is not
// modified, so slices shared between agents stay valid.
func keepLast(arena *[]string, list []string, n int, notes ...string) []string {
	all := len(list) + len(notes)
	k := min(all, n)
	if cap(*arena)-len(*arena) < k {
		*arena = make([]string, 0, k)
	}
	start := len(*arena)
	for i := all - k; i < all; i++ {
		if i < len(list) {
			*arena = append(*arena, list[i])
		} else {
			*arena = append(*arena, notes[i-len(list)])
		}
	}
	return (*arena)[start:len(*arena):len(*arena)]
}

// validate checks a policy against a domain's feature count and bounds.
func (p *TaskPolicy) validate(nf int, b Bounds) error {
	if len(p.Weights) != nf {
		return fmt.Errorf("task policy has %d weights, want %d", len(p.Weights), nf)
	}
	for i, w := range p.Weights {
		if !(w >= b.Weight[0] && w <= b.Weight[1]) {
			return fmt.Errorf("weight %d = %v outside [%v, %v]", i, w, b.Weight[0], b.Weight[1])
		}
	}
	if !(p.Threshold >= b.Threshold[0] && p.Threshold <= b.Threshold[1]) {
		return fmt.Errorf("threshold %v outside [%v, %v]", p.Threshold, b.Threshold[0], b.Threshold[1])
	}
	if !p.ReviewStyle.Valid() {
		return fmt.Errorf("unknown review style %q", p.ReviewStyle)
	}
	return nil
}

// validTask checks a task policy against the run's domain: its shape, its bounds and, in the
// adaptive flavour, the 2^-13 grid.
func (r *Run) validTask(p *TaskPolicy) error {
	if r.cfg.Flavour != FlavourAdaptive {
		if len(p.Biases) > 0 {
			return fmt.Errorf("task policy has biases, but %s has none", r.dom.Name())
		}
		return p.validate(len(r.features), r.bounds)
	}
	b := r.bounds
	number := func(what string, v float64, lim [2]float64) error {
		if !(v >= lim[0] && v <= lim[1]) {
			return fmt.Errorf("%s = %v outside [%v, %v]", what, v, lim[0], lim[1])
		}
		if quantizeParam(v) != v {
			return fmt.Errorf("%s = %v is not a multiple of 2^-13", what, v)
		}
		return nil
	}
	if len(p.Weights) != r.shape.Weights() {
		return fmt.Errorf("task policy has %d weights, want %d", len(p.Weights), r.shape.Weights())
	}
	for i, w := range p.Weights {
		if err := number(fmt.Sprintf("weight %d", i), w, b.Weight); err != nil {
			return err
		}
	}
	if p.ReviewStyle != "" {
		return fmt.Errorf("review style %q on %s, which has none", p.ReviewStyle, r.dom.Name())
	}
	switch r.shape.Task {
	case TaskBinary:
		if len(p.Biases) > 0 {
			return errors.New("a binary policy has a threshold, not biases")
		}
		return number("threshold", p.Threshold, b.Threshold)
	case TaskMulticlass:
		if len(p.Biases) != len(r.shape.Outputs) || p.Threshold != 0 {
			return fmt.Errorf("a %d-class policy has %d biases and no threshold", len(r.shape.Outputs), len(r.shape.Outputs))
		}
		for i, v := range p.Biases {
			if err := number(fmt.Sprintf("bias %d", i), v, b.Threshold); err != nil {
				return err
			}
		}
	default:
		if len(p.Biases) > 0 || p.Threshold != 0 {
			return errors.New("a controller has neither threshold nor biases")
		}
	}
	return nil
}
