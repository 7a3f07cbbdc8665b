//go:build !(js && wasm)

// Command static is the native side of the workbench: it writes the static site (for local serving
// and GitHub Pages) and serves it.
//
//	static -out dist [-prefix REPO] [-version V]          write the site
//	static -out dist -serve 127.0.0.1:8080                 write it, then serve it
//
// web/app.wasm must be built first (make wasm); it and the other web/ assets are copied into the site.
package main

import (
	"context"
	"crypto/sha256"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"strings"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	ui "hyperagents/app"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "static:", err)
		os.Exit(2)
	}
}

func run(ctx context.Context, args []string, stdout io.Writer) error {
	flags := flag.NewFlagSet("static", flag.ContinueOnError)
	out := flags.String("out", "dist", "directory to write the site to")
	web := flags.String("web", "web", "directory of the web assets (app.wasm, css, icons)")
	prefix := flags.String("prefix", "", "GitHub Pages sub-path (the repository name), empty to serve at /")
	version := flags.String("version", "dev", "app version label (git describe); a hash of the web assets is appended")
	serve := flags.String("serve", "", "after writing, serve the site on this address (e.g. 127.0.0.1:8080)")
	if err := flags.Parse(args); err != nil {
		return err
	}
	ui.Routes(ui.NewSession())
	v, err := AppVersion(*version, *web)
	if err != nil {
		return err
	}
	if err := Generate(*out, *web, strings.Trim(*prefix, "/"), v); err != nil {
		return err
	}
	if *serve == "" {
		return nil
	}
	ln, err := net.Listen("tcp", *serve)
	if err != nil {
		return fmt.Errorf("serve: %w", err)
	}
	p := strings.Trim(*prefix, "/")
	url := fmt.Sprintf("http://%s/", ln.Addr())
	if p != "" {
		url += p + "/"
	}
	fmt.Fprintf(stdout, "hyperagents workbench: %s\n", url)
	srv := &http.Server{Handler: SiteHandler(*out, p)}
	go func() {
		<-ctx.Done()
		srv.Close()
	}()
	if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// Generate writes the static site into out: one HTML page per view, the go-app runtime files, a
// 404.html for unknown URLs and a copy of the web assets. Routes must be registered first.
func Generate(out, web, prefix, version string) error {
	if _, err := os.Stat(filepath.Join(web, "app.wasm")); err != nil {
		return fmt.Errorf("generate: %w (build it with make wasm)", err)
	}
	if err := os.RemoveAll(out); err != nil {
		return fmt.Errorf("generate: %w", err)
	}
	h := handler(prefix, version)
	if err := app.GenerateStaticWebsite(out, h, ui.Pages...); err != nil {
		return fmt.Errorf("generate: %w", err)
	}
	index, err := os.ReadFile(filepath.Join(out, "index.html"))
	if err != nil {
		return fmt.Errorf("generate: %w", err)
	}
	// GitHub Pages answers unknown paths with 404.html: the same app, whose router shows NotFound.
	if err := os.WriteFile(filepath.Join(out, "404.html"), index, 0o644); err != nil {
		return fmt.Errorf("generate: %w", err)
	}
	if err := os.CopyFS(filepath.Join(out, "web"), os.DirFS(web)); err != nil {
		return fmt.Errorf("generate: copy web assets: %w", err)
	}
	return nil
}

// SiteHandler serves a generated site as GitHub Pages does: files as they are, /view as
// /view.html, unknown paths as 404.html with status 404. prefix is the sub-path the site lives
// under ("" for the root).
func SiteHandler(dir, prefix string) http.Handler {
	files := http.FileServer(http.Dir(dir))
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p := filepath.Clean("/" + r.URL.Path)
		if p == "/" {
			files.ServeHTTP(w, r)
			return
		}
		if st, err := os.Stat(filepath.Join(dir, p)); err == nil && !st.IsDir() {
			files.ServeHTTP(w, r)
			return
		}
		if _, err := os.Stat(filepath.Join(dir, p+".html")); err == nil {
			r2 := r.Clone(r.Context())
			r2.URL.Path = p + ".html"
			files.ServeHTTP(w, r2)
			return
		}
		b, err := os.ReadFile(filepath.Join(dir, "404.html"))
		if err != nil {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.WriteHeader(http.StatusNotFound)
		w.Write(b)
	})
	if prefix == "" {
		return h
	}
	mux := http.NewServeMux()
	mux.Handle("/"+prefix+"/", http.StripPrefix("/"+prefix, h))
	return mux
}

// AppVersion is the version the service worker keys its cache on: the label (from git describe)
// plus the first 12 hex digits of a SHA-256 over every file of the web directory (app.wasm, css,
// icons). It changes exactly when the code or an asset does, even between commits.
func AppVersion(label, web string) (string, error) {
	h := sha256.New()
	err := filepath.WalkDir(web, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(web, p)
		fmt.Fprintf(h, "%s %d\n", filepath.ToSlash(rel), len(b))
		h.Write(b)
		return nil
	})
	if err != nil {
		return "", fmt.Errorf("version: %w", err)
	}
	return fmt.Sprintf("%s+%x", label, h.Sum(nil)[:6]), nil
}
