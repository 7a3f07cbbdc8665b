//go:build !(js && wasm)

package e2e

import (
	"context"
	"encoding/json"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/tracing"
	"github.com/chromedp/chromedp"
)

// TestReturningVisitUsesCompiledCode opens the workbench three times in one profile (three
// browsers, one after the other) and checks with Chromium's trace that the browser keeps
// app.wasm's compiled code (V8 writes it: wasm.SerializeModule) and that a later visit starts from
// it (wasm.GetNativeModuleFromCache) instead of compiling 22 MB again and running unoptimised code.
// The first visit's code goes with the download; the second visit is served by the service
// worker, whose copy gets its code then; the third starts from it. Without web/codecache.js
// Chromium never writes the code, because go-app compiles a response it made up.
func TestReturningVisitUsesCompiledCode(t *testing.T) {
	dir := t.TempDir()
	for visit := 1; visit <= 3; visit++ {
		ctx, cancel := context.WithCancel(browserIn(t, 4*time.Minute, dir))
		tr := startTrace(t, ctx)
		open(t, ctx, "/", "run")
		if visit == 3 {
			if n := tr.stop(t)["wasm.GetNativeModuleFromCache"]; n == 0 {
				t.Errorf("visit 3: the page compiled app.wasm again instead of using the code kept from an earlier visit")
			}
		} else {
			// Run long enough for Chromium to optimise the hot code, then wait for it to keep it.
			savedRunMS(t, ctx, 2000)
			kept := false
			for try := 0; try < 10 && !kept; try++ {
				time.Sleep(3 * time.Second)
				kept = tr.stop(t)["wasm.SerializeModule"] > 0
				if !kept {
					tr = startTrace(t, ctx)
				}
			}
			if !kept {
				t.Fatalf("visit %d: Chromium did not keep app.wasm's compiled code within 30 s of a run", visit)
			}
		}
		// Leave the page and give the browser a moment to write its caches before it exits.
		do(t, ctx, chromedp.Navigate("about:blank"))
		time.Sleep(2 * time.Second)
		chromedp.Cancel(ctx)
		cancel()
	}
}

// trace is a recording of Chromium's "v8.wasm" trace events of one page.
type trace struct {
	ctx   context.Context
	mu    sync.Mutex
	names map[string]int
	done  chan struct{}
}

// startTrace starts recording.
func startTrace(t testing.TB, ctx context.Context) *trace {
	t.Helper()
	tr := &trace{ctx: ctx, names: map[string]int{}, done: make(chan struct{})}
	lctx, stop := context.WithCancel(ctx)
	chromedp.Listen(lctx, func(ev any) {
		switch e := ev.(type) {
		case *tracing.EventDataCollected:
			tr.mu.Lock()
			defer tr.mu.Unlock()
			for _, v := range e.Value {
				var x struct {
					Name string `json:"name"`
				}
				if json.Unmarshal(v, &x) == nil {
					tr.names[x.Name]++
				}
			}
		case *tracing.EventTracingComplete:
			stop()
			close(tr.done)
		}
	})
	_, err := chromedp.Call(ctx, tracing.Start, tracing.StartParams{TraceConfig: &tracing.TraceConfig{IncludedCategories: []string{"v8.wasm"}}})
	if err != nil {
		t.Fatalf("start tracing: %v", err)
	}
	return tr
}

// stop ends the recording and returns how often each event was seen.
func (tr *trace) stop(t testing.TB) map[string]int {
	t.Helper()
	if _, err := chromedp.Call(tr.ctx, tracing.End, struct{}{}); err != nil {
		t.Fatalf("end tracing: %v", err)
	}
	select {
	case <-tr.done:
	case <-time.After(30 * time.Second):
		t.Fatal("the trace did not complete within 30 s")
	}
	tr.mu.Lock()
	defer tr.mu.Unlock()
	return tr.names
}
