//go:build !(js && wasm)

package main

import (
	"strconv"
	"strings"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	ui "hyperagents/app"
)

// handler describes the workbench page and its PWA manifest. prefix is the site's sub-path on
// GitHub Pages ("" when served at the root); version changes exactly when the code does, so the
// service worker updates then and only then. wasm is the content-hashed name the page loads
// app.wasm under ("app-1a2b3c4d5e6f.wasm") and wasmSize its uncompressed length, which the loading
// bar needs because a compressed response's Content-Length is not the bytes the page counts.
func handler(prefix, version, wasm string, wasmSize int64) *app.Handler {
	h := &app.Handler{
		Name:              "hyperagents workbench",
		ShortName:         "hyperagents",
		Title:             "hyperagents — evolve self-improving review agents",
		Description:       "A browser-only workbench for hyperagents: task and meta policies that evolve, archives, ablations.",
		Lang:              "en",
		BackgroundColor:   "#faf8f5",
		ThemeColor:        "#b8582f",
		LoadingLabel:      "Loading the workbench… {progress}%", // web/loader.js shows it as a bar and MB
		WasmContentLength: strconv.FormatInt(wasmSize, 10),
		Icon: app.Icon{
			Default: "/web/icon-192.png",
			Large:   "/web/icon-512.png",
			SVG:     "/web/icon.svg",
		},
		Styles:  []string{"/web/app.css"},
		Scripts: []string{"/web/codecache.js", "/web/storage.js", "/web/loader.js defer"},
		Version: version,
		// Every view's page, so any URL of the workbench opens offline after the first visit.
		CacheableResources:    append([]string{"/web/icon.svg"}, ui.Pages[1:]...),
		ServiceWorkerTemplate: serviceWorker,
	}
	var base app.ResourceResolver = app.LocalDir("")
	if prefix != "" {
		base = app.GitHubPages(prefix)
	}
	h.Resources = hashedWasm{ResourceResolver: base, name: wasm}
	return h
}

// hashedWasm resolves /web/app.wasm to its content-hashed copy, so a browser may keep it for a
// year: a new build has a new name. Every other resource resolves as base does.
type hashedWasm struct {
	app.ResourceResolver
	name string
}

// Resolve implements app.ResourceResolver.
func (h hashedWasm) Resolve(location string) string {
	if location == "/web/app.wasm" && h.name != "" {
		location = "/web/" + h.name
	}
	return h.ResourceResolver.Resolve(location)
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
