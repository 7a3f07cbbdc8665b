package store

import (
	"context"
	"strings"
	"testing"

	"github.com/ncruces/go-sqlite3"

	"hyperagents/engine"
)

// forge makes a file holding one honest run of cfg on domain name, then applies the SQL edits (and
// goEdit, if not nil) to it, and returns the file's bytes.
func forge(t *testing.T, name string, cfg engine.Config, n int, goEdit func(*DB), edits ...string) []byte {
	t.Helper()
	d, err := engine.LookupDomain(name)
	if err != nil {
		t.Fatal(err)
	}
	r, err := engine.New(cfg, d)
	if err != nil {
		t.Fatal(err)
	}
	if err := r.RunN(context.Background(), n, nil); err != nil {
		t.Fatal(err)
	}
	db := newDB(t)
	if err := db.CreateRun("f0f0f0f0", "honest", created, r); err != nil {
		t.Fatal(err)
	}
	for _, e := range edits {
		if err := db.conn.Exec(e); err != nil {
			t.Fatalf("%s: %v", e, err)
		}
	}
	if goEdit != nil {
		goEdit(db)
	}
	data, err := db.Bytes()
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// replayVerdict replays run id of db to the end and returns the verdict of [DB.Verify].
func replayVerdict(t *testing.T, db *DB, id string) error {
	t.Helper()
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

// TestForgedNumbersAreCaught edits every kind of stored number a run's file claims — the metrics'
// columns, the run's summary, events, the generator state, rows past the last iteration, orphan
// transcripts, infinities — and checks that import refuses the file naming the table, row and
// column, and that a replay of the file in place does not say verified. The honest file passes both.
func TestForgedNumbersAreCaught(t *testing.T) {
	std := engine.ModeHyperagent.Config(engine.FlavourStandard, 7)
	adp := engine.Config{Flavour: engine.FlavourAdaptive, Meta: engine.MetaEvolve, Selection: engine.SelectDGM, Seed: 3}
	cases := []struct {
		name, domain string
		cfg          engine.Config
		edit, want   string
	}{
		{"honest", engine.CodeReviewName, std, "", ""},
		{"honest adaptive", "digits", adp, "", ""},
		{"metrics best train", engine.CodeReviewName, std, `UPDATE metrics SET best_fitness = 1.0 WHERE iteration >= 10`, "metrics, iteration 10, best_fitness"},
		{"metrics and runs claim 1.000", engine.CodeReviewName, std,
			`UPDATE metrics SET best_fitness = 1.0, best_test_accuracy = 1.0; UPDATE runs SET best_train = 1.0, best_test = 1.0`, "metrics, iteration 0, best_fitness"},
		{"runs best test", "digits", adp, `UPDATE runs SET best_test = best_test + 0.25`, "runs, best_test"},
		{"runs best agent", engine.CodeReviewName, std, `UPDATE runs SET best_agent_id = 'agent-003'`, "runs, best_agent_id"},
		{"runs iterations", engine.CodeReviewName, std, `UPDATE runs SET iterations = iterations - 1`, "iterations"},
		{"child test accuracy", "digits", adp, `UPDATE metrics SET child_test_accuracy = 0.99 WHERE iteration = 17`, "metrics, iteration 17, child_test_accuracy"},
		{"meta knob column", "digits", adp, `UPDATE metrics SET meta_sigma = 0.5 WHERE iteration = 5`, "metrics, iteration 5, meta_sigma"},
		{"best val", "digits", adp, `UPDATE metrics SET best_val_accuracy = 1 WHERE iteration = 30`, "metrics, iteration 30, best_val_accuracy"},
		{"infinity", engine.CodeReviewName, std, `UPDATE metrics SET child_train_accuracy = 9e999 WHERE iteration = 3`, "metrics, iteration 3, child_train_accuracy"},
		{"events delta", engine.CodeReviewName, std, `UPDATE events SET fitness_delta = 0.5 WHERE iteration = 4`, "events, iteration 4, fitness_delta"},
		{"events parent", engine.CodeReviewName, std, `UPDATE events SET parent_agent_id = 'agent-000' WHERE iteration = 20`, "events, iteration 20"},
		{"event past the end", engine.CodeReviewName, std,
			`INSERT INTO events VALUES ('f0f0f0f0', 41, 'agent-000', 'agent-041', 0, 'heuristic', 0)`, "events"},
		{"missing event", engine.CodeReviewName, std, `DELETE FROM events WHERE iteration = 9`, "events"},
		{"orphan transcript", engine.CodeReviewName, std,
			`INSERT INTO transcripts VALUES ('f0f0f0f0', 55, 'm', '{}', 'r', 0, '', 1, 1, '')`, "transcripts, iteration 55"},
		{"transcript on a heuristic child", engine.CodeReviewName, std,
			`INSERT INTO transcripts VALUES ('f0f0f0f0', 12, 'm', '{}', 'no json', 0, '', 1, 1, '')`, "transcripts, iteration 12"},
		{"engine version", engine.CodeReviewName, std, `UPDATE runs SET engine_version = 'hyperagents-engine/0'`, "engine_version"},
	}
	// The generator state: the one stored number not derivable from the agents. Import checks its
	// form (a run must resume from it); replay, which re-executes, checks its value.
	stateFile := forge(t, engine.CodeReviewName, std, 40, func(db *DB) {
		var st []byte
		db.queryRow(`SELECT state FROM runs`, nil, func(s *sqlite3.Stmt) { st = s.ColumnBlob(0, nil) })
		st[len(st)-1] ^= 1
		if err := db.exec(`UPDATE runs SET state = ?`, st); err != nil {
			t.Fatal(err)
		}
	})
	in, _ := Load(stateFile)
	if err := replayVerdict(t, in, "f0f0f0f0"); err == nil || !strings.Contains(err.Error(), "runs, state") {
		t.Errorf("a forged generator state: replay says %v", err)
	}
	in.Close()
	for _, tt := range cases {
		var data []byte
		if tt.edit == "" {
			data = forge(t, tt.domain, tt.cfg, 40, nil)
		} else {
			data = forge(t, tt.domain, tt.cfg, 40, nil, tt.edit)
		}
		db := newDB(t)
		rep, err := db.Import(data)
		imported := err == nil && len(rep.Imported) == 1
		in, lerr := Load(data)
		if lerr != nil {
			t.Fatalf("%s: %v", tt.name, lerr)
		}
		verdict := replayVerdict(t, in, "f0f0f0f0")
		in.Close()
		if tt.want == "" {
			if !imported || verdict != nil {
				t.Errorf("%s: an honest file: import %v %s, replay %v", tt.name, err, rep, verdict)
			}
			continue
		}
		if imported {
			t.Errorf("%s: the forged file was imported", tt.name)
		} else if msg := rep.String(); err == nil && !strings.Contains(msg, tt.want) {
			t.Errorf("%s: import refused it, but the message %q does not name %q", tt.name, msg, tt.want)
		}
		if verdict == nil {
			t.Errorf("%s: the forged file replays as verified", tt.name)
		} else if !strings.Contains(verdict.Error(), tt.want) {
			t.Errorf("%s: replay says %q, which does not name %q", tt.name, verdict, tt.want)
		}
	}
}
