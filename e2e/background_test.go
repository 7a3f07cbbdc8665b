//go:build !(js && wasm)

package e2e

import (
	"testing"
	"time"
)

// TestRunIgnoresTimerThrottling checks that a run does not depend on timers: browsers throttle
// timers in background tabs to one a second, and headless Chromium never hides a tab, so the test
// throttles every timer of the page to ≥ 1 s itself and checks the run still advances quickly.
func TestRunIgnoresTimerThrottling(t *testing.T) {
	ctx := browser(t)
	open(t, ctx, "/", "run")
	eval[bool](t, ctx, `(() => {
		const orig = window.setTimeout;
		window.setTimeout = (f, d, ...a) => orig(f, Math.max(d || 0, 1000), ...a);
		return true;
	})()`)
	click(t, ctx, "save-runs") // the engine alone: saving costs far more than stepping
	setInput(t, ctx, "iterations", "100000")
	click(t, ctx, "run")
	waitVisible(t, ctx, "progress")
	iters := func() int { return eval[int](t, ctx, `document.getElementById("progress").value`) }
	a := iters()
	time.Sleep(2 * time.Second)
	b := iters()
	t.Logf("with timers throttled to 1 s: %d iterations in 2 s", b-a)
	if b-a < 5000 {
		t.Errorf("%d iterations in 2 s with throttled timers: the run waits on timers", b-a)
	}
	click(t, ctx, "stop")
}
