package store

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"

	"hyperagents/engine"
	"hyperagents/lab"
)

const sweepSpec = `{"domains": ["wine", "maze"],
 "conditions": [{"name": "hyperagent", "meta": "evolve", "selection": "default"},
                {"name": "frozen", "meta": "frozen", "selection": "default"}],
 "seeds": 3, "iterations": 12, "checkpoints": [6, 12], "reference": "hyperagent"}`

// newSweep runs the small sweep slice by slice, as the page does.
func newSweep(t *testing.T) *lab.Sweep {
	t.Helper()
	spec, err := engine.ParseSpec([]byte(sweepSpec))
	if err != nil {
		t.Fatal(err)
	}
	plan, _ := spec.Plan(0, 1)
	job := engine.NewSweepJob(spec, plan)
	for !job.Finished() {
		if err := job.Step(context.Background(), 50); err != nil {
			t.Fatal(err)
		}
	}
	sw, err := lab.FinishSweep(spec, job.Series(), job.CSV())
	if err != nil {
		t.Fatal(err)
	}
	return sw
}

// TestSweepSavedExportedImported saves a sweep, lists it, reopens it with the same files, renames
// it, exports it alone to a file that imports elsewhere (and only once), and deletes it.
func TestSweepSavedExportedImported(t *testing.T) {
	sw := newSweep(t)
	db := newDB(t)
	if err := db.SaveSweep("5eed5eed", "two domains", created, sw, nil); err != nil {
		t.Fatal(err)
	}
	list, err := db.Sweeps()
	if err != nil || len(list) != 1 {
		t.Fatalf("sweeps %v, %v", list, err)
	}
	si := list[0]
	if si.Name != "two domains" || si.Runs != 12 || si.Iterations != 12 || si.CSVBytes != len(sw.Files[lab.RunsFile]) || si.Spec != string(sw.Files[lab.SpecFile]) {
		t.Errorf("listed %+v", si)
	}
	back, _, err := db.Sweep("5eed5eed")
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range lab.SweepFiles {
		if !bytes.Equal(back.Files[f], sw.Files[f]) {
			t.Errorf("%s differs after saving and reopening", f)
		}
	}
	if err := db.RenameSweep("5eed5eed", "renamed"); err != nil {
		t.Fatal(err)
	}
	if err := db.RenameSweep("5eed5eed", "bad\x00name"); !errors.Is(err, ErrBadName) {
		t.Errorf("a control character in a name: %v", err)
	}
	file, err := db.ExportSweeps("5eed5eed")
	if err != nil {
		t.Fatal(err)
	}
	other := newDB(t)
	rep, err := other.Import(file)
	if err != nil || len(rep.ImportedSweeps) != 1 || len(rep.Imported) != 0 || rep.String() != "Imported 0 run(s) and 1 sweep(s)." {
		t.Fatalf("import: %v, %v", rep, err)
	}
	if _, si, err := other.Sweep("5eed5eed"); err != nil || si.Name != "renamed" {
		t.Errorf("imported sweep: %+v, %v", si, err)
	}
	rep, err = other.Import(file)
	if err != nil || len(rep.RefusedSweeps) != 1 || !strings.Contains(rep.String(), "already here") {
		t.Errorf("second import: %v, %v", rep, err)
	}
	if err := db.DeleteSweep("5eed5eed"); err != nil {
		t.Fatal(err)
	}
	if _, _, err := db.Sweep("5eed5eed"); !errors.Is(err, ErrNoSweep) {
		t.Errorf("deleted sweep opens: %v", err)
	}
	if _, err := db.ExportSweeps("5eed5eed"); !errors.Is(err, ErrNoSweep) {
		t.Errorf("deleted sweep exports: %v", err)
	}
}

// TestForgedSweepsAreRefused edits a saved sweep's stored data at the SQL level in ways a forger
// would: a better summary, a changed number in runs.csv, a claimed size, another engine, a spec
// that is not the canonical one. Each is refused on open and on import, with the reason.
func TestForgedSweepsAreRefused(t *testing.T) {
	sw := newSweep(t)
	for _, c := range []struct {
		name, want string
		edit       func(db *DB)
	}{
		{"summary improved", "stored summary is not what its runs.csv gives", func(db *DB) {
			db.conn.Exec(`UPDATE sweeps SET summary_json = replace(summary_json, '"wins": ', '"wins": 1')`)
		}},
		{"runs.csv edited", "stored summary is not what its runs.csv gives", func(db *DB) {
			// The best test score of the first seed's run at the last iteration becomes 0.999.
			lines := strings.SplitAfter(string(sw.Files[lab.RunsFile]), "\n")
			edited := 0
			for i, l := range lines {
				if strings.HasPrefix(l, "wine,hyperagent,evolve,dgm,adaptive,7,0,12,") {
					f := strings.Split(l, ",")
					f[10] = "0.999"
					lines[i] = strings.Join(f, ",")
					edited++
				}
			}
			if edited != 1 {
				t.Fatalf("edited %d lines", edited)
			}
			csv := []byte(strings.Join(lines, ""))
			forged := *sw
			forged.Files = map[string][]byte{lab.RunsFile: csv, lab.SpecFile: sw.Files[lab.SpecFile], lab.SummaryJSON: sw.Files[lab.SummaryJSON]}
			db.conn.Exec(`DELETE FROM sweeps`)
			db.SaveSweep("5eed5eed", "forged", created, &forged, nil)
		}},
		{"size claimed", "does not unpack", func(db *DB) {
			db.conn.Exec(`UPDATE sweeps SET runs_csv_size = runs_csv_size - 1`)
		}},
		{"another engine", "cannot re-derive", func(db *DB) {
			db.conn.Exec(`UPDATE sweeps SET engine_version = 'hyperagents-engine/0'`)
		}},
		{"spec reformatted", "canonical", func(db *DB) {
			db.conn.Exec(`UPDATE sweeps SET spec_json = replace(spec_json, '  ', ' ')`)
		}},
		{"runs claimed", "claims", func(db *DB) {
			db.conn.Exec(`UPDATE sweeps SET runs = 13`)
		}},
	} {
		t.Run(c.name, func(t *testing.T) {
			db := newDB(t)
			if err := db.SaveSweep("5eed5eed", "honest", created, sw, nil); err != nil {
				t.Fatal(err)
			}
			c.edit(db)
			if _, _, err := db.Sweep("5eed5eed"); !errors.Is(err, ErrBadSweep) || !strings.Contains(err.Error(), c.want) {
				t.Errorf("open: %v, want %q", err, c.want)
			}
			file, err := db.Bytes()
			if err != nil {
				t.Fatal(err)
			}
			other := newDB(t)
			rep, err := other.Import(file)
			if err != nil || len(rep.ImportedSweeps) != 0 || len(rep.RefusedSweeps) != 1 || !strings.Contains(rep.RefusedSweeps[0].Reason, c.want) {
				t.Errorf("import: %+v, %v", rep, err)
			}
			if list, _ := other.Sweeps(); len(list) != 0 {
				t.Errorf("a refused sweep is in the database: %+v", list)
			}
		})
	}
}
