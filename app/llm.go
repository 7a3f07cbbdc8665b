package ui

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"strings"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"hyperagents/engine"
	"hyperagents/store"
)

// llmSettingsKey keeps the LLM settings in localStorage.
const llmSettingsKey = "hyperagents.llm"

// LLMSettings are the user's LLM choices, kept in the browser.
type LLMSettings struct {
	Enabled  bool   `json:"enabled"`
	ProxyURL string `json:"proxy_url"`
	Model    string `json:"model"`
	Budget   int    `json:"budget"` // tokens per run
}

// LLMState is the LLM side of the session: settings, the form, and the live run's calls.
type LLMState struct {
	Settings          LLMSettings
	ProxyIn, ModelIn  string
	BudgetIn, FormErr string
	Status            string // why mutations come from where they come from

	tokens  int                      // tokens the live run has used
	calls   int                      // model calls of the live run
	log     map[int]store.Transcript // the live run's transcripts, by iteration
	pending []store.Transcript       // transcripts not yet saved
	run     *engine.Run              // the run tokens and log belong to
}

func (l *LLMState) init() {
	l.Settings = LLMSettings{ProxyURL: "http://127.0.0.1:8787", Model: "gpt-4o-mini", Budget: 50000}
	if app.IsClient {
		if s := localGet(llmSettingsKey); s != "" {
			var st LLMSettings
			if json.Unmarshal([]byte(s), &st) == nil && st.ProxyURL != "" && st.Model != "" && st.Budget > 0 {
				l.Settings = st
			}
		}
	}
	l.ProxyIn, l.ModelIn, l.BudgetIn = l.Settings.ProxyURL, l.Settings.Model, fmt.Sprint(l.Settings.Budget)
}

// forRun resets the counters when the live run changed. The caller holds mu.
func (l *LLMState) forRun(r *engine.Run) {
	if l.run != r {
		l.run, l.tokens, l.calls, l.log, l.pending = r, 0, 0, map[int]store.Transcript{}, nil
	}
}

// apply validates the form and keeps the settings. The caller holds mu.
func (l *LLMState) apply(enabled bool) bool {
	l.FormErr = ""
	u, err := url.Parse(strings.TrimSpace(l.ProxyIn))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		l.FormErr = "The proxy URL must be an http(s) address, e.g. http://127.0.0.1:8787."
		return false
	}
	model := strings.TrimSpace(l.ModelIn)
	if model == "" || len(model) > 100 {
		l.FormErr = "Name a model, e.g. gpt-4o-mini."
		return false
	}
	budget, ok := parseCount(l.BudgetIn, 10_000_000)
	if !ok {
		l.FormErr = "The token budget must be a whole number from 1 to 10,000,000."
		return false
	}
	l.Settings = LLMSettings{Enabled: enabled, ProxyURL: strings.TrimRight(u.String(), "/"), Model: model, Budget: budget}
	if app.IsClient {
		b, _ := json.Marshal(l.Settings)
		localSet(llmSettingsKey, string(b))
	}
	l.Status = ""
	return true
}

// badge says where mutations come from and why. The caller holds mu.
func (l *LLMState) badge() (string, string) {
	switch {
	case !l.Settings.Enabled:
		return "mutations: heuristic (LLM off)", "badge"
	case l.run != nil && l.tokens >= l.Settings.Budget:
		return fmt.Sprintf("mutations: heuristic — the run's token budget (%d) is spent", l.Settings.Budget), "badge warn"
	case l.Status != "":
		return "mutations: heuristic — " + l.Status, "badge warn"
	}
	return "mutations: LLM (" + l.Settings.Model + " via " + l.Settings.ProxyURL + ")", "badge ok"
}

// chatReply is the part of an OpenAI-compatible reply the workbench reads.
type chatReply struct {
	Choices []struct {
		Message struct {
			Content string `json:"content"`
		} `json:"message"`
	} `json:"choices"`
	Usage struct {
		PromptTokens     int `json:"prompt_tokens"`
		CompletionTokens int `json:"completion_tokens"`
	} `json:"usage"`
	Error *struct {
		Message string `json:"message"`
	} `json:"error"`
}

// callModel sends a prompt through the proxy and returns the reply's text and tokens, or why it
// failed. It waits for the network: call it without holding mu.
func callModel(set LLMSettings, p engine.Prompt) (request, text string, prompt, completion int, err error) {
	body, _ := json.Marshal(map[string]any{
		"model": set.Model,
		"messages": []map[string]string{
			{"role": "system", "content": p.System},
			{"role": "user", "content": p.User},
		},
		"max_tokens":  600,
		"temperature": 0.7,
	})
	request = string(body)
	status, res, err := postJSON(set.ProxyURL+"/v1/chat/completions", body)
	if err != nil {
		return request, "", 0, 0, fmt.Errorf("proxy unreachable (%v)", err)
	}
	var r chatReply
	jerr := json.Unmarshal(res, &r)
	if status != 200 {
		msg := fmt.Sprintf("proxy answered %d", status)
		if jerr == nil && r.Error != nil {
			msg += ": " + r.Error.Message
		}
		return request, "", 0, 0, errors.New(msg)
	}
	if jerr != nil || len(r.Choices) == 0 {
		return request, string(res), 0, 0, errors.New("the proxy's reply is not a chat completion")
	}
	return request, r.Choices[0].Message.Content, r.Usage.PromptTokens, r.Usage.CompletionTokens, nil
}

// startLLMRun runs the form's iterations with LLM mutations: each iteration draws its parent and
// writes the prompt (session locked), calls the model (unlocked, the page stays live), then
// completes the child (locked) and saves it with its transcript. When the budget is spent the rest
// of the run is heuristic. The caller holds mu.
func (s *Session) startLLMRun(ctx app.Context, n int) {
	r := &s.Run
	run := r.run
	s.LLM.forRun(run)
	r.start, r.target = run.Iterations(), run.Iterations()+n
	s.stop(jobRun)
	s.jobs[jobRun].running = true
	gen := s.jobs[jobRun].gen
	set := s.LLM.Settings
	ctx.Async(func() {
		for {
			s.mu.Lock()
			if s.jobs[jobRun].gen != gen || r.run != run || run.Iterations() >= r.target {
				if s.jobs[jobRun].gen == gen {
					s.stop(jobRun)
					s.saveRun()
					s.snapshot(ctx, true)
				}
				s.mu.Unlock()
				s.notify()
				return
			}
			if s.LLM.tokens >= set.Budget {
				_, err := run.Step(context.Background())
				if err != nil {
					r.Err = err.Error()
				}
				s.saveRun()
				s.mu.Unlock()
				s.notify()
				yieldToBrowser()
				continue
			}
			p, err := run.BeginLLM()
			s.mu.Unlock()
			if err != nil {
				s.mu.Lock()
				r.Err = err.Error()
				s.stop(jobRun)
				s.mu.Unlock()
				return
			}
			req, text, pt, ct, callErr := callModel(set, p.Prompt)
			s.mu.Lock()
			if r.run != run {
				s.mu.Unlock()
				return // the run was replaced while the model was thinking
			}
			_, fallback, ferr := run.FinishLLM(p, text, callErr)
			if ferr != nil {
				r.Err = ferr.Error()
				s.stop(jobRun)
				s.mu.Unlock()
				return
			}
			tr := store.Transcript{Iteration: p.Iteration, Model: set.Model, Request: req, Reply: text, PromptTokens: pt, CompletionTokens: ct, Fallback: fallback}
			if callErr != nil {
				tr.Failed, tr.Error = true, callErr.Error()
				s.LLM.Status = callErr.Error()
			} else {
				s.LLM.Status = ""
			}
			s.LLM.tokens += pt + ct
			s.LLM.calls++
			s.LLM.log[p.Iteration] = tr
			s.LLM.pending = append(s.LLM.pending, tr)
			s.saveRun()
			s.mu.Unlock()
			s.notify()
			yieldToBrowser()
		}
	})
}
