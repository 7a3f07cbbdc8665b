package store

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/ncruces/go-sqlite3"
)

// Rows are written with multi-row INSERT statements: under WebAssembly each statement execution
// costs about as much as fifteen rows, so one statement per row made saving ten times slower.

// insertChunk is the most rows one INSERT statement carries.
const insertChunk = 32

// rows collects the values of rows to insert into one table, row after row.
type rows struct {
	width int
	vals  []any
}

// add appends one row.
func (r *rows) add(vals ...any) {
	r.width = len(vals)
	r.vals = append(r.vals, vals...)
}

// insert writes the rows into table in statements of up to insertChunk rows. Statements are
// prepared once per (table, row count) and kept. The caller holds mu.
func (db *DB) insert(table string, r *rows) error {
	for len(r.vals) > 0 {
		n := min(insertChunk, len(r.vals)/r.width)
		s, err := db.insertStmt(table, r.width, n)
		if err != nil {
			return err
		}
		if err := s.Reset(); err != nil {
			return err
		}
		if err := bind(s, r.vals[:n*r.width]); err != nil {
			return err
		}
		if err := s.Exec(); err != nil {
			return err
		}
		r.vals = r.vals[n*r.width:]
	}
	return nil
}

// insertStmt returns the prepared INSERT of n rows of width values into table. Its text is
// built only the first time (it is a few kilobytes for 32 rows).
func (db *DB) insertStmt(table string, width, n int) (*sqlite3.Stmt, error) {
	return db.keptAs(table+"/"+strconv.Itoa(n), func() string {
		one := "(" + strings.TrimSuffix(strings.Repeat("?, ", width), ", ") + ")"
		return "INSERT INTO " + table + " VALUES " + strings.TrimSuffix(strings.Repeat(one+", ", n), ", ")
	})
}

// kept returns the statement sql, prepared on first use and kept until the database closes: under
// WebAssembly, parsing a statement costs as much as writing a few rows, and a saved run runs the
// same few statements (BEGIN, the INSERTs, the run's UPDATE, COMMIT) every slice. The caller holds
// mu.
func (db *DB) kept(sql string) (*sqlite3.Stmt, error) {
	return db.keptAs(sql, func() string { return sql })
}

// keptAs is [DB.kept] for the statement kept under key, whose text sql makes when it is first
// prepared. The caller holds mu.
func (db *DB) keptAs(key string, sql func() string) (*sqlite3.Stmt, error) {
	if s, ok := db.stmts[key]; ok {
		return s, nil
	}
	s, _, err := db.conn.Prepare(sql())
	if err != nil {
		return nil, fmt.Errorf("prepare %.40q: %w", key, err)
	}
	db.stmts[key] = s
	return s, nil
}

// execKept runs the kept statement sql with args. The caller holds mu.
func (db *DB) execKept(sql string, args ...any) error {
	s, err := db.kept(sql)
	if err != nil {
		return err
	}
	if err := s.Reset(); err != nil {
		return err
	}
	if err := bind(s, args); err != nil {
		return err
	}
	return s.Exec()
}

// closeStmts frees the kept statements. The caller holds mu.
func (db *DB) closeStmts() {
	for k, s := range db.stmts {
		s.Close()
		delete(db.stmts, k)
	}
}
