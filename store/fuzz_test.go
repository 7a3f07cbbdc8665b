package store

import (
	"bytes"
	"reflect"
	"testing"

	"hyperagents/engine"
)

// FuzzImport feeds arbitrary bytes, starting from real exports, to Import: it must never panic,
// and it must never change or lose the run already in the database.
//
// `go test -fuzz` instruments every package for coverage, SQLite's 100,000-line Go translation
// included, which makes each input ~300× slower (about one a second here). make fuzz runs the same
// target from a test binary built without instrumentation: unguided mutation, ~450 inputs a second.
func FuzzImport(f *testing.F) {
	src := newDB(f)
	src.CreateRun("feedf00d", "seed corpus", created, newRun(f, engine.Config{Seed: 11}, 2))
	src.CreateRun("0badc0de", "second", created, newRun(f, engine.ModeNoArchive.Config(engine.FlavourSeed, 3), 1))
	full, _ := src.Bytes()
	one, _ := src.Export("feedf00d")
	empty, _ := newDB(f).Bytes()
	f.Add(full)
	f.Add(one)
	f.Add(empty)
	f.Add(full[:len(full)/2])
	f.Add([]byte("SQLite format 3\x00"))
	f.Add([]byte{})

	mine := newRun(f, engine.Config{Seed: 12}, 1)
	f.Fuzz(func(t *testing.T, data []byte) {
		db, err := New()
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		if err := db.CreateRun("11111111", "mine", created, mine); err != nil {
			t.Fatal(err)
		}
		before, _ := db.Bytes()
		rep, err := db.Import(data)
		if err != nil || len(rep.Imported) == 0 {
			if after, _ := db.Bytes(); !bytes.Equal(before, after) {
				t.Fatalf("a refused import changed the database (%v)", err)
			}
			return
		}
		r, _, err := db.Open("11111111")
		if err != nil || !reflect.DeepEqual(r.Hashes(), mine.Hashes()) {
			t.Fatalf("the existing run changed on import: %v", err)
		}
		for _, ri := range rep.Imported {
			if _, _, err := db.Open(ri.ID); err != nil {
				t.Fatalf("an imported run does not open: %v", err)
			}
		}
	})
}
