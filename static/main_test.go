//go:build !(js && wasm)

package main

import (
	"bytes"
	"compress/gzip"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/andybalholm/brotli"

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
	for _, f := range []string{"index.html", "archive.html", "agent.html", "events.html", "experiments.html", "review.html", "404.html", "app-worker.js", "manifest.webmanifest", "web/" + WasmName([]byte("\x00asm fake")), "web/icon.svg"} {
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
	if !bytes.Contains(index, []byte(`<title>Archive · hyperagents workbench</title>`)) {
		t.Error("archive.html does not carry its own title")
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
		{"/repo/web/" + WasmName([]byte("\x00asm fake")), 200, "asm fake"},
		{"/repo/web/app.wasm", 404, "<html"},
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

func TestCompressedResponses(t *testing.T) {
	web, out := fakeWeb(t), t.TempDir()
	wasm := bytes.Repeat([]byte("\x00asm fake module "), 4096)
	if err := os.WriteFile(filepath.Join(web, "app.wasm"), wasm, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := Generate(out, web, "", "v1"); err != nil {
		t.Fatal(err)
	}
	var log bytes.Buffer
	if err := Compress(out, &log); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(log.String(), "brotli") {
		t.Errorf("Compress said %q", log.String())
	}
	appJS, _ := os.ReadFile(filepath.Join(out, "app.js"))
	name := WasmName(wasm)
	if !bytes.Contains(appJS, []byte("/web/"+name)) {
		t.Fatalf("app.js does not load %s", name)
	}
	if !bytes.Contains(appJS, []byte(`goappWasmContentLength = "`+strconv.Itoa(len(wasm))+`"`)) {
		t.Error("app.js does not know app.wasm's uncompressed length (the loading bar needs it)")
	}
	srv := httptest.NewServer(SiteHandler(out, ""))
	defer srv.Close()
	// A transport that does not decompress, so the test sees what the server sent.
	client := &http.Client{Transport: &http.Transport{DisableCompression: true}}
	tests := []struct {
		path, accept, encoding, cache string
	}{
		{"/web/" + name, "gzip, deflate, br", "br", "immutable"},
		{"/web/" + name, "gzip", "gzip", "immutable"},
		{"/web/" + name, "br;q=0, gzip", "gzip", "immutable"},
		{"/web/" + name, "", "", "immutable"},
		{"/", "br", "br", "no-cache"},
		{"/archive", "gzip", "gzip", "no-cache"},
		{"/web/icon-192.png", "br", "", "no-cache"},
	}
	for _, tt := range tests {
		req, _ := http.NewRequest("GET", srv.URL+tt.path, nil)
		if tt.accept != "" {
			req.Header.Set("Accept-Encoding", tt.accept)
		}
		res, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if got := res.Header.Get("Content-Encoding"); got != tt.encoding {
			t.Errorf("GET %s (Accept-Encoding %q): Content-Encoding %q, want %q", tt.path, tt.accept, got, tt.encoding)
		}
		if got := res.Header.Get("Cache-Control"); !strings.Contains(got, tt.cache) {
			t.Errorf("GET %s: Cache-Control %q, want %q", tt.path, got, tt.cache)
		}
		var plain []byte
		switch tt.encoding {
		case "br":
			plain, err = io.ReadAll(brotli.NewReader(bytes.NewReader(body)))
		case "gzip":
			zr, zerr := gzip.NewReader(bytes.NewReader(body))
			if zerr != nil {
				t.Fatalf("GET %s: %v", tt.path, zerr)
			}
			plain, err = io.ReadAll(zr)
		default:
			plain = body
		}
		if err != nil {
			t.Fatalf("GET %s: decode %s: %v", tt.path, tt.encoding, err)
		}
		if strings.HasSuffix(tt.path, ".wasm") {
			if !bytes.Equal(plain, wasm) {
				t.Errorf("GET %s (%s): the decoded body is not app.wasm", tt.path, tt.encoding)
			}
			if ct := res.Header.Get("Content-Type"); ct != "application/wasm" {
				t.Errorf("GET %s: Content-Type %q", tt.path, ct)
			}
			if !strings.Contains(res.Header.Get("Vary"), "Accept-Encoding") {
				t.Errorf("GET %s: no Vary: Accept-Encoding", tt.path)
			}
		}
		if tt.path == "/" && !bytes.Contains(plain, []byte("<html")) {
			t.Errorf("GET / decoded to %.40q", plain)
		}
	}
}

func TestAcceptedEncoding(t *testing.T) {
	for header, want := range map[string]string{
		"": "", "identity": "", "gzip": "gzip", "br": "br", "gzip, deflate, br, zstd": "br",
		"br;q=0, gzip;q=0.5": "gzip", "BR": "br", "gzip;q=0": "", "deflate": "",
	} {
		if got := acceptedEncoding(header); got != want {
			t.Errorf("acceptedEncoding(%q) = %q, want %q", header, got, want)
		}
	}
}
