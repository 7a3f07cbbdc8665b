package store

import (
	"bytes"
	"fmt"
	"os"
	"reflect"
	"strings"
	"testing"

	"github.com/ncruces/go-sqlite3"

	"hyperagents/engine"
)

// FuzzImport feeds Import two kinds of input, both starting from real exports:
//
//   - raw bytes (first byte even): arbitrary files, damaged pages, truncations;
//   - programs of SQL edits (first byte odd) applied to an honest export with the sqlite3 shell's
//     powers: numbers nudged or replaced, text changed, NULLs and infinities, rows deleted,
//     duplicated past the end or swapped, views and triggers added, the generator state flipped.
//
// For every input: no panic and no hang; a refused import changes nothing in the database; and no
// run whose stored rows differ from the honest run's is both imported and verified by a replay. With
// HYPERAGENTS_FUZZ_STATS set to a file, each input appends its outcome there (make fuzz-long counts
// them).
//
// `go test -fuzz` instruments every package for coverage, SQLite's 100,000-line Go translation
// included, which makes each input ~300× slower (about one a second here). make fuzz runs the same
// target from a test binary built without instrumentation: unguided mutation, hundreds of inputs a
// second.
func FuzzImport(f *testing.F) {
	src := newDB(f)
	src.CreateRun("feedf00d", "seed corpus", created, newRun(f, engine.Config{Seed: 11}, 6))
	src.CreateRun("0badc0de", "second", created, newRun(f, engine.ModeNoArchive.Config(engine.FlavourSeed, 3), 4))
	wine := newAdaptiveRun(f, "wine", 6)
	src.CreateRun("a1a1a1a1", "adaptive", created, wine)
	honest, _ := src.Bytes()
	honestDump, err := dumpRuns(honest)
	if err != nil {
		f.Fatal(err)
	}
	one, _ := src.Export("feedf00d")
	empty, _ := newDB(f).Bytes()
	for _, raw := range [][]byte{honest, one, empty, honest[:len(honest)/2], []byte("SQLite format 3\x00"), {}} {
		f.Add(append([]byte{0}, raw...))
	}
	for _, prog := range [][]byte{
		{1, 1, 2, 3, 4}, {1, 0, 3, 7, 1}, {1, 5, 0, 0, 0}, {1, 4, 1, 2, 0, 2, 1, 5, 1}, {1, 9, 0, 0, 0, 3, 2, 1, 0},
		{1, 6, 1, 4, 2}, {1, 8, 2, 1, 3}, {1, 2, 0, 0, 1}, {1, 7, 1, 9, 9},
	} {
		f.Add(prog)
	}
	stats := os.Getenv("HYPERAGENTS_FUZZ_STATS")
	mine := newRun(f, engine.Config{Seed: 12}, 1)
	f.Fuzz(func(t *testing.T, data []byte) {
		outcome := fuzzImportOne(t, data, honest, honestDump, mine)
		if stats != "" {
			if fh, err := os.OpenFile(stats, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644); err == nil {
				fmt.Fprintln(fh, outcome)
				fh.Close()
			}
		}
	})
}

// fuzzImportOne checks one input and names its outcome.
func fuzzImportOne(t *testing.T, data, honest []byte, honestDump map[string]string, mine *engine.Run) string {
	kind := "bytes"
	file := data
	if len(data) > 0 {
		file = data[1:]
	}
	if len(data) > 0 && data[0]%2 == 1 {
		kind = "sql"
		file = applyEdits(t, honest, data[1:])
	}
	db, err := New()
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.CreateRun("11111111", "mine", created, mine); err != nil {
		t.Fatal(err)
	}
	before, _ := db.Bytes()
	rep, err := db.Import(file)
	if err != nil || len(rep.Imported) == 0 {
		if after, _ := db.Bytes(); !bytes.Equal(before, after) {
			t.Fatalf("a refused import changed the database (%v)", err)
		}
		return kind + " refused"
	}
	r, _, err := db.Open("11111111")
	if err != nil || !reflect.DeepEqual(r.Hashes(), mine.Hashes()) {
		t.Fatalf("the existing run changed on import: %v", err)
	}
	// What got in (a damaged file may read differently through its indexes and its tables).
	after, _ := db.Bytes()
	dump, err := dumpRuns(after)
	if err != nil {
		t.Fatalf("the database cannot be read back after an import: %v", err)
	}
	forged := 0
	for _, ri := range rep.Imported {
		if _, _, err := db.Open(ri.ID); err != nil {
			t.Fatalf("an imported run does not open: %v", err)
		}
		if dump[ri.ID] == honestDump[ri.ID] {
			continue
		}
		forged++
		if err := replayAndVerify(db, ri.ID); err == nil {
			t.Fatalf("run %s differs from the honest run but imports and replays as verified:\n%s\n---\n%s", ri.ID, dump[ri.ID], honestDump[ri.ID])
		}
	}
	if forged > 0 {
		// Import checks what the stored agents determine; the seed and the generator state (how the
		// agents came to be) only a replay can check, and it did not verify.
		return kind + " forged-imported-not-verified"
	}
	return kind + " imported"
}

// replayAndVerify replays run id of db to the end and returns the verdict.
func replayAndVerify(db *DB, id string) error {
	p, _, err := db.Replay(id)
	if err != nil {
		return err
	}
	for !p.Done() {
		if err := p.Step(); err != nil {
			return err
		}
	}
	return db.Verify(id, p)
}

// stepToEnd steps replay p to its end, failing the test on an error.
func stepToEnd(t testing.TB, p *engine.Replay) {
	t.Helper()
	for !p.Done() {
		if err := p.Step(); err != nil {
			t.Fatal(err)
		}
	}
}

// fuzzTables and their columns that edits may touch (the key columns too: that is the point).
var fuzzTables = []string{"runs", "agents", "metrics", "events", "transcripts", "texts"}

// applyEdits applies a program of 4-byte edits (op, table, row, argument) to a copy of the honest
// database and returns its bytes. Edits SQLite refuses (constraints) are skipped.
func applyEdits(t *testing.T, honest, prog []byte) []byte {
	db, err := Load(honest)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for len(prog) >= 4 {
		op, table, row, arg := prog[0]%10, fuzzTables[int(prog[1])%len(fuzzTables)], int(prog[2])%40, int(prog[3])
		prog = prog[4:]
		cols := columnsOf(db, table)
		col := cols[arg%len(cols)]
		target := fmt.Sprintf("rowid = (SELECT rowid FROM %s ORDER BY rowid LIMIT 1 OFFSET %d)", table, row)
		var sql string
		switch op {
		case 0:
			sql = fmt.Sprintf("UPDATE %s SET %s = %s + 1e-9 WHERE %s", table, col, col, target)
		case 1:
			sql = fmt.Sprintf("UPDATE %s SET %s = 1.0 WHERE %s", table, col, target)
		case 2:
			sql = fmt.Sprintf("UPDATE %s SET %s = %s || 'x' WHERE %s", table, col, col, target)
		case 3:
			sql = fmt.Sprintf("DELETE FROM %s WHERE %s", table, target)
		case 4:
			key := map[string]string{"runs": "id", "agents": "created_iteration", "metrics": "iteration", "events": "iteration", "transcripts": "iteration", "texts": "id"}[table]
			var sel []string
			for _, c := range cols {
				if c == key {
					if table == "runs" {
						sel = append(sel, "'f00df00d'")
					} else {
						sel = append(sel, fmt.Sprintf("%s + %d", c, 1000+arg))
					}
				} else {
					sel = append(sel, c)
				}
			}
			sql = fmt.Sprintf("INSERT INTO %s SELECT %s FROM %s WHERE %s", table, strings.Join(sel, ", "), table, target)
		case 5:
			sql = []string{
				"CREATE VIEW v AS SELECT * FROM runs",
				"CREATE TRIGGER trg AFTER INSERT ON agents BEGIN DELETE FROM runs; END",
				"CREATE TABLE extra (x)",
				"CREATE INDEX extra_idx ON metrics (best_fitness)",
			}[arg%4]
		case 6:
			sql = fmt.Sprintf("UPDATE %s SET %s = NULL WHERE %s", table, col, target)
		case 7:
			sql = fmt.Sprintf("UPDATE %s SET %s = 9e999 WHERE %s", table, col, target)
		case 8:
			sql = fmt.Sprintf("UPDATE %s SET %s = (SELECT %s FROM %s ORDER BY rowid LIMIT 1 OFFSET %d) WHERE %s", table, col, col, table, (row+1+arg)%40, target)
		case 9:
			db.mu.Lock()
			var st []byte
			db.queryRow(`SELECT state FROM runs ORDER BY rowid LIMIT 1 OFFSET ?`, []any{row % 3}, func(s *sqlite3.Stmt) { st = s.ColumnBlob(0, nil) })
			if len(st) > 0 {
				st[arg%len(st)] ^= byte(1 + arg%255)
				db.exec(`UPDATE runs SET state = ? WHERE rowid = (SELECT rowid FROM runs ORDER BY rowid LIMIT 1 OFFSET ?)`, st, row%3)
			}
			db.mu.Unlock()
			continue
		}
		db.mu.Lock()
		db.closeStmts()
		db.conn.Exec(sql) // refused edits are skipped
		db.mu.Unlock()
	}
	out, err := db.Bytes()
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// columnsOf lists a table's columns.
func columnsOf(db *DB, table string) []string {
	db.mu.Lock()
	defer db.mu.Unlock()
	var out []string
	db.query(`SELECT name FROM pragma_table_info(?)`, []any{table}, func(s *sqlite3.Stmt) error {
		out = append(out, s.ColumnText(0))
		return nil
	})
	return out
}

// dumpRuns writes, per run id, every stored value of the run's rows in every table (but its name
// and creation time, which are the sharer's to choose) and the schema's objects, so two files can
// be compared run by run.
func dumpRuns(file []byte) (map[string]string, error) {
	db, err := Load(file)
	if err != nil {
		return nil, err
	}
	defer db.Close()
	db.mu.Lock()
	defer db.mu.Unlock()
	var schema strings.Builder
	db.query(`SELECT type, name, sql FROM sqlite_schema ORDER BY type, name`, nil, func(s *sqlite3.Stmt) error {
		fmt.Fprintf(&schema, "%s %s %s\n", s.ColumnText(0), s.ColumnText(1), s.ColumnText(2))
		return nil
	})
	out := map[string]string{}
	for _, table := range fuzzTables {
		key := "run_id"
		if table == "runs" {
			key = "id"
		}
		err := db.query(`SELECT * FROM `+table+` ORDER BY rowid`, nil, func(s *sqlite3.Stmt) error {
			var id string
			var b strings.Builder
			b.WriteString(table)
			for c := range s.ColumnCount() {
				name := s.ColumnName(c)
				if name == key {
					id = s.ColumnText(c)
				}
				if table == "runs" && (name == "name" || name == "created_at") {
					continue
				}
				fmt.Fprintf(&b, " %s=%d:%s", name, s.ColumnType(c), s.ColumnText(c))
				if s.ColumnType(c) == sqlite3.BLOB {
					fmt.Fprintf(&b, "%x", s.ColumnRawBlob(c))
				}
			}
			out[id] += b.String() + "\n"
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	for id := range out {
		out[id] += schema.String()
	}
	return out, nil
}

// newAdaptiveRun runs an adaptive run for the fuzz corpus.
func newAdaptiveRun(t testing.TB, domain string, n int) *engine.Run {
	t.Helper()
	return adaptiveRun(t, domain, engine.SelectDGM, engine.MetaEvolve, n)
}
