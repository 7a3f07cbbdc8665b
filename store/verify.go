package store

import (
	"bytes"
	"errors"
	"fmt"
	"strconv"

	"github.com/ncruces/go-sqlite3"

	"hyperagents/engine"
)

// ErrMismatch marks a stored number that is not what the run gives.
var ErrMismatch = errors.New("differs from the run")

// Verify is the verdict of a replay of run id: nil when the re-executed run p (finished) matched
// every iteration's archive hash — so every agent, its policies, notes and evaluation — and every
// other stored number is what the re-executed run gives: every column of every agents, metrics
// and events row, the run's summary (iterations, best agent, its accuracies, the generator state,
// the engine version), and the transcripts (each for an iteration that asked the model, with the
// fallback the replay gives). Otherwise the error names the first table, row and column that
// differs.
func (db *DB) Verify(id string, p *engine.Replay) error {
	ok, at := p.Result()
	if !ok {
		if !p.Done() {
			return errors.New("store: the replay has not finished")
		}
		_ = at
		return fmt.Errorf("store: %w: %s", ErrMismatch, p.Why())
	}
	db.mu.Lock()
	defer db.mu.Unlock()
	return db.checkStored(id, p.Run(), true)
}

// checkStoredLocked is checkStored of an opened run (its generator state restored from the file),
// taking mu.
func (db *DB) checkStoredLocked(id string, r *engine.Run) error {
	db.mu.Lock()
	defer db.mu.Unlock()
	return db.checkStored(id, r, false)
}

// checkStored compares every row stored for run id with what run r gives (r rebuilt from the
// stored agents, or re-executed), including the generator state when state is set. The caller
// holds mu.
func (db *DB) checkStored(id string, r *engine.Run, state bool) error {
	ri, err := db.infoLocked(id)
	if err != nil {
		return err
	}
	if ri.EngineVersion != engine.Version {
		return fmt.Errorf("store: %w: runs, engine_version: the file says %.60q, this program is %q, so its numbers cannot be checked",
			ErrMismatch, ri.EngineVersion, engine.Version)
	}
	agents, metrics, events, txts, _ := runRows(id, r, 0, engine.Hash{}, newTexts())
	for _, t := range []struct {
		table, key string
		rows       *rows
		first      int
	}{{"texts", "id", &txts, 0}, {"agents", "created_iteration", &agents, 0}, {"metrics", "iteration", &metrics, 0}, {"events", "iteration", &events, 1}} {
		if err := db.compareRows(t.table, t.key, id, t.rows, t.first); err != nil {
			return err
		}
	}
	sum, err := runSummary(r)
	if err != nil {
		return err
	}
	names := []string{"iterations", "best_agent_id", "best_train", "best_test", "state", "best_val"}
	var diff error
	err = db.queryRow(`SELECT iterations, best_agent_id, best_train, best_test, state, best_val FROM runs WHERE id = ?`, []any{id}, func(s *sqlite3.Stmt) {
		for c, want := range sum {
			if names[c] == "state" && !state {
				continue
			}
			if !sameValue(s, c, want) {
				diff = fmt.Errorf("store: %w: runs, %s: the file says %s, the run gives %s", ErrMismatch, names[c], shown(s, c), show(want))
				return
			}
		}
	})
	if err != nil {
		return fmt.Errorf("store: %w", err)
	}
	if diff != nil {
		return diff
	}
	return db.checkTranscripts(id, r)
}

// compareRows compares the rows of table stored for run id, ordered by key, with the expected
// rows, which start at iteration first.
func (db *DB) compareRows(table, key, id string, want *rows, first int) error {
	n := 0
	var diff error
	err := db.query(`SELECT * FROM `+table+` WHERE run_id = ? ORDER BY `+key, []any{id}, func(s *sqlite3.Stmt) error {
		it := first + n
		if (n+1)*want.width > len(want.vals) {
			diff = fmt.Errorf("store: %w: %s: a row past the run's last iteration (%s %s)", ErrMismatch, table, key, shown(s, keyColumn(s, key)))
			return errStop
		}
		row := want.vals[n*want.width : (n+1)*want.width]
		if s.ColumnCount() != len(row) {
			diff = fmt.Errorf("store: %w: %s has %d columns, want %d", ErrMismatch, table, s.ColumnCount(), len(row))
			return errStop
		}
		for c, w := range row {
			if !sameValue(s, c, w) {
				diff = fmt.Errorf("store: %w: %s, %s %d, %s: the file says %s, the run gives %s",
					ErrMismatch, table, rowLabel(key), it, s.ColumnName(c), shown(s, c), show(w))
				return errStop
			}
		}
		n++
		return nil
	})
	if diff != nil {
		return diff
	}
	if err != nil {
		return fmt.Errorf("store: %s: %w", table, err)
	}
	if n*want.width != len(want.vals) {
		return fmt.Errorf("store: %w: %s: %d rows, the run has %d", ErrMismatch, table, n, len(want.vals)/max(want.width, 1))
	}
	return nil
}

// rowLabel names what a table's key counts, for messages.
func rowLabel(key string) string {
	if key == "id" {
		return "text"
	}
	return "iteration"
}

// errStop ends a query early.
var errStop = errors.New("stop")

// keyColumn is the index of column name in s.
func keyColumn(s *sqlite3.Stmt, name string) int {
	for c := range s.ColumnCount() {
		if s.ColumnName(c) == name {
			return c
		}
	}
	return 0
}

// checkTranscripts checks every transcript of run id is for one of r's iterations, and that the
// model's children and the transcripts agree: a child made by the model has a transcript that did
// not fall back; a transcript that did not fall back made a child of the model.
func (db *DB) checkTranscripts(id string, r *engine.Run) error {
	ts, err := db.transcriptsLocked(id)
	if err != nil {
		return err
	}
	has := map[int]Transcript{}
	for _, t := range ts {
		if t.Iteration < 1 || t.Iteration > r.Iterations() {
			return fmt.Errorf("store: %w: transcripts, iteration %d: the run has iterations 1 to %d", ErrMismatch, t.Iteration, r.Iterations())
		}
		src := r.Archive().At(t.Iteration).Source
		if (t.Fallback == "") != (src == engine.SourceLLM) {
			return fmt.Errorf("store: %w: transcripts, iteration %d: the transcript says the model's reply was %s, but the child's mutation source is %s",
				ErrMismatch, t.Iteration, map[bool]string{true: "used", false: "not used"}[t.Fallback == ""], src)
		}
		has[t.Iteration] = t
	}
	for i := 1; i <= r.Iterations(); i++ {
		if r.Archive().At(i).Source == engine.SourceLLM {
			if _, ok := has[i]; !ok {
				return fmt.Errorf("store: %w: agents, iteration %d: made by the model, but the file has no transcript of the call", ErrMismatch, i)
			}
		}
	}
	return nil
}

// sameValue reports whether column c of s holds exactly want, of the same SQL type.
func sameValue(s *sqlite3.Stmt, c int, want any) bool {
	t := s.ColumnType(c)
	switch w := want.(type) {
	case nil:
		return t == sqlite3.NULL
	case string:
		return t == sqlite3.TEXT && s.ColumnText(c) == w
	case int:
		return t == sqlite3.INTEGER && s.ColumnInt64(c) == int64(w)
	case uint64:
		return t == sqlite3.INTEGER && s.ColumnInt64(c) >= 0 && uint64(s.ColumnInt64(c)) == w
	case float64:
		return t == sqlite3.FLOAT && s.ColumnFloat(c) == w
	case []byte:
		return t == sqlite3.BLOB && bytes.Equal(s.ColumnRawBlob(c), w)
	}
	return false
}

// shown formats column c of s for a message.
func shown(s *sqlite3.Stmt, c int) string {
	switch s.ColumnType(c) {
	case sqlite3.NULL:
		return "NULL"
	case sqlite3.INTEGER:
		return strconv.FormatInt(s.ColumnInt64(c), 10)
	case sqlite3.FLOAT:
		return strconv.FormatFloat(s.ColumnFloat(c), 'g', -1, 64)
	case sqlite3.BLOB:
		return fmt.Sprintf("a %d-byte blob", len(s.ColumnRawBlob(c)))
	}
	return fmt.Sprintf("%.60q", s.ColumnText(c))
}

// show formats an expected value for a message.
func show(v any) string {
	switch w := v.(type) {
	case nil:
		return "NULL"
	case string:
		return fmt.Sprintf("%.60q", w)
	case float64:
		return strconv.FormatFloat(w, 'g', -1, 64)
	case []byte:
		return fmt.Sprintf("a %d-byte blob", len(w))
	}
	return fmt.Sprint(v)
}
