//go:build !(js && wasm)

package e2e

import (
	"bufio"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// startProxy runs the native proxy (cmd/proxy) in front of upstream and returns its base URL.
func startProxy(t *testing.T, upstream string) (url string, stop func()) {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "proxy")
	build := exec.Command("go", "build", "-o", bin, "./cmd/proxy")
	build.Dir = ".."
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("build proxy: %v\n%s", err, out)
	}
	cmd := exec.Command(bin)
	cmd.Env = append(os.Environ(), "PROXY_ADDR=127.0.0.1:0", "OPENAI_BASE_URL="+upstream, "OPENAI_API_KEY=sk-e2e-secret",
		"PROXY_ORIGINS="+siteURL, "PROXY_MODELS=gpt-4o-mini")
	out, _ := cmd.StdoutPipe()
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	stop = func() { cmd.Process.Kill(); cmd.Wait() }
	line, err := bufio.NewReader(out).ReadString('\n')
	if err != nil {
		stop()
		t.Fatalf("proxy printed nothing: %v", err)
	}
	i, j := strings.Index(line, "http://"), strings.Index(line, "/v1/")
	if i < 0 || j < i {
		stop()
		t.Fatalf("proxy printed %q", line)
	}
	return line[i:j], stop
}

// fakeLLM answers chat completions with children; its third answer is not JSON. With slow set,
// it holds call slowCall for that long, and counts calls in flight.
type fakeLLM struct {
	mu       sync.Mutex
	calls    int
	slowCall int
	slow     time.Duration
	inFlight atomic.Int32
	most     atomic.Int32 // the most calls in flight at once
}

func (f *fakeLLM) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	if strings.Contains(string(body), "You review a code repository") {
		review := `{"recommendation": "reject", "score": 35, "strengths": ["clear README"], "issues": ["no tests", "hard-coded secrets"],
			"features": {"maintainability": 0.6, "security": 0.2, "test_coverage": 0.1, "documentation": 0.8, "simplicity": 0.7}}`
		if !strings.Contains(string(body), "acme/widget") {
			review = "the repository was not in the prompt"
		}
		json.NewEncoder(w).Encode(map[string]any{
			"choices": []any{map[string]any{"message": map[string]any{"role": "assistant", "content": review}}},
			"usage":   map[string]any{"prompt_tokens": 900, "completion_tokens": 80},
		})
		return
	}
	f.mu.Lock()
	f.calls++
	n := f.calls
	f.mu.Unlock()
	if k := f.inFlight.Add(1); k > f.most.Load() {
		f.most.Store(k)
	}
	defer f.inFlight.Add(-1)
	if n == f.slowCall {
		time.Sleep(f.slow)
	}
	content := fmt.Sprintf(`{"weights": {"maintainability": 0.9, "security": %g, "test_coverage": 0.9, "documentation": 0.7, "simplicity": 0.8}, "threshold": 3.0, "review_style": "balanced", "note": "call %d: reward security"}`, 1.0+0.05*float64(n), n)
	if n == 3 {
		content = "Sorry, I can't produce JSON today."
	}
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(map[string]any{
		"choices": []any{map[string]any{"message": map[string]any{"role": "assistant", "content": content}}},
		"usage":   map[string]any{"prompt_tokens": 700, "completion_tokens": 60},
	})
}

// TestLLMMutationsThroughProxy: page → native proxy → fake upstream for 5 iterations, one
// malformed reply falls back to the heuristic and says so; tokens are shown; the run, exported
// and imported in a fresh profile with the proxy stopped, replays as verified.
func TestLLMMutationsThroughProxy(t *testing.T) {
	up := httptest.NewServer(&fakeLLM{})
	defer up.Close()
	proxyURL, stopProxy := startProxy(t, up.URL)
	defer stopProxy()

	ctx := browser(t)
	open(t, ctx, "/", "run")
	eval[bool](t, ctx, `(() => { document.querySelector("details.llm").open = true; return true })()`)
	setInput(t, ctx, "llm-proxy", proxyURL)
	click(t, ctx, "llm-enabled")
	waitJS(t, ctx, "LLM badge", `(document.getElementById("llm-badge") || {}).textContent?.startsWith("mutations: LLM")`)
	setInput(t, ctx, "iterations", "5")
	click(t, ctx, "run")
	waitText(t, ctx, "stat-iterations", "5")
	waitText(t, ctx, "save-status", "saved · iteration 5")
	if got := text(t, ctx, "llm-tokens"); !strings.Contains(got, "3800 tokens in 5 model calls") {
		t.Errorf("tokens %q", got)
	}
	screenshot(t, ctx, "overview-llm")
	id := currentRun(t, ctx)

	click(t, ctx, "nav-events")
	waitVisible(t, ctx, "events-table")
	rows := eval[string](t, ctx, `document.getElementById("events-table").innerText`)
	if n := strings.Count(rows, "LLM child"); n != 4 {
		t.Errorf("%d LLM children in the log, want 4:\n%s", n, rows)
	}
	if !strings.Contains(rows, "LLM reply unusable") || !strings.Contains(rows, "heuristic mutation used") {
		t.Errorf("the fallback is not in the event log:\n%s", rows)
	}
	screenshot(t, ctx, "events-llm")

	click(t, ctx, "nav-runs")
	waitVisible(t, ctx, "runs-table")
	file := filepath.Join(t.TempDir(), "llm.sqlite")
	os.WriteFile(file, download(t, ctx, "export-"+id), 0o644)
	stopProxy()

	fresh := browser(t)
	open(t, fresh, "/runs", "no-runs")
	upload(t, fresh, file)
	waitVisible(t, fresh, "import-report")
	click(t, fresh, "replay-"+id)
	waitText(t, fresh, "verify-"+id, "verified ✓ (5 iterations)")
}

// TestStopDuringModelCall clicks Stop and then Run while a slow model call is in flight: Run and
// Step wait (disabled, with a note) instead of starting a second job or drawing from the run's
// generator; the reply lands as the run's next iteration; Run then continues; and the run replays
// as verified.
func TestStopDuringModelCall(t *testing.T) {
	fake := &fakeLLM{slowCall: 2, slow: 10 * time.Second}
	up := httptest.NewServer(fake)
	defer up.Close()
	proxyURL, stopProxy := startProxy(t, up.URL)
	defer stopProxy()

	ctx := browser(t)
	open(t, ctx, "/", "run")
	eval[bool](t, ctx, `(() => { document.querySelector("details.llm").open = true; return true })()`)
	setInput(t, ctx, "llm-proxy", proxyURL)
	click(t, ctx, "llm-enabled")
	waitJS(t, ctx, "LLM badge", `(document.getElementById("llm-badge") || {}).textContent?.startsWith("mutations: LLM")`)
	setInput(t, ctx, "iterations", "4")
	click(t, ctx, "run")
	waitText(t, ctx, "stat-iterations", "1")
	for fake.inFlight.Load() == 0 {
		time.Sleep(20 * time.Millisecond) // call 2 is in flight
	}
	click(t, ctx, "stop")
	waitVisible(t, ctx, "llm-waiting")
	if !eval[bool](t, ctx, `document.getElementById("run").disabled && document.getElementById("step").disabled`) {
		t.Error("Run or Step is enabled while the model call is in flight")
	}
	screenshot(t, ctx, "overview-llm-waiting")
	// A click on the disabled button, and a forced one through the handler's element, start nothing.
	eval[bool](t, ctx, `(() => { const b = document.getElementById("run"); b.disabled = false; b.click(); b.click(); return true })()`)
	eval[bool](t, ctx, `(() => { document.getElementById("step").disabled = false; document.getElementById("step").click(); return true })()`)
	// The clicks were handled while the call was still in flight (else the test proves nothing).
	if fake.inFlight.Load() == 0 {
		t.Fatal("the model call landed before the forced clicks: the slow call is too short for this machine")
	}
	waitText(t, ctx, "stat-iterations", "2")
	waitJS(t, ctx, "waiting note gone", `!document.getElementById("llm-waiting") && !document.getElementById("run").disabled`)
	time.Sleep(500 * time.Millisecond)
	if got := text(t, ctx, "stat-iterations"); got != "2" {
		t.Errorf("after the call landed the run went on to %s iterations: a second job was started", got)
	}
	if most := fake.most.Load(); most != 1 {
		t.Errorf("%d model calls were in flight at once", most)
	}
	click(t, ctx, "run")
	waitText(t, ctx, "stat-iterations", "6")
	waitText(t, ctx, "save-status", "saved · iteration 6")
	id := currentRun(t, ctx)
	click(t, ctx, "nav-runs")
	waitVisible(t, ctx, "runs-table")
	click(t, ctx, "replay-"+id)
	waitText(t, ctx, "verify-"+id, "verified ✓ (6 iterations)")
}

// fakeGitHub serves one repository's metadata and README the way GitHub's REST API does.
func fakeGitHub() *httptest.Server {
	return httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Access-Control-Allow-Origin", "*")
		w.Header().Set("Access-Control-Allow-Headers", "Accept")
		switch r.URL.Path {
		case "/repos/acme/widget":
			io.WriteString(w, `{"full_name": "acme/widget", "description": "A widget library", "language": "Go", "stargazers_count": 12,
				"forks_count": 1, "open_issues_count": 3, "archived": false, "pushed_at": "2026-10-01T00:00:00Z", "topics": ["widgets"],
				"license": {"spdx_id": "MIT"}}`)
		case "/repos/acme/widget/readme":
			io.WriteString(w, `{"encoding": "base64", "content": "`+base64.StdEncoding.EncodeToString([]byte("# widget\nNo tests yet. API_KEY=hunter2 in config.go"))+`"}`)
		default:
			http.NotFound(w, r)
		}
	}))
}

// TestLiveReviewWithLLM: a GitHub URL read through a fake GitHub API, reviewed by the fake model
// through the native proxy, and the best agent's verdict on the model's estimates beside it.
func TestLiveReviewWithLLM(t *testing.T) {
	up := httptest.NewServer(&fakeLLM{})
	defer up.Close()
	gh := fakeGitHub()
	defer gh.Close()
	proxyURL, stopProxy := startProxy(t, up.URL)
	defer stopProxy()

	ctx := browser(t)
	open(t, ctx, "/", "run")
	eval[bool](t, ctx, `(() => { document.querySelector("details.llm").open = true; return true })()`)
	setInput(t, ctx, "llm-proxy", proxyURL)
	click(t, ctx, "llm-enabled")
	click(t, ctx, "nav-review")
	waitVisible(t, ctx, "llm-review-run")
	setInput(t, ctx, "gh-url", "https://github.com/not a repo")
	click(t, ctx, "llm-review-run")
	waitVisible(t, ctx, "llm-review-error")
	setInput(t, ctx, "gh-url", "https://github.com/acme/widget")
	setInput(t, ctx, "gh-api", gh.URL)
	click(t, ctx, "llm-review-run")
	waitVisible(t, ctx, "llm-review-result")
	if got := text(t, ctx, "llm-verdict"); got != "reject" {
		t.Errorf("LLM verdict %q", got)
	}
	if got := text(t, ctx, "llm-issues"); !strings.Contains(got, "hard-coded secrets") {
		t.Errorf("issues %q", got)
	}
	card := text(t, ctx, "llm-agent-card")
	if !strings.Contains(card, "acme/widget") || !strings.Contains(card, "security below 0.35") || !strings.Contains(card, "reject") {
		t.Errorf("the agent's verdict on the LLM's estimates: %q", card)
	}
	screenshot(t, ctx, "review-llm")
}
