//go:build !(js && wasm)

package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/ncruces/go-sqlite3"
	_ "github.com/ncruces/go-sqlite3/vfs" // the OS files of the sqlite3 shell

	"hyperagents/engine"
	"hyperagents/lab"
)

// dbFile makes a database file with one short run and returns its path.
func dbFile(t *testing.T, dir, name string) string {
	t.Helper()
	path := filepath.Join(dir, name)
	if code, _, errs := runMain(t, "run", "--iterations", "5", "--db", path); code != 0 {
		t.Fatalf("run: %s", errs)
	}
	return path
}

// sqlEdit applies SQL to a database file in place, as an attacker with the sqlite3 shell would.
func sqlEdit(t *testing.T, path, sql string) {
	t.Helper()
	conn, err := sqlite3.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if err := conn.Exec(sql); err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
}

// fileID is a file's bytes, mode and inode, to check nothing changed it.
type fileID struct {
	data  []byte
	mode  os.FileMode
	inode uint64
}

func identify(t *testing.T, path string) fileID {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	fi, _ := os.Stat(path)
	return fileID{data, fi.Mode(), fi.Sys().(*syscall.Stat_t).Ino}
}

// TestHostileInputsGetAMessage points every command that reads a file at a device, a FIFO, a
// directory and a link to a device: each answers at once with a message, reading nothing.
func TestHostileInputsGetAMessage(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "fifo")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(dir, "zero-link")
	os.Symlink("/dev/zero", link)
	target := dbFile(t, dir, "target.sqlite")
	before := identify(t, target)
	for _, bad := range []string{"/dev/zero", fifo, dir, link} {
		for _, args := range [][]string{
			{"replay", bad}, {"runs", "--db", bad}, {"import", "--db", target, bad}, {"sweep", bad, "--out", t.TempDir()},
			{"export", "--db", bad, "--out", filepath.Join(t.TempDir(), "x.sqlite")},
		} {
			start := time.Now()
			code, _, errs := runMain(t, args...)
			if code == 0 || !strings.Contains(errs, "not a regular file") || time.Since(start) > time.Second {
				t.Errorf("%v: exit %d in %v, stderr %q", args, code, time.Since(start), errs)
			}
		}
	}
	if after := identify(t, target); !bytes.Equal(after.data, before.data) || after.mode != before.mode || after.inode != before.inode {
		t.Error("a refused import changed the target database")
	}
}

// TestRefusedImportChangesNothing imports a forged file, a file with a trigger and a text file:
// each exits non-zero and leaves the target's bytes, mode and inode as they were.
func TestRefusedImportChangesNothing(t *testing.T) {
	dir := t.TempDir()
	target := dbFile(t, dir, "target.sqlite")
	os.Chmod(target, 0o600)
	forged := dbFile(t, dir, "forged.sqlite")
	sqlEdit(t, forged, `UPDATE metrics SET best_fitness = 1.0; UPDATE runs SET best_train = 1.0`)
	trigger := dbFile(t, dir, "trigger.sqlite")
	sqlEdit(t, trigger, `CREATE TRIGGER evil AFTER INSERT ON runs BEGIN DELETE FROM agents; END`)
	view := dbFile(t, dir, "view.sqlite")
	sqlEdit(t, view, `CREATE VIEW v AS WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x+1 FROM c) SELECT x FROM c`)
	text := filepath.Join(dir, "notes.sqlite")
	os.WriteFile(text, []byte("not a database"), 0o644)
	before := identify(t, target)
	for _, tt := range []struct{ file, msg string }{
		{forged, "metrics, iteration 0, best_fitness"}, {trigger, `trigger "evil"`}, {view, `view "v"`}, {text, "not start with the SQLite header"},
	} {
		code, out, errs := runMain(t, "import", "--db", target, tt.file)
		if code == 0 || !strings.Contains(out+errs, tt.msg) || !strings.Contains(errs, "unchanged") {
			t.Errorf("%s: exit %d, %q %q", filepath.Base(tt.file), code, out, errs)
		}
		if after := identify(t, target); !bytes.Equal(after.data, before.data) || after.mode != before.mode || after.inode != before.inode {
			t.Errorf("%s: the refused import changed the target", filepath.Base(tt.file))
		}
	}
	// The forged file does not replay as verified either.
	if code, out, _ := runMain(t, "replay", forged); code == 0 || strings.Contains(out, "verified") {
		t.Errorf("forged file replays: exit %d %q", code, out)
	}
}

// TestWritesRespectLinksAndDevices: --db through a symbolic link writes the link's target (the
// link stays, the mode is kept); --out and --csv never replace a link, a device or a directory.
func TestWritesRespectLinksAndDevices(t *testing.T) {
	dir := t.TempDir()
	real := dbFile(t, dir, "real.sqlite")
	os.Chmod(real, 0o640)
	link := filepath.Join(dir, "link.sqlite")
	os.Symlink(real, link)
	if code, _, errs := runMain(t, "run", "--iterations", "3", "--seed", "9", "--db", link); code != 0 {
		t.Fatal(errs)
	}
	if fi, err := os.Lstat(link); err != nil || fi.Mode()&os.ModeSymlink == 0 {
		t.Error("--db replaced the symbolic link")
	}
	if fi, _ := os.Stat(real); fi.Mode().Perm() != 0o640 {
		t.Errorf("the target's mode became %v", fi.Mode().Perm())
	}
	if _, out, _ := runMain(t, "runs", "--db", real); strings.Count(out, "code_review") != 2 {
		t.Errorf("the run did not reach the link's target:\n%s", out)
	}
	otherLink := filepath.Join(dir, "out-link")
	os.Symlink(filepath.Join(dir, "elsewhere"), otherLink)
	id := strings.Fields(strings.Split(func() string { _, o, _ := runMain(t, "runs", "--db", real); return o }(), "\n")[1])[0]
	for _, args := range [][]string{
		{"export", "--db", real, "--out", otherLink}, {"export", "--db", real, "--run", id, "--csv", otherLink},
		{"export", "--db", real, "--out", "/dev/null"}, {"export", "--db", real, "--out", dir},
	} {
		if code, _, errs := runMain(t, args...); code == 0 || !strings.Contains(errs, "in the way") {
			t.Errorf("%v: exit %d, %q", args, code, errs)
		}
	}
	if fi, err := os.Lstat(otherLink); err != nil || fi.Mode()&os.ModeSymlink == 0 {
		t.Error("an output replaced a symbolic link")
	}
}

// TestCtrlCStopsAtOnce cancels long commands: they stop with the cancellation as their error
// instead of running to the end. How soon is logged, not asserted (a busy machine or the race
// detector slows everything): between SQLite statements and iterations it is at once; a file check
// already running (one integrity_check statement) finishes first.
func TestCtrlCStopsAtOnce(t *testing.T) {
	dir := t.TempDir()
	big := filepath.Join(dir, "big.sqlite")
	if code, _, errs := runMain(t, "run", "--domain", "digits", "--iterations", "6000", "--db", big); code != 0 {
		t.Fatal(errs)
	}
	for _, args := range [][]string{
		{"run", "--iterations", "1000000"},
		{"replay", big},
		{"sweep", writeSpec(t, `{"domains": ["maze"], "conditions": [{"name": "a", "mode": "hyperagent"}], "seeds": 50, "iterations": 1000, "reference": "a"}`), "--out", t.TempDir()},
	} {
		ctx, cancel := context.WithCancel(context.Background())
		time.AfterFunc(100*time.Millisecond, cancel)
		var out, errb bytes.Buffer
		start := time.Now()
		err := (&Main{Stdout: &out, Stderr: &errb}).Run(ctx, args)
		took := time.Since(start)
		if err == nil || !strings.Contains(err.Error(), "cancel") && !strings.Contains(err.Error(), "stopped") {
			t.Errorf("%v: ran to the end or failed otherwise (%v) after %v", args, err, took)
		}
		t.Logf("%v stopped %v after the cancel: %v", args[0], took-100*time.Millisecond, err)
	}
}

// TestTerminalAndSpreadsheetSafety: names from a file are printed with control and bidi
// characters escaped; CSV cells that a spreadsheet would run as formulas are neutralised while
// numbers stay numbers.
func TestTerminalAndSpreadsheetSafety(t *testing.T) {
	dir := t.TempDir()
	f := dbFile(t, dir, "evil.sqlite")
	var code int
	var out string
	sqlEdit(t, f, "UPDATE runs SET name = 'pay \x1b[31m\u202eevil\u202c' || char(7)")
	code, out, _ = runMain(t, "runs", "--db", f)
	if code != 0 || strings.ContainsAny(out, "\x1b\a\u202e") || !strings.Contains(out, `\u001b[31m\u202eevil`) {
		t.Errorf("runs printed %q", out)
	}
	_, out, _ = runMain(t, "replay", f)
	if strings.ContainsAny(out, "\x1b\a\u202e") {
		t.Errorf("replay printed %q", out)
	}
	_, out, errs := runMain(t, "import", "--db", filepath.Join(dir, "t.sqlite"), f)
	if strings.ContainsAny(out+errs, "\x1b\a\u202e") || !strings.Contains(out, "control characters") {
		t.Errorf("import printed %q %q", out, errs)
	}
	spec := writeSpec(t, `{"domains": ["wine"], "conditions": [{"name": "=HYPERLINK(1)", "mode": "hyperagent"}, {"name": "@b", "mode": "baseline"}],
		"seeds": 2, "iterations": 3, "reference": "=HYPERLINK(1)"}`)
	shardA, shardB, merged := t.TempDir(), t.TempDir(), t.TempDir()
	runMain(t, "sweep", spec, "--out", shardA, "--shard", "0/2")
	runMain(t, "sweep", spec, "--out", shardB, "--shard", "1/2")
	if code, _, errs := runMain(t, "merge", "--out", merged, shardA, shardB); code != 0 {
		t.Fatal(errs)
	}
	csv, _ := os.ReadFile(filepath.Join(merged, lab.RunsFile))
	for _, line := range strings.Split(strings.TrimSpace(string(csv)), "\n")[1:] {
		cells := strings.Split(line, ",")
		if c := cells[1]; c != "'=HYPERLINK(1)" && c != "'@b" {
			t.Fatalf("condition cell %q not neutralised", c)
		}
	}
	for _, line := range strings.Split(strings.TrimSpace(string(csv)), "\n")[1:] {
		if _, err := strconv.ParseFloat(strings.Split(line, ",")[8], 64); err != nil {
			t.Fatalf("best_train is not a number in %q", line)
		}
	}
	if engine.CSVText("-0.5") != "'-0.5" || engine.CSVText("hyperagent") != "hyperagent" {
		t.Error("CSVText")
	}
}
