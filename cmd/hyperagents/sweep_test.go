package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"hyperagents/engine"
	"hyperagents/lab"
	"hyperagents/store"
)

// smallSpec is a sweep small enough for a test: two domains, three conditions, four seeds.
const smallSpec = `{"domains": ["wine", "maze"],
 "conditions": [{"name": "hyperagent", "meta": "evolve", "selection": "default"},
                {"name": "frozen", "meta": "frozen", "selection": "default"},
                {"name": "latest", "meta": "evolve", "selection": "latest"}],
 "seeds": 4, "iterations": 25, "checkpoints": [5, 25], "reference": "hyperagent"}`

func writeSpec(t *testing.T, spec string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "spec.json")
	if err := os.WriteFile(p, []byte(spec), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestShardsMergeToTheUnshardedFiles runs a sweep whole and in three shards (with one worker and
// with several) and checks merge gives byte for byte the files of the whole run.
func TestShardsMergeToTheUnshardedFiles(t *testing.T) {
	spec := writeSpec(t, smallSpec)
	whole := t.TempDir()
	if code, _, errs := runMain(t, "sweep", spec, "--out", whole); code != 0 {
		t.Fatalf("sweep: exit %d: %s", code, errs)
	}
	var shards []string
	for i := range 3 {
		dir := t.TempDir()
		workers := "1"
		if i == 1 {
			workers = "3"
		}
		if code, out, errs := runMain(t, "sweep", "--shard", []string{"0/3", "1/3", "2/3"}[i], "--workers", workers, spec, "--out", dir); code != 0 || !strings.Contains(out, "hyperagents merge") {
			t.Fatalf("shard %d: exit %d: %s %s", i, code, out, errs)
		}
		if _, err := os.Stat(filepath.Join(dir, lab.SummaryJSON)); err == nil {
			t.Errorf("shard %d wrote a summary of its part only", i)
		}
		shards = append(shards, dir)
	}
	merged := t.TempDir()
	// Shards in another order than their numbers: merge puts the runs in canonical order.
	if code, _, errs := runMain(t, "merge", "--out", merged, shards[2], shards[0], shards[1]); code != 0 {
		t.Fatalf("merge: exit %d: %s", code, errs)
	}
	for _, f := range lab.SweepFiles {
		a, err1 := os.ReadFile(filepath.Join(whole, f))
		b, err2 := os.ReadFile(filepath.Join(merged, f))
		if err1 != nil || err2 != nil || !bytes.Equal(a, b) {
			t.Errorf("%s: merged differs from the unsharded run (%v %v)", f, err1, err2)
		}
	}
	// The summary holds what summary.json promises.
	var sum engine.SweepSummary
	data, _ := os.ReadFile(filepath.Join(whole, lab.SummaryJSON))
	if err := json.Unmarshal(data, &sum); err != nil {
		t.Fatal(err)
	}
	if len(sum.Results) != 2*2*4 {
		t.Fatalf("%d results, want 2 domains × 2 checkpoints × 4 metrics", len(sum.Results))
	}
	r := sum.Results[0]
	if r.Domain != "wine" || r.Iteration != 5 || r.Metric != "best_test" || len(r.Conditions) != 3 || len(r.Conditions[0].Values) != 4 ||
		len(r.Comparisons) != 2 || r.Comparisons[0].A != "hyperagent" || r.Comparisons[0].B != "frozen" ||
		r.Comparisons[0].Wins+r.Comparisons[0].Ties+r.Comparisons[0].Losses != 4 {
		t.Errorf("first result %+v", r)
	}
	// Merging an incomplete or doubled set is refused.
	if code, _, errs := runMain(t, "merge", "--out", t.TempDir(), shards[0], shards[1]); code != 2 || !strings.Contains(errs, "missing shards") {
		t.Errorf("incomplete merge: exit %d, %q", code, errs)
	}
	if code, _, errs := runMain(t, "merge", "--out", t.TempDir(), shards[0], shards[0], shards[1], shards[2]); code != 2 || !strings.Contains(errs, "in both") {
		t.Errorf("doubled merge: exit %d, %q", code, errs)
	}
}

// TestSweepSavesRunsThatReplay runs a sweep with --db and replays every saved run as verified.
func TestSweepSavesRunsThatReplay(t *testing.T) {
	spec := writeSpec(t, `{"domains": ["hidden:3", "digits@2"], "conditions": [{"name": "h", "mode": "hyperagent"}, {"name": "t", "meta": "tuned", "selection": "dgm_code"}],
		"seeds": 2, "iterations": 15, "reference": "h"}`)
	db := filepath.Join(t.TempDir(), "sweep.sqlite")
	if code, _, errs := runMain(t, "sweep", spec, "--out", t.TempDir(), "--db", db); code != 0 {
		t.Fatalf("sweep: exit %d: %s", code, errs)
	}
	code, out, errs := runMain(t, "replay", db)
	if code != 0 || strings.Count(out, "verified (15 iterations)") != 8 {
		t.Errorf("replay: exit %d\n%s%s", code, out, errs)
	}
	code, out, _ = runMain(t, "runs", "--db", db)
	if code != 0 || !strings.Contains(out, "hidden:3") || !strings.Contains(out, "digits@2") || !strings.Contains(out, "tuned×dgm_code") {
		t.Errorf("runs: %s", out)
	}
}

// TestBadSpecsExitTwo checks that every kind of bad spec gets exit status 2 and one clear line.
func TestBadSpecsExitTwo(t *testing.T) {
	tests := []struct{ spec, msg string }{
		{`{"domains": ["wine"], "conditions": [{"name": "a", "meta": "evolve", "selection": "dgm"}], "seeds": 2, "iterations": 5, "reference": "a", "color": "red"}`, `unknown field "color"`},
		{`{"domains": ["vine"], "conditions": [{"name": "a", "meta": "evolve", "selection": "dgm"}], "seeds": 2, "iterations": 5, "reference": "a"}`, `unknown domain "vine"`},
		{`{"domains": ["wine"], "conditions": [{"name": "a", "meta": "evolve", "selection": "dgm"}], "seeds": 2, "iterations": 5, "reference": "b"}`, `reference "b"`},
		{`{"domains": ["wine"], "conditions": [{"name": "a", "meta": "sideways", "selection": "dgm"}], "seeds": 2, "iterations": 5, "reference": "a"}`, "unknown meta mode"},
		{`{"domains": ["code_review"], "conditions": [{"name": "a", "meta": "tuned", "selection": "dgm"}], "seeds": 2, "iterations": 5, "reference": "a"}`, "tuned meta needs the adaptive flavour"},
		{`{"domains": ["wine"], "conditions": [{"name": "a", "meta": "evolve", "selection": "dgm"}], "seeds": 2, "iterations": 5, "reference": "a", "flavour": "seed"}`, "runs only on code_review"},
		{`{"domains": ["wine"], "conditions": [{"name": "a", "meta": "evolve", "selection": "dgm"}], "seeds": 2, "iterations": 5, "checkpoints": [5, 3], "reference": "a"}`, "increasing"},
		{`{"domains": ["wine"], "conditions": [{"name": "a", "meta": "evolve", "selection": "dgm"}, {"name": "a", "mode": "baseline"}], "seeds": 2, "iterations": 5, "reference": "a"}`, "listed twice"},
		{`{"domains": ["wine"], "conditions": [{"name": "a,b", "mode": "baseline"}], "seeds": 2, "iterations": 5, "reference": "a,b"}`, "without commas"},
		{`{"domains": ["wine"], "conditions": [], "seeds": 2, "iterations": 5, "reference": "a"}`, "no conditions"},
		{`{"domains": ["wine"], "conditions": [{"name": "a", "mode": "baseline"}], "seeds": 0, "iterations": 5, "reference": "a"}`, "seeds 0"},
		{`not json`, "invalid character"},
	}
	for _, tt := range tests {
		code, _, errs := runMain(t, "sweep", writeSpec(t, tt.spec), "--out", t.TempDir())
		if code != 2 || !strings.Contains(errs, tt.msg) || strings.Count(strings.TrimSpace(errs), "\n") != 0 {
			t.Errorf("%.60s…: exit %d, stderr %q; want 2 and one line with %q", tt.spec, code, errs, tt.msg)
		}
	}
	spec := writeSpec(t, smallSpec)
	for _, args := range [][]string{
		{"sweep", spec, "--out", t.TempDir(), "--shard", "3/3"},
		{"sweep", spec, "--out", t.TempDir(), "--shard", "a/b"},
		{"sweep", spec},
		{"sweep", "--out", t.TempDir()},
		{"sweep", filepath.Join(t.TempDir(), "missing.json"), "--out", t.TempDir()},
		{"merge", "--out", t.TempDir(), t.TempDir()},
	} {
		if code, _, errs := runMain(t, args...); code != 2 || errs == "" {
			t.Errorf("%v: exit %d, stderr %q", args, code, errs)
		}
	}
}

// TestDomainsAndConditionsOnTheCommandLine checks the domain listing and that run and experiment
// take every domain and refuse impossible combinations with exit status 2.
func TestDomainsAndConditionsOnTheCommandLine(t *testing.T) {
	code, out, _ := runMain(t, "domains")
	for _, name := range []string{"code_review", "wine", "breast_cancer", "digits", "hidden", "maze", "simulated", "90/45/43", "CC BY 4.0"} {
		if code != 0 || !strings.Contains(out, name) {
			t.Errorf("domains lacks %q:\n%s", name, out)
		}
	}
	code, out, errs := runMain(t, "run", "--domain", "maze", "--meta", "tuned", "--selection", "uniform", "--iterations", "5", "--json")
	var v struct {
		ValAccuracy *float64           `json:"val_accuracy"`
		Weights     map[string]float64 `json:"weights"`
		Knobs       map[string]float64 `json:"meta_knobs"`
	}
	if code != 0 || json.Unmarshal([]byte(out), &v) != nil || v.ValAccuracy == nil || len(v.Weights) != 20 || v.Knobs["sigma"] != 0.3 {
		t.Errorf("run maze: exit %d, %s %s", code, out, errs)
	}
	dir := t.TempDir()
	code, out, errs = runMain(t, "experiment", "--domain", "breast_cancer", "--iterations", "10", "--seeds", "3", "--out", dir)
	if code != 0 || !strings.Contains(out, "## breast_cancer") {
		t.Fatalf("experiment: exit %d: %s %s", code, out, errs)
	}
	for _, f := range []string{lab.RunsFile, lab.SummaryJSON, lab.SummaryMD, "learning_curves.svg", "meta_knobs.svg"} {
		if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
			t.Errorf("experiment did not write %s", f)
		}
	}
	for _, tt := range []struct {
		args []string
		msg  string
	}{
		{[]string{"run", "--domain", "wine", "--flavour", "seed"}, "runs only on code_review"},
		{[]string{"run", "--domain", "code_review", "--flavour", "adaptive"}, "does not run on code_review"},
		{[]string{"run", "--domain", "code_review", "--meta", "tuned"}, "tuned meta needs the adaptive flavour"},
		{[]string{"run", "--flavour", "seed", "--selection", "dgm"}, "only the seed's modes"},
		{[]string{"run", "--domain", "hidden:x"}, "task seed"},
		{[]string{"run", "--domain", "wine:3"}, "only hidden takes a task seed"},
		{[]string{"run", "--mode", "baseline", "--meta", "frozen"}, "not both"},
		{[]string{"run", "--meta", "evolve,frozen"}, "one condition at a time"},
		{[]string{"experiment", "--domain", "digits", "--selection", "dgm,dgm", "--out", t.TempDir()}, "listed twice"},
	} {
		code, _, errs := runMain(t, tt.args...)
		if code != 2 || !strings.Contains(errs, tt.msg) || strings.Count(strings.TrimSpace(errs), "\n") != 0 {
			t.Errorf("%v: exit %d, stderr %q; want 2 and one line with %q", tt.args, code, errs, tt.msg)
		}
	}
}

// TestTransferCommand runs the transfer lab from the command line, from evolved sources and from a
// saved run, and refuses bad requests with exit status 2.
func TestTransferCommand(t *testing.T) {
	dir := t.TempDir()
	code, out, errs := runMain(t, "transfer", "--from", "wine", "--to", "breast_cancer", "--k", "10", "--seeds", "3", "--source-iterations", "40", "--out", dir)
	if code != 0 || !strings.Contains(out, "What holds") || !strings.Contains(out, "random_prior") {
		t.Fatalf("transfer: exit %d\n%s%s", code, out, errs)
	}
	var sum engine.SweepSummary
	data, _ := os.ReadFile(filepath.Join(dir, "summary.json"))
	if err := json.Unmarshal(data, &sum); err != nil || len(sum.Results) != 1 || sum.Results[0].Metric != "imp@10" || len(sum.Results[0].Conditions) != 4 {
		t.Fatalf("summary.json: %v %s", err, data)
	}
	db := filepath.Join(dir, "src.sqlite")
	runMain(t, "run", "--domain", "wine", "--iterations", "30", "--db", db)
	_, list, _ := runMain(t, "runs", "--db", db)
	id := strings.Fields(strings.Split(list, "\n")[1])[0]
	if code, out, errs := runMain(t, "transfer", "--source-run", db+":"+id, "--to", "digits", "--k", "5", "--seeds", "2", "--source-iterations", "10", "--pick", "growth", "--out", t.TempDir()); code != 0 || !strings.Contains(out, "taken from a saved run on wine") {
		t.Errorf("from a saved run: exit %d\n%s%s", code, out, errs)
	}
	for _, tt := range []struct {
		args []string
		msg  string
	}{
		{[]string{"transfer", "--from", "code_review", "--to", "wine", "--out", t.TempDir()}, "no adaptive meta policy"},
		{[]string{"transfer", "--from", "wine", "--to", "nope", "--out", t.TempDir()}, "unknown domain"},
		{[]string{"transfer", "--from", "wine", "--to", "maze", "--k", "0", "--out", t.TempDir()}, "k 0"},
		{[]string{"transfer", "--from", "wine", "--to", "maze", "--pick", "luck", "--out", t.TempDir()}, "pick"},
		{[]string{"transfer", "--to", "maze", "--out", t.TempDir()}, "--from DOMAIN or --source-run"},
		{[]string{"transfer", "--source-run", "nofile", "--to", "maze", "--out", t.TempDir()}, "FILE:RUN_ID"},
	} {
		if code, _, errs := runMain(t, tt.args...); code != 2 || !strings.Contains(errs, tt.msg) {
			t.Errorf("%v: exit %d, %q", tt.args, code, errs)
		}
	}
}

// TestSavedSweepsReadBack: a sweep saved in a database file (as the page saves one) is listed by
// `hyperagents sweeps` and its files come back byte for byte as `hyperagents sweep` wrote them; a
// forged summary is refused.
func TestSavedSweepsReadBack(t *testing.T) {
	dir := t.TempDir()
	if code, _, errs := runMain(t, "sweep", writeSpec(t, smallSpec), "--out", dir); code != 0 {
		t.Fatalf("sweep: exit %d: %s", code, errs)
	}
	read := func(f string) []byte {
		b, err := os.ReadFile(filepath.Join(dir, f))
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	sw, err := lab.ReadSweep(read(lab.SpecFile), read(lab.RunsFile))
	if err != nil {
		t.Fatal(err)
	}
	db, err := store.New()
	if err != nil {
		t.Fatal(err)
	}
	if err := db.SaveSweep("abcdef0123", "from the page", time.Date(2026, 11, 29, 12, 0, 0, 0, time.UTC), sw, nil); err != nil {
		t.Fatal(err)
	}
	data, _ := db.Bytes()
	file := filepath.Join(t.TempDir(), "page.sqlite")
	os.WriteFile(file, data, 0o644)

	code, out, errs := runMain(t, "sweeps", "--db", file)
	if code != 0 || !strings.Contains(out, "abcdef0123") || !strings.Contains(out, "from the page") || !strings.Contains(out, "wine maze") ||
		!strings.Contains(out, "hyperagent frozen latest") {
		t.Fatalf("sweeps: exit %d: %s %s", code, out, errs)
	}
	back := t.TempDir()
	if code, out, errs := runMain(t, "sweeps", "--db", file, "--id", "abcdef0123", "--out", back); code != 0 || !strings.Contains(out, "verified") {
		t.Fatalf("sweeps --id: exit %d: %s %s", code, out, errs)
	}
	for _, f := range lab.SweepFiles {
		got, err := os.ReadFile(filepath.Join(back, f))
		if err != nil || !bytes.Equal(got, read(f)) {
			t.Errorf("%s: not what hyperagents sweep wrote (%v)", f, err)
		}
	}
	if code, _, errs := runMain(t, "sweeps", "--db", file, "--id", "0000000000", "--out", t.TempDir()); code != 1 || !strings.Contains(errs, "no such sweep") {
		t.Errorf("unknown sweep: exit %d: %s", code, errs)
	}
	if code, _, errs := runMain(t, "sweeps", "--db", file, "--id", "abcdef0123"); code != 2 || !strings.Contains(errs, "go together") {
		t.Errorf("--id without --out: exit %d: %s", code, errs)
	}
}
