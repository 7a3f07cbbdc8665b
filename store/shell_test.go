//go:build !(js && wasm)

// The sqlite3 shell check runs natively only: WebAssembly under Node starts no processes.

package store

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
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
	r := newRun(t, engine.Config{Seed: 7}, 10)
	if err := db.CreateRun("abcdef01", "shell check", created, r); err != nil {
		t.Fatal(err)
	}
	data, _ := db.Bytes()
	path := filepath.Join(t.TempDir(), "run.sqlite")
	os.WriteFile(path, data, 0o644)
	out, err := exec.Command(shell, "-readonly", path,
		"SELECT name, mode, flavour, iterations FROM runs;",
		"SELECT agent_id, json_extract(task_policy, '$[5]') FROM agents WHERE created_iteration = 0;",
		// An agent's notes, read through the texts they refer to.
		"SELECT group_concat(t.text, ' | ') FROM (SELECT j.value AS id, a.run_id FROM agents a, json_each(a.lineage_notes) j WHERE a.created_iteration = 10 ORDER BY j.key) n JOIN texts t ON t.run_id = n.run_id AND t.id = n.id;",
		"SELECT count(*) FROM metrics; SELECT count(*) FROM events; PRAGMA integrity_check;").CombinedOutput()
	if err != nil {
		t.Fatalf("sqlite3: %v\n%s", err, out)
	}
	want := "shell check|hyperagent|standard|10\nagent-000|3.05\n" + strings.Join(r.Archive().At(10).Agent.Lineage, " | ") + "\n11\n10\nok\n"
	if string(out) != want {
		t.Errorf("sqlite3 printed\n%s\nwant\n%s", out, want)
	}
}
