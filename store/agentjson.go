package store

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"hyperagents/engine"
)

// decodeAgent reads the JSON columns of schema 4 and earlier (policies and error means as objects
// keyed by feature, notes as arrays of strings) back, strictly: unknown, missing or mistyped fields are errors.
func decodeAgent(e *engine.Entry, d engine.Domain, task, meta, lineage, fpAvg, fnAvg string) error {
	feats := d.Features()
	if engine.DefaultFlavour(d) == engine.FlavourAdaptive {
		if err := decodeAdaptive(e, d, task, meta); err != nil {
			return err
		}
	} else if err := decodeCodeReview(e, feats, task, meta); err != nil {
		return err
	}
	lv, err := parseJSON(lineage)
	if err != nil {
		return fmt.Errorf("lineage notes: %w", err)
	}
	if e.Agent.Lineage, err = stringList(lv, "lineage notes"); err != nil {
		return err
	}
	if engine.DefaultFlavour(d) == engine.FlavourAdaptive {
		if fpAvg != "{}" || fnAvg != "{}" {
			return errors.New("error means: an adaptive agent has none ({})")
		}
		return nil
	}
	for _, x := range []struct {
		s   string
		dst *[]float64
	}{{fpAvg, &e.Eval.FalsePosAvgs}, {fnAvg, &e.Eval.FalseNegAvgs}} {
		v, err := parseJSON(x.s)
		if err != nil {
			return fmt.Errorf("error means: %w", err)
		}
		if *x.dst, err = byFeature(v, feats, "error means"); err != nil {
			return err
		}
	}
	return nil
}

// decodeCodeReview reads a code_review agent's policies: weights by feature, threshold, review
// style; focus by feature, steps, exploration scale, memory.
func decodeCodeReview(e *engine.Entry, feats []string, task, meta string) error {
	t, err := jsonObject(task, "task policy", "weights", "threshold", "review_style")
	if err != nil {
		return err
	}
	w, err := byFeature(t["weights"], feats, "task policy weights")
	if err != nil {
		return err
	}
	th, ok1 := t["threshold"].(float64)
	style, ok2 := t["review_style"].(string)
	if !ok1 || !ok2 {
		return errors.New("task policy: threshold must be a number and review_style a string")
	}
	e.Agent.Task = engine.TaskPolicy{Weights: w, Threshold: th, ReviewStyle: engine.ReviewStyle(style)}
	m, err := jsonObject(meta, "meta policy", "focus", "weight_step", "threshold_step", "exploration_scale", "memory")
	if err != nil {
		return err
	}
	focusName, _ := m["focus"].(string)
	focus := slices.Index(feats, focusName)
	if focus < 0 {
		return fmt.Errorf("meta policy focuses on unknown feature %q", focusName)
	}
	ws, ok1 := m["weight_step"].(float64)
	ts, ok2 := m["threshold_step"].(float64)
	es, ok3 := m["exploration_scale"].(float64)
	if !ok1 || !ok2 || !ok3 {
		return errors.New("meta policy: steps and exploration scale must be numbers")
	}
	memory, err := stringList(m["memory"], "memory notes")
	if err != nil {
		return err
	}
	e.Agent.Meta = engine.MetaPolicy{Focus: focus, WeightStep: ws, ThresholdStep: ts, ExplorationScale: es, Memory: memory}
	return nil
}

// decodeAdaptive reads an adaptive agent's policies: weights by feature (by output, then feature,
// when there are several outputs), a threshold or biases by output; the knobs by name and memory.
func decodeAdaptive(e *engine.Entry, d engine.Domain, task, meta string) error {
	shape, feats := d.Info().Shape, d.Features()
	keys := []string{"weights"}
	switch shape.Task {
	case engine.TaskBinary:
		keys = append(keys, "threshold")
	case engine.TaskMulticlass:
		keys = append(keys, "biases")
	}
	t, err := jsonObject(task, "task policy", keys...)
	if err != nil {
		return err
	}
	var p engine.TaskPolicy
	if len(shape.Outputs) == 1 {
		if p.Weights, err = byFeature(t["weights"], feats, "task policy weights"); err != nil {
			return err
		}
	} else {
		rows, ok := t["weights"].(map[string]any)
		if !ok || len(rows) != len(shape.Outputs) {
			return fmt.Errorf("task policy weights: want one object of weights for each of %s", strings.Join(shape.Outputs, ", "))
		}
		for _, o := range shape.Outputs {
			w, err := byFeature(rows[o], feats, "task policy weights of "+o)
			if err != nil {
				return err
			}
			p.Weights = append(p.Weights, w...)
		}
	}
	switch shape.Task {
	case engine.TaskBinary:
		th, ok := t["threshold"].(float64)
		if !ok {
			return errors.New("task policy: threshold must be a number")
		}
		p.Threshold = th
	case engine.TaskMulticlass:
		if p.Biases, err = byFeature(t["biases"], shape.Outputs, "task policy biases"); err != nil {
			return err
		}
	}
	e.Agent.Task = p
	names := make([]string, 0, engine.NumKnobs+1)
	for _, k := range engine.Knobs {
		names = append(names, k.Name)
	}
	m, err := jsonObject(meta, "meta policy", append(names, "memory")...)
	if err != nil {
		return err
	}
	for i, n := range names {
		v, ok := m[n].(float64)
		if !ok {
			return fmt.Errorf("meta policy: %s must be a number", n)
		}
		e.Agent.Meta.Knobs[i] = v
	}
	if e.Agent.Meta.Memory, err = stringList(m["memory"], "memory notes"); err != nil {
		return err
	}
	return nil
}

// jsonObject parses s as an object with exactly the given keys.
func jsonObject(s, what string, keys ...string) (map[string]any, error) {
	v, err := parseJSON(s)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	m, ok := v.(map[string]any)
	if !ok || len(m) != len(keys) {
		return nil, fmt.Errorf("%s: want an object with %s", what, strings.Join(keys, ", "))
	}
	for _, k := range keys {
		if _, ok := m[k]; !ok {
			return nil, fmt.Errorf("%s lacks %s", what, k)
		}
	}
	return m, nil
}

// byFeature reads an object of one number per feature into feature order.
func byFeature(v any, feats []string, what string) ([]float64, error) {
	m, ok := v.(map[string]any)
	if !ok || len(m) != len(feats) {
		return nil, fmt.Errorf("%s: want one number for each of %d features", what, len(feats))
	}
	out := make([]float64, len(feats))
	for i, f := range feats {
		x, ok := m[f].(float64)
		if !ok {
			return nil, fmt.Errorf("%s lacks a number for %s", what, f)
		}
		out[i] = x
	}
	return out, nil
}

// stringList reads an array of strings.
func stringList(v any, what string) ([]string, error) {
	a, ok := v.([]any)
	if !ok {
		return nil, fmt.Errorf("%s: want an array of strings", what)
	}
	out := make([]string, len(a))
	for i, x := range a {
		if out[i], ok = x.(string); !ok {
			return nil, fmt.Errorf("%s: want an array of strings", what)
		}
	}
	return out, nil
}

func appendNum(b []byte, v float64) []byte { return strconv.AppendFloat(b, v, 'g', -1, 64) }

// appendJSONString writes s as a JSON string, escaping as encoding/json does. Runs of plain ASCII
// are copied at once: rune by rune, notes cost a quarter of saving under WebAssembly.
func appendJSONString(b []byte, s string) []byte {
	const hex = "0123456789abcdef"
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf && c >= 0x20 && c != '"' && c != '\\' && c != '<' && c != '>' && c != '&' {
			i++
			continue
		}
		b = append(b, s[start:i]...)
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == '"' || r == '\\':
			b = append(b, '\\', byte(r))
		case r == '\n':
			b = append(b, '\\', 'n')
		case r == '\r':
			b = append(b, '\\', 'r')
		case r == '\t':
			b = append(b, '\\', 't')
		case r == '\b':
			b = append(b, '\\', 'b')
		case r == '\f':
			b = append(b, '\\', 'f')
		case r < 0x20 || r == '<' || r == '>' || r == '&' || r == 0x2028 || r == 0x2029:
			b = append(b, '\\', 'u', hex[r>>12&0xf], hex[r>>8&0xf], hex[r>>4&0xf], hex[r&0xf])
		case r == utf8.RuneError && size == 1:
			b = append(b, `\ufffd`...) // an invalid byte
		default:
			b = append(b, s[i:i+size]...)
		}
		i += size
		start = i
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}
