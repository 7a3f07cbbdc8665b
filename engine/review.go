package engine

import (
	"encoding/json"
	"fmt"
	"math"
	"strings"
)

// maxReviewText bounds the repository text put in a review prompt.
const maxReviewText = 8000

// ReviewPrompt asks a model to review a repository described by about (its metadata and README)
// and to estimate the domain's features.
func ReviewPrompt(d Domain, about string) (Prompt, error) {
	if r := []rune(about); len(r) > maxReviewText {
		about = string(r[:maxReviewText]) + "\n[… cut]"
	}
	feats := d.Features()
	ex := make([]string, len(feats))
	for i, f := range feats {
		ex[i] = fmt.Sprintf("%q: number", f)
	}
	user, err := fill("review.tmpl", map[string]string{
		"features": strings.Join(feats, ", "), "features_example": "{" + strings.Join(ex, ", ") + "}", "about": about,
	})
	if err != nil {
		return Prompt{}, err
	}
	return Prompt{System: "You are a careful senior code reviewer. Answer with JSON only.", User: user}, nil
}

// LLMReview is a model's review of a repository, validated.
type LLMReview struct {
	Accept    bool
	Score     float64 // 0 to 100
	Strengths []string
	Issues    []string
	Features  []float64 // in the domain's feature order, each clamped to [0, 1]
}

// ParseReview reads a model's review reply (the first JSON object in it). Errors wrap [ErrReply].
func ParseReview(reply string, d Domain) (LLMReview, error) {
	var r LLMReview
	obj, ok := firstJSONObject(reply)
	if !ok {
		return r, fmt.Errorf("%w: no JSON object in the review", ErrReply)
	}
	var raw struct {
		Recommendation string             `json:"recommendation"`
		Score          *float64           `json:"score"`
		Strengths      []string           `json:"strengths"`
		Issues         []string           `json:"issues"`
		Features       map[string]float64 `json:"features"`
	}
	if err := json.Unmarshal([]byte(obj), &raw); err != nil {
		return r, fmt.Errorf("%w: %v", ErrReply, err)
	}
	switch strings.ToLower(strings.TrimSpace(raw.Recommendation)) {
	case "accept":
		r.Accept = true
	case "reject":
	default:
		return r, fmt.Errorf("%w: recommendation %q", ErrReply, raw.Recommendation)
	}
	if raw.Score == nil || math.IsNaN(*raw.Score) {
		return r, fmt.Errorf("%w: no score", ErrReply)
	}
	r.Score = math.Min(math.Max(*raw.Score, 0), 100)
	for _, f := range d.Features() {
		v, ok := raw.Features[f]
		if !ok || math.IsNaN(v) {
			return r, fmt.Errorf("%w: no estimate of %s", ErrReply, f)
		}
		r.Features = append(r.Features, Round(math.Min(math.Max(v, 0), 1), 2))
	}
	clip := func(xs []string) []string {
		var out []string
		for _, x := range xs {
			if x = strings.Join(strings.Fields(x), " "); x != "" && len(out) < 8 {
				if rs := []rune(x); len(rs) > 200 {
					x = string(rs[:200])
				}
				out = append(out, x)
			}
		}
		return out
	}
	r.Strengths, r.Issues = clip(raw.Strengths), clip(raw.Issues)
	return r, nil
}
