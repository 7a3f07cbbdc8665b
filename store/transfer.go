package store

import (
	"errors"
	"fmt"
	"strings"

	"github.com/ncruces/go-sqlite3"
)

// Export returns a database file holding only the given runs (all of them when ids is empty).
func (db *DB) Export(ids ...string) ([]byte, error) {
	if len(ids) == 0 {
		return db.Bytes()
	}
	for _, id := range ids {
		if _, err := db.Info(id); err != nil {
			return nil, err
		}
	}
	out, err := New()
	if err != nil {
		return nil, err
	}
	defer out.Close()
	db.mu.Lock()
	err = out.copyFrom(db.mem, ids)
	db.mu.Unlock()
	if err != nil {
		return nil, fmt.Errorf("store: export: %w", err)
	}
	return out.Bytes()
}

// copyFrom copies the rows of runs ids and of sweeps sweepIDs from the database held in memdb
// file src (another DB's, whose lock the caller holds) into db, in one transaction. Attaching the
// memdb copies nothing first, so the rows copied are read from the very bytes that were checked.
func (db *DB) copyFrom(src string, ids []string, sweepIDs ...string) error {
	db.mu.Lock()
	defer db.mu.Unlock()
	db.closeStmts()
	if err := db.exec(`ATTACH DATABASE ? AS src`, "file:/"+src+"?vfs=memdb&mode=ro"); err != nil {
		return err
	}
	defer db.conn.Exec(`DETACH DATABASE src`)
	return db.inTx(func() error {
		for _, id := range ids {
			for _, t := range tables {
				key := "run_id"
				if t == "runs" {
					key = "id"
				}
				if err := db.exec(`INSERT INTO main.`+t+` SELECT * FROM src.`+t+` WHERE `+key+` = ?`, id); err != nil {
					return fmt.Errorf("copy %s of run %s: %w", t, id, err)
				}
			}
			delete(db.tail, id)
			delete(db.texts, id)
		}
		for _, id := range sweepIDs {
			if err := db.exec(`INSERT INTO main.sweeps SELECT * FROM src.sweeps WHERE id = ?`, id); err != nil {
				return fmt.Errorf("copy sweep %s: %w", id, err)
			}
		}
		return nil
	})
}

// Refusal is a run an import left out, and why.
type Refusal struct {
	ID, Name string
	Reason   string
}

// ImportReport says what an import did.
type ImportReport struct {
	Imported       []RunInfo
	Refused        []Refusal
	ImportedSweeps []SweepInfo
	RefusedSweeps  []Refusal
}

// String summarizes the report in a sentence or two for people.
func (r ImportReport) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "Imported %d run(s)", len(r.Imported))
	if len(r.ImportedSweeps)+len(r.RefusedSweeps) > 0 {
		fmt.Fprintf(&b, " and %d sweep(s)", len(r.ImportedSweeps))
	}
	if refused := append(append([]Refusal(nil), r.Refused...), r.RefusedSweeps...); len(refused) > 0 {
		fmt.Fprintf(&b, "; left out %d:", len(refused))
		for _, x := range refused {
			fmt.Fprintf(&b, " %s (%.60q): %s;", x.ID, x.Name, x.Reason)
		}
		return strings.TrimSuffix(b.String(), ";") + "."
	}
	return b.String() + "."
}

// Import adds the runs of a database file to db. The file is checked as by [Load]; then every run
// in it must have a well-formed id not already in db, an acceptable name, agents and hashes that
// check out on the domain it names (the run is rebuilt with [DB.Open]), and every other stored
// number — metrics, events, the run's summary, transcripts — must be what the rebuilt run gives:
// a file whose derived rows differ is refused, never repaired. Runs that fail are left out and named
// in the report; the rest are copied in one transaction. db is unchanged when Import returns an
// error, and the runs it had are never touched.
func (db *DB) Import(data []byte) (ImportReport, error) {
	var rep ImportReport
	in, err := Load(data)
	if err != nil {
		return rep, err
	}
	defer in.Close()
	runs, err := in.Runs()
	if err != nil {
		return rep, err
	}
	sweeps, err := in.Sweeps()
	if err != nil {
		return rep, err
	}
	if len(runs) == 0 && len(sweeps) == 0 {
		return rep, errors.New("store: the file holds no runs and no sweeps")
	}
	var ok []string
	for _, ri := range runs {
		reason := ""
		if err := CheckID(ri.ID); err != nil {
			reason = "malformed run id"
		} else if err := CheckName(ri.Name); err != nil {
			reason = strings.TrimPrefix(err.Error(), "store: ")
		} else if _, err := db.Info(ri.ID); err == nil {
			reason = "a run with this id is already here"
		} else if !errors.Is(err, ErrNoRun) {
			return rep, err
		} else if r, _, err := in.Open(ri.ID); err != nil {
			reason = strings.TrimPrefix(err.Error(), "store: ")
		} else if err := in.checkStoredLocked(ri.ID, r); err != nil {
			reason = strings.TrimPrefix(err.Error(), "store: ")
		}
		if reason != "" {
			rep.Refused = append(rep.Refused, Refusal{ID: ri.ID, Name: ri.Name, Reason: reason})
			continue
		}
		ok = append(ok, ri.ID)
		rep.Imported = append(rep.Imported, ri)
	}
	var okSweeps []string
	for _, si := range sweeps {
		reason := ""
		if err := CheckID(si.ID); err != nil {
			reason = "malformed sweep id"
		} else if err := CheckName(si.Name); err != nil {
			reason = strings.TrimPrefix(err.Error(), "store: ")
		} else if db.hasSweep(si.ID) {
			reason = "a sweep with this id is already here"
		} else if _, _, err := in.Sweep(si.ID); err != nil {
			reason = strings.TrimPrefix(err.Error(), "store: ")
		}
		if reason != "" {
			rep.RefusedSweeps = append(rep.RefusedSweeps, Refusal{ID: si.ID, Name: si.Name, Reason: reason})
			continue
		}
		okSweeps = append(okSweeps, si.ID)
		rep.ImportedSweeps = append(rep.ImportedSweeps, si)
	}
	if len(ok) == 0 && len(okSweeps) == 0 {
		return rep, nil
	}
	in.mu.Lock()
	err = db.copyFrom(in.mem, ok, okSweeps...)
	in.mu.Unlock()
	if err != nil {
		rep.Imported, rep.ImportedSweeps = nil, nil
		return rep, fmt.Errorf("store: import: %w", err)
	}
	return rep, nil
}

// hasSweep reports whether sweep id is here.
func (db *DB) hasSweep(id string) bool {
	db.mu.Lock()
	defer db.mu.Unlock()
	found := false
	db.queryRow(`SELECT 1 FROM sweeps WHERE id = ?`, []any{id}, func(*sqlite3.Stmt) { found = true })
	return found
}

// Stats are figures about a database for people: runs, agents and the file size.
type Stats struct {
	Runs, Agents int
}

// Stats counts the runs and agents.
func (db *DB) Stats() (Stats, error) {
	db.mu.Lock()
	defer db.mu.Unlock()
	var st Stats
	err := db.queryRow(`SELECT (SELECT count(*) FROM runs), (SELECT count(*) FROM agents)`, nil, func(s *sqlite3.Stmt) {
		st.Runs, st.Agents = s.ColumnInt(0), s.ColumnInt(1)
	})
	return st, err
}
