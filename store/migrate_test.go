package store

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/ncruces/go-sqlite3"

	"hyperagents/engine"
)

// TestOldFilesMigrate opens files made by earlier releases (schemas 1 to 4, see
// testdata/README.md): they migrate to the current schema without changing the file's bytes, their
// runs keep their conditions and domain (renamed code_review), open, and replay as verified; runs
// of the current engine version verify row for row (Verify), so converted rows are what saving
// writes.
func TestOldFilesMigrate(t *testing.T) {
	want := map[string][]string{
		"schema1.sqlite": {"code_review hyperagent/evolve/seed/standard", "code_review baseline/frozen/seed/seed"},
		"schema2.sqlite": {"code_review no_archive/evolve/best/standard", "code_review hyperagent/evolve/seed/seed"},
		"schema3.sqlite": {"wine evolve×dgm/evolve/dgm/adaptive", "maze hyperagent/evolve/seed/adaptive"},
		"schema4.sqlite": {"code_review hyperagent/evolve/seed/standard", "code_review hyperagent/evolve/seed/seed",
			"wine evolve×dgm/evolve/dgm/adaptive", "digits10 evolve×dgm/evolve/dgm/adaptive", "maze hyperagent/evolve/seed/adaptive",
			"hidden:3 evolve×dgm/evolve/dgm/adaptive"},
	}
	for file, conds := range want {
		data, err := os.ReadFile(filepath.Join("testdata", file))
		if err != nil {
			t.Fatal(err)
		}
		orig := bytes.Clone(data)
		db, err := Load(data)
		if err != nil {
			t.Fatalf("%s: %v", file, err)
		}
		if !bytes.Equal(data, orig) {
			t.Errorf("%s: loading changed the file's bytes", file)
		}
		var v int64
		db.queryRow(`PRAGMA user_version`, nil, func(s *sqlite3.Stmt) { v = s.ColumnInt64(0) })
		if v != SchemaVersion {
			t.Errorf("%s: user_version %d after loading", file, v)
		}
		runs, err := db.Runs()
		if err != nil || len(runs) != len(conds) {
			t.Fatalf("%s: %d runs, %v", file, len(runs), err)
		}
		var got []string
		for _, ri := range runs {
			c := ri.Config
			got = append(got, ri.Domain+" "+c.ConditionName()+"/"+c.Meta.String()+"/"+c.Selection.String()+"/"+c.Flavour.String())
			r, _, err := db.Open(ri.ID)
			if err != nil {
				t.Fatalf("%s: run %s does not open: %v", file, ri.ID, err)
			}
			hashes, _ := db.Hashes(ri.ID)
			p, err := engine.NewReplay(r.Config(), r.Domain(), hashes)
			if err != nil {
				t.Fatal(err)
			}
			stepToEnd(t, p)
			if ok, at := p.Result(); !ok {
				t.Errorf("%s: run %s replays differently from iteration %d", file, ri.ID, at)
			}
			if ri.EngineVersion == engine.Version {
				if err := db.Verify(ri.ID, p); err != nil {
					t.Errorf("%s: run %s after conversion: %v", file, ri.ID, err)
				}
			}
		}
		slices.Sort(got)
		slices.Sort(conds)
		if !slices.Equal(got, conds) {
			t.Errorf("%s: conditions %v, want %v", file, got, conds)
		}
		if ts, err := db.Transcripts(runs[0].ID); err != nil || len(ts) != 0 {
			t.Errorf("%s: transcripts of a migrated run: %v, %v", file, ts, err)
		}
		if sw, err := db.Sweeps(); err != nil || len(sw) != 0 {
			t.Errorf("%s: sweeps of a migrated file: %v, %v", file, sw, err)
		}
		db.Close()
	}
}
