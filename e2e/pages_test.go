//go:build !(js && wasm)

package e2e

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestGitHubPagesSubPath serves the Pages build under /hyperagents/ as GitHub Pages does and
// checks that the app starts there, its links keep the sub-path, and deep links load.
func TestGitHubPagesSubPath(t *testing.T) {
	stop, url, err := serveSite(t.TempDir(), "hyperagents")
	if err != nil {
		t.Fatal(err)
	}
	defer stop()
	if !strings.HasSuffix(url, "/hyperagents") {
		t.Fatalf("pages site served at %s", url)
	}
	ctx := browser(t)
	visit := func(p, ready string) {
		t.Helper()
		do(t, ctx, chromedp.Navigate(url+p))
		waitJS(t, ctx, "app ready on "+p, `document.body && document.body.dataset.appReady === "1"`)
		waitVisible(t, ctx, ready)
	}
	visit("/", "run")
	for id, want := range map[string]string{"nav-overview": "/hyperagents/", "nav-archive": "/hyperagents/archive", "nav-experiments": "/hyperagents/experiments"} {
		if h := eval[string](t, ctx, `document.getElementById("`+id+`").getAttribute("href")`); h != want {
			t.Errorf("#%s links to %q, want %q", id, h, want)
		}
	}
	setInput(t, ctx, "iterations", "5")
	click(t, ctx, "run")
	waitText(t, ctx, "stat-iterations", "5")
	click(t, ctx, "nav-archive")
	waitVisible(t, ctx, "archive-table")
	if p := path(t, ctx); p != "/hyperagents/archive" {
		t.Errorf("archive at %s", p)
	}
	if n := count(t, ctx, "#archive-table tbody tr"); n != 6 {
		t.Errorf("archive has %d rows, want 6", n)
	}
	eval[bool](t, ctx, `(() => { document.querySelector("#row-agent-003 td a").click(); return true })()`)
	waitText(t, ctx, "agent-title", "Agent agent-003")
	if p := path(t, ctx); p != "/hyperagents/agent?id=agent-003" {
		t.Errorf("agent at %s", p)
	}
	screenshot(t, ctx, "pages-agent")
	visit("/agent?id=agent-000", "agent-title")
	visit("/experiments", "exp-run")
	visit("/no-such-view", "back-home")
	if h := eval[string](t, ctx, `document.getElementById("back-home").getAttribute("href")`); h != "/hyperagents/" {
		t.Errorf("not-found's way back links to %q", h)
	}
	click(t, ctx, "back-home")
	waitVisible(t, ctx, "run")
}
