package store

import (
	"bytes"
	"compress/flate"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/ncruces/go-sqlite3"

	"hyperagents/engine"
	"hyperagents/lab"
)

// SweepInfo describes a saved sweep: one row of the sweeps table, without its data.
type SweepInfo struct {
	ID            string    `json:"id"`
	Name          string    `json:"name"`
	Created       time.Time `json:"created_at"`
	EngineVersion string    `json:"engine_version"`
	Spec          string    `json:"spec"` // canonical spec.json
	Runs          int       `json:"runs"`
	Iterations    int       `json:"iterations"` // per run
	CSVBytes      int       `json:"runs_csv_size"`
}

// maxSweepCSV bounds the runs.csv a saved sweep may unpack to.
const maxSweepCSV = 1 << 30

const sweepColumns = `id, name, created_at, engine_version, spec_json, runs, iterations, runs_csv_size`

func scanSweep(s *sqlite3.Stmt) (SweepInfo, error) {
	si := SweepInfo{ID: s.ColumnText(0), Name: s.ColumnText(1), EngineVersion: s.ColumnText(3), Spec: s.ColumnText(4),
		Runs: s.ColumnInt(5), Iterations: s.ColumnInt(6), CSVBytes: s.ColumnInt(7)}
	var err error
	si.Created, err = time.Parse(time.RFC3339, s.ColumnText(2))
	return si, err
}

// SaveSweep stores a finished sweep under id: its spec, its runs.csv (compressed) and its
// summary. Everything else is derived from the spec and runs.csv when it is opened. yield, if not
// nil, is called between pieces of the compression, so a page can let the browser run.
func (db *DB) SaveSweep(id, name string, created time.Time, sw *lab.Sweep, yield func()) error {
	if err := CheckID(id); err != nil {
		return err
	}
	if err := CheckName(name); err != nil {
		return err
	}
	csv := sw.Files[lab.RunsFile]
	var z bytes.Buffer
	w, _ := flate.NewWriter(&z, flate.BestSpeed)
	for rest := csv; len(rest) > 0; {
		n := min(len(rest), 64<<10)
		w.Write(rest[:n])
		rest = rest[n:]
		if yield != nil {
			yield()
		}
	}
	if err := w.Close(); err != nil {
		return fmt.Errorf("store: compress runs.csv: %w", err)
	}
	db.mu.Lock()
	defer db.mu.Unlock()
	err := db.exec(`INSERT INTO sweeps (`+sweepColumns+`, runs_csv, summary_json) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		id, name, created.UTC().Format(time.RFC3339), engine.Version, string(sw.Files[lab.SpecFile]),
		sw.Spec.Runs(), sw.Spec.Iterations, len(csv), z.Bytes(), string(sw.Files[lab.SummaryJSON]))
	if err != nil {
		return fmt.Errorf("store: save sweep: %w", err)
	}
	return nil
}

// Sweeps lists the saved sweeps, newest first.
func (db *DB) Sweeps() ([]SweepInfo, error) {
	db.mu.Lock()
	defer db.mu.Unlock()
	var out []SweepInfo
	err := db.query(`SELECT `+sweepColumns+` FROM sweeps ORDER BY created_at DESC, id`, nil, func(s *sqlite3.Stmt) error {
		si, err := scanSweep(s)
		if err != nil {
			return fmt.Errorf("%w: sweep %.40q: %v", ErrCorrupt, s.ColumnText(0), err)
		}
		out = append(out, si)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("store: sweeps: %w", err)
	}
	return out, nil
}

// Sweep opens saved sweep id: it re-derives the summary, curves and files from the stored spec and
// runs.csv and refuses the sweep if the stored summary is not what they give.
func (db *DB) Sweep(id string) (*lab.Sweep, SweepInfo, error) {
	db.mu.Lock()
	defer db.mu.Unlock()
	return db.sweepLocked(id)
}

func (db *DB) sweepLocked(id string) (*lab.Sweep, SweepInfo, error) {
	var si SweepInfo
	var packed []byte
	var summary string
	var scanErr error
	found := false
	err := db.queryRow(`SELECT `+sweepColumns+`, runs_csv, summary_json FROM sweeps WHERE id = ?`, []any{id}, func(s *sqlite3.Stmt) {
		found = true
		si, scanErr = scanSweep(s)
		packed = append([]byte(nil), s.ColumnRawBlob(8)...)
		summary = s.ColumnText(9)
	})
	switch {
	case err != nil:
		return nil, si, fmt.Errorf("store: sweep %s: %w", id, err)
	case !found:
		return nil, si, fmt.Errorf("store: %w: %s", ErrNoSweep, id)
	case scanErr != nil:
		return nil, si, fmt.Errorf("store: %w: sweep %s: %v", ErrCorrupt, id, scanErr)
	}
	if si.EngineVersion != engine.Version {
		return nil, si, fmt.Errorf("store: %w: made by %q; this version (%s) cannot re-derive it", ErrBadSweep, si.EngineVersion, engine.Version)
	}
	if si.CSVBytes < 0 || si.CSVBytes > maxSweepCSV {
		return nil, si, fmt.Errorf("store: %w: runs.csv of %d bytes", ErrBadSweep, si.CSVBytes)
	}
	csv, err := io.ReadAll(io.LimitReader(flate.NewReader(bytes.NewReader(packed)), int64(si.CSVBytes)+1))
	if err != nil || len(csv) != si.CSVBytes {
		return nil, si, fmt.Errorf("store: %w: its runs.csv does not unpack to the %d bytes it claims", ErrBadSweep, si.CSVBytes)
	}
	sw, err := lab.ReadSweep([]byte(si.Spec), csv)
	if err != nil {
		return nil, si, fmt.Errorf("store: %w: %v", ErrBadSweep, err)
	}
	switch {
	case !bytes.Equal(sw.Files[lab.SpecFile], []byte(si.Spec)):
		return nil, si, fmt.Errorf("store: %w: the spec is not in canonical form", ErrBadSweep)
	case si.Runs != sw.Spec.Runs() || si.Iterations != sw.Spec.Iterations:
		return nil, si, fmt.Errorf("store: %w: it claims %d runs × %d iterations, the spec says %d × %d", ErrBadSweep, si.Runs, si.Iterations, sw.Spec.Runs(), sw.Spec.Iterations)
	case summary != string(sw.Files[lab.SummaryJSON]):
		return nil, si, fmt.Errorf("store: %w: the stored summary is not what its runs.csv gives", ErrBadSweep)
	}
	return sw, si, nil
}

// RenameSweep renames sweep id.
func (db *DB) RenameSweep(id, name string) error {
	if err := CheckName(name); err != nil {
		return err
	}
	db.mu.Lock()
	defer db.mu.Unlock()
	if err := db.exec(`UPDATE sweeps SET name = ? WHERE id = ?`, name, id); err != nil {
		return fmt.Errorf("store: rename sweep: %w", err)
	}
	if db.conn.Changes() == 0 {
		return fmt.Errorf("store: %w: %s", ErrNoSweep, id)
	}
	return nil
}

// DeleteSweep removes sweep id.
func (db *DB) DeleteSweep(id string) error {
	db.mu.Lock()
	defer db.mu.Unlock()
	if err := db.exec(`DELETE FROM sweeps WHERE id = ?`, id); err != nil {
		return fmt.Errorf("store: delete sweep: %w", err)
	}
	if db.conn.Changes() == 0 {
		return fmt.Errorf("store: %w: %s", ErrNoSweep, id)
	}
	return nil
}

// ExportSweeps returns a database file holding only the given sweeps (and no runs).
func (db *DB) ExportSweeps(ids ...string) ([]byte, error) {
	if len(ids) == 0 {
		return nil, errors.New("store: export: no sweeps given")
	}
	out, err := New()
	if err != nil {
		return nil, err
	}
	defer out.Close()
	db.mu.Lock()
	for _, id := range ids {
		found := false
		db.queryRow(`SELECT 1 FROM sweeps WHERE id = ?`, []any{id}, func(*sqlite3.Stmt) { found = true })
		if !found {
			db.mu.Unlock()
			return nil, fmt.Errorf("store: %w: %s", ErrNoSweep, id)
		}
	}
	err = out.copyFrom(db.mem, nil, ids...)
	db.mu.Unlock()
	if err != nil {
		return nil, fmt.Errorf("store: export: %w", err)
	}
	return out.Bytes()
}
