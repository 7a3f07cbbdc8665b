package engine

import (
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
)

// Prompt templates ship as files, so they can be read and changed without touching code. They
// hold {{name}} placeholders, filled in one pass (text/template would make every exported method
// of the program reachable through reflection and add megabytes to the browser build).
//
//go:embed prompts/*.tmpl
var promptFiles embed.FS

// fill reads template name and replaces its placeholders; values are not scanned again, so text
// from outside (a README) cannot inject placeholders.
func fill(name string, vars map[string]string) (string, error) {
	b, err := promptFiles.ReadFile("prompts/" + name)
	if err != nil {
		return "", fmt.Errorf("engine: prompt %s: %w", name, err)
	}
	pairs := make([]string, 0, 2*len(vars))
	for k, v := range vars {
		pairs = append(pairs, "{{"+k+"}}", v)
	}
	return strings.NewReplacer(pairs...).Replace(string(b)), nil
}

// TrainError is one training repository the parent gets wrong, as the prompt shows it.
type TrainError struct {
	Kind     string // "false positive" (accepted, should be rejected) or "false negative"
	Name     string
	Features []float64
	Score    float64
	Cutoff   float64
}

// Prompt is what the meta policy asks the model for one child: a system and a user message.
type Prompt struct {
	System, User string
}

// BuildPrompt writes the prompt asking for a child of parent: its policies, its mistakes on the
// training set and the bounds. It never includes test-set results. With frozenMeta (the baseline
// ablation) the model is told the meta policy is frozen and asked for task-policy changes only.
func BuildPrompt(d Domain, parent *Entry, frozenMeta bool) (Prompt, error) {
	if DefaultFlavour(d) == FlavourAdaptive {
		return buildAdaptivePrompt(d, parent, frozenMeta)
	}
	feats := d.Features()
	var errs []TrainError
	train := d.(Labelled).Train()
	for i := range train {
		x := &train[i]
		b := x.Explain(&parent.Agent.Task)
		if b.Accept == (x.Label == 1) {
			continue
		}
		kind := "false negative"
		if b.Accept {
			kind = "false positive"
		}
		errs = append(errs, TrainError{Kind: kind, Name: x.Name, Features: x.Features, Score: b.Score, Cutoff: b.Cutoff})
	}
	ex := make([]string, len(feats))
	for i, f := range feats {
		ex[i] = fmt.Sprintf("%q: number", f)
	}
	bd := d.Bounds()
	g := func(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }
	bounds := []string{
		"- each weight: " + g(bd.Weight[0]) + " to " + g(bd.Weight[1]),
		"- threshold: " + g(bd.Threshold[0]) + " to " + g(bd.Threshold[1]),
	}
	metaAsk, metaJSON, frozen := "", "", ""
	if frozenMeta {
		frozen = " (frozen in this experiment: do not propose meta values)"
	} else {
		metaAsk = " and new meta-policy values (the focus feature, weight step, threshold step and\nexploration scale)"
		metaJSON = "\n \"meta\": {\"focus\": one of the features, \"weight_step\": number, \"threshold_step\": number, \"exploration_scale\": number},"
		bounds = append(bounds,
			"- weight_step: "+g(bd.WeightStep[0])+" to "+g(bd.WeightStep[1]),
			"- threshold_step: "+g(bd.ThresholdStep[0])+" to "+g(bd.ThresholdStep[1]),
			"- exploration_scale: "+g(bd.ExplorationScale[0])+" to "+g(bd.ExplorationScale[1]))
	}
	a := &parent.Agent
	var task, meta, mistakes strings.Builder
	for i, f := range feats {
		fmt.Fprintf(&task, "- weight %s: %.4f\n", f, a.Task.Weights[i])
	}
	fmt.Fprintf(&task, "- threshold: %.4f\n- review style: %s\n", a.Task.Threshold, a.Task.ReviewStyle)
	fmt.Fprintf(&meta, "- focus: %s\n- weight step: %.4f\n- threshold step: %.4f\n- exploration scale: %.4f\n",
		feats[a.Meta.Focus], a.Meta.WeightStep, a.Meta.ThresholdStep, a.Meta.ExplorationScale)
	if len(a.Meta.Memory) > 0 {
		fmt.Fprintf(&meta, "- memory: %s\n", strings.Join(a.Meta.Memory, " | "))
	}
	for _, e := range errs {
		vals := make([]string, len(feats))
		for i, f := range feats {
			vals[i] = fmt.Sprintf("%s %.2f", f, e.Features[i])
		}
		fmt.Fprintf(&mistakes, "- %s: %s (%s), score %.3f vs cutoff %.3f\n", e.Kind, e.Name, strings.Join(vals, ", "), e.Score, e.Cutoff)
	}
	if len(errs) == 0 {
		mistakes.WriteString("- none\n")
	}
	sys, err := fill("system.tmpl", map[string]string{
		"features": strings.Join(feats, ", "), "meta_ask": metaAsk, "weights_example": "{" + strings.Join(ex, ", ") + "}",
		"meta_json": metaJSON, "bounds": strings.Join(bounds, "\n"),
	})
	if err != nil {
		return Prompt{}, err
	}
	user, err := fill("user.tmpl", map[string]string{
		"id": a.ID, "generation": strconv.Itoa(a.Generation), "train": fmt.Sprintf("%.3f", parent.Eval.TrainAccuracy),
		"task": task.String(), "frozen": frozen, "meta": meta.String(), "n_errors": strconv.Itoa(len(errs)), "errors": mistakes.String(),
	})
	if err != nil {
		return Prompt{}, err
	}
	return Prompt{System: sys, User: user}, nil
}

// Proposal is a child proposed by the model, validated and clamped to the domain's bounds. On
// code_review it is a whole task policy (and meta values); on the adaptive domains it is the
// numbers to change (Set, by coordinate) and the knobs to change (KnobSet says which of Knobs).
type Proposal struct {
	Task    TaskPolicy
	Meta    *MetaPolicy // nil when the reply proposes no meta values (always nil with a frozen meta)
	Set     map[int]float64
	Knobs   *KnobValues
	KnobSet map[int]bool
	Note    string
	// Clamped lists the values that were outside their bounds and were clamped.
	Clamped []string
}

// ErrReply marks a model reply that cannot be used; the caller falls back to the heuristic.
var ErrReply = errors.New("unusable model reply")

// maxNoteLen bounds a proposal's note.
const maxNoteLen = 200

// ParseProposal reads a model's reply: the first JSON object in it (models often wrap it in a code
// fence or a sentence). On code_review: a weight for every feature, a threshold, a review style,
// optional meta values (ignored when frozenMeta) and a note. On the adaptive domains: the numbers
// to change by name, optional knobs and a note (see parseAdaptiveProposal). Numbers outside their bounds are clamped and
// listed; anything else wrong (no JSON, a refusal, unknown or missing features, wrong types,
// NaN) is an error wrapping [ErrReply].
func ParseProposal(reply string, d Domain, frozenMeta bool) (Proposal, error) {
	if DefaultFlavour(d) == FlavourAdaptive {
		return parseAdaptiveProposal(reply, d, frozenMeta)
	}
	var p Proposal
	obj, ok := firstJSONObject(reply)
	if !ok {
		short := strings.TrimSpace(reply)
		if len(short) > 80 {
			short = short[:80] + "…"
		}
		return p, fmt.Errorf("%w: no JSON object in the reply %q", ErrReply, short)
	}
	var raw struct {
		Weights     map[string]json.Number `json:"weights"`
		Threshold   *json.Number           `json:"threshold"`
		ReviewStyle string                 `json:"review_style"`
		Meta        *struct {
			Focus            string       `json:"focus"`
			WeightStep       *json.Number `json:"weight_step"`
			ThresholdStep    *json.Number `json:"threshold_step"`
			ExplorationScale *json.Number `json:"exploration_scale"`
		} `json:"meta"`
		Note string `json:"note"`
	}
	dec := json.NewDecoder(strings.NewReader(obj))
	dec.UseNumber()
	if err := dec.Decode(&raw); err != nil {
		return p, fmt.Errorf("%w: %v", ErrReply, err)
	}
	b := d.Bounds()
	feats := d.Features()
	num := func(what string, n *json.Number, lo, hi float64) (float64, error) {
		if n == nil {
			return 0, fmt.Errorf("%w: %s is missing", ErrReply, what)
		}
		v, err := n.Float64()
		if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
			return 0, fmt.Errorf("%w: %s is not a number", ErrReply, what)
		}
		if v < lo || v > hi {
			p.Clamped = append(p.Clamped, fmt.Sprintf("%s %g → [%g, %g]", what, v, lo, hi))
			v = math.Min(math.Max(v, lo), hi)
		}
		return Round(v, 4), nil
	}
	if len(raw.Weights) != len(feats) {
		return p, fmt.Errorf("%w: %d weights, want one for each of %s", ErrReply, len(raw.Weights), strings.Join(feats, ", "))
	}
	p.Task.Weights = make([]float64, len(feats))
	for i, f := range feats {
		n, ok := raw.Weights[f]
		if !ok {
			return p, fmt.Errorf("%w: no weight for %s", ErrReply, f)
		}
		v, err := num("weight "+f, &n, b.Weight[0], b.Weight[1])
		if err != nil {
			return p, err
		}
		p.Task.Weights[i] = v
	}
	var err error
	if p.Task.Threshold, err = num("threshold", raw.Threshold, b.Threshold[0], b.Threshold[1]); err != nil {
		return p, err
	}
	p.Task.ReviewStyle = ReviewStyle(strings.ToLower(strings.TrimSpace(raw.ReviewStyle)))
	if !p.Task.ReviewStyle.Valid() {
		return p, fmt.Errorf("%w: review style %q", ErrReply, raw.ReviewStyle)
	}
	if raw.Meta != nil && !frozenMeta {
		m := &MetaPolicy{Focus: -1}
		for i, f := range feats {
			if f == raw.Meta.Focus {
				m.Focus = i
			}
		}
		if m.Focus < 0 {
			return p, fmt.Errorf("%w: focus %q is not a feature", ErrReply, raw.Meta.Focus)
		}
		if m.WeightStep, err = num("weight_step", raw.Meta.WeightStep, b.WeightStep[0], b.WeightStep[1]); err != nil {
			return p, err
		}
		if m.ThresholdStep, err = num("threshold_step", raw.Meta.ThresholdStep, b.ThresholdStep[0], b.ThresholdStep[1]); err != nil {
			return p, err
		}
		if m.ExplorationScale, err = num("exploration_scale", raw.Meta.ExplorationScale, b.ExplorationScale[0], b.ExplorationScale[1]); err != nil {
			return p, err
		}
		p.Meta = m
	}
	note := strings.Join(strings.Fields(raw.Note), " ")
	if r := []rune(note); len(r) > maxNoteLen {
		note = string(r[:maxNoteLen])
	}
	p.Note = note
	return p, nil
}

// firstJSONObject finds the first balanced {...} in s, minding strings.
func firstJSONObject(s string) (string, bool) {
	for start := strings.IndexByte(s, '{'); start >= 0; {
		depth, inStr, esc := 0, false, false
		for i := start; i < len(s); i++ {
			c := s[i]
			switch {
			case esc:
				esc = false
			case inStr && c == '\\':
				esc = true
			case c == '"':
				inStr = !inStr
			case inStr:
			case c == '{':
				depth++
			case c == '}':
				depth--
				if depth == 0 {
					if json.Valid([]byte(s[start : i+1])) {
						return s[start : i+1], true
					}
					i = len(s)
				}
			}
		}
		next := strings.IndexByte(s[start+1:], '{')
		if next < 0 {
			break
		}
		start += 1 + next
	}
	return "", false
}

// Pending is an iteration waiting for the model: its parent is chosen and its prompt written.
type Pending struct {
	Prompt    Prompt
	Iteration int // the iteration it will complete
	parent    int
	run       *Run
}

// BeginLLM starts an LLM iteration: it draws the parent exactly as [Run.Step] does and writes the
// prompt (with a frozen meta policy in the baseline mode). [Run.FinishLLM] must complete it before
// the run takes any other step: until then Step and BeginLLM return [ErrPending].
func (r *Run) BeginLLM() (*Pending, error) {
	if r.pending != nil {
		return nil, ErrPending
	}
	pi := r.selectParent()
	pr, err := BuildPrompt(r.dom, r.archive.At(pi), r.cfg.Meta == MetaFrozen)
	if err != nil {
		return nil, err
	}
	r.pending = &Pending{Prompt: pr, Iteration: r.Iterations() + 1, parent: pi, run: r}
	return r.pending, nil
}

// Pending returns the LLM iteration waiting for the model, or nil.
func (r *Run) Pending() *Pending { return r.pending }

// FinishLLM completes an iteration begun by BeginLLM with the model's reply, or with callErr when
// the call failed. A usable reply makes an "llm" child; otherwise the iteration falls back to the
// heuristic mutation and fallback says why. The result depends only on the run and the reply
// text, so a run replays offline from its recorded replies.
func (r *Run) FinishLLM(p *Pending, reply string, callErr error) (ev Event, fallback string, err error) {
	if p == nil || p.run != r || p.Iteration != r.Iterations()+1 || r.pending != p {
		return Event{}, "", errors.New("engine: FinishLLM without its BeginLLM")
	}
	p.run, r.pending = nil, nil
	if callErr != nil {
		return r.finish(p.parent, nil), "the model call failed: " + callErr.Error(), nil
	}
	prop, perr := ParseProposal(reply, r.dom, r.cfg.Meta == MetaFrozen)
	if perr != nil {
		return r.finish(p.parent, nil), perr.Error(), nil
	}
	return r.finish(p.parent, &prop), "", nil
}

// fromProposal builds the child the model proposed. The meta policy is the parent's (the seed's in
// the baseline mode) with the proposed meta values if any; the note goes into the lineage and,
// after evaluation, the memory.
func (r *Run) fromProposal(parent *Entry, p *Proposal, weights []float64, arena *[]string) (Agent, string) {
	pa := &parent.Agent
	meta := pa.Meta
	if r.cfg.Meta == MetaFrozen {
		meta = r.seedMeta
	} else if p.Meta != nil {
		meta.Focus, meta.WeightStep, meta.ThresholdStep, meta.ExplorationScale = p.Meta.Focus, p.Meta.WeightStep, p.Meta.ThresholdStep, p.Meta.ExplorationScale
	}
	copy(weights, p.Task.Weights)
	task := p.Task
	task.Weights = weights
	note := "LLM: " + p.Note
	if p.Note == "" {
		note = "LLM proposal."
	}
	return Agent{
		ParentID:   pa.ID,
		Generation: pa.Generation + 1,
		Task:       task,
		Meta:       meta,
		Lineage:    keepLast(arena, pa.Lineage, lineageLen, note),
	}, note
}
