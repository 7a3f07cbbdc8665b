//go:build js && wasm

// Command worker is the LLM proxy as a Cloudflare Worker (make worker; deploy with wrangler from
// this directory). Set the key with `wrangler secret put OPENAI_API_KEY` and the other variables
// (proxy.ConfigFromEnv) in wrangler.jsonc.
package main

import (
	"net/http"
	"sync"

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
			cfg, err := proxy.ConfigFromEnv(cloudflare.Getenv)
			if err != nil {
				h = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
					http.Error(w, `{"error":{"message":"the proxy is misconfigured","type":"proxy_error"}}`, http.StatusInternalServerError)
				})
				return
			}
			cfg.Client = fetch.NewClient().HTTPClient(fetch.RedirectModeFollow)
			h = proxy.New(cfg)
		})
		h.ServeHTTP(w, r)
	}))
}
