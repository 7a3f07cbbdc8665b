package store

import (
	"fmt"
	"sync/atomic"

	"github.com/ncruces/go-sqlite3"
	"github.com/ncruces/go-sqlite3/util/vfsutil"
	"github.com/ncruces/go-sqlite3/vfs"
)

// Serializing works as ncruces's ext/serdes does (an online backup to or from a VFS whose only
// file is a byte slice), but each call registers its own VFS bound to its own slice. serdes hands
// the slice over through a package-global channel, which deadlocks every later call once a backup
// fails before opening the file, as hostile files can make it.

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

// memdbSector is the memdb VFS's unit of storage.
const memdbSector = 64 << 10

// readMemdb copies the memdb file name as it stands, under a shared lock: the file is the
// database between transactions, and reading it is a plain copy of its 64 KiB sectors, where an
// online backup goes page by page through SQLite, which under WebAssembly took 150 ms for 20 MB.
// The caller holds mu, so no transaction of ours is open.
func readMemdb(name string) ([]byte, error) {
	f, _, err := vfs.Find("memdb").Open("/"+name, vfs.OPEN_MAIN_DB|vfs.OPEN_READONLY)
	if err != nil {
		return nil, fmt.Errorf("store: serialize: open %s: %w", name, err)
	}
	defer f.Close()
	if err := f.Lock(vfs.LOCK_SHARED); err != nil {
		return nil, fmt.Errorf("store: serialize: lock %s: %w", name, err)
	}
	defer f.Unlock(vfs.LOCK_NONE)
	size, err := f.Size()
	if err != nil {
		return nil, fmt.Errorf("store: serialize: size of %s: %w", name, err)
	}
	b := make([]byte, size)
	for off := int64(0); off < size; off += memdbSector { // memdb reads within one sector at a time
		if _, err := f.ReadAt(b[off:min(off+memdbSector, size)], off); err != nil {
			return nil, fmt.Errorf("store: serialize: read %s at %d: %w", name, off, err)
		}
	}
	return b, nil
}
