package proxy

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

const secret = "sk-test-SECRET-0123456789"

// fakeUpstream is an OpenAI-compatible server that records requests. It reads bodies however they
// are sent (a Worker sends them chunked).
type fakeUpstream struct {
	mu       sync.Mutex
	requests []map[string]any
	auth     []string
	chunked  []bool
	status   int
	delay    time.Duration
	reply    string
}

func (f *fakeUpstream) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	var req map[string]any
	json.Unmarshal(body, &req)
	f.mu.Lock()
	f.requests = append(f.requests, req)
	f.auth = append(f.auth, r.Header.Get("Authorization"))
	f.chunked = append(f.chunked, len(r.TransferEncoding) > 0)
	status, delay, reply := f.status, f.delay, f.reply
	f.mu.Unlock()
	time.Sleep(delay)
	if status == 0 {
		status = 200
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	if reply == "" {
		reply = `{"choices":[{"message":{"role":"assistant","content":"{}"}}],"usage":{"prompt_tokens":10,"completion_tokens":5,"total_tokens":15}}`
	}
	io.WriteString(w, reply)
}

type logs struct {
	mu    sync.Mutex
	lines []string
}

func (l *logs) logf(format string, args ...any) {
	l.mu.Lock()
	l.lines = append(l.lines, fmt.Sprintf(format, args...))
	l.mu.Unlock()
}

func setup(t *testing.T, edit func(*Config)) (*httptest.Server, *fakeUpstream, *logs) {
	t.Helper()
	up := &fakeUpstream{}
	us := httptest.NewServer(up)
	t.Cleanup(us.Close)
	l := &logs{}
	cfg := Config{Upstream: us.URL, APIKey: secret, Logf: l.logf, Timeout: 2 * time.Second}
	if edit != nil {
		edit(&cfg)
	}
	ps := httptest.NewServer(New(cfg))
	t.Cleanup(ps.Close)
	return ps, up, l
}

func call(t *testing.T, method, url, origin, body string) (*http.Response, string) {
	t.Helper()
	req, _ := http.NewRequest(method, url, strings.NewReader(body))
	if origin != "" {
		req.Header.Set("Origin", origin)
	}
	req.Header.Set("Content-Type", "application/json")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(res.Body)
	res.Body.Close()
	return res, string(b)
}

const okOrigin = "http://127.0.0.1:8080"
const okBody = `{"model":"gpt-4o-mini","messages":[{"role":"user","content":"hi"}],"max_tokens":99999}`

func TestForwardsAndCapsTokens(t *testing.T) {
	ps, up, _ := setup(t, nil)
	res, body := call(t, "POST", ps.URL+ChatPath, okOrigin, okBody)
	if res.StatusCode != 200 || !strings.Contains(body, "choices") {
		t.Fatalf("%d %s", res.StatusCode, body)
	}
	if got := res.Header.Get("Access-Control-Allow-Origin"); got != okOrigin {
		t.Errorf("CORS header %q", got)
	}
	if up.auth[0] != "Bearer "+secret {
		t.Errorf("upstream got Authorization %q", up.auth[0])
	}
	if mt := up.requests[0]["max_tokens"]; mt != float64(1024) {
		t.Errorf("max_tokens forwarded as %v, want the cap 1024", mt)
	}
	res, _ = call(t, "OPTIONS", ps.URL+ChatPath, okOrigin, "")
	if res.StatusCode != 204 || !strings.Contains(res.Header.Get("Access-Control-Allow-Methods"), "POST") {
		t.Errorf("preflight: %d %v", res.StatusCode, res.Header)
	}
	res, body = call(t, "GET", ps.URL+"/healthz", "", "")
	if res.StatusCode != 200 || !strings.Contains(body, `"key_configured":true`) {
		t.Errorf("healthz: %d %s", res.StatusCode, body)
	}
}

// TestErrors checks that every refusal is a clear JSON error with the right status, and that no
// response or log line ever contains the key.
func TestErrors(t *testing.T) {
	big := `{"model":"gpt-4o-mini","messages":[{"role":"user","content":"` + strings.Repeat("x", 70<<10) + `"}]}`
	tests := []struct {
		name         string
		edit         func(*Config)
		up           func(*fakeUpstream)
		method, path string
		origin, body string
		status       int
		kind         string
	}{
		{"wrong method", nil, nil, "GET", ChatPath, okOrigin, "", 405, "method_not_allowed"},
		{"wrong path", nil, nil, "POST", "/v1/embeddings", okOrigin, okBody, 404, "not_found"},
		{"path traversal", nil, nil, "POST", "/v1/chat/completions/../../admin", okOrigin, okBody, 404, "not_found"},
		{"foreign origin", nil, nil, "POST", ChatPath, "https://evil.example", okBody, 403, "origin_not_allowed"},
		{"no origin", nil, nil, "POST", ChatPath, "", okBody, 403, "origin_not_allowed"},
		{"port-like origin trick", nil, nil, "POST", ChatPath, "http://127.0.0.1:80.evil.example", okBody, 403, "origin_not_allowed"},
		{"unknown model", nil, nil, "POST", ChatPath, okOrigin, `{"model":"gpt-5-ultra","messages":[]}`, 400, "model_not_allowed"},
		{"not json", nil, nil, "POST", ChatPath, okOrigin, `model=gpt-4o-mini`, 400, "bad_request"},
		{"oversized body", nil, nil, "POST", ChatPath, okOrigin, big, 413, "body_too_large"},
		{"missing key", func(c *Config) { c.APIKey = "" }, nil, "POST", ChatPath, okOrigin, okBody, 503, "no_api_key"},
		{"upstream 500", nil, func(f *fakeUpstream) {
			f.status, f.reply = 500, `{"error":{"message":"boom, your key `+secret+` is bad"}}`
		}, "POST", ChatPath, okOrigin, okBody, 502, "upstream_error"},
		{"upstream timeout", func(c *Config) { c.Timeout = 100 * time.Millisecond; c.Client = nil }, func(f *fakeUpstream) { f.delay = 400 * time.Millisecond },
			"POST", ChatPath, okOrigin, okBody, 504, "upstream_timeout"},
		{"upstream unreachable", func(c *Config) { c.Upstream = "http://127.0.0.1:1" }, nil, "POST", ChatPath, okOrigin, okBody, 502, "upstream_unreachable"},
		{"upstream not json", nil, func(f *fakeUpstream) { f.reply = "<html>gateway</html>" }, "POST", ChatPath, okOrigin, okBody, 502, "upstream_error"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ps, up, l := setup(t, tt.edit)
			if tt.up != nil {
				tt.up(up)
			}
			res, body := call(t, tt.method, ps.URL+tt.path, tt.origin, tt.body)
			var e apiError
			if err := json.Unmarshal([]byte(body), &e); err != nil || res.StatusCode != tt.status || e.Error.Type != tt.kind || e.Error.Message == "" {
				t.Fatalf("got %d %s, want %d %s", res.StatusCode, body, tt.status, tt.kind)
			}
			if ct := res.Header.Get("Content-Type"); ct != "application/json" {
				t.Errorf("content type %q", ct)
			}
			if strings.Contains(body, secret) {
				t.Errorf("the key is in the response: %s", body)
			}
			for _, line := range l.lines {
				if strings.Contains(line, secret) {
					t.Errorf("the key is in a log line: %s", line)
				}
			}
			if len(l.lines) == 0 {
				t.Error("a refusal was not logged")
			}
		})
	}
}

func TestRateLimit(t *testing.T) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	ps, _, _ := setup(t, func(c *Config) { c.RatePerMinute = 3; c.Now = func() time.Time { return now } })
	for i := range 3 {
		if res, body := call(t, "POST", ps.URL+ChatPath, okOrigin, okBody); res.StatusCode != 200 {
			t.Fatalf("request %d: %d %s", i, res.StatusCode, body)
		}
	}
	res, body := call(t, "POST", ps.URL+ChatPath, okOrigin, okBody)
	if res.StatusCode != 429 || res.Header.Get("Retry-After") == "" || !strings.Contains(body, "rate_limited") {
		t.Fatalf("4th request: %d %s", res.StatusCode, body)
	}
	now = now.Add(25 * time.Second) // 3 a minute: one token back after 20 s
	if res, body := call(t, "POST", ps.URL+ChatPath, okOrigin, okBody); res.StatusCode != 200 {
		t.Fatalf("after the wait: %d %s", res.StatusCode, body)
	}
}

func TestOriginPatterns(t *testing.T) {
	h := New(Config{})
	for origin, want := range map[string]bool{
		"http://127.0.0.1:8080": true, "http://localhost:3000": true, "http://localhost:": false,
		"http://localhost": false, "https://localhost:8080": false, "http://127.0.0.1:8080@evil": false, "": false,
	} {
		if got := h.originAllowed(origin); got != want {
			t.Errorf("origin %q allowed %v, want %v", origin, got, want)
		}
	}
}

func TestChunkedUpstreamBody(t *testing.T) {
	// A client that streams its body (as the Worker does) must still be forwarded.
	ps, up, _ := setup(t, nil)
	pr, pw := io.Pipe()
	go func() { pw.Write([]byte(okBody)); pw.Close() }()
	req, _ := http.NewRequest("POST", ps.URL+ChatPath, pr)
	req.Header.Set("Origin", okOrigin)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(res.Body)
	if res.StatusCode != 200 || len(up.requests) != 1 || !bytes.Contains(b, []byte("choices")) {
		t.Fatalf("%d %s", res.StatusCode, b)
	}
}
