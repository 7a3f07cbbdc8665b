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
