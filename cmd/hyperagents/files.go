package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"

	"hyperagents/store"
)

// Files from the command line are read once, whole, into memory, after checks that cost nothing
// and cannot block: the path must name a regular file (a symbolic link to one is fine) no larger
// than the limit, checked with stat before a byte is read; the read itself is bounded too, in
// case the file grows. Devices, FIFOs, directories and links to them get a message at once.
// Writes go to a temporary file in the target's directory and are renamed into place; a database
// named through a symbolic link is written to the link's target, keeping its mode; an output never
// replaces a link, a device or a directory.

// maxSpecFile bounds the JSON files a command reads (specs, shard manifests).
const maxSpecFile = 1 << 20

// readInput reads the regular file at path, of at most limit bytes.
func readInput(path string, limit int64) ([]byte, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if !fi.Mode().IsRegular() {
		return nil, fmt.Errorf("%s is not a regular file (%s)", path, kind(fi.Mode()))
	}
	if fi.Size() > limit {
		return nil, fmt.Errorf("%s: %d MB, at most %d MB", path, fi.Size()>>20, limit>>20)
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if int64(len(data)) > limit {
		return nil, fmt.Errorf("%s grew past %d MB while it was read", path, limit>>20)
	}
	return data, nil
}

// kind names a non-regular file mode for a message.
func kind(m fs.FileMode) string {
	switch {
	case m.IsDir():
		return "a directory"
	case m&fs.ModeNamedPipe != 0:
		return "a named pipe"
	case m&fs.ModeSocket != 0:
		return "a socket"
	case m&fs.ModeDevice != 0:
		return "a device"
	case m&fs.ModeSymlink != 0:
		return "a symbolic link"
	}
	return "not a regular file"
}

// openDB reads a database file; a missing file gives an empty database when create is set. The
// database's queries stop when ctx is cancelled (Ctrl-C).
func openDB(ctx context.Context, path string, create bool) (*store.DB, error) {
	var db *store.DB
	data, err := readInput(path, store.MaxFileSize)
	switch {
	case errors.Is(err, fs.ErrNotExist) && create:
		db, err = store.New()
	case err != nil:
		return nil, err
	default:
		db, err = store.LoadContext(ctx, data)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
	}
	if err != nil {
		return nil, err
	}
	db.SetContext(ctx)
	return db, nil
}

// saveDB writes the database to path atomically: through a symbolic link to its target, keeping
// an existing file's mode.
func saveDB(path string, db *store.DB) error {
	data, err := db.Bytes()
	if err != nil {
		return err
	}
	target := path
	if t, err := filepath.EvalSymlinks(path); err == nil {
		target = t
	} else if !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	return writeFileAtomic(target, data)
}

// writeFileAtomic writes data to path through a temporary file in the same directory.
func writeFileAtomic(path string, data []byte) error {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	return writeFilesAtomic(dir, map[string][]byte{filepath.Base(path): data})
}

// checkWritableDir creates dir if needed and proves a file can be created in it, before any work.
func checkWritableDir(dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("output directory: %w", err)
	}
	f, err := os.CreateTemp(dir, ".hyperagents-probe-*")
	if err != nil {
		return fmt.Errorf("output directory %s is not writable: %w", dir, err)
	}
	name := f.Name()
	f.Close()
	return os.Remove(name)
}

// writeFilesAtomic writes every file to a temporary name in dir first and renames them into place
// only when all were written, so a failure never leaves a partial file under a final name. A file
// that exists is replaced only when it is a regular file (keeping its mode); a link, a device or a
// directory in the way is an error and nothing is renamed.
func writeFilesAtomic(dir string, files map[string][]byte) (err error) {
	modes := map[string]fs.FileMode{}
	for name := range files {
		modes[name] = 0o644
		fi, err := os.Lstat(filepath.Join(dir, name))
		switch {
		case errors.Is(err, fs.ErrNotExist):
		case err != nil:
			return fmt.Errorf("write %s: %w", name, err)
		case !fi.Mode().IsRegular():
			return fmt.Errorf("write %s: %s is in the way; not replacing it", name, kind(fi.Mode()))
		default:
			modes[name] = fi.Mode().Perm()
		}
	}
	tmp := map[string]string{}
	defer func() {
		if err != nil {
			for _, t := range tmp {
				os.Remove(t)
			}
		}
	}()
	for name, data := range files {
		f, err := os.CreateTemp(dir, "."+name+".tmp-*")
		if err != nil {
			return fmt.Errorf("write %s: %w", name, err)
		}
		tmp[name] = f.Name()
		if _, err := f.Write(data); err != nil {
			f.Close()
			return fmt.Errorf("write %s: %w", name, err)
		}
		if err := f.Sync(); err != nil {
			f.Close()
			return fmt.Errorf("write %s: %w", name, err)
		}
		if err := f.Close(); err != nil {
			return fmt.Errorf("write %s: %w", name, err)
		}
		if err := os.Chmod(f.Name(), modes[name]); err != nil {
			return fmt.Errorf("write %s: %w", name, err)
		}
	}
	for name, t := range tmp {
		if err := os.Rename(t, filepath.Join(dir, name)); err != nil {
			return fmt.Errorf("write %s: %w", name, err)
		}
		delete(tmp, name)
	}
	return nil
}
