package store

import (
	"fmt"
	"math"

	"github.com/ncruces/go-sqlite3"

	"hyperagents/engine"
)

// convertV4 fills schema 5's compact agents, events and texts tables from schema 4's agents and
// events (renamed agents_v4 and events_v4 by the migration), run by run, numbering each run's
// texts as saving does (iteration by iteration: the agent's lineage notes, memory notes and
// summary, then the event's summary), and drops the old tables. An agent schema 4 cannot decode
// stops the conversion with an error naming it. The caller holds a transaction.
func (db *DB) convertV4() error {
	type run struct{ id, domain string }
	var runs []run
	err := db.query(`SELECT id, domain FROM runs ORDER BY id`, nil, func(s *sqlite3.Stmt) error {
		runs = append(runs, run{s.ColumnText(0), s.ColumnText(1)})
		return nil
	})
	if err != nil {
		return err
	}
	for _, r := range runs {
		if err := db.convertRunV4(r.id, r.domain); err != nil {
			return err
		}
	}
	return db.conn.Exec(`DROP TABLE agents_v4; DROP TABLE events_v4;`)
}

// convertRunV4 converts one run's rows.
func (db *DB) convertRunV4(id, domain string) error {
	d, err := db.domain(domain)
	if err != nil {
		return fmt.Errorf("%w: run %s: %v", ErrBadRun, id, err)
	}
	type event struct {
		iteration       int
		parent, child   string
		delta           float64
		source, summary string
	}
	var events []event
	err = db.query(`SELECT iteration, parent_agent_id, child_agent_id, fitness_delta, mutation_source, summary
		FROM events_v4 WHERE run_id = ? ORDER BY iteration`, []any{id}, func(s *sqlite3.Stmt) error {
		events = append(events, event{s.ColumnInt(0), s.ColumnText(1), s.ColumnText(2), s.ColumnFloat(3), s.ColumnText(4), s.ColumnText(5)})
		return nil
	})
	if err != nil {
		return err
	}
	t := newTexts()
	enc := newRowEncoder(d)
	var agents, evs, txts rows
	next := 0 // the next event to write
	eventsTo := func(iteration int) {
		for ; next < len(events) && events[next].iteration <= iteration; next++ {
			x := &events[next]
			evs.add(id, x.iteration, x.parent, x.child, x.delta, x.source, t.id(x.summary))
		}
	}
	err = db.query(`SELECT agent_id, parent_id, generation, created_iteration, mutation_source, task_policy_json, meta_policy_json,
		lineage_notes_json, fitness, train_accuracy, test_accuracy, false_positive_count, false_negative_count,
		false_positive_feature_avgs_json, false_negative_feature_avgs_json, evaluation_summary, val_accuracy
		FROM agents_v4 WHERE run_id = ? ORDER BY created_iteration`, []any{id}, func(s *sqlite3.Stmt) error {
		var e engine.Entry
		e.Agent.ID, e.Agent.ParentID, e.Agent.Generation = s.ColumnText(0), s.ColumnText(1), s.ColumnInt(2)
		e.Created, e.Source = s.ColumnInt(3), s.ColumnText(4)
		e.Eval.Fitness, e.Eval.TrainAccuracy, e.Eval.TestAccuracy = s.ColumnFloat(8), s.ColumnFloat(9), s.ColumnFloat(10)
		e.Eval.FalsePos, e.Eval.FalseNeg, e.Eval.Summary = s.ColumnInt(11), s.ColumnInt(12), s.ColumnText(15)
		e.Eval.ValAccuracy = s.ColumnFloat(16)
		if err := decodeAgent(&e, d, s.ColumnText(5), s.ColumnText(6), s.ColumnText(7), s.ColumnText(13), s.ColumnText(14)); err != nil {
			return fmt.Errorf("%w: run %s, %s: %v", ErrBadRun, id, e.Agent.ID, err)
		}
		eventsTo(e.Created - 1)
		enc.agentRow(&agents, id, &e, t)
		eventsTo(e.Created)
		return nil
	})
	if err != nil {
		return err
	}
	eventsTo(math.MaxInt) // events past the last agent, if any
	t.unsaved(id, &txts)
	for _, w := range []struct {
		table string
		rows  *rows
	}{{"texts", &txts}, {"agents", &agents}, {"events", &evs}} {
		if len(w.rows.vals) == 0 {
			continue
		}
		if err := db.insert(w.table, w.rows); err != nil {
			return fmt.Errorf("run %s: %s: %w", id, w.table, err)
		}
	}
	return nil
}
