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
	"mime"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"regexp"
	"strconv"
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
	// GitHub Pages compresses what it serves itself; the local server sends pre-compressed files.
	if err := Compress(*out, stdout); err != nil {
		return err
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
	wasm, err := os.ReadFile(filepath.Join(web, "app.wasm"))
	if err != nil {
		return fmt.Errorf("generate: %w (build it with make wasm)", err)
	}
	if err := os.RemoveAll(out); err != nil {
		return fmt.Errorf("generate: %w", err)
	}
	hashed := WasmName(wasm)
	h := handler(prefix, version, hashed, int64(len(wasm)))
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
	if err := os.Rename(filepath.Join(out, "web", "app.wasm"), filepath.Join(out, "web", hashed)); err != nil {
		return fmt.Errorf("generate: %w", err)
	}
	return nil
}

// WasmName is the content-hashed name app.wasm is served under: "app-" and the first 12 hex digits
// of its SHA-256, so a browser may cache it for a year and still get every new build.
func WasmName(wasm []byte) string {
	sum := sha256.Sum256(wasm)
	return fmt.Sprintf("app-%x.wasm", sum[:6])
}

// SiteHandler serves a generated site as GitHub Pages does: files as they are, /view as
// /view.html, unknown paths as 404.html with status 404. prefix is the sub-path the site lives
// under ("" for the root). A file with a pre-compressed .br or .gz beside it (see Compress) is sent
// compressed to a browser that accepts it; content-hashed files may be cached for a year, the rest
// are revalidated on every use.
func SiteHandler(dir, prefix string) http.Handler {
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p := filepath.Clean("/" + r.URL.Path)
		status := http.StatusOK
		switch {
		case p == "/":
			p = "/index.html"
		case isFile(filepath.Join(dir, p)):
		case isFile(filepath.Join(dir, p+".html")):
			p += ".html"
		default:
			p, status = "/404.html", http.StatusNotFound
		}
		serveFile(w, r, dir, p, status)
	})
	if prefix == "" {
		return h
	}
	mux := http.NewServeMux()
	mux.Handle("/"+prefix+"/", http.StripPrefix("/"+prefix, h))
	return mux
}

// isFile says whether p is a regular file.
func isFile(p string) bool {
	st, err := os.Stat(p)
	return err == nil && st.Mode().IsRegular()
}

// hashedName matches the content-hashed wasm's name.
var hashedName = regexp.MustCompile(`^app-[0-9a-f]{12}\.wasm$`)

// serveFile sends dir/p (or its pre-compressed variant) with status.
func serveFile(w http.ResponseWriter, r *http.Request, dir, p string, status int) {
	name := filepath.Join(dir, p)
	hdr := w.Header()
	ctype := mime.TypeByExtension(filepath.Ext(p))
	if ctype == "" {
		ctype = "application/octet-stream"
	}
	hdr.Set("Content-Type", ctype)
	if hashedName.MatchString(filepath.Base(p)) {
		hdr.Set("Cache-Control", "public, max-age=31536000, immutable")
	} else {
		hdr.Set("Cache-Control", "no-cache")
	}
	if compressible[filepath.Ext(p)] {
		hdr.Add("Vary", "Accept-Encoding")
		if enc := acceptedEncoding(r.Header.Get("Accept-Encoding")); enc != "" {
			ext := map[string]string{"br": ".br", "gzip": ".gz"}[enc]
			if isFile(name + ext) {
				name = name + ext
				hdr.Set("Content-Encoding", enc)
			}
		}
	}
	f, err := os.Open(name)
	if err != nil {
		http.Error(w, "cannot read "+p, http.StatusInternalServerError)
		return
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		http.Error(w, "cannot read "+p, http.StatusInternalServerError)
		return
	}
	if status != http.StatusOK {
		hdr.Set("Content-Length", strconv.FormatInt(st.Size(), 10))
		w.WriteHeader(status)
		io.Copy(w, f)
		return
	}
	http.ServeContent(w, r, "", st.ModTime(), f)
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
