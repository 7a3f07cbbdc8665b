// Package proxy is the workbench's optional LLM proxy: a plain http.Handler that forwards
// OpenAI-compatible chat completion requests to an upstream with a key the page never sees. It
// runs natively (cmd/proxy) and as a Cloudflare Worker (worker/).
//
// It is open to no one else: only POST /v1/chat/completions (and its CORS preflight) and
// GET /healthz; only allowed origins and models; bodies up to 64 KiB; the request rebuilt from an
// allowlist of fields (model, messages, temperature, top_p, max_tokens, max_completion_tokens,
// response_format, seed, stop) with the token caps applied and n = 1; a per-client rate limit; an
// upstream timeout. The reply is decoded and re-encoded, so the key cannot reach the page in any
// JSON encoding; it never appears in a log line either, and log lines escape control characters.
// Every failure is a JSON error: {"error": {"message": …, "type": …}}.
package proxy

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"path"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// ChatPath is the one path the proxy forwards.
const ChatPath = "/v1/chat/completions"

// Defaults of a Config's zero fields.
var (
	DefaultUpstream = "https://api.openai.com"
	DefaultOrigins  = []string{"http://127.0.0.1:*", "http://localhost:*"}
	DefaultModels   = []string{"gpt-4o-mini", "gpt-4.1-mini", "gpt-4.1-nano"}
)

// Config configures the proxy. Zero fields take the defaults.
type Config struct {
	Upstream       string        // base URL, e.g. https://api.openai.com or http://127.0.0.1:11434
	APIKey         string        // sent upstream as a bearer token; never shown
	AllowedOrigins []string      // exact origins, or with a port wildcard: "http://localhost:*"
	AllowedModels  []string      // model names the page may ask for
	MaxBody        int64         // request body limit (default 64 KiB)
	MaxTokens      int           // cap on max_tokens (default 1024)
	RatePerMinute  int           // requests per client per minute (default 30)
	Timeout        time.Duration // upstream timeout (default 60 s)
	// TrustCFConnectingIP takes the client's identity for the rate limit from Cloudflare's
	// CF-Connecting-IP header. Only the Worker build sets it: natively anyone could send the
	// header, so the connection's address is used.
	TrustCFConnectingIP bool
	Client              *http.Client // upstream client (default: one with Timeout)
	Logf                func(format string, args ...any)
	Now                 func() time.Time // for tests
}

// Handler is the proxy.
type Handler struct {
	cfg     Config
	mu      sync.Mutex
	buckets map[string]*bucket
	seen    int // requests since the last sweep of the buckets
}

// maxBuckets bounds the rate limiter's memory; past it, buckets idle long enough to be full again
// are dropped (they would start full anyway), then the least recently used.
const maxBuckets = 10000

// bucket is a client's token bucket.
type bucket struct {
	tokens float64
	last   time.Time
}

// New returns the proxy for cfg.
func New(cfg Config) *Handler {
	if cfg.Upstream == "" {
		cfg.Upstream = DefaultUpstream
	}
	cfg.Upstream = strings.TrimRight(cfg.Upstream, "/")
	if cfg.AllowedOrigins == nil {
		cfg.AllowedOrigins = DefaultOrigins
	}
	if cfg.AllowedModels == nil {
		cfg.AllowedModels = DefaultModels
	}
	if cfg.MaxBody <= 0 {
		cfg.MaxBody = 64 << 10
	}
	if cfg.MaxTokens <= 0 {
		cfg.MaxTokens = 1024
	}
	if cfg.RatePerMinute <= 0 {
		cfg.RatePerMinute = 30
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = 60 * time.Second
	}
	if cfg.Client == nil {
		cfg.Client = &http.Client{Timeout: cfg.Timeout}
	}
	if cfg.Logf == nil {
		cfg.Logf = func(string, ...any) {}
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	return &Handler{cfg: cfg, buckets: map[string]*bucket{}}
}

// apiError is the JSON error body.
type apiError struct {
	Error struct {
		Message string `json:"message"`
		Type    string `json:"type"`
	} `json:"error"`
}

// fail writes a JSON error and logs it, with the key scrubbed from both.
func (h *Handler) fail(w http.ResponseWriter, r *http.Request, status int, kind, format string, args ...any) {
	var e apiError
	e.Error.Message = h.scrub(fmt.Sprintf(format, args...))
	e.Error.Type = kind
	h.cfg.Logf("%s %q from %q: %d %s", logSafe(r.Method), h.scrub(r.URL.Path), h.scrub(r.Header.Get("Origin")), status, logSafe(e.Error.Message))
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(e)
}

// scrub removes the API key from s.
func (h *Handler) scrub(s string) string {
	if h.cfg.APIKey == "" {
		return s
	}
	return strings.ReplaceAll(s, h.cfg.APIKey, "[key]")
}

// logSafe escapes control characters (and quotes) so text from a request cannot forge log lines.
func logSafe(s string) string {
	q := strconv.Quote(s)
	return q[1 : len(q)-1]
}

// originAllowed reports whether origin matches the allowed list.
func (h *Handler) originAllowed(origin string) bool {
	for _, a := range h.cfg.AllowedOrigins {
		if a == "*" || a == origin {
			return true
		}
		if base, ok := strings.CutSuffix(a, ":*"); ok {
			if rest, ok := strings.CutPrefix(origin, base+":"); ok && rest != "" && strings.Trim(rest, "0123456789") == "" {
				return true
			}
		}
	}
	return false
}

// allow takes a token from the client's bucket.
func (h *Handler) allow(client string) (bool, time.Duration) {
	h.mu.Lock()
	defer h.mu.Unlock()
	now := h.cfg.Now()
	rate := float64(h.cfg.RatePerMinute) / 60
	b, ok := h.buckets[client]
	if !ok {
		if len(h.buckets) >= maxBuckets {
			h.evict(now)
		}
		b = &bucket{tokens: float64(h.cfg.RatePerMinute), last: now}
		h.buckets[client] = b
	}
	b.tokens = min(float64(h.cfg.RatePerMinute), b.tokens+now.Sub(b.last).Seconds()*rate)
	b.last = now
	if b.tokens < 1 {
		return false, time.Duration((1 - b.tokens) / rate * float64(time.Second))
	}
	b.tokens--
	return true, 0
}

// evict drops the buckets idle for a minute or more (refilled: a new bucket is the same), then,
// if the map is still full, the least recently used half. The caller holds mu.
func (h *Handler) evict(now time.Time) {
	for k, b := range h.buckets {
		if now.Sub(b.last) >= time.Minute {
			delete(h.buckets, k)
		}
	}
	if len(h.buckets) < maxBuckets {
		return
	}
	type aged struct {
		key  string
		last time.Time
	}
	all := make([]aged, 0, len(h.buckets))
	for k, b := range h.buckets {
		all = append(all, aged{k, b.last})
	}
	slices.SortFunc(all, func(a, b aged) int { return a.last.Compare(b.last) })
	for _, a := range all[:len(all)/2] {
		delete(h.buckets, a.key)
	}
}

// clientKey identifies a client for the rate limit: Cloudflare's client address header when the
// proxy runs as a Worker (trustCF), else the connection's address.
func clientKey(r *http.Request, trustCF bool) string {
	if ip := r.Header.Get("CF-Connecting-IP"); ip != "" && trustCF {
		return ip
	}
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// ServeHTTP implements http.Handler.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	p := path.Clean("/" + r.URL.Path)
	if p == "/healthz" {
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			h.fail(w, r, http.StatusMethodNotAllowed, "method_not_allowed", "use GET for /healthz")
			return
		}
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprintf(w, `{"ok":true,"key_configured":%t}`+"\n", h.cfg.APIKey != "")
		return
	}
	if p != ChatPath {
		h.fail(w, r, http.StatusNotFound, "not_found", "only POST %s is served here", ChatPath)
		return
	}
	origin := r.Header.Get("Origin")
	if !h.originAllowed(origin) {
		if origin == "" {
			h.fail(w, r, http.StatusForbidden, "origin_not_allowed", "requests must come from an allowed page (no Origin header)")
		} else {
			h.fail(w, r, http.StatusForbidden, "origin_not_allowed", "origin %q is not allowed", origin)
		}
		return
	}
	w.Header().Set("Access-Control-Allow-Origin", origin)
	w.Header().Set("Vary", "Origin")
	switch r.Method {
	case http.MethodOptions:
		w.Header().Set("Access-Control-Allow-Methods", "POST, OPTIONS")
		w.Header().Set("Access-Control-Allow-Headers", "Content-Type")
		w.Header().Set("Access-Control-Max-Age", "600")
		w.WriteHeader(http.StatusNoContent)
		return
	case http.MethodPost:
	default:
		w.Header().Set("Allow", "POST, OPTIONS")
		h.fail(w, r, http.StatusMethodNotAllowed, "method_not_allowed", "use POST for %s", ChatPath)
		return
	}
	if ok, wait := h.allow(clientKey(r, h.cfg.TrustCFConnectingIP)); !ok {
		w.Header().Set("Retry-After", fmt.Sprint(int(wait.Seconds())+1))
		h.fail(w, r, http.StatusTooManyRequests, "rate_limited", "too many requests: at most %d a minute; retry in %d s", h.cfg.RatePerMinute, int(wait.Seconds())+1)
		return
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, h.cfg.MaxBody))
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			h.fail(w, r, http.StatusRequestEntityTooLarge, "body_too_large", "the request body is over %d bytes", h.cfg.MaxBody)
			return
		}
		h.fail(w, r, http.StatusBadRequest, "bad_request", "reading the request: %v", err)
		return
	}
	var in map[string]any
	if err := json.Unmarshal(body, &in); err != nil {
		h.fail(w, r, http.StatusBadRequest, "bad_request", "the body is not a JSON object: %v", err)
		return
	}
	req, msg := h.rebuild(in)
	if msg != "" {
		kind := "bad_request"
		if strings.HasPrefix(msg, "model ") {
			kind = "model_not_allowed"
		}
		h.fail(w, r, http.StatusBadRequest, kind, "%s", msg)
		return
	}
	model := req["model"].(string)
	if h.cfg.APIKey == "" {
		h.fail(w, r, http.StatusServiceUnavailable, "no_api_key", "the proxy has no API key configured (set OPENAI_API_KEY)")
		return
	}
	out, _ := json.Marshal(req)
	ctx, cancel := context.WithTimeout(r.Context(), h.cfg.Timeout)
	defer cancel()
	up, err := http.NewRequestWithContext(ctx, http.MethodPost, h.cfg.Upstream+ChatPath, bytes.NewReader(out))
	if err != nil {
		h.fail(w, r, http.StatusInternalServerError, "proxy_error", "building the upstream request: %v", err)
		return
	}
	up.Header.Set("Content-Type", "application/json")
	up.Header.Set("Authorization", "Bearer "+h.cfg.APIKey)
	res, err := h.cfg.Client.Do(up)
	if err != nil {
		if errors.Is(err, context.DeadlineExceeded) || errors.Is(ctx.Err(), context.DeadlineExceeded) {
			h.fail(w, r, http.StatusGatewayTimeout, "upstream_timeout", "the upstream did not answer within %s", h.cfg.Timeout)
			return
		}
		h.fail(w, r, http.StatusBadGateway, "upstream_unreachable", "the upstream could not be reached: %v", err)
		return
	}
	defer res.Body.Close()
	reply, err := io.ReadAll(io.LimitReader(res.Body, 1<<20))
	if err != nil {
		h.fail(w, r, http.StatusBadGateway, "upstream_error", "reading the upstream reply: %v", err)
		return
	}
	if res.StatusCode != http.StatusOK {
		msg := http.StatusText(res.StatusCode)
		var e apiError
		if json.Unmarshal(reply, &e) == nil && e.Error.Message != "" {
			msg = e.Error.Message
		}
		h.fail(w, r, http.StatusBadGateway, "upstream_error", "the upstream answered %d: %s", res.StatusCode, msg)
		return
	}
	var decoded any
	if err := json.Unmarshal(reply, &decoded); err != nil {
		h.fail(w, r, http.StatusBadGateway, "upstream_error", "the upstream's reply is not JSON")
		return
	}
	clean, _ := json.Marshal(h.scrubValue(decoded))
	h.cfg.Logf("POST %s from %q: 200 (model %q, %d bytes)", ChatPath, h.scrub(origin), model, len(clean))
	w.Header().Set("Content-Type", "application/json")
	w.Write(append(clean, '\n'))
}

// allowedFields are the request fields forwarded upstream; anything else is dropped.
var allowedFields = []string{"model", "messages", "temperature", "top_p", "max_tokens", "max_completion_tokens", "response_format", "seed", "stop"}

// rebuild makes the upstream request from the allowed fields of in, checked: an allowed model,
// messages as an array, no streaming, the token caps applied (a missing or larger max_tokens
// becomes the cap) and n = 1. It returns a message for a request it refuses.
func (h *Handler) rebuild(in map[string]any) (map[string]any, string) {
	model, _ := in["model"].(string)
	if !slices.Contains(h.cfg.AllowedModels, model) {
		return nil, fmt.Sprintf("model %q is not allowed; allowed: %s", model, strings.Join(h.cfg.AllowedModels, ", "))
	}
	if _, ok := in["messages"].([]any); !ok {
		return nil, "messages must be an array"
	}
	if in["stream"] == true {
		return nil, "streaming is not supported"
	}
	if n, ok := in["n"]; ok && n != float64(1) {
		return nil, "only one choice (n = 1) is served"
	}
	out := map[string]any{}
	for _, f := range allowedFields {
		if v, ok := in[f]; ok {
			out[f] = v
		}
	}
	for _, f := range []string{"temperature", "top_p", "seed"} {
		if v, ok := out[f]; ok {
			if _, num := v.(float64); !num {
				return nil, f + " must be a number"
			}
		}
	}
	capped := float64(h.cfg.MaxTokens)
	mt, _ := out["max_tokens"].(float64)
	if mt <= 0 || mt > capped {
		out["max_tokens"] = h.cfg.MaxTokens
	}
	if v, ok := out["max_completion_tokens"]; ok {
		if m, _ := v.(float64); m <= 0 || m > capped {
			out["max_completion_tokens"] = h.cfg.MaxTokens
		}
	}
	out["n"] = 1
	return out, ""
}

// scrubValue removes the key from every string of a decoded JSON value, object keys included.
func (h *Handler) scrubValue(v any) any {
	switch x := v.(type) {
	case string:
		return h.scrub(x)
	case []any:
		for i := range x {
			x[i] = h.scrubValue(x[i])
		}
		return x
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			out[h.scrub(k)] = h.scrubValue(e)
		}
		return out
	}
	return v
}
