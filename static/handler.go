//go:build !(js && wasm)

package main

import (
	"github.com/maxence-charriere/go-app/v10/pkg/app"
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
		Version: version,
	}
	if prefix != "" {
		h.Resources = app.GitHubPages(prefix)
	}
	return h
}
