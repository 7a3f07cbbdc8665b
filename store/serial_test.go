package store

import (
	"bytes"
	"fmt"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/ncruces/go-sqlite3"
	"github.com/ncruces/go-sqlite3/util/vfsutil"
	"github.com/ncruces/go-sqlite3/vfs"

	"hyperagents/engine"
)

// The reference Bytes is checked against: SQLite's own online backup into a byte slice, as
// ncruces's ext/serdes does it, but with a VFS of its own per call (serdes hands the slice over
// through a package-global channel).

var serialSeq atomic.Uint64

// oneFileVFS is a VFS whose only file, "db", is a byte slice.
type oneFileVFS struct{ file *[]byte }

func (v oneFileVFS) Open(name string, flags vfs.OpenFlag) (vfs.File, vfs.OpenFlag, error) {
	if flags&vfs.OPEN_MAIN_DB == 0 || name != "db" {
		return nil, flags, sqlite3.CANTOPEN
	}
	return (*vfsutil.SliceFile)(v.file), flags | vfs.OPEN_MEMORY, nil
}

func (oneFileVFS) Delete(string, bool) error { return sqlite3.IOERR_DELETE }

func (oneFileVFS) Access(name string, _ vfs.AccessFlag) (bool, error) { return name == "db", nil }

func (oneFileVFS) FullPathname(name string) (string, error) { return name, nil }

// withSlice registers a VFS over file for the duration of f, passing f the URI to open it.
func withSlice(file *[]byte, f func(uri string) error) error {
	name := fmt.Sprintf("hyperagents-serial-%d", serialSeq.Add(1))
	vfs.Register(name, oneFileVFS{file: file})
	defer vfs.Unregister(name)
	return f("file:db?nolock=1&vfs=" + name)
}

// serialize returns the bytes of schema (e.g. "main") of conn.
func serialize(conn *sqlite3.Conn, schema string) ([]byte, error) {
	var file []byte
	err := withSlice(&file, func(uri string) error { return conn.Backup(schema, uri) })
	return file, err
}

func TestSerdesIsSQLite(t *testing.T) {
	db := newDB(t)
	b, _ := db.Bytes()
	if !strings.HasPrefix(string(b), "SQLite format 3\x00") {
		t.Fatal("not an SQLite file")
	}
	var v int64
	db.queryRow(`PRAGMA application_id`, nil, func(s *sqlite3.Stmt) { v = s.ColumnInt64(0) })
	if v != ApplicationID {
		t.Errorf("application id %#x", v)
	}
}

// TestBytesCopiesTheFile checks that Bytes, a copy of the memdb file, is what SQLite's online
// backup writes for the same database — byte for byte past the header's change counters — for a
// database of many 64 KiB sectors; and after a delete (when the backup lays out free pages its own
// way) that the copy passes every check of Load and holds the same rows.
func TestBytesCopiesTheFile(t *testing.T) {
	db := newDB(t)
	for i, id := range []string{"0123abcd", "0123abce", "0123abcf"} {
		if err := db.CreateRun(id, "bytes", created, newRun(t, engine.Config{Seed: uint64(i + 1)}, 150)); err != nil {
			t.Fatal(err)
		}
	}
	fast, err := db.Bytes()
	if err != nil {
		t.Fatal(err)
	}
	slow, err := serialize(db.conn, "main")
	if err != nil {
		t.Fatal(err)
	}
	if len(fast) != len(slow) || len(fast) < 4*memdbSector {
		t.Fatalf("Bytes gave %d bytes, the backup %d (want several sectors)", len(fast), len(slow))
	}
	// Offsets 24, 40 and 92 of the header count changes; a backup starts them afresh.
	for _, off := range []int{24, 40, 92} {
		copy(fast[off:off+4], slow[off:off+4])
	}
	if !bytes.Equal(fast, slow) {
		t.Fatal("Bytes differs from SQLite's backup of the same database")
	}

	if err := db.Delete("0123abce"); err != nil {
		t.Fatal(err)
	}
	fast, err = db.Bytes()
	if err != nil {
		t.Fatal(err)
	}
	x, err := Load(fast)
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	for _, id := range []string{"0123abcd", "0123abcf"} {
		a, _ := db.CSV(id)
		b, err := x.CSV(id)
		if err != nil || !bytes.Equal(a, b) {
			t.Errorf("run %s in the copy: %v, same rows %v", id, err, bytes.Equal(a, b))
		}
	}
	if runs, _ := x.Runs(); len(runs) != 2 {
		t.Errorf("the copy holds %d runs, want 2", len(runs))
	}
}
