package engine

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
)

// TestAdaptivePromptsNeverShowTest builds prompts for a parent on every adaptive domain: they carry
// the domain's description, every number's name and the train mistakes, and no test example.
func TestAdaptivePromptsNeverShowTest(t *testing.T) {
	for _, name := range adaptiveDomains {
		d := lookup(t, name)
		r, err := New(adaptive(MetaEvolve, SelectDGM, 3), d)
		if err != nil {
			t.Fatal(err)
		}
		r.RunN(context.Background(), 30, nil)
		for _, frozen := range []bool{false, true} {
			pr, err := BuildPrompt(d, r.Best(), frozen)
			if err != nil {
				t.Fatal(err)
			}
			all := pr.System + pr.User
			if !strings.Contains(pr.System, d.Info().Description[:40]) {
				t.Errorf("%s: the prompt lacks the domain's description", name)
			}
			for _, n := range paramNames(d) {
				if !strings.Contains(pr.User, "\n"+n+" = ") {
					t.Fatalf("%s: the prompt lacks the number %s", name, n)
				}
			}
			if frozen != strings.Contains(pr.User, "frozen in this experiment") {
				t.Errorf("%s: frozen=%v but the prompt says otherwise", name, frozen)
			}
			if lab, ok := d.(Labelled); ok {
				for _, x := range lab.Test() {
					if strings.Contains(all, x.Name+":") {
						t.Fatalf("%s: the prompt shows test example %s", name, x.Name)
					}
				}
				if !strings.Contains(pr.User, "predicted") && !strings.Contains(pr.User, "every train row is right") {
					t.Errorf("%s: no train mistakes in the prompt", name)
				}
			} else if !strings.Contains(pr.User, "train episode") {
				t.Errorf("%s: the maze prompt does not describe the train episode", name)
			}
		}
	}
}

// TestParseAdaptiveProposal checks the reply parser: names resolve to coordinates, values are
// clamped and put on the grid, knobs are taken (or ignored when frozen), and bad replies are
// refused with ErrReply.
func TestParseAdaptiveProposal(t *testing.T) {
	wine := lookup(t, "wine")
	p, err := ParseProposal("Here you go:\n```json\n"+`{"set": {"class_1·alcohol": 0.123456, "bias class_2": 99, "class_0·proline": -7},
		"meta": {"sigma": 0.05, "p_mut": 3}, "note": "  more   alcohol "}`+"\n```", wine, false)
	if err != nil {
		t.Fatal(err)
	}
	shape := wine.Info().Shape
	want := map[int]float64{1*13 + 0: quantizeParam(0.123456), shape.Weights() + 2: wine.Bounds().Threshold[1], 12: -2}
	if len(p.Set) != 3 {
		t.Fatalf("set %v", p.Set)
	}
	for i, v := range want {
		if p.Set[i] != v {
			t.Errorf("coordinate %d = %v, want %v", i, p.Set[i], v)
		}
	}
	if len(p.Clamped) != 3 || p.Knobs == nil || p.Knobs[KnobSigma] != 0.05 || p.Knobs[KnobPMut] != 1 || len(p.KnobSet) != 2 || p.Note != "more alcohol" {
		t.Errorf("proposal %+v", p)
	}
	if p, err := ParseProposal(`{"set": {"px_0_0": 0.5}, "meta": {"sigma": 0.5}}`, lookup(t, "digits"), true); err != nil || p.Knobs != nil {
		t.Errorf("frozen meta: %+v, %v", p, err)
	}
	for _, bad := range []string{
		"no json here", `{"set": {"nope": 1}}`, `{"set": {}}`, `{"set": {"threshold": "high"}}`,
		`{"set": {"px_0_0": 1}, "meta": {"temperature": 2}}`, `{"set": {"px_0_0": NaN}}`,
	} {
		if _, err := ParseProposal(bad, lookup(t, "digits"), false); !errors.Is(err, ErrReply) {
			t.Errorf("%q: err = %v, want ErrReply", bad, err)
		}
	}
}

// TestAdaptiveLLMStepsReplay runs LLM iterations on wine and the maze with a fake model (good
// replies, a refusal, a failed call), checks the children carry the proposed numbers, and replays
// the run from the recorded replies: verified.
func TestAdaptiveLLMStepsReplay(t *testing.T) {
	for _, name := range []string{"wine", "maze"} {
		d := lookup(t, name)
		cfg := adaptive(MetaEvolve, SelectDGM, 5)
		r, _ := New(cfg, d)
		replies := map[int]Reply{}
		names := paramNames(d)
		fallbacks, llm := 0, 0
		for k := 1; k <= 30; k++ {
			if k%3 != 0 {
				r.Step(context.Background())
				continue
			}
			p, err := r.BeginLLM()
			if err != nil {
				t.Fatal(err)
			}
			text, callErr := fmt.Sprintf(`{"set": {%q: %g}, "meta": {"eta": 0.2}, "note": "try %d"}`, names[k%len(names)], 0.25*float64(k%5), k), error(nil)
			switch k % 9 {
			case 3:
				text = "I would rather not."
			case 6:
				text, callErr = "", errors.New("timeout")
			}
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
			if fb != "" {
				fallbacks++
				continue
			}
			llm++
			c := r.Archive().At(ev.Child)
			if got := paramValue(d.Info().Shape, &c.Agent.Task, k%len(names)); got != quantizeParam(0.25*float64(k%5)) {
				t.Errorf("%s iteration %d: %s = %v, proposed %v", name, k, names[k%len(names)], got, 0.25*float64(k%5))
			}
			if c.Agent.Meta.Knobs[KnobEta] != 0.2 || c.Source != SourceLLM || !slices.Contains(c.Agent.Lineage, fmt.Sprintf("LLM: try %d", k)) {
				t.Errorf("%s iteration %d: child %+v", name, k, c.Agent)
			}
		}
		// LLM iterations 3, 6, …, 30: refusals at 3, 12, 21, 30 and failed calls at 6, 15, 24.
		if fallbacks != 7 || llm != 3 {
			t.Errorf("%s: %d fallbacks and %d LLM children, want 7 and 3", name, fallbacks, llm)
		}
		p, err := NewReplay(cfg, d, r.Hashes())
		if err != nil {
			t.Fatal(err)
		}
		p.WithReplies(replies)
		for !p.Done() {
			if err := p.Step(); err != nil {
				t.Fatal(err)
			}
		}
		if ok, at := p.Result(); !ok {
			t.Errorf("%s: replay differs at %d", name, at)
		}
	}
}

// FuzzParseAdaptiveProposal feeds arbitrary replies to the adaptive parser: it never panics,
// refuses with ErrReply, and what it accepts is in bounds, on the grid and names real numbers.
func FuzzParseAdaptiveProposal(f *testing.F) {
	f.Add(`{"set": {"class_1·alcohol": 0.5, "bias class_0": -1}, "meta": {"sigma": 0.1}, "note": "x"}`)
	f.Add(`{"set": {"alcohol": 1e308}}`)
	f.Add("```\n{\"set\": {}}\n```")
	d, _ := LookupDomain("wine")
	shape, b := d.Info().Shape, d.Bounds()
	f.Fuzz(func(t *testing.T, reply string) {
		for _, frozen := range []bool{false, true} {
			p, err := ParseProposal(reply, d, frozen)
			if err != nil {
				if !errors.Is(err, ErrReply) {
					t.Fatalf("error %v does not wrap ErrReply", err)
				}
				continue
			}
			for i, v := range p.Set {
				lim := b.Weight
				if i >= shape.Weights() {
					lim = b.Threshold
				}
				if i < 0 || i >= shape.Params() || v < lim[0] || v > lim[1] || quantizeParam(v) != v {
					t.Fatalf("accepted coordinate %d = %v", i, v)
				}
			}
			if p.Knobs != nil {
				if frozen {
					t.Fatal("knobs under a frozen meta policy")
				}
				for k := range p.KnobSet {
					if v := p.Knobs[k]; v < Knobs[k].Min || v > Knobs[k].Max {
						t.Fatalf("knob %s = %v", Knobs[k].Name, v)
					}
				}
			}
		}
	})
}
