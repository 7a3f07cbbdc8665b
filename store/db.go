package store

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/ncruces/go-sqlite3"
	"github.com/ncruces/go-sqlite3/vfs/memdb"

	"hyperagents/engine"
)

// DB is a hyperagents database held in memory. It is safe for concurrent use.
type DB struct {
	mu      sync.Mutex
	conn    *sqlite3.Conn
	tail    map[string]tail   // per run: the last stored iteration and its archive hash
	texts   map[string]*texts // per run: its numbered texts, as stored
	stmts   map[string]*sqlite3.Stmt
	domains map[string]engine.Domain // built once per name
	mem     string                   // the name of the memdb file the database lives in
}

// New returns an empty database with the current schema.
func New() (*DB, error) {
	db, err := open()
	if err != nil {
		return nil, err
	}
	if err := db.migrate(0); err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

// memSeq names the memdb databases of this process.
var memSeq atomic.Uint64

// heapLimit bounds SQLite's own memory per connection (page cache, statements, sorting). The
// database's pages live outside it, in Go memory (the memdb VFS), so a database may grow to
// MaxFileSize while SQLite's heap stays small; the limit is set deliberately rather than left at
// the binding's default.
const heapLimit = 256 << 20

// cachePages bounds SQLite's page cache (in KiB when negative): larger transactions spill to the
// memdb file instead of growing SQLite's heap.
const cachePages = -16384

// open makes an in-memory connection with foreign keys on, over a database held in Go memory (the
// memdb VFS): empty, or a copy of data opened in place rather than restored page by page, which is
// many times faster under WebAssembly.
func open(data ...[]byte) (*DB, error) {
	name := fmt.Sprintf("hyperagents-%d.db", memSeq.Add(1))
	var init []byte
	if len(data) > 0 {
		init = bytes.Clone(data[0])
	}
	memdb.Create(name, init)
	conn, err := sqlite3.OpenContext(sqlite3.WithMaxMemory(context.Background(), heapLimit), "file:/"+name+"?vfs=memdb")
	if err != nil {
		memdb.Delete(name)
		return nil, fmt.Errorf("store: open: %w", err)
	}
	if err := conn.Exec(fmt.Sprintf(`PRAGMA foreign_keys = ON; PRAGMA cache_size = %d`, cachePages)); err != nil {
		conn.Close()
		memdb.Delete(name)
		return nil, fmt.Errorf("store: open: %w", err)
	}
	return &DB{conn: conn, mem: name, tail: map[string]tail{}, texts: map[string]*texts{}, stmts: map[string]*sqlite3.Stmt{}, domains: map[string]engine.Domain{}}, nil
}

// sqliteHeader starts every SQLite database file.
var sqliteHeader = []byte("SQLite format 3\x00")

// Load opens a database from the bytes of a file (made by [DB.Bytes], the CLI or the sqlite3
// shell) and checks it: an SQLite file, complete and intact, ours, of a schema this code knows
// (older schemas are migrated), with nothing in it the schema does not define (no views, triggers
// or other tables). The bytes are not modified. The checks may take at most [CheckBudget]; a file
// that needs longer is refused.
func Load(data []byte) (*DB, error) { return LoadContext(context.Background(), data) }

// LoadContext is [Load] whose checks also stop when ctx is done.
func LoadContext(ctx context.Context, data []byte) (*DB, error) { return load(ctx, data, true) }

// CheckBudget bounds the time the checks of a file may take, so no file can hang the program:
// SQLite's progress handler interrupts a query past it.
const CheckBudget = 2 * time.Minute

// SetContext makes every later query of db stop (with an error) when ctx is done: Ctrl-C in the
// command line.
func (db *DB) SetContext(ctx context.Context) {
	db.mu.Lock()
	defer db.mu.Unlock()
	db.conn.SetInterrupt(ctx)
}

// LoadSaved opens a database this program saved itself (the browser's own copy) with every check
// of [Load] but SQLite's page-by-page integrity check, which takes seconds for a large database
// under WebAssembly. Damage it would have found surfaces as errors when the rows are read.
func LoadSaved(data []byte) (*DB, error) { return load(context.Background(), data, false) }

func load(ctx context.Context, data []byte, full bool) (*DB, error) {
	if err := checkHeader(data); err != nil {
		return nil, err
	}
	db, err := open(data)
	if err != nil {
		if errors.Is(err, sqlite3.CORRUPT) || errors.Is(err, sqlite3.NOTADB) {
			return nil, fmt.Errorf("store: %w: %v", ErrCorrupt, err)
		}
		return nil, err
	}
	parent := ctx
	ctx, cancel := context.WithTimeout(ctx, CheckBudget)
	defer cancel()
	db.conn.SetInterrupt(ctx)
	err = db.check(full)
	db.conn.SetInterrupt(context.Background())
	if err != nil {
		db.Close()
		switch {
		case parent.Err() != nil: // the caller stopped it (Ctrl-C): nothing is known about the file
			return nil, fmt.Errorf("store: checking the file was stopped: %w", context.Cause(parent))
		case ctx.Err() != nil:
			return nil, fmt.Errorf("store: %w: checking the file took longer than %v, so it is refused", ErrCorrupt, CheckBudget)
		}
		return nil, err
	}
	return db, nil
}

// checkHeader checks what can be checked before SQLite sees the bytes.
func checkHeader(data []byte) error {
	switch {
	case len(data) > MaxFileSize:
		return fmt.Errorf("store: %w: %d MB, at most %d MB", ErrTooLarge, len(data)>>20, MaxFileSize>>20)
	case len(data) == 0:
		return fmt.Errorf("store: %w: the file is empty", ErrNotDatabase)
	case len(data) < 100 || !bytes.HasPrefix(data, sqliteHeader):
		return fmt.Errorf("store: %w: the file does not start with the SQLite header", ErrNotDatabase)
	}
	pageSize := int(binary.BigEndian.Uint16(data[16:18]))
	if pageSize == 1 {
		pageSize = 65536
	}
	if pageSize < 512 || pageSize&(pageSize-1) != 0 {
		return fmt.Errorf("store: %w: page size %d in the header", ErrCorrupt, pageSize)
	}
	pages := int(binary.BigEndian.Uint32(data[28:32]))
	if len(data)%pageSize != 0 || (pages > 0 && pages*pageSize > len(data)) {
		return fmt.Errorf("store: %w: the file is truncated (%d bytes; the header promises %d pages of %d)", ErrCorrupt, len(data), pages, pageSize)
	}
	return nil
}

// check checks a loaded database and migrates it.
func (db *DB) check(full bool) error {
	check := "ok"
	// integrity_check, not quick_check: it also compares every index with its table, so a file
	// whose rows say one thing and whose indexes another (which queries would read differently)
	// is refused as damaged.
	integrity := `PRAGMA integrity_check(1)`
	if !full {
		integrity = `SELECT 'ok' FROM sqlite_schema LIMIT 1` // reads the schema page at least
	}
	if err := db.queryRow(integrity, nil, func(s *sqlite3.Stmt) { check = s.ColumnText(0) }); err != nil {
		return fmt.Errorf("store: %w: %v", ErrCorrupt, err)
	}
	if check != "ok" {
		return fmt.Errorf("store: %w: %s", ErrCorrupt, check)
	}
	var app, version int64
	db.queryRow(`PRAGMA application_id`, nil, func(s *sqlite3.Stmt) { app = s.ColumnInt64(0) })
	db.queryRow(`PRAGMA user_version`, nil, func(s *sqlite3.Stmt) { version = s.ColumnInt64(0) })
	if app != ApplicationID {
		return fmt.Errorf("store: %w (application id %#x)", ErrForeign, app)
	}
	if version > SchemaVersion {
		return fmt.Errorf("store: %w: schema %d; this version reads schemas up to %d", ErrNewer, version, SchemaVersion)
	}
	if version < 1 {
		return fmt.Errorf("store: %w: schema version %d", ErrCorrupt, version)
	}
	if err := db.checkObjects(); err != nil {
		return err
	}
	if err := db.migrate(int(version)); err != nil {
		return err
	}
	if err := db.checkSchema(); err != nil {
		return err
	}
	var bad bool
	if full {
		db.queryRow(`PRAGMA foreign_key_check`, nil, func(*sqlite3.Stmt) { bad = true })
	}
	if bad {
		return fmt.Errorf("store: %w: rows refer to runs that are not there", ErrCorrupt)
	}
	return nil
}

// migrate brings a database of schema version `from` to SchemaVersion, one transaction per step.
func (db *DB) migrate(from int) error {
	for v := from; v < SchemaVersion; v++ {
		err := db.inTx(func() error {
			if err := db.conn.Exec(migrations[v]); err != nil {
				return err
			}
			if v == 0 {
				if err := db.conn.Exec(fmt.Sprintf(`PRAGMA application_id = %d`, ApplicationID)); err != nil {
					return err
				}
			}
			if v == convertAt {
				if err := db.convertV4(); err != nil {
					return err
				}
			}
			return db.conn.Exec(fmt.Sprintf(`PRAGMA user_version = %d`, v+1))
		})
		if err != nil {
			return fmt.Errorf("store: migrate schema %d to %d: %w", v, v+1, err)
		}
	}
	if from <= convertAt {
		// Schema 5 replaced the agents and events tables: give their old pages back, so a new
		// database or a converted file holds no free pages.
		if err := db.conn.Exec(`VACUUM`); err != nil {
			return fmt.Errorf("store: compact after migrating: %w", err)
		}
	}
	return nil
}

// checkObjects refuses anything in sqlite_schema the schema does not define — views, triggers,
// other tables and indexes — before any of our queries could run them. It runs before migration,
// so it allows what the tables and indexes of every schema version are.
func (db *DB) checkObjects() error {
	allowed, err := schemaObjects()
	if err != nil {
		return err
	}
	var bad string
	err = db.query(`SELECT type, name FROM sqlite_schema`, nil, func(s *sqlite3.Stmt) error {
		typ, name := s.ColumnText(0), s.ColumnText(1)
		if !allowed[typ+" "+name] && !(typ == "index" && strings.HasPrefix(name, "sqlite_autoindex_")) {
			bad = fmt.Sprintf("%s %.60q", typ, name)
			return errStop
		}
		return nil
	})
	if bad != "" {
		return fmt.Errorf("store: %w: the file holds a %s that is not part of the schema", ErrForeign, bad)
	}
	if err != nil {
		return fmt.Errorf("store: %w: %v", ErrCorrupt, err)
	}
	return nil
}

// schemaObjects is the set of "type name" of every table and index the schema creates.
var schemaObjects = sync.OnceValues(func() (map[string]bool, error) {
	db, err := New()
	if err != nil {
		return nil, err
	}
	defer db.Close()
	out := map[string]bool{}
	err = db.query(`SELECT type, name FROM sqlite_schema`, nil, func(s *sqlite3.Stmt) error {
		out[s.ColumnText(0)+" "+s.ColumnText(1)] = true
		return nil
	})
	return out, err
})

// checkSchema checks that every table has the columns this code reads and writes.
func (db *DB) checkSchema() error {
	want, err := schemaColumns()
	if err != nil {
		return err
	}
	for _, t := range allTables {
		var got []string
		err := db.query(`SELECT name FROM pragma_table_info(?)`, []any{t}, func(s *sqlite3.Stmt) error {
			got = append(got, s.ColumnText(0))
			return nil
		})
		if err != nil {
			return fmt.Errorf("store: %w: %v", ErrCorrupt, err)
		}
		if strings.Join(got, ",") != strings.Join(want[t], ",") {
			return fmt.Errorf("store: %w: table %s has columns (%s), want (%s)", ErrCorrupt, t, strings.Join(got, ", "), strings.Join(want[t], ", "))
		}
	}
	return nil
}

// schemaColumns lists the columns of every table as the current schema creates them.
var schemaColumns = sync.OnceValues(func() (map[string][]string, error) {
	db, err := New()
	if err != nil {
		return nil, err
	}
	defer db.Close()
	out := map[string][]string{}
	for _, t := range allTables {
		err := db.query(`SELECT name FROM pragma_table_info(?)`, []any{t}, func(s *sqlite3.Stmt) error {
			out[t] = append(out[t], s.ColumnText(0))
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	return out, nil
})

// Bytes serializes the database: the bytes of a file the sqlite3 shell opens.
func (db *DB) Bytes() ([]byte, error) {
	db.mu.Lock()
	defer db.mu.Unlock()
	return readMemdb(db.mem)
}

// Close frees the database.
func (db *DB) Close() error {
	db.mu.Lock()
	defer db.mu.Unlock()
	if db.conn == nil {
		return nil
	}
	db.closeStmts()
	err := db.conn.Close()
	db.conn = nil
	memdb.Delete(db.mem)
	return err
}

// inTx runs f in a transaction, rolling back if it fails or panics (the panic goes on).
func (db *DB) inTx(f func() error) (err error) {
	if err := db.execKept(`BEGIN`); err != nil {
		return fmt.Errorf("store: begin: %w", err)
	}
	defer func() {
		p := recover()
		if p == nil && err == nil {
			if err = db.execKept(`COMMIT`); err == nil {
				return
			}
			err = fmt.Errorf("store: commit: %w", err)
		}
		if !db.conn.GetAutocommit() {
			if rerr := db.execKept(`ROLLBACK`); rerr != nil && p == nil {
				err = errors.Join(err, fmt.Errorf("store: rollback: %w", rerr))
			}
		}
		if p != nil {
			panic(p)
		}
	}()
	return f()
}

// bind binds args to s's parameters in order.
func bind(s *sqlite3.Stmt, args []any) error {
	for i, a := range args {
		var err error
		switch v := a.(type) {
		case nil:
			err = s.BindNull(i + 1)
		case string:
			err = s.BindText(i+1, v)
		case int:
			err = s.BindInt64(i+1, int64(v))
		case int64:
			err = s.BindInt64(i+1, v)
		case uint64:
			err = s.BindInt64(i+1, int64(v))
		case float64:
			err = s.BindFloat(i+1, v)
		case []byte:
			err = s.BindBlob(i+1, v)
		default:
			return fmt.Errorf("store: cannot bind %T", a)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// exec runs one statement with args.
func (db *DB) exec(sql string, args ...any) error {
	s, _, err := db.conn.Prepare(sql)
	if err != nil {
		return err
	}
	defer s.Close()
	if err := bind(s, args); err != nil {
		return err
	}
	return s.Exec()
}

// query runs sql with args and calls row for every result row.
func (db *DB) query(sql string, args []any, row func(s *sqlite3.Stmt) error) error {
	s, _, err := db.conn.Prepare(sql)
	if err != nil {
		return err
	}
	defer s.Close()
	if err := bind(s, args); err != nil {
		return err
	}
	for s.Step() {
		if err := row(s); err != nil {
			return err
		}
	}
	return s.Err()
}

// queryRow calls row for the first result row only.
func (db *DB) queryRow(sql string, args []any, row func(s *sqlite3.Stmt)) error {
	done := errors.New("done")
	err := db.query(sql, args, func(s *sqlite3.Stmt) error { row(s); return done })
	if errors.Is(err, done) {
		return nil
	}
	return err
}
