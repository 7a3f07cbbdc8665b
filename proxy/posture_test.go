package proxy

import (
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"
)

// callFrom posts okBody with a CF-Connecting-IP header.
func callFrom(t *testing.T, url, cfIP string) int {
	t.Helper()
	req, _ := http.NewRequest("POST", url+ChatPath, strings.NewReader(okBody))
	req.Header.Set("Origin", okOrigin)
	req.Header.Set("CF-Connecting-IP", cfIP)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	return res.StatusCode
}

// TestClientIdentity: natively the CF-Connecting-IP header is ignored (anyone could send it to
// dodge the limit); on Workers (TrustCFConnectingIP) it names the client.
func TestClientIdentity(t *testing.T) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for _, trust := range []bool{false, true} {
		ps, _, _ := setup(t, func(c *Config) {
			c.RatePerMinute = 2
			c.Now = func() time.Time { return now }
			c.TrustCFConnectingIP = trust
		})
		var codes []int
		for i := range 4 {
			codes = append(codes, callFrom(t, ps.URL, fmt.Sprintf("203.0.113.%d", i)))
		}
		want := []int{200, 200, 429, 429}
		if trust {
			want = []int{200, 200, 200, 200}
		}
		if !slices.Equal(codes, want) {
			t.Errorf("trust %v: statuses %v, want %v", trust, codes, want)
		}
	}
}

// TestBucketsEvictedByAge: when the limiter is full, buckets idle for a minute go first; a client
// that is still limited stays limited (clearing every bucket would have let it through).
func TestBucketsEvictedByAge(t *testing.T) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	h := New(Config{RatePerMinute: 2, Now: func() time.Time { return now }})
	for i := range maxBuckets - 1 {
		h.allow(fmt.Sprintf("idle-%d", i))
	}
	now = now.Add(70 * time.Second)
	h.allow("busy")
	h.allow("busy")
	if ok, _ := h.allow("busy"); ok {
		t.Fatal("the busy client was not limited")
	}
	h.allow("newcomer") // the map is full: eviction runs
	if len(h.buckets) > 10 {
		t.Errorf("%d buckets after eviction, want only the recent ones", len(h.buckets))
	}
	if ok, _ := h.allow("busy"); ok {
		t.Error("eviction reset a limited client")
	}
	// Past the limit with every bucket recent, the least recently used half goes.
	for i := range maxBuckets + 5 {
		now = now.Add(time.Millisecond)
		h.allow(fmt.Sprintf("fresh-%d", i))
	}
	if len(h.buckets) > maxBuckets {
		t.Errorf("%d buckets, more than %d", len(h.buckets), maxBuckets)
	}
}

// TestRequestRebuiltFromAllowlist: only the allowed fields reach the upstream, with the token
// caps applied and n = 1; a request for several choices is refused.
func TestRequestRebuiltFromAllowlist(t *testing.T) {
	ps, up, _ := setup(t, func(c *Config) { c.MaxTokens = 500 })
	body := `{"model":"gpt-4o-mini","messages":[{"role":"user","content":"hi"}],"max_tokens":99999,"max_completion_tokens":7000,
		"temperature":0.7,"seed":3,"stop":["x"],"response_format":{"type":"json_object"},"logit_bias":{"1":100},"tools":[{"type":"function"}],
		"user":"someone","functions":[],"n":1}`
	if res, b := call(t, "POST", ps.URL+ChatPath, okOrigin, body); res.StatusCode != 200 {
		t.Fatalf("%d %s", res.StatusCode, b)
	}
	got := up.requests[0]
	var keys []string
	for k := range got {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	want := []string{"max_completion_tokens", "max_tokens", "messages", "model", "n", "response_format", "seed", "stop", "temperature"}
	if !slices.Equal(keys, want) {
		t.Errorf("upstream saw fields %v, want %v", keys, want)
	}
	if got["max_tokens"] != float64(500) || got["max_completion_tokens"] != float64(500) || got["n"] != float64(1) {
		t.Errorf("caps not applied: %v", got)
	}
	for _, bad := range []string{`"n":3`, `"temperature":"hot"`} {
		b := strings.Replace(okBody, `"max_tokens":99999`, bad, 1)
		if res, msg := call(t, "POST", ps.URL+ChatPath, okOrigin, b); res.StatusCode != 400 {
			t.Errorf("%s: %d %s", bad, res.StatusCode, msg)
		}
	}
}

// TestKeyNeverLeaksInAnyEncoding: an upstream that echoes the key in JSON \u escapes, in an object
// key and split over escapes gets it scrubbed: the page sees the key in no form.
func TestKeyNeverLeaksInAnyEncoding(t *testing.T) {
	esc := func(s string) string {
		var b strings.Builder
		for _, r := range s {
			fmt.Fprintf(&b, `\u%04x`, r)
		}
		return b.String()
	}
	ps, up, l := setup(t, nil)
	up.reply = `{"choices":[{"message":{"role":"assistant","content":"the key is ` + esc(secret) + `"}}],"` + esc(secret) + `":1,
		"half":"` + secret[:8] + esc(secret[8:]) + `","usage":{"prompt_tokens":1,"completion_tokens":1}}`
	res, body := call(t, "POST", ps.URL+ChatPath, okOrigin, okBody)
	if res.StatusCode != 200 {
		t.Fatalf("%d %s", res.StatusCode, body)
	}
	var v any
	if err := json.Unmarshal([]byte(body), &v); err != nil {
		t.Fatal(err)
	}
	decoded, _ := json.Marshal(v)
	for _, s := range []string{body, string(decoded), strings.ReplaceAll(body, `\u00`, "")} {
		if strings.Contains(s, secret) || strings.Contains(s, esc(secret)[:30]) {
			t.Fatalf("the key leaks: %s", body)
		}
	}
	if !strings.Contains(body, "[key]") || !strings.Contains(body, "choices") {
		t.Errorf("reply lost its content: %s", body)
	}
	for _, line := range l.lines {
		if strings.Contains(line, secret) {
			t.Errorf("log line shows the key: %s", line)
		}
	}
}

// TestLogLinesEscapeControls: a request path with a line break and escape codes cannot forge or
// colour a log line.
func TestLogLinesEscapeControls(t *testing.T) {
	ps, _, l := setup(t, nil)
	call(t, "POST", ps.URL+"/x%0a2026/01/01 proxy: POST /v1/chat/completions: 200%1b[31m", okOrigin, okBody)
	if len(l.lines) == 0 {
		t.Fatal("nothing logged")
	}
	for _, line := range l.lines {
		if strings.ContainsAny(line, "\n\x1b") {
			t.Errorf("log line with a control character: %q", line)
		}
	}
}

// TestServerLimits checks the native server's timeouts and connection cap.
func TestServerLimits(t *testing.T) {
	srv := NewServer(New(Config{}))
	if srv.ReadHeaderTimeout <= 0 || srv.ReadTimeout <= 0 || srv.WriteTimeout <= 0 || srv.IdleTimeout <= 0 || srv.MaxHeaderBytes <= 0 {
		t.Errorf("server without every timeout: %+v", srv)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	capped := LimitListener(ln, 1)
	dial := func() net.Conn {
		c, err := net.Dial("tcp", ln.Addr().String())
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	c1, c2 := dial(), dial()
	defer c1.Close()
	defer c2.Close()
	first, err := capped.Accept()
	if err != nil {
		t.Fatal(err)
	}
	second := make(chan net.Conn)
	go func() {
		c, _ := capped.Accept()
		second <- c
	}()
	select {
	case <-second:
		t.Fatal("a second connection was accepted while the first was open")
	case <-time.After(200 * time.Millisecond):
	}
	first.Close()
	select {
	case c := <-second:
		c.Close()
	case <-time.After(2 * time.Second):
		t.Fatal("closing the first connection did not let the second in")
	}
}
