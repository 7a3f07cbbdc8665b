package store

import (
	"bytes"
	"errors"
	"fmt"
	"regexp"
	"slices"
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
// UTF-8 with no control characters. Names are shown as text, never as HTML, so anything else is
// allowed.
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
	}
	return nil
}

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
		err := db.exec(`INSERT INTO runs (id, name, mode, flavour, seed, domain, engine_version, created_at, iterations, best_agent_id, best_train, best_test, state)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0, 'agent-000', 0, 0, x'')`,
			id, name, c.Mode.String(), c.Flavour.String(), c.Seed, r.Domain().Name(), engine.Version, created.UTC().Format(time.RFC3339))
		if err != nil {
			if errors.Is(err, sqlite3.CONSTRAINT_PRIMARYKEY) {
				return fmt.Errorf("store: %w: %s", ErrDuplicate, id)
			}
			return fmt.Errorf("store: create run: %w", err)
		}
		db.tail[id] = tail{iteration: -1}
		if err := db.appendLocked(id, r, ts...); err != nil {
			delete(db.tail, id)
			return err
		}
		return nil
	})
}

// Transcript is the model call of an LLM iteration: the request sent, the reply (or the failure),
// the tokens used and, when the reply could not be used, why the iteration fell back to the
// heuristic mutation.
type Transcript struct {
	Iteration        int    `json:"iteration"`
	Model            string `json:"model"`
	Request          string `json:"request_json"`
	Reply            string `json:"reply"`
	Failed           bool   `json:"failed"`
	Error            string `json:"error"`
	PromptTokens     int    `json:"prompt_tokens"`
	CompletionTokens int    `json:"completion_tokens"`
	Fallback         string `json:"fallback"`
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
	feats := r.Domain().Features()
	var agents, metrics, events rows
	h := t.hash
	a := r.Archive()
	var buf []byte
	for i := t.iteration + 1; i <= r.Iterations(); i++ {
		e := a.At(i)
		h = engine.Chain(h, e)
		var parent any
		if e.Agent.ParentID != "" {
			parent = e.Agent.ParentID
		}
		ev := &e.Eval
		buf = buf[:0]
		var cols [5]string
		for k := range cols {
			start := len(buf)
			buf = appendAgentJSON(buf, k, e, feats)
			cols[k] = string(buf[start:])
		}
		agents.add(id, e.Agent.ID, parent, e.Agent.Generation, e.Created, e.Source, cols[0], cols[1], cols[2],
			ev.Fitness, ev.TrainAccuracy, ev.TestAccuracy, ev.FalsePos, ev.FalseNeg, cols[3], cols[4], ev.Summary)
		p := r.ProgressAt(i)
		metrics.add(id, i, p.BestFitness, p.BestTestAccuracy, p.ChildTrain, p.ChildTest, p.ArchiveSize, p.Focus,
			p.WeightStep, p.ThresholdStep, p.ExplorationScale, p.Source, h.String())
		if i > 0 {
			x := r.EventAt(i)
			events.add(id, i, x.ParentID, x.ChildID, x.Delta, x.Source, x.Summary)
		}
	}
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
	}{{"agents", &agents}, {"metrics", &metrics}, {"events", &events}, {"transcripts", &transcripts}} {
		if len(w.rows.vals) == 0 {
			continue
		}
		if err := db.insert(w.table, w.rows); err != nil {
			return fmt.Errorf("store: save %s: %w", w.table, err)
		}
	}
	state, err := r.State()
	if err != nil {
		return err
	}
	best := r.Best()
	if err := db.exec(`UPDATE runs SET iterations = ?, best_agent_id = ?, best_train = ?, best_test = ?, state = ? WHERE id = ?`,
		r.Iterations(), best.Agent.ID, best.Eval.TrainAccuracy, best.Eval.TestAccuracy, state, id); err != nil {
		return fmt.Errorf("store: update run: %w", err)
	}
	db.tail[id] = tail{iteration: r.Iterations(), hash: h}
	return nil
}

// taskJSON and metaJSON are how policies read in the sqlite3 shell: weights and focus by feature name.
type taskJSON struct {
	Weights     map[string]float64 `json:"weights"`
	Threshold   float64            `json:"threshold"`
	ReviewStyle string             `json:"review_style"`
}

type metaJSON struct {
	Focus            string   `json:"focus"`
	WeightStep       float64  `json:"weight_step"`
	ThresholdStep    float64  `json:"threshold_step"`
	ExplorationScale float64  `json:"exploration_scale"`
	Memory           []string `json:"memory"`
}

// decodeAgent reads the JSON columns back, strictly: unknown, missing or mistyped fields are errors.
func decodeAgent(e *engine.Entry, feats []string, task, meta, lineage, fpAvg, fnAvg string) error {
	t, err := jsonObject(task, "task policy", "weights", "threshold", "review_style")
	if err != nil {
		return err
	}
	w, err := byFeature(t["weights"], feats, "task policy weights")
	if err != nil {
		return err
	}
	th, ok1 := t["threshold"].(float64)
	style, ok2 := t["review_style"].(string)
	if !ok1 || !ok2 {
		return errors.New("task policy: threshold must be a number and review_style a string")
	}
	e.Agent.Task = engine.TaskPolicy{Weights: w, Threshold: th, ReviewStyle: engine.ReviewStyle(style)}
	m, err := jsonObject(meta, "meta policy", "focus", "weight_step", "threshold_step", "exploration_scale", "memory")
	if err != nil {
		return err
	}
	focusName, _ := m["focus"].(string)
	focus := slices.Index(feats, focusName)
	if focus < 0 {
		return fmt.Errorf("meta policy focuses on unknown feature %q", focusName)
	}
	ws, ok1 := m["weight_step"].(float64)
	ts, ok2 := m["threshold_step"].(float64)
	es, ok3 := m["exploration_scale"].(float64)
	if !ok1 || !ok2 || !ok3 {
		return errors.New("meta policy: steps and exploration scale must be numbers")
	}
	memory, err := stringList(m["memory"], "memory notes")
	if err != nil {
		return err
	}
	e.Agent.Meta = engine.MetaPolicy{Focus: focus, WeightStep: ws, ThresholdStep: ts, ExplorationScale: es, Memory: memory}
	lv, err := parseJSON(lineage)
	if err != nil {
		return fmt.Errorf("lineage notes: %w", err)
	}
	if e.Agent.Lineage, err = stringList(lv, "lineage notes"); err != nil {
		return err
	}
	for _, x := range []struct {
		s   string
		dst *[]float64
	}{{fpAvg, &e.Eval.FalsePosAvgs}, {fnAvg, &e.Eval.FalseNegAvgs}} {
		v, err := parseJSON(x.s)
		if err != nil {
			return fmt.Errorf("error means: %w", err)
		}
		if *x.dst, err = byFeature(v, feats, "error means"); err != nil {
			return err
		}
	}
	return nil
}

// jsonObject parses s as an object with exactly the given keys.
func jsonObject(s, what string, keys ...string) (map[string]any, error) {
	v, err := parseJSON(s)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	m, ok := v.(map[string]any)
	if !ok || len(m) != len(keys) {
		return nil, fmt.Errorf("%s: want an object with %s", what, strings.Join(keys, ", "))
	}
	for _, k := range keys {
		if _, ok := m[k]; !ok {
			return nil, fmt.Errorf("%s lacks %s", what, k)
		}
	}
	return m, nil
}

// byFeature reads an object of one number per feature into feature order.
func byFeature(v any, feats []string, what string) ([]float64, error) {
	m, ok := v.(map[string]any)
	if !ok || len(m) != len(feats) {
		return nil, fmt.Errorf("%s: want one number for each of %d features", what, len(feats))
	}
	out := make([]float64, len(feats))
	for i, f := range feats {
		x, ok := m[f].(float64)
		if !ok {
			return nil, fmt.Errorf("%s lacks a number for %s", what, f)
		}
		out[i] = x
	}
	return out, nil
}

// stringList reads an array of strings.
func stringList(v any, what string) ([]string, error) {
	a, ok := v.([]any)
	if !ok {
		return nil, fmt.Errorf("%s: want an array of strings", what)
	}
	out := make([]string, len(a))
	for i, x := range a {
		if out[i], ok = x.(string); !ok {
			return nil, fmt.Errorf("%s: want an array of strings", what)
		}
	}
	return out, nil
}

const runColumns = `id, name, mode, flavour, seed, domain, engine_version, created_at, iterations, best_agent_id, best_train, best_test,
	(SELECT archive_hash FROM metrics WHERE run_id = runs.id ORDER BY iteration DESC LIMIT 1)`

// scanRun reads a runs row selected with runColumns.
func scanRun(s *sqlite3.Stmt) (RunInfo, error) {
	ri := RunInfo{
		ID: s.ColumnText(0), Name: s.ColumnText(1), Domain: s.ColumnText(5), EngineVersion: s.ColumnText(6),
		Iterations: s.ColumnInt(8), BestAgent: s.ColumnText(9), BestTrain: s.ColumnFloat(10), BestTest: s.ColumnFloat(11),
		LastHash: s.ColumnText(12),
	}
	var err error
	if ri.Config.Mode, err = engine.ParseMode(s.ColumnText(2)); err != nil {
		return ri, err
	}
	if ri.Config.Flavour, err = engine.ParseFlavour(s.ColumnText(3)); err != nil {
		return ri, err
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
	if err := db.exec(`DELETE FROM runs WHERE id = ?`, id); err != nil {
		return fmt.Errorf("store: delete: %w", err)
	}
	if db.conn.Changes() == 0 {
		return fmt.Errorf("store: %w: %s", ErrNoRun, id)
	}
	return nil
}

// Open rebuilds run id as an [engine.Run] that continues exactly where the saved run stopped. d
// must be the run's domain. Every saved agent is checked ([engine.Resume]).
func (db *DB) Open(id string, d engine.Domain) (*engine.Run, RunInfo, error) {
	db.mu.Lock()
	defer db.mu.Unlock()
	ri, err := db.infoLocked(id)
	if err != nil {
		return nil, ri, err
	}
	if ri.Domain != d.Name() {
		return nil, ri, fmt.Errorf("store: run %s is of domain %q, not %q", id, ri.Domain, d.Name())
	}
	entries, err := db.entries(id, d.Features())
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

// entries reads run id's agents in creation order.
func (db *DB) entries(id string, feats []string) ([]engine.Entry, error) {
	var out []engine.Entry
	err := db.query(`SELECT agent_id, parent_id, generation, created_iteration, mutation_source, task_policy_json, meta_policy_json,
		lineage_notes_json, fitness, train_accuracy, test_accuracy, false_positive_count, false_negative_count,
		false_positive_feature_avgs_json, false_negative_feature_avgs_json, evaluation_summary
		FROM agents WHERE run_id = ? ORDER BY created_iteration`, []any{id}, func(s *sqlite3.Stmt) error {
		var e engine.Entry
		e.Agent.ID, e.Agent.ParentID, e.Agent.Generation = s.ColumnText(0), s.ColumnText(1), s.ColumnInt(2)
		e.Created, e.Source = s.ColumnInt(3), s.ColumnText(4)
		e.Eval.Fitness, e.Eval.TrainAccuracy, e.Eval.TestAccuracy = s.ColumnFloat(8), s.ColumnFloat(9), s.ColumnFloat(10)
		e.Eval.FalsePos, e.Eval.FalseNeg, e.Eval.Summary = s.ColumnInt(11), s.ColumnInt(12), s.ColumnText(15)
		if err := decodeAgent(&e, feats, s.ColumnText(5), s.ColumnText(6), s.ColumnText(7), s.ColumnText(13), s.ColumnText(14)); err != nil {
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
		meta_focus_metric, meta_weight_step, meta_threshold_step, meta_exploration_scale, mutation_source
		FROM metrics WHERE run_id = ? ORDER BY iteration`, []any{id}, func(s *sqlite3.Stmt) error {
		out = append(out, engine.Progress{
			Iteration: s.ColumnInt(0), BestFitness: s.ColumnFloat(1), BestTestAccuracy: s.ColumnFloat(2),
			ChildTrain: s.ColumnFloat(3), ChildTest: s.ColumnFloat(4), ArchiveSize: s.ColumnInt(5), Focus: s.ColumnText(6),
			WeightStep: s.ColumnFloat(7), ThresholdStep: s.ColumnFloat(8), ExplorationScale: s.ColumnFloat(9), Source: s.ColumnText(10),
		})
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("store: progress: %w", err)
	}
	return out, nil
}

// CSV writes run id's metrics in the experiment CSV format (the seed's 16 columns; seed_idx 0).
func (db *DB) CSV(id string) ([]byte, error) {
	ri, err := db.Info(id)
	if err != nil {
		return nil, err
	}
	ps, err := db.Progress(id)
	if err != nil {
		return nil, err
	}
	rows := make([]engine.Row, len(ps))
	for i, p := range ps {
		rows[i] = engine.Row{Condition: ri.Config.Mode, Seed: ri.Config.Seed, Progress: p}
	}
	var b bytes.Buffer
	if err := engine.WriteCSV(&b, rows); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// Transcripts returns run id's model calls, by iteration.
func (db *DB) Transcripts(id string) ([]Transcript, error) {
	db.mu.Lock()
	defer db.mu.Unlock()
	var out []Transcript
	err := db.query(`SELECT iteration, model, request_json, reply, failed, error, prompt_tokens, completion_tokens, fallback
		FROM transcripts WHERE run_id = ? ORDER BY iteration`, []any{id}, func(s *sqlite3.Stmt) error {
		out = append(out, Transcript{Iteration: s.ColumnInt(0), Model: s.ColumnText(1), Request: s.ColumnText(2), Reply: s.ColumnText(3),
			Failed: s.ColumnInt(4) != 0, Error: s.ColumnText(5), PromptTokens: s.ColumnInt(6), CompletionTokens: s.ColumnInt(7), Fallback: s.ColumnText(8)})
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("store: transcripts: %w", err)
	}
	return out, nil
}

// Replay prepares the verification of run id: a re-execution from its configuration, answering
// its LLM iterations from the saved transcripts, compared iteration by iteration with the saved
// archive hashes. Advance the result with Step until Done.
func (db *DB) Replay(id string, d engine.Domain) (*engine.Replay, RunInfo, error) {
	ri, err := db.Info(id)
	if err != nil {
		return nil, ri, err
	}
	if ri.Domain != d.Name() {
		return nil, ri, fmt.Errorf("store: run %s is of domain %q, not %q", id, ri.Domain, d.Name())
	}
	hashes, err := db.Hashes(id)
	if err != nil {
		return nil, ri, err
	}
	ts, err := db.Transcripts(id)
	if err != nil {
		return nil, ri, err
	}
	replies := make(map[int]engine.Reply, len(ts))
	for _, t := range ts {
		replies[t.Iteration] = engine.Reply{Text: t.Reply, Failed: t.Failed, Error: t.Error}
	}
	p, err := engine.NewReplay(ri.Config, d, hashes)
	if err != nil {
		return nil, ri, err
	}
	return p.WithReplies(replies), ri, nil
}
