//go:build !(js && wasm)

package e2e

import (
	"context"
	"encoding/base64"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// idbJS runs body with db, the page's IndexedDB database, and store, its object store in a
// transaction of the given mode, and resolves to what body resolves to (body calls done(v)).
func idbJS(mode, body string) string {
	return `new Promise((done, fail) => {
		const r = indexedDB.open("hyperagents");
		r.onerror = () => fail(r.error);
		r.onsuccess = () => {
			const db = r.result;
			const tx = db.transaction("files", "` + mode + `");
			const store = tx.objectStore("files");
			const key = "workbench.sqlite";
			tx.oncomplete = () => db.close();
			` + body + `
		};
	})`
}

// savedList is what IndexedDB holds under the database's key: the list of its parts
// (size, parts) or, for a database saved whole, legacy = its size.
func savedList(t *testing.T, ctx context.Context) map[string]float64 {
	t.Helper()
	return eval[map[string]float64](t, ctx, idbJS("readonly", `const q = store.get(key);
		q.onsuccess = () => done(q.result instanceof ArrayBuffer ? {legacy: q.result.byteLength} : (q.result || {}));`))
}

// TestSavedInParts checks how the database is kept in IndexedDB: in parts, of which a save writes
// only those that changed; put back together after a reload; a database saved whole by an earlier
// version is read and then saved in parts; a damaged one gets a message and is left as it is.
func TestSavedInParts(t *testing.T) {
	ctx := browser(t)
	open(t, ctx, "/", "run")
	runIterations(t, ctx, 1000, 1000)
	list := savedList(t, ctx)
	if list["parts"] < 4 || list["size"] < 4*64<<10 {
		t.Fatalf("a 1,000-iteration database is saved as %v, want several parts", list)
	}

	// A few more iterations change a few parts: the save writes those, not the whole database.
	runIterations(t, ctx, 5, 1005)
	click(t, ctx, "nav-runs")
	waitVisible(t, ctx, "runs-table")
	wrote := eval[float64](t, ctx, `Number(document.getElementById("runs-summary").dataset.putBytes)`)
	size := eval[float64](t, ctx, `Number(document.getElementById("runs-summary").dataset.bytes)`)
	if wrote <= 0 || wrote > size/2 {
		t.Errorf("saving 5 more iterations wrote %.0f of %.0f bytes, want only the parts that changed", wrote, size)
	}
	if got := text(t, ctx, "runs-summary"); !strings.Contains(got, "the parts that changed") {
		t.Errorf("runs summary %q does not say how much the last save wrote", got)
	}

	// Reload: put back together from its parts.
	reload(t, ctx)
	open(t, ctx, "/", "run")
	waitText(t, ctx, "stat-iterations", "1005")

	// A database saved whole (as before parts) is read, and the next save turns it into parts.
	eval[bool](t, ctx, `window.hyperagentsStorage.get("workbench.sqlite").then(bytes => `+idbJS("readwrite", `
		store.delete(IDBKeyRange.bound([key, 0], [key, Infinity]));
		store.put(bytes.buffer.slice(0), key);
		tx.addEventListener("complete", () => done(true));`)+`)`)
	if l := savedList(t, ctx); l["legacy"] == 0 {
		t.Fatalf("the database was not put back whole: %v", l)
	}
	reload(t, ctx)
	open(t, ctx, "/", "run")
	waitText(t, ctx, "stat-iterations", "1005")
	runIterations(t, ctx, 5, 1010)
	if l := savedList(t, ctx); l["parts"] < 4 || l["legacy"] != 0 {
		t.Errorf("after a save, a database read whole is kept as %v, want parts", l)
	}

	// A missing part: the page says so, keeps runs in memory and leaves storage as it is.
	before := eval[float64](t, ctx, idbJS("readwrite", `store.delete([key, 1]); store.count().onsuccess = e => done(e.target.result);`))
	reload(t, ctx)
	waitVisible(t, ctx, "storage-message")
	if got := text(t, ctx, "storage-message"); !strings.Contains(got, "incomplete") || !strings.Contains(got, "left as it is") {
		t.Errorf("a damaged saved database says %q", got)
	}
	screenshot(t, ctx, "storage-damaged")
	open(t, ctx, "/", "run")
	setInput(t, ctx, "iterations", "20")
	click(t, ctx, "run")
	waitText(t, ctx, "stat-iterations", "20")
	if got := text(t, ctx, "save-status"); got != "not saved" {
		t.Errorf("save status %q over a damaged saved database, want not saved", got)
	}
	after := eval[float64](t, ctx, idbJS("readonly", `store.count().onsuccess = e => done(e.target.result);`))
	if l := savedList(t, ctx); after != before || l["parts"] < 4 {
		t.Errorf("the damaged database was written over: %v records before, %v after, list %v", before, after, l)
	}
}

// TestOlderSavedDatabaseConverted puts a database of schema 4 (store/testdata/schema4.sqlite, made
// by an earlier release: six runs of five domains) where the page keeps its own, as that release
// saved it, and reloads: the page converts it to compact rows, lists every run, and replays them
// as verified.
func TestOlderSavedDatabaseConverted(t *testing.T) {
	old, err := os.ReadFile(filepath.Join("..", "store", "testdata", "schema4.sqlite"))
	if err != nil {
		t.Fatal(err)
	}
	ctx := browser(t)
	open(t, ctx, "/runs", "no-runs")
	eval[bool](t, ctx, idbJS("readwrite", `
		const s = atob("`+base64.StdEncoding.EncodeToString(old)+`");
		const b = new Uint8Array(s.length);
		for (let i = 0; i < s.length; i++) b[i] = s.charCodeAt(i);
		store.put(b.buffer, key);
		tx.addEventListener("complete", () => done(true));`))
	reload(t, ctx)
	waitVisible(t, ctx, "runs-table")
	replayEveryRun(t, ctx, 6) // the six runs of the converted file
	screenshot(t, ctx, "runs-converted")
}
