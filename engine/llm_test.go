package engine

import (
	"context"
	"errors"
	"strings"
	"testing"
)

func TestBuildPromptHasTrainErrorsNotTest(t *testing.T) {
	d, _ := NewCodeReview()
	r := newRun(t, Config{Seed: 7})
	if err := r.RunN(context.Background(), 10, nil); err != nil {
		t.Fatal(err)
	}
	seed := r.Archive().At(0)
	p, err := BuildPrompt(d, seed, false)
	if err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(p.User, "false positive:") + strings.Count(p.User, "false negative:"); n != seed.Eval.FalsePos+seed.Eval.FalseNeg {
		t.Errorf("prompt lists %d mistakes, the seed makes %d:\n%s", n, seed.Eval.FalsePos+seed.Eval.FalseNeg, p.User)
	}
	for _, x := range d.Test() {
		if strings.Contains(p.User, x.Name) || strings.Contains(p.System, x.Name) {
			t.Errorf("the prompt names test repository %s", x.Name)
		}
	}
	if strings.Contains(strings.ToLower(p.User), "test accuracy") {
		t.Error("the prompt mentions test accuracy")
	}
	for _, want := range []string{`"maintainability": number`, "0.25 to 1.8", "exploration_scale"} {
		if !strings.Contains(p.System, want) {
			t.Errorf("system prompt lacks %q:\n%s", want, p.System)
		}
	}
	frozen, _ := BuildPrompt(d, seed, true)
	if strings.Contains(frozen.System, "exploration_scale") || !strings.Contains(frozen.User, "frozen") {
		t.Errorf("frozen-meta prompt still asks for meta values:\n%s\n%s", frozen.System, frozen.User)
	}
}

const goodReply = "Sure! Here is the child:\n```json\n" + `{"weights": {"maintainability": 0.9, "security": 1.2, "test_coverage": 0.95, "documentation": 0.7, "simplicity": 0.8},
 "threshold": 3.1, "review_style": "Strict",
 "meta": {"focus": "security", "weight_step": 0.5, "threshold_step": 0.08, "exploration_scale": 0.2},
 "note": "Raise security; {braces} in \"strings\" are fine."}` + "\n```"

func TestParseProposal(t *testing.T) {
	d, _ := NewCodeReview()
	p, err := ParseProposal(goodReply, d, false)
	if err != nil {
		t.Fatal(err)
	}
	if p.Task.Weights[1] != 1.2 || p.Task.Threshold != 3.1 || p.Task.ReviewStyle != StyleStrict || p.Meta == nil || p.Meta.Focus != 1 {
		t.Errorf("proposal %+v", p)
	}
	if p.Meta.WeightStep != 0.22 || len(p.Clamped) != 1 || !strings.Contains(p.Clamped[0], "weight_step 0.5") {
		t.Errorf("weight step %v, clamped %v: want 0.5 clamped to 0.22", p.Meta.WeightStep, p.Clamped)
	}
	if !strings.Contains(p.Note, "{braces}") {
		t.Errorf("note %q", p.Note)
	}
	if err := p.Task.validate(len(d.Features()), d.Bounds()); err != nil {
		t.Errorf("proposal out of bounds: %v", err)
	}
	frozen, err := ParseProposal(goodReply, d, true)
	if err != nil || frozen.Meta != nil {
		t.Errorf("frozen meta: %+v, %v", frozen.Meta, err)
	}
	bad := map[string]string{
		"refusal":          "I'm sorry, I can't help with that.",
		"empty":            "",
		"missing feature":  `{"weights": {"maintainability": 1}, "threshold": 3, "review_style": "strict"}`,
		"unknown feature":  `{"weights": {"maintainability": 1, "security": 1, "test_coverage": 1, "documentation": 1, "vibes": 1}, "threshold": 3, "review_style": "strict"}`,
		"string weight":    `{"weights": {"maintainability": "high", "security": 1, "test_coverage": 1, "documentation": 1, "simplicity": 1}, "threshold": 3, "review_style": "strict"}`,
		"no threshold":     `{"weights": {"maintainability": 1, "security": 1, "test_coverage": 1, "documentation": 1, "simplicity": 1}, "review_style": "strict"}`,
		"bad style":        `{"weights": {"maintainability": 1, "security": 1, "test_coverage": 1, "documentation": 1, "simplicity": 1}, "threshold": 3, "review_style": "harsh"}`,
		"bad focus":        `{"weights": {"maintainability": 1, "security": 1, "test_coverage": 1, "documentation": 1, "simplicity": 1}, "threshold": 3, "review_style": "strict", "meta": {"focus": "speed", "weight_step": 0.1, "threshold_step": 0.1, "exploration_scale": 0.1}}`,
		"truncated":        `{"weights": {"maintainability": 1, "security": 1`,
		"array not object": `[1, 2, 3]`,
	}
	for name, reply := range bad {
		if _, err := ParseProposal(reply, d, false); !errors.Is(err, ErrReply) {
			t.Errorf("%s: err = %v, want ErrReply", name, err)
		}
	}
}

// FuzzParseProposal: any reply either fails with ErrReply or gives a proposal within bounds.
func FuzzParseProposal(f *testing.F) {
	f.Add(goodReply)
	f.Add(`{"weights":{"maintainability":1e308,"security":-5,"test_coverage":1,"documentation":1,"simplicity":1},"threshold":1e-300,"review_style":"balanced"}`)
	f.Add("```json\n{}\n```")
	d, _ := NewCodeReview()
	f.Fuzz(func(t *testing.T, reply string) {
		for _, frozen := range []bool{false, true} {
			p, err := ParseProposal(reply, d, frozen)
			if err != nil {
				if !errors.Is(err, ErrReply) {
					t.Fatalf("error %v does not wrap ErrReply", err)
				}
				continue
			}
			if err := p.Task.validate(len(d.Features()), d.Bounds()); err != nil {
				t.Fatalf("accepted an out-of-bounds task policy: %v", err)
			}
			if frozen && p.Meta != nil {
				t.Fatal("meta proposed under a frozen meta policy")
			}
			if len([]rune(p.Note)) > maxNoteLen {
				t.Fatal("note too long")
			}
		}
	})
}

func TestReviewPromptAndParse(t *testing.T) {
	d, _ := NewCodeReview()
	p, err := ReviewPrompt(d, "acme/widget: a tiny widget library\n"+strings.Repeat("x", 20000))
	if err != nil || !strings.Contains(p.User, `"maintainability": number`) || len([]rune(p.User)) > maxReviewText+2000 {
		t.Fatalf("review prompt: %v (%d chars)", err, len(p.User))
	}
	r, err := ParseReview("```json\n"+`{"recommendation": "Accept", "score": 140, "strengths": ["tests", "  "], "issues": ["docs"],
		"features": {"maintainability": 0.8, "security": 1.7, "test_coverage": 0.75, "documentation": 0.4, "simplicity": 0.7}}`+"\n```", d)
	if err != nil || !r.Accept || r.Score != 100 || r.Features[1] != 1 || len(r.Strengths) != 1 {
		t.Fatalf("review %+v, %v", r, err)
	}
	for _, bad := range []string{"nope", `{"recommendation": "maybe", "score": 5, "features": {}}`, `{"recommendation": "reject", "features": {}}`,
		`{"recommendation": "reject", "score": 5, "features": {"maintainability": 0.5}}`} {
		if _, err := ParseReview(bad, d); !errors.Is(err, ErrReply) {
			t.Errorf("%q: %v", bad, err)
		}
	}
}

func TestPromptPlaceholdersAreNotInjectable(t *testing.T) {
	d, _ := NewCodeReview()
	p, err := ReviewPrompt(d, "evil README {{features}} {{about}}")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(p.User, "evil README {{features}} {{about}}") {
		t.Errorf("placeholders in outside text were expanded:\n%s", p.User)
	}
	r := newRun(t, Config{Seed: 7})
	q, _ := BuildPrompt(d, r.Archive().At(0), false)
	for _, s := range []string{q.System, q.User} {
		if strings.Contains(s, "{{") {
			t.Errorf("an unfilled placeholder:\n%s", s)
		}
	}
}
