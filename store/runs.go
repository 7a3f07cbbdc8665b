package store

import (
	"fmt"
	"regexp"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/ncruces/go-sqlite3"

	"hyperagents/engine"
)

// RunInfo describes a saved run: one row of the runs table.
type RunInfo struct {
	ID            string        `json:"id"`
	Name          string        `json:"name"`
	Config        engine.Config `json:"config"`
	Domain        string        `json:"domain"`
	EngineVersion string        `json:"engine_version"`
	Created       time.Time     `json:"created_at"`
	Iterations    int           `json:"iterations"`
	BestAgent     string        `json:"best_agent_id"`
	BestTrain     float64       `json:"best_train"`
	BestVal       float64       `json:"best_val"`
	BestTest      float64       `json:"best_test"`
	// LastHash is the archive hash of the last iteration: it fingerprints the whole run.
	LastHash string `json:"last_hash"`
}

// tail is the last stored iteration of a run and its archive hash.
type tail struct {
	iteration int
	hash      engine.Hash
}

// MaxNameLen is the longest run name, in characters.
const MaxNameLen = 120

var runIDPattern = regexp.MustCompile(`^[0-9a-f]{8,32}$`)

// CheckID reports whether id is a well-formed run id: 8 to 32 lowercase hex digits.
func CheckID(id string) error {
	if !runIDPattern.MatchString(id) {
		return fmt.Errorf("store: run id %.40q: want 8 to 32 lowercase hex digits", id)
	}
	return nil
}

// CheckName reports whether name is an acceptable run name: 1 to MaxNameLen characters of valid
// UTF-8 with no control characters and no bidirectional controls. Names are shown as text, never
// as HTML, so anything else is allowed.
func CheckName(name string) error {
	n := utf8.RuneCountInString(name)
	switch {
	case !utf8.ValidString(name):
		return fmt.Errorf("store: %w: not valid UTF-8", ErrBadName)
	case strings.TrimSpace(name) == "":
		return fmt.Errorf("store: %w: empty", ErrBadName)
	case n > MaxNameLen:
		return fmt.Errorf("store: %w: %d characters, at most %d", ErrBadName, n, MaxNameLen)
	case strings.IndexFunc(name, unicode.IsControl) >= 0:
		return fmt.Errorf("store: %w: contains control characters", ErrBadName)
	case strings.IndexFunc(name, IsBidi) >= 0:
		return fmt.Errorf("store: %w: contains bidirectional controls, which can make text display in another order than it is stored", ErrBadName)
	}
	return nil
}

const runColumns = `id, name, mode, flavour, seed, domain, engine_version, created_at, iterations, best_agent_id, best_train, best_test,
	(SELECT archive_hash FROM metrics WHERE run_id = runs.id ORDER BY iteration DESC LIMIT 1), meta, selection, best_val`

// scanRun reads a runs row selected with runColumns.
func scanRun(s *sqlite3.Stmt) (RunInfo, error) {
	ri := RunInfo{
		ID: s.ColumnText(0), Name: s.ColumnText(1), Domain: s.ColumnText(5), EngineVersion: s.ColumnText(6),
		Iterations: s.ColumnInt(8), BestAgent: s.ColumnText(9), BestTrain: s.ColumnFloat(10), BestTest: s.ColumnFloat(11),
		LastHash: s.ColumnText(12), BestVal: s.ColumnFloat(15),
	}
	var err error
	if ri.Config.Meta, err = engine.ParseMetaMode(s.ColumnText(13)); err != nil {
		return ri, err
	}
	if ri.Config.Selection, err = engine.ParseSelection(s.ColumnText(14)); err != nil {
		return ri, err
	}
	if ri.Config.Flavour, err = engine.ParseFlavour(s.ColumnText(3)); err != nil {
		return ri, err
	}
	if mode := s.ColumnText(2); mode != ri.Config.ConditionName() {
		return ri, fmt.Errorf("mode %.40q does not name meta %s × selection %s", mode, ri.Config.Meta, ri.Config.Selection)
	}
	seed := s.ColumnInt64(4)
	if seed < 0 || uint64(seed) > engine.MaxSeed {
		return ri, fmt.Errorf("seed %d out of range", seed)
	}
	ri.Config.Seed = uint64(seed)
	if ri.Created, err = time.Parse(time.RFC3339, s.ColumnText(7)); err != nil {
		return ri, fmt.Errorf("created_at: %w", err)
	}
	return ri, nil
}

// Runs lists the saved runs, newest first.
func (db *DB) Runs() ([]RunInfo, error) {
	db.mu.Lock()
	defer db.mu.Unlock()
	var out []RunInfo
	err := db.query(`SELECT `+runColumns+` FROM runs ORDER BY created_at DESC, id`, nil, func(s *sqlite3.Stmt) error {
		ri, err := scanRun(s)
		if err != nil {
			return fmt.Errorf("%w: run %.40q: %v", ErrCorrupt, s.ColumnText(0), err)
		}
		out = append(out, ri)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("store: runs: %w", err)
	}
	return out, nil
}

// Info returns one run's row.
func (db *DB) Info(id string) (RunInfo, error) {
	db.mu.Lock()
	defer db.mu.Unlock()
	return db.infoLocked(id)
}

func (db *DB) infoLocked(id string) (RunInfo, error) {
	var ri RunInfo
	var scanErr error
	found := false
	err := db.queryRow(`SELECT `+runColumns+` FROM runs WHERE id = ?`, []any{id}, func(s *sqlite3.Stmt) {
		ri, scanErr = scanRun(s)
		found = true
	})
	switch {
	case err != nil:
		return ri, fmt.Errorf("store: run %s: %w", id, err)
	case !found:
		return ri, fmt.Errorf("store: %w: %s", ErrNoRun, id)
	case scanErr != nil:
		return ri, fmt.Errorf("store: %w: run %s: %v", ErrCorrupt, id, scanErr)
	}
	return ri, nil
}

// Rename gives run id a new name.
func (db *DB) Rename(id, name string) error {
	if err := CheckName(name); err != nil {
		return err
	}
	db.mu.Lock()
	defer db.mu.Unlock()
	if err := db.exec(`UPDATE runs SET name = ? WHERE id = ?`, name, id); err != nil {
		return fmt.Errorf("store: rename: %w", err)
	}
	if db.conn.Changes() == 0 {
		return fmt.Errorf("store: %w: %s", ErrNoRun, id)
	}
	return nil
}

// Delete removes run id and all its rows.
func (db *DB) Delete(id string) error {
	db.mu.Lock()
	defer db.mu.Unlock()
	delete(db.tail, id)
	delete(db.texts, id)
	if err := db.exec(`DELETE FROM runs WHERE id = ?`, id); err != nil {
		return fmt.Errorf("store: delete: %w", err)
	}
	if db.conn.Changes() == 0 {
		return fmt.Errorf("store: %w: %s", ErrNoRun, id)
	}
	return nil
}

// IsBidi reports the bidirectional formatting characters: ALM, LRM, RLM, the embeddings and
// overrides U+202A–U+202E and the isolates U+2066–U+2069.
func IsBidi(r rune) bool {
	return r == 0x061c || r == 0x200e || r == 0x200f || (r >= 0x202a && r <= 0x202e) || (r >= 0x2066 && r <= 0x2069)
}
