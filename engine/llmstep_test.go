package engine

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"testing"
)

// fakeModel answers prompts with valid children, a malformed reply every fifth call and a failed
// call every seventh, deterministically.
func fakeModel(n int) (string, error) {
	switch {
	case n%7 == 6:
		return "", errors.New("upstream timeout")
	case n%5 == 4:
		return "I cannot comply with that request.", nil
	}
	w := 0.8 + 0.05*float64(n%6)
	return fmt.Sprintf(`{"weights": {"maintainability": %g, "security": %g, "test_coverage": 0.9, "documentation": 0.7, "simplicity": 0.8},
		"threshold": %g, "review_style": "balanced", "meta": {"focus": "security", "weight_step": 0.1, "threshold_step": 0.07, "exploration_scale": 0.2},
		"note": "try %d"}`, w, 1.0+0.02*float64(n%4), 2.9+0.01*float64(n%9), n), nil
}

// runLLM runs n iterations where every third is an LLM iteration, recording replies.
func runLLM(t *testing.T, r *Run, n int, replies map[int]Reply) (fallbacks int) {
	t.Helper()
	for k := 0; k < n; k++ {
		if (r.Iterations()+1)%3 != 0 {
			if _, err := r.Step(context.Background()); err != nil {
				t.Fatal(err)
			}
			continue
		}
		p, err := r.BeginLLM()
		if err != nil {
			t.Fatal(err)
		}
		text, callErr := fakeModel(p.Iteration)
		rep := Reply{Text: text}
		if callErr != nil {
			rep = Reply{Failed: true, Error: callErr.Error()}
		}
		ev, fb, err := r.FinishLLM(p, text, callErr)
		if err != nil {
			t.Fatal(err)
		}
		rep.Fallback = fb
		replies[p.Iteration] = rep
		if (fb == "") != (ev.Source == SourceLLM) {
			t.Fatalf("iteration %d: source %s with fallback %q", ev.Iteration, ev.Source, fb)
		}
		if fb != "" {
			fallbacks++
		}
	}
	return fallbacks
}

func TestLLMRunReplaysAndResumes(t *testing.T) {
	for _, m := range Modes {
		cfg := m.Config(FlavourStandard, 5)
		r := newRun(t, cfg)
		replies := map[int]Reply{}
		if fb := runLLM(t, r, 90, replies); fb == 0 {
			t.Fatalf("%v: no fallback happened; the test's fake model must produce some", m)
		}
		llm := 0
		for i := 1; i <= r.Iterations(); i++ {
			if r.Archive().At(i).Source == SourceLLM {
				llm++
				if m == ModeBaseline && !reflect.DeepEqual(r.Archive().At(i).Agent.Meta.WeightStep, r.seedMeta.WeightStep) {
					t.Fatalf("baseline LLM child changed the frozen meta policy")
				}
			}
		}
		if llm == 0 {
			t.Fatalf("%v: no LLM child", m)
		}
		// Replay from the recorded replies: verified. Without them: differs.
		p, _ := NewReplay(cfg, r.Domain(), r.Hashes())
		p.WithReplies(replies)
		for !p.Done() {
			if err := p.Step(); err != nil {
				t.Fatal(err)
			}
		}
		if ok, at := p.Result(); !ok {
			t.Fatalf("%v: replay with replies differs at %d", m, at)
		}
		q, _ := NewReplay(cfg, r.Domain(), r.Hashes())
		for !q.Done() {
			q.Step()
		}
		if ok, _ := q.Result(); ok {
			t.Fatalf("%v: replay without the replies verified", m)
		}
		// Resume mid-way and continue with the same replies: same run.
		st, _ := r.State()
		back, err := Resume(cfg, r.Domain(), storedEntries(r), st)
		if err != nil {
			t.Fatalf("%v: resume an LLM run: %v", m, err)
		}
		if !reflect.DeepEqual(back.Hashes(), r.Hashes()) {
			t.Fatalf("%v: resumed LLM run differs", m)
		}
	}
}

func TestFinishLLMNeedsItsBegin(t *testing.T) {
	r := newRun(t, Config{Seed: 1})
	p, _ := r.BeginLLM()
	if _, _, err := r.FinishLLM(p, "", errors.New("x")); err != nil {
		t.Fatal(err)
	}
	if _, _, err := r.FinishLLM(p, "", nil); err == nil {
		t.Error("a Pending finished twice")
	}
}

// TestPendingLLMBlocksSteps checks that while an LLM iteration waits for the model, neither Step
// nor another BeginLLM draws from the generator, and that the iteration then finishes as if
// nothing had been tried (the run equals one without the refused calls).
func TestPendingLLMBlocksSteps(t *testing.T) {
	for _, d := range []Domain{codeReview(t), lookup(t, "wine")} {
		cfg := Config{Flavour: DefaultFlavour(d), Seed: 4}
		a, _ := New(cfg, d)
		b, _ := New(cfg, d)
		for _, r := range []*Run{a, b} {
			r.RunN(context.Background(), 5, nil)
		}
		p, err := a.BeginLLM()
		if err != nil {
			t.Fatal(err)
		}
		if _, err := a.Step(context.Background()); !errors.Is(err, ErrPending) {
			t.Errorf("Step while pending: %v", err)
		}
		if _, err := a.BeginLLM(); !errors.Is(err, ErrPending) {
			t.Errorf("BeginLLM while pending: %v", err)
		}
		if a.Pending() != p {
			t.Error("Pending() lost the waiting iteration")
		}
		q, _ := b.BeginLLM()
		a.FinishLLM(p, "not json", nil)
		b.FinishLLM(q, "not json", nil)
		if !reflect.DeepEqual(a.Hashes(), b.Hashes()) || a.Pending() != nil {
			t.Errorf("%s: the refused calls changed the run", d.Name())
		}
		if _, err := a.Step(context.Background()); err != nil {
			t.Errorf("Step after finishing: %v", err)
		}
	}
}
