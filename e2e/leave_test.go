//go:build !(js && wasm)

package e2e

import (
	"context"
	"strconv"
	"strings"
	"testing"
)

// Saves around hiding and leaving the page: what a page that goes, or is hidden while a save is on
// its way, leaves in browser storage.

// TestLeftWhileSaving leaves the page while a save is still on its way to IndexedDB (held here
// before it reaches storage, as when the page is reloaded while Go copies the database out): the
// page's last save on leaving must still carry the change, and reach storage although the page
// is gone. Leaving with nothing new to save writes nothing.
func TestLeftWhileSaving(t *testing.T) {
	ctx := browser(t)
	id := savedRunWithHeldSaves(t, ctx)
	// Leaving with everything saved writes nothing.
	if n := eval[int](t, ctx, `window.dispatchEvent(new PageTransitionEvent("pagehide")), window.leaveSaves`); n != 0 {
		t.Errorf("leaving a page with nothing new to save wrote the database %d time(s)", n)
	}
	rename(t, ctx, id, "renamed just before leaving")
	waitJS(t, ctx, "the rename's save held", `window.heldSaves.length === 1`)
	reload(t, ctx)
	waitJS(t, ctx, "renamed after reload", `(document.querySelector("#run-`+id+` .run-name") || {}).textContent === "renamed just before leaving"`)
}

// TestOlderSaveDropped hides the page while a save is on its way, with a newer change made since:
// the save made on hiding holds the newer change, and the older save, reaching storage after it,
// must not write its older data over it.
func TestOlderSaveDropped(t *testing.T) {
	ctx := browser(t)
	id := savedRunWithHeldSaves(t, ctx)
	rename(t, ctx, id, "first name")
	waitJS(t, ctx, "the first rename's save held", `window.heldSaves.length === 1`)
	rename(t, ctx, id, "second name") // not saved yet: the first save is on its way
	if n := eval[int](t, ctx, `window.dispatchEvent(new PageTransitionEvent("pagehide")), window.leaveSaves`); n != 1 {
		t.Fatalf("hiding the page with a change not saved wrote the database %d time(s), want once", n)
	}
	// The held save now gets to storage, after the newer one.
	if got := eval[[]bool](t, ctx, `Promise.all(window.heldSaves.map(go => go()))`); len(got) != 1 || got[0] {
		t.Errorf("the older save was not dropped: putParts resolved to %v", got)
	}
	reload(t, ctx)
	waitVisible(t, ctx, "runs-table")
	if got := text(t, ctx, "run-"+id); !strings.Contains(got, "second name") {
		t.Errorf("after the reload the run reads %q, want the newer name", got)
	}
	screenshot(t, ctx, "runs-after-hidden-save")
}

// TestHideWritesChangedParts hides the page with a change not yet saved and no save on its way
// (the last one failed): the save made on hiding writes only the parts of the database that
// changed since the last save that reached storage, not all of them; once it has landed, the next
// save again writes only what changed since; and the database put together from these parts
// reads back with both changes after a reload.
func TestHideWritesChangedParts(t *testing.T) {
	ctx := browser(t)
	id := savedRunOnRuns(t, ctx)
	eval[bool](t, ctx, `(() => {
		const s = window.hyperagentsStorage, putParts = s.putParts;
		window.saves = [];
		window.refuse = true;
		s.putParts = (key, size, count, changed, all, gen) => {
			const p = !all && window.refuse ? Promise.reject(new Error("refused by the test")) : putParts(key, size, count, changed, all, gen);
			window.saves.push({all, parts: changed.length / 2, count, done: p.then(ok => ok, e => String(e))});
			return p;
		};
		return true;
	})()`)
	type save struct {
		All          bool
		Parts, Count int
	}
	last := func(what string, all bool, done string) save {
		t.Helper()
		saves := eval[[]save](t, ctx, `window.saves.map(s => ({All: s.all, Parts: s.parts, Count: s.count}))`)
		if len(saves) == 0 || saves[len(saves)-1].All != all {
			t.Fatalf("%s: the saves were %+v", what, saves)
		}
		if got := eval[string](t, ctx, `window.saves[window.saves.length - 1].done.then(String)`); got != done {
			t.Fatalf("%s: the save ended with %q, want %q", what, got, done)
		}
		return saves[len(saves)-1]
	}
	rename(t, ctx, id, "renamed while storage refuses")
	waitVisible(t, ctx, "save-error")
	last("the rename's save", false, "Error: refused by the test")

	eval[bool](t, ctx, `window.dispatchEvent(new PageTransitionEvent("pagehide")), true`)
	hide := last("the save on hiding", true, "true")
	if hide.Parts == 0 || hide.Parts >= hide.Count {
		t.Errorf("hiding the page after a rename wrote %d of the database's %d parts, want the changed ones only", hide.Parts, hide.Count)
	}

	eval[bool](t, ctx, `window.refuse = false`)
	rename(t, ctx, id, "renamed after the hide")
	waitJS(t, ctx, "the rename saved", `window.saves.length === 3`)
	next := last("the save after the hide", false, "true")
	if next.Parts == 0 || next.Parts >= next.Count {
		t.Errorf("the save after the hide's save landed wrote %d of %d parts, want the changed ones only", next.Parts, next.Count)
	}
	reload(t, ctx)
	waitVisible(t, ctx, "runs-table")
	if got := text(t, ctx, "run-"+id); !strings.Contains(got, "renamed after the hide") {
		t.Errorf("after the reload the run reads %q", got)
	}
	if n := count(t, ctx, "#save-error, #storage-message"); n != 0 {
		t.Errorf("after the reload the page reports a storage problem: %s", text(t, ctx, "main"))
	}
	screenshot(t, ctx, "runs-after-partial-hide-save")
}

// savedRunWithHeldSaves is savedRunOnRuns, and from then on every save the page waits for is held
// before it reaches storage (window.heldSaves: one function per save, which lets it go on and
// resolves to what storage answered); a save made on hiding or leaving the page goes through
// (window.leaveSaves counts them).
func savedRunWithHeldSaves(t *testing.T, ctx context.Context) string {
	t.Helper()
	id := savedRunOnRuns(t, ctx)
	eval[bool](t, ctx, `(() => {
		const s = window.hyperagentsStorage, putParts = s.putParts;
		window.heldSaves = [];
		window.leaveSaves = 0;
		s.putParts = (...args) => {
			if (args[4]) { // all: a save made on hiding or leaving
				window.leaveSaves++;
				return putParts(...args);
			}
			return new Promise((resolve, reject) => window.heldSaves.push(() => {
				const p = putParts(...args);
				p.then(resolve, reject);
				return p;
			}));
		};
		return true;
	})()`)
	return id
}

// savedRunOnRuns makes a saved run of five iterations, opens the Runs view once everything is
// saved and no save is on its way, and returns the run's id.
func savedRunOnRuns(t *testing.T, ctx context.Context) string {
	t.Helper()
	open(t, ctx, "/", "run")
	runIterations(t, ctx, 5, 5)
	id := currentRun(t, ctx)
	click(t, ctx, "nav-runs")
	waitVisible(t, ctx, "runs-table")
	waitText(t, ctx, "save-status", "saved · iteration 5") // and no save on its way
	return id
}

// rename renames run id on the Runs view and waits until the table shows the new name.
func rename(t *testing.T, ctx context.Context, id, name string) {
	t.Helper()
	click(t, ctx, "rename-"+id)
	waitVisible(t, ctx, "rename-input")
	setInput(t, ctx, "rename-input", name)
	click(t, ctx, "rename-save")
	waitJS(t, ctx, "renamed", `(document.querySelector("#run-`+id+` .run-name") || {}).textContent === `+strconv.Quote(name))
}
