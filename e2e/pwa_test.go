//go:build !(js && wasm)

package e2e

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestWorksOfflineAfterFirstLoad loads the site once, lets the service worker cache it, stops the
// server, and opens views (with query strings) again: the app must start from the cache.
func TestWorksOfflineAfterFirstLoad(t *testing.T) {
	stop, url, err := serveSite(t.TempDir(), "")
	if err != nil {
		t.Fatal(err)
	}
	defer stop()
	ctx := browser(t)
	do(t, ctx, chromedp.Navigate(url+"/"))
	waitJS(t, ctx, "app ready", `document.body && document.body.dataset.appReady === "1"`)
	waitJS(t, ctx, "service worker in control", `navigator.serviceWorker.controller !== null`)
	waitAsync(t, ctx, "app cached", `caches.keys().then(ks => ks.length === 1 && ks[0].startsWith("app-"))`)
	waitAsync(t, ctx, "every page and asset cached", `caches.keys().then(ks => caches.open(ks[0])).then(c => c.keys()).then(rs => {
		const paths = rs.map(r => new URL(r.url).pathname);
		return ["/", "/archive", "/agent", "/events", "/experiments", "/review", "/runs", "/web/storage.js", "/web/loader.js", "/web/app.css", "/web/icon.svg"].every(p => paths.includes(p)) &&
			paths.some(p => /^\/web\/app-[0-9a-f]{12}\.wasm$/.test(p));
	})`)

	manifest := eval[string](t, ctx, `fetch("/manifest.webmanifest").then(r => r.text())`)
	if !strings.Contains(manifest, `"/web/icon-192.png"`) || strings.Contains(manifest, "http") {
		t.Errorf("manifest icons should be local: %s", manifest)
	}
	version := eval[string](t, ctx, `caches.keys().then(ks => ks[0])`)
	if !strings.Contains(version, "+") {
		t.Errorf("cache %q is not keyed on the content version", version)
	}

	stop()
	for _, p := range []struct{ path, ready string }{
		{"/", "run"}, {"/archive?sort=test&desc=1", "archive-table"}, {"/agent?id=agent-000", "agent-title"}, {"/runs", "runs-summary"}, {"/experiments", "exp-run"},
	} {
		do(t, ctx, chromedp.Navigate(url+p.path))
		waitJS(t, ctx, "offline app ready on "+p.path, `document.body && document.body.dataset.appReady === "1"`)
		waitVisible(t, ctx, p.ready)
	}
	setInput(t, ctx, "exp-iterations", "10")
	click(t, ctx, "exp-run")
	waitVisible(t, ctx, "exp-done")
}
