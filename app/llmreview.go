package ui

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/url"
	"strings"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"hyperagents/engine"
)

// LLMReviewState is the live review's LLM part: a GitHub repository or README text, reviewed by
// the model, whose estimated features the best agent then scores.
type LLMReviewState struct {
	RepoIn, ReadmeIn, APIIn string
	Busy                    bool
	Err                     string
	result                  *engine.LLMReview
	example                 *engine.Example
	tokens                  int
}

func (l *LLMReviewState) init() { l.APIIn = "https://api.github.com" }

// githubRepo reads "owner/repo" from a GitHub URL or an owner/repo pair.
func githubRepo(s string) (string, bool) {
	s = strings.TrimSpace(s)
	if u, err := url.Parse(s); err == nil && u.Host != "" {
		if !strings.EqualFold(u.Host, "github.com") && !strings.EqualFold(u.Host, "www.github.com") {
			return "", false
		}
		s = u.Path
	}
	parts := strings.Split(strings.Trim(strings.TrimSuffix(s, ".git"), "/"), "/")
	if len(parts) < 2 || parts[0] == "" || parts[1] == "" {
		return "", false
	}
	for _, p := range parts[:2] {
		if strings.Trim(p, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.") != "" {
			return "", false
		}
	}
	return parts[0] + "/" + parts[1], true
}

// describeRepo fetches a repository's metadata and README from GitHub's REST API and writes them
// as the text the model reviews. It waits for the network: call it without holding mu.
func describeRepo(api, repo string) (string, error) {
	api = strings.TrimRight(api, "/")
	status, body, err := getText(api+"/repos/"+repo, "application/vnd.github+json")
	if err != nil {
		return "", fmt.Errorf("GitHub could not be reached (%v)", err)
	}
	if status != 200 {
		return "", fmt.Errorf("GitHub answered %d for %s", status, repo)
	}
	var meta struct {
		FullName    string   `json:"full_name"`
		Description string   `json:"description"`
		Language    string   `json:"language"`
		Stars       int      `json:"stargazers_count"`
		Forks       int      `json:"forks_count"`
		OpenIssues  int      `json:"open_issues_count"`
		Archived    bool     `json:"archived"`
		PushedAt    string   `json:"pushed_at"`
		Topics      []string `json:"topics"`
		License     *struct {
			SPDX string `json:"spdx_id"`
		} `json:"license"`
	}
	if err := json.Unmarshal([]byte(body), &meta); err != nil {
		return "", fmt.Errorf("GitHub's reply for %s is not repository metadata", repo)
	}
	license := "none"
	if meta.License != nil {
		license = meta.License.SPDX
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%s: %s\nlanguage %s · %d stars · %d forks · %d open issues · license %s · last push %s · archived %t · topics %s\n",
		meta.FullName, meta.Description, meta.Language, meta.Stars, meta.Forks, meta.OpenIssues, license, meta.PushedAt, meta.Archived, strings.Join(meta.Topics, ", "))
	status, body, err = getText(api+"/repos/"+repo+"/readme", "application/vnd.github+json")
	if err == nil && status == 200 {
		var rd struct {
			Content  string `json:"content"`
			Encoding string `json:"encoding"`
		}
		if json.Unmarshal([]byte(body), &rd) == nil && rd.Encoding == "base64" {
			if text, err := base64.StdEncoding.DecodeString(strings.ReplaceAll(rd.Content, "\n", "")); err == nil {
				b.WriteString("\nREADME:\n")
				b.Write(text)
			}
		}
	} else {
		b.WriteString("\n(no README)\n")
	}
	return b.String(), nil
}

// startLLMReview reviews the repository or README of the form with the model. The caller holds mu.
func (s *Session) startLLMReview(ctx app.Context) {
	l := &s.LLMReview
	l.Err, l.result, l.example = "", nil, nil
	set := s.LLM.Settings
	if !set.Enabled {
		l.Err = "Turn the LLM on first (Overview → LLM settings: proxy URL and model)."
		return
	}
	repo, readme := strings.TrimSpace(l.RepoIn), strings.TrimSpace(l.ReadmeIn)
	var name string
	switch {
	case repo != "":
		r, ok := githubRepo(repo)
		if !ok {
			l.Err = "Give a GitHub repository URL such as https://github.com/owner/repo."
			return
		}
		name = r
	case readme != "":
		name = "pasted README"
	default:
		l.Err = "Paste a GitHub repository URL or a README."
		return
	}
	if _, err := url.Parse(l.APIIn); err != nil || !strings.HasPrefix(l.APIIn, "http") {
		l.Err = "The GitHub API base must be an http(s) URL."
		return
	}
	l.Busy = true
	api, dom := l.APIIn, s.Run.codeReview()
	ctx.Async(func() {
		about, err := readme, error(nil)
		if repo != "" {
			about, err = describeRepo(api, name)
		}
		var rev engine.LLMReview
		tokens := 0
		if err == nil {
			var p engine.Prompt
			if p, err = engine.ReviewPrompt(dom, about); err == nil {
				var text string
				var pt, ct int
				if _, text, pt, ct, err = callModel(set, p); err == nil {
					tokens = pt + ct
					rev, err = engine.ParseReview(text, dom)
				}
			}
		}
		s.mu.Lock()
		l.Busy, l.tokens = false, tokens
		if err != nil {
			l.Err = "The LLM review failed: " + err.Error()
		} else {
			x := dom.NewExample("llm-review", name, rev.Features, -1)
			l.result, l.example = &rev, &x
		}
		s.mu.Unlock()
		s.notify()
	})
}

// renderLLMReview is the live review's LLM section. The caller holds mu.
func (v *ReviewView) renderLLMReview(best *engine.Agent, feats []string) app.UI {
	l := &v.s.LLMReview
	bind := v.s.bindValue
	var result app.UI = app.Div()
	if l.result != nil {
		r := l.result
		verdict := map[bool]string{true: "accept", false: "reject"}[r.Accept]
		list := func(id string, xs []string) app.UI {
			return app.Ul().ID(id).Body(app.Range(xs).Slice(func(i int) app.UI { return app.Li().Text(xs[i]) }))
		}
		est := make([]string, len(feats))
		for i, f := range feats {
			est[i] = fmt.Sprintf("%s %.2f", f, r.Features[i])
		}
		result = app.Div().Class("grid").ID("llm-review-result").Body(
			app.Section().Class("card").ID("llm-review-card").Body(
				app.H2().Body(app.Text("The LLM: "), app.Span().Class("verdict "+verdict).ID("llm-verdict").Text(verdict)),
				app.P().ID("llm-score").Text(fmt.Sprintf("score %.0f / 100 · %d tokens", r.Score, l.tokens)),
				app.P().Class("muted small").Text("estimated features: "+strings.Join(est, ", ")),
				app.H2().Text("Strengths"), list("llm-strengths", r.Strengths),
				app.H2().Text("Issues"), list("llm-issues", r.Issues),
			),
			app.Div().ID("llm-agent-card").Body(verdictCard(l.example, best, feats)),
		)
	}
	return app.Section().Class("controls").ID("llm-review").Body(
		app.H2().Text("Review with the LLM"),
		app.P().Class("muted small").Text("Paste a GitHub repository URL (the page reads its metadata and README from GitHub's API) or a README. The model recommends, scores and estimates the five features; the best agent then scores those features, side by side."),
		app.Div().Class("fields").Body(
			app.Div().Class("field wide").Body(app.Label().For("gh-url").Text("GitHub repository"),
				app.Input().Type("text").ID("gh-url").Placeholder("https://github.com/owner/repo").Value(l.RepoIn).OnInput(bind(&l.RepoIn))),
			app.Div().Class("field").Body(app.Label().For("gh-api").Text("GitHub API base"),
				app.Input().Type("text").ID("gh-api").Value(l.APIIn).OnInput(bind(&l.APIIn))),
		),
		app.Div().Class("field").Body(app.Label().For("readme-text").Text("…or README text"),
			app.Textarea().ID("readme-text").Rows(4).Text(l.ReadmeIn).OnInput(bind(&l.ReadmeIn))),
		app.Div().Class("buttons").Body(
			app.Button().ID("llm-review-run").Text(map[bool]string{true: "Reviewing…", false: "Review with the LLM"}[l.Busy]).Disabled(l.Busy).
				OnClick(v.s.handle(func(ctx app.Context) { v.s.startLLMReview(ctx) })),
		),
		app.If(l.Err != "", func() app.UI { return app.P().Class("error").ID("llm-review-error").Text(l.Err) }),
		result,
	)
}
