//go:build !(js && wasm)

// The sqlite3 shell check runs natively only: WebAssembly under Node starts no processes.

package store

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"hyperagents/engine"
)

// TestReadableInSqlite3Shell opens an export with the stock sqlite3 command.
func TestReadableInSqlite3Shell(t *testing.T) {
	// Never a skip: .ci/run installs sqlite3, and the README lists it.
	shell, err := exec.LookPath("sqlite3")
	if err != nil {
		t.Fatal("the sqlite3 shell is missing (apt-get install -y sqlite3, as .ci/run does):", err)
	}
	db := newDB(t)
	if err := db.CreateRun("abcdef01", "shell check", created, newRun(t, engine.Config{Seed: 7}, 10)); err != nil {
		t.Fatal(err)
	}
	data, _ := db.Bytes()
	path := filepath.Join(t.TempDir(), "run.sqlite")
	os.WriteFile(path, data, 0o644)
	out, err := exec.Command(shell, "-readonly", path,
		"SELECT name, mode, flavour, iterations FROM runs;",
		"SELECT agent_id, json_extract(task_policy_json, '$.threshold') FROM agents WHERE created_iteration = 0;",
		"SELECT count(*) FROM metrics; SELECT count(*) FROM events; PRAGMA integrity_check;").CombinedOutput()
	if err != nil {
		t.Fatalf("sqlite3: %v\n%s", err, out)
	}
	want := "shell check|hyperagent|standard|10\nagent-000|3.05\n11\n10\nok\n"
	if string(out) != want {
		t.Errorf("sqlite3 printed\n%s\nwant\n%s", out, want)
	}
}
