//go:build !(js && wasm)

package e2e

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/ncruces/go-sqlite3"
	_ "github.com/ncruces/go-sqlite3/vfs" // the OS files of the sqlite3 shell

	"hyperagents/store"
)

// runIteration runs the overview's form for n more iterations and waits until they are saved.
func runIterations(t *testing.T, ctx context.Context, n, total int) {
	t.Helper()
	setInput(t, ctx, "iterations", fmt.Sprint(n))
	click(t, ctx, "run")
	waitText(t, ctx, "stat-iterations", fmt.Sprint(total))
	waitText(t, ctx, "save-status", fmt.Sprintf("saved · iteration %d", total))
}

// replayEveryRun replays every run the Runs view lists, which must be want of them, and waits
// for each to say verified; it returns their ids, top to bottom.
func replayEveryRun(t *testing.T, ctx context.Context, want int) []string {
	t.Helper()
	ids := eval[[]string](t, ctx, `[...document.querySelectorAll("#runs-table tr.run")].map(r => r.id.slice(4))`)
	iterations := eval[[]string](t, ctx, `[...document.querySelectorAll("#runs-table tr.run .iterations")].map(c => c.textContent)`)
	if len(ids) != want {
		t.Fatalf("%d runs listed, want %d", len(ids), want)
	}
	for i, id := range ids {
		click(t, ctx, "replay-"+id)
		waitText(t, ctx, "verify-"+id, "verified ✓ ("+iterations[i]+" iterations)")
	}
	return ids
}

// currentRun is the database id of the live run.
func currentRun(t *testing.T, ctx context.Context) string {
	t.Helper()
	return eval[string](t, ctx, `localStorage.getItem("hyperagents.current-run") || ""`)
}

// fingerprint is a run's archive hash at its last iteration, from the runs view.
func fingerprint(t *testing.T, ctx context.Context, id string) string {
	t.Helper()
	return eval[string](t, ctx, fmt.Sprintf(`(document.querySelector("#run-%s .fingerprint") || {title: ""}).title`, id))
}

// upload imports files through the runs view's file picker.
func upload(t *testing.T, ctx context.Context, files ...string) {
	t.Helper()
	do(t, ctx, chromedp.SetUploadFiles(chromedp.ID("import-file"), files))
}

// TestRunsPersistContinueShareReplay is the persistence story end to end: a run survives a reload,
// continues exactly, travels as a file to a fresh browser profile and replays there as verified;
// a CLI-made file does too; a corrupted file is refused without touching the runs; a second tab is
// read-only.
func TestRunsPersistContinueShareReplay(t *testing.T) {
	ctx := browser(t)
	open(t, ctx, "/", "run")
	setInput(t, ctx, "seed", "11")
	runIterations(t, ctx, 50, 50)
	best := text(t, ctx, "stat-best")
	id := currentRun(t, ctx)
	if id == "" {
		t.Fatal("no current run recorded")
	}

	// Reload: the run is back with 50 iterations and the same best agent.
	reload(t, ctx)
	waitText(t, ctx, "stat-iterations", "50")
	if got := text(t, ctx, "stat-best"); got != best {
		t.Errorf("best agent after reload %s, want %s", got, best)
	}
	if got := eval[string](t, ctx, `document.getElementById("seed").value`); got != "11" {
		t.Errorf("seed field after reload %q, want 11", got)
	}
	screenshot(t, ctx, "overview-after-reload")

	// Continue to 100, then an uninterrupted 100-iteration run of the same seed: identical.
	runIterations(t, ctx, 50, 100)
	click(t, ctx, "reset")
	waitText(t, ctx, "stat-iterations", "0")
	runIterations(t, ctx, 100, 100)
	other := currentRun(t, ctx)
	if other == id {
		t.Fatal("reset did not start a new saved run")
	}
	click(t, ctx, "nav-runs")
	waitVisible(t, ctx, "runs-table")
	a, b := fingerprint(t, ctx, id), fingerprint(t, ctx, other)
	if len(a) != 32 || a != b {
		t.Fatalf("continued run %q and uninterrupted run %q differ", a, b)
	}
	if got := text(t, ctx, "run-"+id); !strings.Contains(got, "100") {
		t.Errorf("runs row %q lacks 100 iterations", got)
	}
	screenshot(t, ctx, "runs")
	fontsWarmed(t, ctx, "runs")

	// Compare the two runs on one chart.
	click(t, ctx, "cmp-"+id)
	click(t, ctx, "cmp-"+other)
	waitVisible(t, ctx, "compare-chart")
	// Both clicks are handled in turn: wait for the second line rather than count at once.
	waitJS(t, ctx, "two lines on the compare chart", `document.querySelectorAll("#compare-chart svg polyline").length === 2`)
	// Its data, every iteration of both runs, and its drawing download.
	rows := readCSV(t, download(t, ctx, "compare-csv"))
	seen := map[string]int{}
	for _, r := range rows[1:] {
		seen[r[0]]++
	}
	if strings.Join(rows[0], ",") != "run_id,run_name,iteration,best_train" || len(seen) != 2 || seen[id] == 0 || seen[other] == 0 {
		t.Errorf("the compare chart's CSV: header %v, rows per run %v", rows[0], seen)
	}
	if svg := string(download(t, ctx, "compare-svg")); !strings.HasPrefix(svg, "<svg") || strings.Count(svg, "<polyline") != 2 {
		t.Errorf("the compare chart's SVG starts %.60q", svg)
	}

	// Export the continued run and replay it in a fresh profile.
	exported := download(t, ctx, "export-"+id)
	dir := t.TempDir()
	runFile := filepath.Join(dir, "run.sqlite")
	os.WriteFile(runFile, exported, 0o644)
	// The browser's file replays natively too.
	replay := exec.Command("go", "run", "./cmd/hyperagents", "replay", runFile)
	replay.Dir = ".."
	if out, err := replay.CombinedOutput(); err != nil || !strings.Contains(string(out), "verified (100 iterations)") {
		t.Errorf("native replay of the browser's file: %v\n%s", err, out)
	}

	// A second tab of the same profile is read-only.
	tab, cancel := chromedp.NewContext(ctx)
	defer cancel()
	do(t, tab, chromedp.Navigate(siteURL+"/"))
	waitJS(t, tab, "second tab ready", `document.body && document.body.dataset.appReady === "1"`)
	waitVisible(t, tab, "readonly-banner")
	if !eval[bool](t, tab, `document.getElementById("run").disabled`) {
		t.Error("Run is enabled in the read-only tab")
	}
	if got := text(t, tab, "save-status"); got != "read-only" {
		t.Errorf("second tab status %q", got)
	}
	screenshot(t, tab, "second-tab-read-only")
	cancel()

	// A CLI-made file.
	cliFile := filepath.Join(dir, "cli.sqlite")
	cmd := exec.Command("go", "run", "./cmd/hyperagents", "run", "--seed", "9", "--iterations", "40", "--mode", "baseline", "--name", "made by the CLI", "--db", cliFile)
	cmd.Dir = ".."
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("CLI: %v\n%s", err, out)
	}

	fresh := browser(t)
	open(t, fresh, "/runs", "no-runs")
	upload(t, fresh, runFile, cliFile)
	waitVisible(t, fresh, "import-report")
	if got := text(t, fresh, "import-report"); strings.Count(got, "Imported 1 run(s)") != 2 {
		t.Fatalf("import report %q", got)
	}
	cliID := eval[string](t, fresh, `[...document.querySelectorAll("#runs-table tr.run")].map(r => r.id.slice(4)).find(i => i !== "`+id+`")`)
	for _, r := range []struct{ id, want string }{{id, "verified ✓ (100 iterations)"}, {cliID, "verified ✓ (40 iterations)"}} {
		click(t, fresh, "replay-"+r.id)
		waitText(t, fresh, "verify-"+r.id, r.want)
	}
	if got := fingerprint(t, fresh, id); got != a {
		t.Errorf("imported fingerprint %s, want %s", got, a)
	}
	screenshot(t, fresh, "runs-imported-verified")

	// A corrupted file (dropped) and a text file (picked): clear errors, runs unchanged.
	before := text(t, fresh, "runs-table")
	// Damage the second page (a b-tree page): SQLite's own checks must notice.
	bad := append([]byte(nil), exported...)
	page := int(bad[16])<<8 | int(bad[17]) // the page size, from the header
	for i := page; i < page+64; i++ {
		bad[i] ^= 0xa5
	}
	if _, err := store.Load(bad); !errors.Is(err, store.ErrCorrupt) {
		t.Fatalf("the damaged file loads natively: %v", err)
	}
	eval[bool](t, fresh, fmt.Sprintf(`(() => {
		const bytes = Uint8Array.from(atob(%q), c => c.charCodeAt(0));
		const dt = new DataTransfer();
		dt.items.add(new File([bytes], "corrupted.sqlite"));
		document.getElementById("drop-zone").dispatchEvent(new DragEvent("drop", {dataTransfer: dt, bubbles: true, cancelable: true}));
		return true;
	})()`, base64.StdEncoding.EncodeToString(bad)))
	waitVisible(t, fresh, "import-error")
	if got := text(t, fresh, "import-error"); !strings.Contains(got, "corrupted.sqlite") || !strings.Contains(got, "damaged") || !strings.Contains(got, "unchanged") {
		t.Errorf("corrupted import message %q", got)
	}
	screenshot(t, fresh, "runs-import-error")
	textFile := filepath.Join(dir, "notes.sqlite")
	os.WriteFile(textFile, []byte("just some notes, not a database"), 0o644)
	upload(t, fresh, textFile)
	waitJS(t, fresh, "text file refused", `(document.getElementById("import-error") || {}).textContent?.includes("not an SQLite database")`)
	if after := text(t, fresh, "runs-table"); after != before {
		t.Errorf("runs changed after bad imports:\n%s\n---\n%s", before, after)
	}
	// Importing the same run again is refused as a duplicate.
	upload(t, fresh, runFile)
	waitJS(t, fresh, "duplicate refused", `(document.getElementById("import-report") || {}).textContent?.includes("already here")`)

	// Open the CLI's run: it becomes the live run on the overview, and continues.
	click(t, fresh, "open-"+cliID)
	waitText(t, fresh, "stat-iterations", "40")
	if !eval[bool](t, fresh, `document.getElementById("mode-baseline").checked`) || eval[string](t, fresh, `document.getElementById("seed").value`) != "9" {
		t.Error("the overview's form does not show the opened run's configuration")
	}
	runIterations(t, fresh, 10, 50)
}

// TestRenameAndDelete edits a saved run's name (refusing a control character) and deletes it.
func TestRenameAndDelete(t *testing.T) {
	ctx := browser(t)
	open(t, ctx, "/", "run")
	runIterations(t, ctx, 5, 5)
	id := currentRun(t, ctx)
	click(t, ctx, "nav-runs")
	waitVisible(t, ctx, "runs-table")
	click(t, ctx, "rename-"+id)
	waitVisible(t, ctx, "rename-input")
	setInput(t, ctx, "rename-input", "tab\there")
	click(t, ctx, "rename-save")
	waitVisible(t, ctx, "rename-error")
	setInput(t, ctx, "rename-input", `<b>my</b> run ✓`)
	click(t, ctx, "rename-save")
	waitJS(t, ctx, "renamed", `(document.querySelector("#run-`+id+` .run-name") || {}).textContent === "<b>my</b> run ✓"`)
	do(t, ctx, chromedp.Reload())
	waitJS(t, ctx, "renamed after reload", `(document.querySelector("#run-`+id+` .run-name") || {}).textContent === "<b>my</b> run ✓"`)
	click(t, ctx, "delete-"+id)
	waitText(t, ctx, "delete-"+id, "Confirm delete")
	click(t, ctx, "delete-"+id)
	waitVisible(t, ctx, "no-runs")
	do(t, ctx, chromedp.Reload())
	waitJS(t, ctx, "app ready", `document.body && document.body.dataset.appReady === "1"`)
	waitVisible(t, ctx, "no-runs")
}

// TestQuotaExceeded makes every save fail as a full disk does: the page says so, offers the
// export, and the run goes on in memory.
func TestQuotaExceeded(t *testing.T) {
	ctx := browser(t)
	open(t, ctx, "/", "run")
	eval[bool](t, ctx, `(() => {
		window.hyperagentsStorage.put = window.hyperagentsStorage.putParts = () => Promise.reject(new DOMException("The quota has been exceeded.", "QuotaExceededError"));
		return true;
	})()`)
	setInput(t, ctx, "iterations", "40")
	click(t, ctx, "run")
	waitText(t, ctx, "stat-iterations", "40")
	waitVisible(t, ctx, "save-error")
	if got := text(t, ctx, "save-error"); !strings.Contains(got, "storage is full") || !strings.Contains(got, "Export") {
		t.Errorf("quota message %q", got)
	}
	if got := text(t, ctx, "save-status"); got != "not saved" {
		t.Errorf("status %q, want not saved", got)
	}
	screenshot(t, ctx, "quota-exceeded")
	fontsWarmed(t, ctx, "quota-exceeded")
	// The run goes on, and the export offered is the database with the run in it.
	setInput(t, ctx, "iterations", "10")
	click(t, ctx, "run")
	waitText(t, ctx, "stat-iterations", "50")
	data := download(t, ctx, "banner-export")
	db, err := store.Load(data)
	if err != nil {
		t.Fatal(err)
	}
	runs, _ := db.Runs()
	if len(runs) != 1 || runs[0].Iterations != 50 {
		t.Errorf("exported database holds %+v", runs)
	}
}

// TestOtherDomainsImportAndReplay imports runs of the research domains made by the CLI (digits,
// the maze, a hidden task, wine on another split) into the page: the Runs view lists them with
// their domain, replays each as verified in WebAssembly, and opening one makes it the live run on
// the Overview, which continues it.
func TestOtherDomainsImportAndReplay(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "domains.sqlite")
	for _, args := range [][]string{
		{"--domain", "digits", "--iterations", "60"},
		{"--domain", "maze", "--mode", "hyperagent", "--iterations", "25"},
		{"--domain", "hidden:4", "--meta", "tuned", "--selection", "dgm_code", "--iterations", "40"},
		{"--domain", "wine", "--split-seed", "3", "--selection", "latest", "--iterations", "50"},
	} {
		cmd := exec.Command("go", append([]string{"run", "./cmd/hyperagents", "run", "--db", file}, args...)...)
		cmd.Dir = ".."
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("CLI %v: %v\n%s", args, err, out)
		}
	}
	ctx := browser(t)
	open(t, ctx, "/runs", "no-runs")
	upload(t, ctx, file)
	waitVisible(t, ctx, "import-report")
	if got := text(t, ctx, "import-report"); !strings.Contains(got, "Imported 4 run(s)") {
		t.Fatalf("import report %q", got)
	}
	table := text(t, ctx, "runs-table")
	for _, want := range []string{"digits · evolve×dgm · adaptive", "maze · hyperagent · adaptive", "hidden:4 · tuned×dgm_code", "wine@3 · evolve×latest"} {
		if !strings.Contains(table, want) {
			t.Errorf("runs table lacks %q:\n%s", want, table)
		}
	}
	ids := replayEveryRun(t, ctx, 4)
	screenshot(t, ctx, "runs-other-domains-verified")
	// Opening the hidden task's run makes it the live run on the Overview, with its domain and
	// condition set, and Step continues it.
	hidden := -1
	for i, id := range ids {
		if strings.Contains(text(t, ctx, "run-"+id), "hidden:4") {
			hidden = i
		}
	}
	if hidden < 0 {
		t.Fatal("no row for the hidden:4 run")
	}
	click(t, ctx, "open-"+ids[hidden])
	waitText(t, ctx, "stat-iterations", "40")
	if p := path(t, ctx); p != "/" {
		t.Errorf("opening a run navigated to %s", p)
	}
	for id, want := range map[string]string{"domain": "hidden:4", "meta": "tuned", "selection": "dgm_code", "flavour": "adaptive"} {
		if got := eval[string](t, ctx, `document.getElementById("`+id+`").value`); got != want {
			t.Errorf("%s = %q after opening the hidden:4 run, want %q", id, got, want)
		}
	}
	click(t, ctx, "step")
	waitText(t, ctx, "stat-iterations", "41")
}

// TestForgedFilesInThePage: a file whose metrics and summary were edited to claim 1.000 is refused
// at import, naming the table, row and column; one whose generator state was edited imports (the
// agents are honest) but its replay says what differs, as the command line does.
func TestForgedFilesInThePage(t *testing.T) {
	dir := t.TempDir()
	forged, state := filepath.Join(dir, "forged.sqlite"), filepath.Join(dir, "state.sqlite")
	for _, f := range []string{forged, state} {
		cmd := exec.Command("go", "run", "./cmd/hyperagents", "run", "--seed", "5", "--iterations", "20", "--db", f)
		cmd.Dir = ".."
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("CLI: %v\n%s", err, out)
		}
	}
	edit := func(path, sql string, args ...any) {
		conn, err := sqlite3.Open(path)
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close()
		s, _, err := conn.Prepare(sql)
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		for i, a := range args {
			s.BindBlob(i+1, a.([]byte))
		}
		if err := s.Exec(); err != nil {
			t.Fatal(err)
		}
	}
	edit(forged, `UPDATE metrics SET best_fitness = 1.0, best_test_accuracy = 1.0`)
	edit(forged, `UPDATE runs SET best_train = 1.0, best_test = 1.0`)
	db, err := store.Load(mustRead(t, state))
	if err != nil {
		t.Fatal(err)
	}
	runs, _ := db.Runs()
	r, _, _ := db.Open(runs[0].ID)
	st, _ := r.State()
	db.Close()
	st[len(st)-1] ^= 1
	edit(state, `UPDATE runs SET state = ?`, st)

	ctx := browser(t)
	open(t, ctx, "/runs", "no-runs")
	upload(t, ctx, forged)
	waitVisible(t, ctx, "import-report")
	if got := text(t, ctx, "import-report"); !strings.Contains(got, "left out 1") || !strings.Contains(got, "metrics, iteration 0, best_fitness") {
		t.Errorf("forged import report %q", got)
	}
	upload(t, ctx, state)
	waitJS(t, ctx, "state file imported", `(document.getElementById("import-report") || {}).textContent?.includes("Imported 1 run(s)")`)
	id := runs[0].ID
	click(t, ctx, "replay-"+id)
	waitJS(t, ctx, "replay verdict", `(document.getElementById("verify-`+id+`") || {}).textContent?.startsWith("differs")`)
	if got := text(t, ctx, "verify-"+id); !strings.Contains(got, "runs, state") {
		t.Errorf("replay of a forged state says %q", got)
	}
	screenshot(t, ctx, "runs-forged")
	fontsWarmed(t, ctx, "runs-forged")
	// The command line says the same.
	cmd := exec.Command("go", "run", "./cmd/hyperagents", "replay", state)
	cmd.Dir = ".."
	if out, err := cmd.CombinedOutput(); err == nil || !strings.Contains(string(out), "runs, state") {
		t.Errorf("CLI replay: %v\n%s", err, out)
	}
}

func mustRead(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
