//go:build js && wasm

// Command worker is the LLM proxy as a Cloudflare Worker (make worker; deploy with wrangler from
// this directory). Set the key with `wrangler secret put OPENAI_API_KEY` and the other variables
// (proxy.ConfigFromEnv) in wrangler.jsonc.
package main

import (
	"encoding/json"
	"net/http"
	"sync"
	"syscall/js"

	"github.com/syumai/workers"
	"github.com/syumai/workers/cloudflare"
	"github.com/syumai/workers/cloudflare/fetch"

	"hyperagents/proxy"
)

func main() {
	var once sync.Once
	var h http.Handler
	workers.Serve(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// The Worker's variables are readable once a request is being handled.
		once.Do(func() {
			cfg, err := proxy.ConfigFromEnv(getenv)
			if err != nil {
				msg, _ := json.Marshal(map[string]any{"error": map[string]string{"message": "the proxy is misconfigured: " + err.Error(), "type": "proxy_error"}})
				h = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
					w.Header().Set("Content-Type", "application/json")
					w.WriteHeader(http.StatusInternalServerError)
					w.Write(msg)
				})
				return
			}
			cfg.Client = fetch.NewClient().HTTPClient(fetch.RedirectModeFollow)
			cfg.TrustCFConnectingIP = true // Cloudflare sets it; clients cannot
			h = proxy.New(cfg)
		})
		h.ServeHTTP(w, r)
	}))
}

// getenv reads a Worker variable or secret; unset ones are "" (not "<undefined>").
func getenv(name string) string {
	v := cloudflare.GetBinding(name)
	if v.Type() != js.TypeString {
		return ""
	}
	return v.String()
}
