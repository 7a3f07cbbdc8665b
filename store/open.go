package store

import (
	"bytes"
	"fmt"

	"github.com/ncruces/go-sqlite3"

	"hyperagents/engine"
)

// Open rebuilds run id as an [engine.Run] that continues exactly where the saved run stopped, on
// the domain the run names. Every saved agent is checked ([engine.Resume]).
func (db *DB) Open(id string) (*engine.Run, RunInfo, error) {
	db.mu.Lock()
	defer db.mu.Unlock()
	ri, err := db.infoLocked(id)
	if err != nil {
		return nil, ri, err
	}
	d, err := db.domain(ri.Domain)
	if err != nil {
		return nil, ri, fmt.Errorf("store: %w: run %s: %v", ErrBadRun, id, err)
	}
	entries, err := db.entries(id, d)
	if err != nil {
		return nil, ri, err
	}
	if len(entries) != ri.Iterations+1 {
		return nil, ri, fmt.Errorf("store: %w: run %s has %d agents for %d iterations", ErrBadRun, id, len(entries), ri.Iterations)
	}
	var state []byte
	db.queryRow(`SELECT state FROM runs WHERE id = ?`, []any{id}, func(s *sqlite3.Stmt) { state = s.ColumnBlob(0, nil) })
	r, err := engine.Resume(ri.Config, d, entries, state)
	if err != nil {
		return nil, ri, fmt.Errorf("store: %w: run %s: %v", ErrBadRun, id, err)
	}
	hashes, err := db.hashesLocked(id)
	if err != nil {
		return nil, ri, err
	}
	got := r.Hashes()
	if len(hashes) != len(got) {
		return nil, ri, fmt.Errorf("store: %w: run %s has %d metrics rows for %d iterations", ErrBadRun, id, len(hashes), ri.Iterations)
	}
	for i := range got {
		if got[i] != hashes[i] {
			return nil, ri, fmt.Errorf("store: %w: run %s: the archive hash of iteration %d does not match its agents", ErrBadRun, id, i)
		}
	}
	db.tail[id] = tail{iteration: r.Iterations(), hash: got[len(got)-1]}
	return r, ri, nil
}

// domain returns the domain a run names, built once per database. The caller holds mu.
func (db *DB) domain(name string) (engine.Domain, error) {
	if d, ok := db.domains[name]; ok {
		return d, nil
	}
	d, err := engine.LookupDomain(name)
	if err != nil {
		return nil, err
	}
	if d.Name() != name {
		return nil, fmt.Errorf("domain %q is not written as this program writes it (%q)", name, d.Name())
	}
	db.domains[name] = d
	return d, nil
}

// entries reads run id's agents in creation order.
func (db *DB) entries(id string, d engine.Domain) ([]engine.Entry, error) {
	notes, err := db.runTexts(id)
	if err != nil {
		return nil, err
	}
	var out []engine.Entry
	err = db.query(`SELECT agent_id, parent_id, generation, created_iteration, mutation_source, task_policy, meta_policy,
		lineage_notes, fitness, train_accuracy, val_accuracy, test_accuracy, false_positive_count, false_negative_count,
		error_means, evaluation_summary
		FROM agents WHERE run_id = ? ORDER BY created_iteration`, []any{id}, func(s *sqlite3.Stmt) error {
		var e engine.Entry
		e.Agent.ID, e.Agent.ParentID, e.Agent.Generation = s.ColumnText(0), s.ColumnText(1), s.ColumnInt(2)
		e.Created, e.Source = s.ColumnInt(3), s.ColumnText(4)
		e.Eval.Fitness, e.Eval.TrainAccuracy, e.Eval.ValAccuracy, e.Eval.TestAccuracy = s.ColumnFloat(8), s.ColumnFloat(9), s.ColumnFloat(10), s.ColumnFloat(11)
		e.Eval.FalsePos, e.Eval.FalseNeg = s.ColumnInt(12), s.ColumnInt(13)
		if err := decodeCompact(&e, d, notes, s.ColumnText(5), s.ColumnText(6), s.ColumnText(7), s.ColumnText(14), s.ColumnInt64(15)); err != nil {
			return fmt.Errorf("%w: run %s, %s: %v", ErrBadRun, id, e.Agent.ID, err)
		}
		out = append(out, e)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("store: %w", err)
	}
	return out, nil
}

// Hashes returns the saved archive hash of every iteration of run id, iteration 0 first.
func (db *DB) Hashes(id string) ([]engine.Hash, error) {
	db.mu.Lock()
	defer db.mu.Unlock()
	return db.hashesLocked(id)
}

func (db *DB) hashesLocked(id string) ([]engine.Hash, error) {
	var out []engine.Hash
	err := db.query(`SELECT iteration, archive_hash FROM metrics WHERE run_id = ? ORDER BY iteration`, []any{id}, func(s *sqlite3.Stmt) error {
		if s.ColumnInt(0) != len(out) {
			return fmt.Errorf("%w: run %s: metrics skip iteration %d", ErrBadRun, id, len(out))
		}
		h, ok := engine.ParseHash(s.ColumnText(1))
		if !ok {
			return fmt.Errorf("%w: run %s: iteration %d: archive hash %.40q", ErrBadRun, id, len(out), s.ColumnText(1))
		}
		out = append(out, h)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("store: %w", err)
	}
	return out, nil
}

// Progress returns run id's per-iteration metrics, iteration 0 first.
func (db *DB) Progress(id string) ([]engine.Progress, error) {
	db.mu.Lock()
	defer db.mu.Unlock()
	var out []engine.Progress
	err := db.query(`SELECT iteration, best_fitness, best_test_accuracy, child_train_accuracy, child_test_accuracy, archive_size,
		meta_focus_metric, meta_weight_step, meta_threshold_step, meta_exploration_scale, mutation_source, best_val_accuracy,
		meta_sigma, meta_sigma_b, meta_p_mut, meta_eta, meta_edit_rate, meta_edit_scale
		FROM metrics WHERE run_id = ? ORDER BY iteration`, []any{id}, func(s *sqlite3.Stmt) error {
		p := engine.Progress{
			Iteration: s.ColumnInt(0), BestFitness: s.ColumnFloat(1), BestTestAccuracy: s.ColumnFloat(2),
			ChildTrain: s.ColumnFloat(3), ChildTest: s.ColumnFloat(4), ArchiveSize: s.ColumnInt(5), Focus: s.ColumnText(6),
			WeightStep: s.ColumnFloat(7), ThresholdStep: s.ColumnFloat(8), ExplorationScale: s.ColumnFloat(9), Source: s.ColumnText(10),
			BestVal: s.ColumnFloat(11),
		}
		for k := range p.Knobs {
			p.Knobs[k] = s.ColumnFloat(12 + k)
		}
		out = append(out, p)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("store: progress: %w", err)
	}
	return out, nil
}

// CSV writes run id's metrics: a code_review run in the experiment CSV format (the seed's 16
// columns; seed_idx 0), an adaptive run in the sweep's runs.csv format.
func (db *DB) CSV(id string) ([]byte, error) {
	ri, err := db.Info(id)
	if err != nil {
		return nil, err
	}
	ps, err := db.Progress(id)
	if err != nil {
		return nil, err
	}
	c := ri.Config
	cond := engine.Condition{Name: c.ConditionName(), Meta: c.Meta, Selection: c.Selection}
	rows := make([]engine.Row, len(ps))
	for i, p := range ps {
		rows[i] = engine.Row{Condition: cond, Seed: c.Seed, Progress: p}
	}
	var b bytes.Buffer
	if c.Flavour == engine.FlavourAdaptive {
		err = engine.WriteRunsCSV(&b, ri.Domain, c.Flavour, rows)
	} else {
		err = engine.WriteCSV(&b, rows)
	}
	if err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}
