//go:build !(js && wasm)

// Package e2e drives the workbench in headless Chromium: it builds web/app.wasm and the static
// site, serves it with the same server `make run` uses, and checks what a person would see.
package e2e

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

const chromiumPath = "/usr/bin/chromium"

var (
	siteURL  string // the served site, without a trailing slash
	shotsDir string // where screenshots go (e2e/screenshots, kept for people to look at)
)

func TestMain(m *testing.M) {
	os.Exit(run(m))
}

func run(m *testing.M) int {
	if _, err := os.Stat(chromiumPath); err != nil {
		// Never a skip: a suite that passes without its browser tests proves nothing.
		fmt.Fprintln(os.Stderr, "e2e: Chromium is missing (apt-get install -y chromium, as .ci/run does):", err)
		return 1
	}
	tmp, err := os.MkdirTemp("", "hyperagents-e2e-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer os.RemoveAll(tmp)
	if err := buildSite(tmp); err != nil {
		fmt.Fprintln(os.Stderr, "e2e:", err)
		return 1
	}
	stop, url, err := serveSite(tmp, "")
	if err != nil {
		fmt.Fprintln(os.Stderr, "e2e:", err)
		return 1
	}
	defer stop()
	siteURL = url
	shotsDir = filepath.Join("screenshots")
	os.MkdirAll(shotsDir, 0o755)
	return m.Run()
}

var (
	webDir    string // web assets with the freshly built app.wasm
	staticBin string // the static site generator and server
)

// buildSite builds app.wasm (into a copy of web/) and the static server, once for all tests.
func buildSite(tmp string) error {
	webDir, staticBin = filepath.Join(tmp, "web"), filepath.Join(tmp, "static")
	if err := os.CopyFS(webDir, os.DirFS(filepath.Join("..", "web"))); err != nil && !os.IsExist(err) {
		return fmt.Errorf("copy web: %w", err)
	}
	// The same build as `make wasm`, so the figures of the browser benchmark are the shipped ones.
	build := exec.Command("go", "build", "-trimpath", "-ldflags=-s -w", "-o", filepath.Join(webDir, "app.wasm"), "./wasm")
	build.Dir = ".."
	build.Env = append(os.Environ(), "GOOS=js", "GOARCH=wasm")
	if out, err := build.CombinedOutput(); err != nil {
		return fmt.Errorf("build wasm: %v\n%s", err, out)
	}
	build = exec.Command("go", "build", "-o", staticBin, "./static")
	build.Dir = ".."
	if out, err := build.CombinedOutput(); err != nil {
		return fmt.Errorf("build static: %v\n%s", err, out)
	}
	return nil
}

// serveSite generates the site under prefix into tmp and serves it on a free loopback port with
// the server `make run` uses. It returns the site's URL.
func serveSite(tmp, prefix string) (stop func(), url string, err error) {
	web, bin := webDir, staticBin
	args := []string{"-out", filepath.Join(tmp, "dist"+prefix), "-web", web, "-version", "e2e", "-serve", "127.0.0.1:0"}
	if prefix != "" {
		args = append(args, "-prefix", prefix)
	}
	srv := exec.Command(bin, args...)
	out, err := srv.StdoutPipe()
	if err != nil {
		return nil, "", err
	}
	srv.Stderr = os.Stderr
	if err := srv.Start(); err != nil {
		return nil, "", err
	}
	stop = func() { srv.Process.Kill(); srv.Wait() }
	// It says what it does (compressing…) and then the URL it serves on.
	lines := bufio.NewReader(out)
	for {
		line, err := lines.ReadString('\n')
		if err != nil {
			stop()
			return nil, "", fmt.Errorf("static server printed no URL: %w", err)
		}
		if i := strings.Index(line, "http://"); i >= 0 {
			go io.Copy(io.Discard, lines)
			return stop, strings.TrimRight(strings.TrimSpace(line[i:]), "/"), nil
		}
	}
}

// browser starts a fresh headless Chromium (new profile) and returns its context, which ends after
// two minutes.
func browser(t testing.TB) context.Context { return browserFor(t, 2*time.Minute) }

// browserFor is browser with another time limit.
func browserFor(t testing.TB, limit time.Duration) context.Context {
	t.Helper()
	return browserIn(t, limit, "")
}

// browserIn is browserFor with the browser's profile in dir, which outlives the browser: a second
// browser started in the same dir is a returning visitor ("" is a fresh profile).
func browserIn(t testing.TB, limit time.Duration, dir string) context.Context {
	t.Helper()
	profile := func() string {
		if dir != "" {
			return dir
		}
		return t.TempDir()
	}
	options := func() []chromedp.ExecAllocatorOption {
		return []chromedp.ExecAllocatorOption{
			chromedp.ExecPath(chromiumPath),
			chromedp.Headless,
			chromedp.NoSandbox,
			chromedp.Flag("disable-gpu", true),
			chromedp.Flag("disable-quic", true),
			chromedp.Flag("no-first-run", true),
			chromedp.Flag("disable-background-networking", true),
			chromedp.Flag("disable-component-update", true),
			chromedp.Flag("disable-sync", true),
			chromedp.UserDataDir(profile()),
			chromedp.WindowSize(1280, 900),
		}
	}
	// Chromium on a loaded machine now and then exits before it listens (chromedp then says
	// "chrome failed to start"); such a start is tried again, twice at most (with a new profile
	// unless dir is given).
	for attempt := 1; ; attempt++ {
		actx, cancel := chromedp.NewExecAllocator(context.Background(), options()...)
		ctx, cancel2 := chromedp.NewContext(actx)
		_, err := chromedp.Run(ctx, chromedp.Navigate("about:blank"))
		if err != nil && strings.Contains(err.Error(), "chrome failed to start") && attempt < 3 {
			t.Logf("Chromium did not start (attempt %d), trying again: %v", attempt, err)
			cancel2()
			cancel()
			continue
		}
		t.Cleanup(cancel)
		t.Cleanup(cancel2)
		if err != nil {
			t.Fatalf("starting Chromium: %v", err)
		}
		watchPage(t, ctx)
		ctx, cancel3 := context.WithTimeout(ctx, limit)
		t.Cleanup(cancel3)
		return ctx
	}
}

// do runs actions or fails the test.
func do(t testing.TB, ctx context.Context, actions ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	if err := chromedp.Do(ctx, actions...); err != nil {
		t.Fatal(err)
	}
}

// text reads an element's text. It reads through JavaScript rather than DOM node ids, which go-app's
// re-rendering can invalidate between the lookup and the read.
func text(t testing.TB, ctx context.Context, id string) string {
	t.Helper()
	s, err := chromedp.Run(ctx, chromedp.Evaluate[string](fmt.Sprintf(`(() => { const e = document.getElementById(%q); return e ? e.innerText : "<missing>" })()`, id)))
	if err != nil {
		t.Fatalf("text of #%s: %v", id, err)
	}
	return strings.TrimSpace(s)
}

// waitVisible waits until element id is rendered and visible.
func waitVisible(t testing.TB, ctx context.Context, id string) {
	t.Helper()
	js := fmt.Sprintf(`(() => { const e = document.getElementById(%q); return !!e && e.getClientRects().length > 0 })()`, id)
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](js, chromedp.WithPollingTimeout(30*time.Second))); err != nil {
		t.Fatalf("#%s never became visible: %v (%s)", id, err, shown(ctx))
	}
}

// click clicks element id, as a person's click does: a click event on the element.
func click(t testing.TB, ctx context.Context, id string) {
	t.Helper()
	waitVisible(t, ctx, id)
	js := fmt.Sprintf(`(() => { document.getElementById(%q).click(); return true })()`, id)
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](js)); err != nil {
		t.Fatalf("click #%s: %v", id, err)
	}
}

// waitText waits until element id shows want.
func waitText(t testing.TB, ctx context.Context, id, want string) {
	t.Helper()
	js := fmt.Sprintf(`(document.getElementById(%q)||{}).textContent === %q`, id, want)
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](js, chromedp.WithPollingTimeout(60*time.Second))); err != nil {
		t.Fatalf("#%s never showed %q (shows %q): %v", id, want, text(t, ctx, id), err)
	}
}

// setInput types a value into a text input as a person would (go-app listens to input events).
func setInput(t testing.TB, ctx context.Context, id, value string) {
	t.Helper()
	js := fmt.Sprintf(`(() => { const e = document.getElementById(%q); e.value = %q; e.dispatchEvent(new Event("input", {bubbles: true})); return true })()`, id, value)
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](js)); err != nil {
		t.Fatalf("set #%s: %v", id, err)
	}
}

// screenshot saves a full-page PNG under e2e/screenshots.
func screenshot(t testing.TB, ctx context.Context, name string) {
	t.Helper()
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatalf("screenshot %s: %v", name, err)
	}
	if err := os.WriteFile(filepath.Join(shotsDir, name+".png"), png, 0o644); err != nil {
		t.Fatal(err)
	}
}

// open navigates to path and waits for the app to render the given element.
func open(t testing.TB, ctx context.Context, path, readyID string) {
	t.Helper()
	do(t, ctx, chromedp.Navigate(siteURL+path))
	js := `document.body && document.body.dataset.appReady === "1"`
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](js, chromedp.WithPollingTimeout(60*time.Second))); err != nil {
		t.Fatalf("the app never started on %s: %v", path, err)
	}
	waitVisible(t, ctx, readyID)
}

// reload reloads the page and waits until the app has started again.
func reload(t testing.TB, ctx context.Context) {
	t.Helper()
	do(t, ctx, chromedp.Reload())
	waitJS(t, ctx, "ready after reload", `document.body && document.body.dataset.appReady === "1"`)
}

// eval evaluates a JavaScript expression in the page, awaiting it if it is a promise.
func eval[T any](t testing.TB, ctx context.Context, js string) T {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](js, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("eval %s: %v", js, err)
	}
	return v
}

// count is the number of elements matching a CSS selector.
func count(t testing.TB, ctx context.Context, selector string) int {
	t.Helper()
	return eval[int](t, ctx, fmt.Sprintf(`document.querySelectorAll(%q).length`, selector))
}

// waitJS waits until a JavaScript expression is true.
func waitJS(t testing.TB, ctx context.Context, what, js string) {
	t.Helper()
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](js, chromedp.WithPollingTimeout(60*time.Second))); err != nil {
		t.Fatalf("never %s: %v", what, err)
	}
}

// waitAsync waits until an expression that may be a promise resolves to true.
func waitAsync(t testing.TB, ctx context.Context, what, js string) {
	t.Helper()
	poll := fmt.Sprintf(`new Promise((resolve, reject) => {
		const t0 = performance.now();
		const tick = async () => {
			let ok = false;
			try { ok = await (%s); } catch (e) {}
			if (ok) return resolve(true);
			if (performance.now() - t0 > 60000) return reject(new Error("timeout"));
			setTimeout(tick, 50);
		};
		tick();
	})`, js)
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](poll, chromedp.EvalAwaitPromise)); err != nil {
		t.Fatalf("never %s: %v", what, err)
	}
}

// setSelect picks an option of a select element and fires its change event.
func setSelect(t testing.TB, ctx context.Context, id, value string) {
	t.Helper()
	js := fmt.Sprintf(`(() => { const e = document.getElementById(%q); e.value = %q; e.dispatchEvent(new Event("change", {bubbles: true})); return e.value === %q })()`, id, value, value)
	if !eval[bool](t, ctx, js) {
		t.Fatalf("#%s has no option %q", id, value)
	}
}

// path is the page's current path and query.
func path(t testing.TB, ctx context.Context) string {
	t.Helper()
	return eval[string](t, ctx, `location.pathname + location.search`)
}

// savedRunMS resets the overview's run, runs n iterations (saved unless saving was turned off) and
// returns the milliseconds from the click to the last iteration shown.
func savedRunMS(t testing.TB, ctx context.Context, n int) float64 {
	t.Helper()
	click(t, ctx, "reset")
	waitText(t, ctx, "stat-iterations", "0")
	setInput(t, ctx, "iterations", strconv.Itoa(n))
	return eval[float64](t, ctx, `new Promise(resolve => {
		const t0 = performance.now();
		document.getElementById("run").click();
		const tick = () => document.getElementById("stat-iterations").textContent === "`+strconv.Itoa(n)+`" ? resolve(performance.now() - t0) : setTimeout(tick, 5);
		tick();
	})`)
}
