package proxy

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// ConfigFromEnv reads the proxy's configuration from environment variables (natively os.Getenv,
// on Cloudflare the Worker's variables and secrets):
//
//	OPENAI_API_KEY         the upstream key (a Worker secret on Cloudflare)
//	OPENAI_BASE_URL        upstream base URL (default https://api.openai.com; a trailing /v1 is dropped)
//	PROXY_ORIGINS          comma-separated allowed origins (default http://127.0.0.1:*, http://localhost:*)
//	PROXY_MODELS           comma-separated allowed models (default gpt-4o-mini, gpt-4.1-mini, gpt-4.1-nano)
//	PROXY_MAX_TOKENS       cap on max_tokens (default 1024)
//	PROXY_RATE_PER_MINUTE  requests per client per minute (default 30)
//	PROXY_TIMEOUT          upstream timeout, e.g. 30s (default 60s)
func ConfigFromEnv(getenv func(string) string) (Config, error) {
	c := Config{
		APIKey:   strings.TrimSpace(getenv("OPENAI_API_KEY")),
		Upstream: strings.TrimSuffix(strings.TrimRight(strings.TrimSpace(getenv("OPENAI_BASE_URL")), "/"), "/v1"),
	}
	list := func(s string) []string {
		var out []string
		for _, x := range strings.Split(s, ",") {
			if x = strings.TrimSpace(x); x != "" {
				out = append(out, x)
			}
		}
		return out
	}
	if v := getenv("PROXY_ORIGINS"); v != "" {
		c.AllowedOrigins = list(v)
	}
	if v := getenv("PROXY_MODELS"); v != "" {
		c.AllowedModels = list(v)
	}
	for _, x := range []struct {
		name string
		dst  *int
	}{{"PROXY_MAX_TOKENS", &c.MaxTokens}, {"PROXY_RATE_PER_MINUTE", &c.RatePerMinute}} {
		if v := getenv(x.name); v != "" {
			n, err := strconv.Atoi(v)
			if err != nil || n < 1 {
				return c, fmt.Errorf("proxy: %s=%q: want a whole number above 0", x.name, v)
			}
			*x.dst = n
		}
	}
	if v := getenv("PROXY_TIMEOUT"); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil || d <= 0 {
			return c, fmt.Errorf("proxy: PROXY_TIMEOUT=%q: want a duration such as 30s", v)
		}
		c.Timeout = d
	}
	if c.Upstream != "" && !strings.HasPrefix(c.Upstream, "http://") && !strings.HasPrefix(c.Upstream, "https://") {
		return c, fmt.Errorf("proxy: OPENAI_BASE_URL=%q: want an http(s) URL", c.Upstream)
	}
	return c, nil
}
