package store

import (
	"errors"
	"fmt"
	"time"

	"github.com/ncruces/go-sqlite3"

	"hyperagents/engine"
)

// CreateRun saves a new run under id and name with everything it has done so far, and the
// transcripts of its LLM iterations.
func (db *DB) CreateRun(id, name string, created time.Time, r *engine.Run, ts ...Transcript) error {
	if err := CheckID(id); err != nil {
		return err
	}
	if err := CheckName(name); err != nil {
		return err
	}
	db.mu.Lock()
	defer db.mu.Unlock()
	c := r.Config()
	return db.inTx(func() error {
		err := db.exec(`INSERT INTO runs (id, name, mode, flavour, seed, domain, engine_version, created_at, iterations, best_agent_id, best_train, best_test, state, meta, selection, best_val)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0, 'agent-000', 0, 0, x'', ?, ?, 0)`,
			id, name, c.ConditionName(), c.Flavour.String(), c.Seed, r.Domain().Name(), engine.Version, created.UTC().Format(time.RFC3339),
			c.Meta.String(), c.Selection.String())
		if err != nil {
			if errors.Is(err, sqlite3.CONSTRAINT_PRIMARYKEY) {
				return fmt.Errorf("store: %w: %s", ErrDuplicate, id)
			}
			return fmt.Errorf("store: create run: %w", err)
		}
		db.tail[id] = tail{iteration: -1}
		if err := db.appendLocked(id, r, ts...); err != nil {
			delete(db.tail, id)
			delete(db.texts, id)
			return err
		}
		return nil
	})
}

// Append saves the iterations r has done since the last save of run id, with the transcripts of
// its LLM iterations, in one transaction, and updates the run's iterations, best agent and
// generator state. It returns how many iterations it wrote.
func (db *DB) Append(id string, r *engine.Run, ts ...Transcript) (int, error) {
	db.mu.Lock()
	defer db.mu.Unlock()
	before := -1
	err := db.inTx(func() error {
		t, err := db.tailOf(id)
		if err != nil {
			return err
		}
		before = t.iteration
		return db.appendLocked(id, r, ts...)
	})
	if err != nil {
		delete(db.tail, id) // re-read after a rollback
		delete(db.texts, id)
		return 0, err
	}
	return r.Iterations() - before, nil
}

// tailOf returns the last stored iteration of run id and its hash.
func (db *DB) tailOf(id string) (tail, error) {
	if t, ok := db.tail[id]; ok {
		return t, nil
	}
	t := tail{iteration: -1}
	found := false
	if err := db.queryRow(`SELECT 1 FROM runs WHERE id = ?`, []any{id}, func(*sqlite3.Stmt) { found = true }); err != nil {
		return t, fmt.Errorf("store: %w", err)
	}
	if !found {
		return t, fmt.Errorf("store: %w: %s", ErrNoRun, id)
	}
	var hash string
	err := db.queryRow(`SELECT iteration, archive_hash FROM metrics WHERE run_id = ? ORDER BY iteration DESC LIMIT 1`, []any{id},
		func(s *sqlite3.Stmt) { t.iteration, hash = s.ColumnInt(0), s.ColumnText(1) })
	if err != nil {
		return t, fmt.Errorf("store: %w", err)
	}
	if t.iteration >= 0 {
		h, ok := engine.ParseHash(hash)
		if !ok {
			return t, fmt.Errorf("store: %w: run %s: archive hash %q", ErrCorrupt, id, hash)
		}
		t.hash = h
	}
	db.tail[id] = t
	return t, nil
}

// textsOf returns the texts of run id, read from the database on first use. The caller holds mu.
func (db *DB) textsOf(id string) (*texts, error) {
	if t, ok := db.texts[id]; ok {
		return t, nil
	}
	list, err := db.runTexts(id)
	if err != nil {
		return nil, err
	}
	t := newTexts()
	for _, s := range list {
		t.id(s)
	}
	t.saved = len(t.list)
	db.texts[id] = t
	return t, nil
}

// runTexts reads run id's texts by number: they must be numbered 0, 1, 2, … and each stored once.
// The caller holds mu.
func (db *DB) runTexts(id string) ([]string, error) {
	var out []string
	seen := map[string]bool{}
	err := db.query(`SELECT id, text FROM texts WHERE run_id = ? ORDER BY id`, []any{id}, func(s *sqlite3.Stmt) error {
		if s.ColumnInt64(0) != int64(len(out)) {
			return fmt.Errorf("%w: run %s: texts skip number %d", ErrBadRun, id, len(out))
		}
		text := s.ColumnText(1)
		if seen[text] {
			return fmt.Errorf("%w: run %s: text %d is stored twice", ErrBadRun, id, len(out))
		}
		seen[text] = true
		out = append(out, text)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("store: %w", err)
	}
	return out, nil
}

// appendLocked writes the iterations of r after the run's tail. The caller holds mu and a
// transaction.
func (db *DB) appendLocked(id string, r *engine.Run, ts ...Transcript) error {
	t, err := db.tailOf(id)
	if err != nil {
		return err
	}
	if r.Iterations() < t.iteration {
		return fmt.Errorf("store: run %s has %d iterations saved, the run in memory only %d", id, t.iteration, r.Iterations())
	}
	tx, err := db.textsOf(id)
	if err != nil {
		return err
	}
	agents, metrics, events, txts, h := runRows(id, r, t.iteration+1, t.hash, tx)
	var transcripts rows
	for _, x := range ts {
		if x.Iteration <= t.iteration || x.Iteration > r.Iterations() {
			return fmt.Errorf("store: transcript of iteration %d outside the iterations saved now (%d to %d)", x.Iteration, t.iteration+1, r.Iterations())
		}
		failed := 0
		if x.Failed {
			failed = 1
		}
		transcripts.add(id, x.Iteration, x.Model, x.Request, x.Reply, failed, x.Error, x.PromptTokens, x.CompletionTokens, x.Fallback)
	}
	for _, w := range []struct {
		table string
		rows  *rows
	}{{"texts", &txts}, {"agents", &agents}, {"metrics", &metrics}, {"events", &events}, {"transcripts", &transcripts}} {
		if len(w.rows.vals) == 0 {
			continue
		}
		if err := db.insert(w.table, w.rows); err != nil {
			return fmt.Errorf("store: save %s: %w", w.table, err)
		}
	}
	sum, err := runSummary(r)
	if err != nil {
		return err
	}
	if err := db.execKept(`UPDATE runs SET iterations = ?, best_agent_id = ?, best_train = ?, best_test = ?, state = ?, best_val = ? WHERE id = ?`,
		append(sum, id)...); err != nil {
		return fmt.Errorf("store: update run: %w", err)
	}
	db.tail[id] = tail{iteration: r.Iterations(), hash: h}
	return nil
}

// runRows builds the agents, metrics, events and texts rows run r stores for iterations from to
// its last, after the archive hash prev of iteration from − 1 (the zero hash before iteration 0),
// numbering new texts in t (which holds the run's texts so far), and returns the hash of the last.
// Saving inserts them; verifying compares them with what a file holds.
func runRows(id string, r *engine.Run, from int, prev engine.Hash, t *texts) (agents, metrics, events, txts rows, last engine.Hash) {
	enc := newRowEncoder(r.Domain())
	h := prev
	a := r.Archive()
	for i := from; i <= r.Iterations(); i++ {
		e := a.At(i)
		h = engine.Chain(h, e)
		enc.agentRow(&agents, id, e, t)
		p := r.ProgressAt(i)
		k := &p.Knobs
		metrics.add(id, i, p.BestFitness, p.BestTestAccuracy, p.ChildTrain, p.ChildTest, p.ArchiveSize, p.Focus,
			p.WeightStep, p.ThresholdStep, p.ExplorationScale, p.Source, h.String(), p.BestVal,
			k[engine.KnobSigma], k[engine.KnobSigmaB], k[engine.KnobPMut], k[engine.KnobEta], k[engine.KnobEditRate], k[engine.KnobEditScale])
		if i > 0 {
			x := r.EventAt(i)
			events.add(id, i, x.ParentID, x.ChildID, x.Delta, x.Source, t.id(x.Summary))
		}
	}
	t.unsaved(id, &txts)
	return agents, metrics, events, txts, h
}

// runSummary is what the runs row says of r: iterations, best agent, its train and test accuracy,
// the generator state and the best agent's validation accuracy (the order of the UPDATE above).
func runSummary(r *engine.Run) ([]any, error) {
	state, err := r.State()
	if err != nil {
		return nil, err
	}
	best := r.Best()
	return []any{r.Iterations(), best.Agent.ID, best.Eval.TrainAccuracy, best.Eval.TestAccuracy, state, best.Eval.ValAccuracy}, nil
}
