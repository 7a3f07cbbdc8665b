package store

import (
	"bytes"
	"flag"
	"os"
	"testing"
)

var update = flag.Bool("update", false, "rewrite empty.sqlite from the migrations")

// TestEmptyDatabaseIsCurrent checks that the empty database New copies is the file the migrations
// make today, byte for byte, that New's database is that file, and that NewMigrated stops between
// every step (each migration after the first, and before the compaction).
func TestEmptyDatabaseIsCurrent(t *testing.T) {
	calls := 0
	m, err := NewMigrated(func() { calls++ })
	if err != nil {
		t.Fatal(err)
	}
	if calls != SchemaVersion {
		t.Errorf("NewMigrated stopped %d times, want %d (between %d migrations, then before the compaction)", calls, SchemaVersion, SchemaVersion)
	}
	defer m.Close()
	want, err := m.Bytes()
	if err != nil {
		t.Fatal(err)
	}
	if *update {
		if err := os.WriteFile("empty.sqlite", want, 0o644); err != nil {
			t.Fatal(err)
		}
		emptyDatabase = want
	}
	if !bytes.Equal(emptyDatabase, want) {
		t.Fatalf("empty.sqlite (%d bytes) is not what the migrations make (%d bytes): run go test ./store -run TestEmptyDatabaseIsCurrent -update", len(emptyDatabase), len(want))
	}
	got, err := newDB(t).Bytes()
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("New's database (%d bytes) differs from empty.sqlite", len(got))
	}
}
