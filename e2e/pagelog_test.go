//go:build !(js && wasm)

package e2e

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

// pageLogKeep is how many of a page's last console messages and exceptions a failed test prints.
const pageLogKeep = 40

// pageLog keeps the last console messages and uncaught exceptions of a browser's pages, so a
// failed test says what the page said (a Go panic in the WebAssembly, a failed save) and not
// only what it did not show.
type pageLog struct {
	mu    sync.Mutex
	lines []string
}

// watchPage records ctx's console and exceptions from now on, and prints them when t fails.
func watchPage(t testing.TB, ctx context.Context) {
	t.Helper()
	l := &pageLog{}
	if err := chromedp.Listen(ctx, l.add); err != nil {
		t.Fatalf("listening to the page's console: %v", err)
	}
	t.Cleanup(func() {
		if !t.Failed() {
			return
		}
		l.mu.Lock()
		defer l.mu.Unlock()
		if len(l.lines) == 0 {
			t.Log("the page's console: nothing")
			return
		}
		t.Logf("the page's console, last %d:\n%s", len(l.lines), strings.Join(l.lines, "\n"))
	})
}

// add records one event if it is a console message or an uncaught exception.
func (l *pageLog) add(ev any) {
	var line string
	switch e := ev.(type) {
	case *runtime.EventConsoleAPICalled:
		args := make([]string, 0, len(e.Args))
		for _, a := range e.Args {
			if a.Value != nil {
				args = append(args, strings.Trim(string(a.Value), `"`))
			} else {
				args = append(args, a.Description)
			}
		}
		line = fmt.Sprintf("console.%s: %s", e.Type, strings.Join(args, " "))
	case *runtime.EventExceptionThrown:
		d := e.ExceptionDetails
		line = "exception: " + d.Text
		if d.Exception != nil && d.Exception.Description != "" {
			line += " " + d.Exception.Description
		}
	default:
		return
	}
	if len(line) > 600 {
		line = line[:600] + "…"
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	l.lines = append(l.lines, line)
	if len(l.lines) > pageLogKeep {
		l.lines = l.lines[len(l.lines)-pageLogKeep:]
	}
}

// shown returns, for a failure's message, the text of every error message the page shows and
// the start of the main region's text.
func shown(ctx context.Context) string {
	got, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`(() => {
		const errs = [...document.querySelectorAll(".error")].filter(e => e.getClientRects().length).map(e => e.textContent);
		const main = (document.getElementById("main") || document.body || {}).innerText || "";
		return "errors shown: " + JSON.stringify(errs) + "; the page reads: " + JSON.stringify(main.slice(0, 800));
	})()`))
	return got
}
