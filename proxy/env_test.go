package proxy

import (
	"testing"
	"time"
)

func TestConfigFromEnv(t *testing.T) {
	env := map[string]string{
		"OPENAI_API_KEY": " sk-x ", "OPENAI_BASE_URL": "http://127.0.0.1:11434/v1/", "PROXY_ORIGINS": "https://me.github.io, http://localhost:*",
		"PROXY_MODELS": "llama3", "PROXY_MAX_TOKENS": "300", "PROXY_RATE_PER_MINUTE": "5", "PROXY_TIMEOUT": "15s",
	}
	c, err := ConfigFromEnv(func(k string) string { return env[k] })
	if err != nil {
		t.Fatal(err)
	}
	if c.APIKey != "sk-x" || c.Upstream != "http://127.0.0.1:11434" || len(c.AllowedOrigins) != 2 || c.AllowedModels[0] != "llama3" ||
		c.MaxTokens != 300 || c.RatePerMinute != 5 || c.Timeout != 15*time.Second {
		t.Errorf("config %+v", c)
	}
	for k, v := range map[string]string{"PROXY_MAX_TOKENS": "lots", "PROXY_RATE_PER_MINUTE": "0", "PROXY_TIMEOUT": "soon", "OPENAI_BASE_URL": "ftp://x"} {
		if _, err := ConfigFromEnv(func(key string) string {
			if key == k {
				return v
			}
			return ""
		}); err == nil {
			t.Errorf("%s=%q accepted", k, v)
		}
	}
	if c, err := ConfigFromEnv(func(string) string { return "" }); err != nil || New(c).cfg.Upstream != DefaultUpstream {
		t.Errorf("empty environment: %v", err)
	}
}
