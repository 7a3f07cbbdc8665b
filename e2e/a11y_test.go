//go:build !(js && wasm)

package e2e

import (
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
)

var (
	axeOnce sync.Once
	axeJS   string
	axeErr  error
)

// axeSource is axe-core's script, installed from npm with e2e/package-lock.json (CI has npm;
// this never skips).
func axeSource(t *testing.T) string {
	t.Helper()
	axeOnce.Do(func() {
		p := filepath.Join("node_modules", "axe-core", "axe.min.js")
		if _, err := os.Stat(p); err != nil {
			cmd := exec.Command("npm", "ci", "--silent", "--no-audit", "--no-fund")
			if out, err := cmd.CombinedOutput(); err != nil {
				axeErr = err
				axeJS = string(out)
				return
			}
		}
		b, err := os.ReadFile(p)
		axeJS, axeErr = string(b), err
	})
	if axeErr != nil {
		t.Fatalf("axe-core could not be installed from npm (npm ci in e2e/): %v\n%s", axeErr, axeJS)
	}
	return axeJS
}

// axeViolation is one of axe-core's findings.
type axeViolation struct {
	ID     string `json:"id"`
	Impact string `json:"impact"`
	Help   string `json:"help"`
	Nodes  []struct {
		Target []any  `json:"target"`
		HTML   string `json:"html"`
	} `json:"nodes"`
}

// TestAccessibility runs axe-core on every view with a run loaded, in the light and the dark
// colour scheme: no serious or critical violations (WCAG 2.1 A and AA rules and best practices).
// The dark scheme's screenshots are kept (dark-*.png).
func TestAccessibility(t *testing.T) {
	for _, scheme := range []string{"light", "dark"} {
		t.Run(scheme, func(t *testing.T) { checkAccessibility(t, scheme) })
	}
}

// checkAccessibility is TestAccessibility in one colour scheme.
func checkAccessibility(t *testing.T, scheme string) {
	src := axeSource(t)
	ctx := browser(t)
	do(t, ctx, chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
		_, err := chromedp.Call(ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{
			Features: []*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: scheme}},
		})
		return err
	}))
	open(t, ctx, "/", "run")
	if dark := eval[bool](t, ctx, `getComputedStyle(document.body).backgroundColor === "rgb(22, 21, 20)"`); dark != (scheme == "dark") {
		t.Errorf("%s scheme: the page's background is %s", scheme, eval[string](t, ctx, `getComputedStyle(document.body).backgroundColor`))
	}
	setInput(t, ctx, "iterations", "30")
	click(t, ctx, "run")
	waitText(t, ctx, "stat-iterations", "30")
	eval[bool](t, ctx, src+";\ntrue")
	eachView(t, ctx, func(name string) {
		if name == "experiments" { // with its results on screen
			click(t, ctx, "exp-run")
			waitVisible(t, ctx, "exp-done")
		}
		if scheme == "dark" {
			screenshot(t, ctx, "dark-"+name)
		}
		fontsWarmed(t, ctx, name)
		for _, f := range runAxe(t, ctx, name, `{resultTypes: ["violations"]}`) {
			if f.Impact != "serious" && f.Impact != "critical" {
				continue
			}
			var where []string
			for i, n := range f.Nodes {
				if i == 3 {
					where = append(where, "…")
					break
				}
				where = append(where, strings.TrimSpace(truncate(n.HTML, 120)))
			}
			t.Errorf("%s: %s (%s, %d elements): %s", name, f.ID, f.Impact, len(f.Nodes), strings.Join(where, " | "))
		}
	})
}

// runAxe runs axe-core (loaded in the page) with the given options object on view name and returns
// its violations.
func runAxe(t *testing.T, ctx context.Context, name, options string) []axeViolation {
	t.Helper()
	raw := eval[string](t, ctx, `axe.run(document, `+options+`).then(r => JSON.stringify(r.violations))`)
	var found []axeViolation
	if err := json.Unmarshal([]byte(raw), &found); err != nil {
		t.Fatalf("%s: axe's answer: %v", name, err)
	}
	return found
}

// truncate shortens s to at most n bytes.
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}
