//go:build !(js && wasm)

package main

import (
	"strings"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	ui "hyperagents/app"
)

// handler describes the workbench page and its PWA manifest. prefix is the site's sub-path on
// GitHub Pages ("" when served at the root); version changes exactly when the code does, so the
// service worker updates then and only then.
func handler(prefix, version string) *app.Handler {
	h := &app.Handler{
		Name:            "hyperagents workbench",
		ShortName:       "hyperagents",
		Title:           "hyperagents — evolve self-improving review agents",
		Description:     "A browser-only workbench for hyperagents: task and meta policies that evolve, archives, ablations.",
		Lang:            "en",
		BackgroundColor: "#faf8f5",
		ThemeColor:      "#b8582f",
		LoadingLabel:    "Loading the workbench… {progress}%",
		Icon: app.Icon{
			Default: "/web/icon-192.png",
			Large:   "/web/icon-512.png",
			SVG:     "/web/icon.svg",
		},
		Styles:  []string{"/web/app.css"},
		Scripts: []string{"/web/storage.js"},
		Version: version,
		// Every view's page, so any URL of the workbench opens offline after the first visit.
		CacheableResources:    append([]string{"/web/icon.svg"}, ui.Pages[1:]...),
		ServiceWorkerTemplate: serviceWorker,
	}
	if prefix != "" {
		h.Resources = app.GitHubPages(prefix)
	}
	return h
}

// serviceWorker is go-app's worker with two changes for offline use: a page is found in the cache
// whatever its query string (/agent?id=agent-012 is the cached /agent), and a page missing from
// the cache while offline gets the cached root page, since every page is the same app.
var serviceWorker = mustReplace(app.DefaultAppWorkerJS,
	"const cachedResponse = await caches.match(request);",
	`const cachedResponse = await caches.match(request, { ignoreSearch: request.mode === "navigate" });`,
	"  return await fetch(request);\n}",
	`  try {
    return await fetch(request);
  } catch (err) {
    if (request.mode === "navigate") {
      const scope = self.registration.scope;
      const root = (await caches.match(scope)) || (await caches.match(scope.replace(/\/$/, "")));
      if (root) {
        return root;
      }
    }
    throw err;
  }
}`)

// mustReplace replaces each old string of pairs (old, new, old, new…) exactly once, and panics if
// one is missing: a go-app upgrade that changes its worker must fail loudly, not go offline-blind.
func mustReplace(s string, pairs ...string) string {
	for i := 0; i+1 < len(pairs); i += 2 {
		if strings.Count(s, pairs[i]) != 1 {
			panic("static: go-app's service worker changed; cannot find " + pairs[i])
		}
		s = strings.Replace(s, pairs[i], pairs[i+1], 1)
	}
	return s
}
