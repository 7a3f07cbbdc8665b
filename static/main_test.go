//go:build !(js && wasm)

package main

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	ui "hyperagents/app"
)

func init() { ui.Routes(ui.NewSession()) }

// fakeWeb makes a web directory with a stand-in app.wasm.
func fakeWeb(t *testing.T) string {
	t.Helper()
	web := t.TempDir()
	for name, body := range map[string]string{"app.wasm": "\x00asm fake", "app.css": "body{}", "icon.svg": "<svg/>", "icon-192.png": "png", "icon-512.png": "png"} {
		if err := os.WriteFile(filepath.Join(web, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return web
}

func TestGenerateWritesEveryView(t *testing.T) {
	web, out := fakeWeb(t), t.TempDir()
	if err := Generate(out, web, "", "v1"); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"index.html", "archive.html", "agent.html", "events.html", "experiments.html", "review.html", "404.html", "app-worker.js", "manifest.webmanifest", "web/app.wasm", "web/icon.svg"} {
		if _, err := os.Stat(filepath.Join(out, f)); err != nil {
			t.Errorf("missing %s: %v", f, err)
		}
	}
	worker, _ := os.ReadFile(filepath.Join(out, "app-worker.js"))
	for _, want := range []string{`"app-" + "v1"`, `"/archive"`, `"/web/icon.svg"`, "ignoreSearch"} {
		if !bytes.Contains(worker, []byte(want)) {
			t.Errorf("app-worker.js lacks %s", want)
		}
	}
	index, _ := os.ReadFile(filepath.Join(out, "archive.html"))
	if !bytes.Contains(index, []byte(`href="/archive"`)) {
		t.Error("prerendered page lacks its navigation links")
	}
}

func TestGenerateForGitHubPagesPrefixesLinks(t *testing.T) {
	web, out := fakeWeb(t), t.TempDir()
	if err := Generate(out, web, "repo", "v1"); err != nil {
		t.Fatal(err)
	}
	page, _ := os.ReadFile(filepath.Join(out, "events.html"))
	for _, want := range []string{`href="/repo/archive"`, `href="/repo/experiments"`, `/repo/web/app.css`} {
		if !bytes.Contains(page, []byte(want)) {
			t.Errorf("events.html lacks %s", want)
		}
	}
	if bytes.Contains(page, []byte(`href="/archive"`)) {
		t.Error("a link escapes the sub-path")
	}
	if bytes.Contains(page, []byte(`/repo/repo/`)) {
		t.Error("a link has the sub-path twice")
	}
}

func TestGenerateNeedsWasm(t *testing.T) {
	web := fakeWeb(t)
	os.Remove(filepath.Join(web, "app.wasm"))
	err := Generate(t.TempDir(), web, "", "v1")
	if err == nil || !strings.Contains(err.Error(), "make wasm") {
		t.Errorf("err = %v, want a hint to build app.wasm", err)
	}
}

func TestAppVersionFollowsContent(t *testing.T) {
	web := fakeWeb(t)
	a, err := AppVersion("v1", web)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := AppVersion("v1", web)
	if a != b || !strings.HasPrefix(a, "v1+") {
		t.Fatalf("versions %q, %q", a, b)
	}
	os.WriteFile(filepath.Join(web, "app.wasm"), []byte("\x00asm changed"), 0o644)
	if c, _ := AppVersion("v1", web); c == a {
		t.Error("version unchanged after app.wasm changed")
	}
	if _, err := AppVersion("v1", filepath.Join(web, "missing")); err == nil {
		t.Error("no error for a missing web directory")
	}
}

func TestSiteHandlerServesLikeGitHubPages(t *testing.T) {
	web, out := fakeWeb(t), t.TempDir()
	if err := Generate(out, web, "repo", "v1"); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(SiteHandler(out, "repo"))
	defer srv.Close()
	tests := []struct {
		path   string
		status int
		want   string
	}{
		{"/repo/", 200, "<html"},
		{"/repo/archive", 200, "<html"},
		{"/repo/agent?id=agent-003", 200, "<html"},
		{"/repo/web/app.wasm", 200, "asm fake"},
		{"/repo/nope", 404, "<html"},
		{"/archive", 404, ""},
	}
	for _, tt := range tests {
		res, err := http.Get(srv.URL + tt.path)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != tt.status || !strings.Contains(string(body), tt.want) {
			t.Errorf("GET %s: %d %.40q, want %d with %q", tt.path, res.StatusCode, body, tt.status, tt.want)
		}
	}
}

func TestRunRejectsBadFlags(t *testing.T) {
	var out bytes.Buffer
	if err := run(context.Background(), []string{"-bogus"}, &out); err == nil {
		t.Error("no error for an unknown flag")
	}
	if err := run(context.Background(), []string{"-web", filepath.Join(t.TempDir(), "none"), "-out", t.TempDir()}, &out); err == nil {
		t.Error("no error for a missing web directory")
	}
}
