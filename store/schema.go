package store

// ApplicationID marks a hyperagents database (PRAGMA application_id): "HyAg".
const ApplicationID = 0x48794167

// SchemaVersion is the schema this code writes (PRAGMA user_version).
const SchemaVersion = 5

// MaxFileSize bounds a database file this code loads.
const MaxFileSize = 512 << 20

// migrations[v] upgrades a database from schema version v to v+1; migrations[0] creates the
// schema in an empty database. Each runs in the transaction that also sets user_version.
var migrations = []string{
	`CREATE TABLE runs (
		id             TEXT PRIMARY KEY,
		name           TEXT NOT NULL,
		mode           TEXT NOT NULL,
		flavour        TEXT NOT NULL,
		seed           INTEGER NOT NULL,
		domain         TEXT NOT NULL,
		engine_version TEXT NOT NULL,
		created_at     TEXT NOT NULL,
		iterations     INTEGER NOT NULL,
		best_agent_id  TEXT NOT NULL,
		best_train     REAL NOT NULL,
		best_test      REAL NOT NULL,
		state          BLOB NOT NULL
	) STRICT;
	CREATE INDEX runs_created ON runs (created_at);
	CREATE TABLE agents (
		run_id                           TEXT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
		agent_id                         TEXT NOT NULL,
		parent_id                        TEXT,
		generation                       INTEGER NOT NULL,
		created_iteration                INTEGER NOT NULL,
		mutation_source                  TEXT NOT NULL,
		task_policy_json                 TEXT NOT NULL,
		meta_policy_json                 TEXT NOT NULL,
		lineage_notes_json               TEXT NOT NULL,
		fitness                          REAL NOT NULL,
		train_accuracy                   REAL NOT NULL,
		test_accuracy                    REAL NOT NULL,
		false_positive_count             INTEGER NOT NULL,
		false_negative_count             INTEGER NOT NULL,
		false_positive_feature_avgs_json TEXT NOT NULL,
		false_negative_feature_avgs_json TEXT NOT NULL,
		evaluation_summary               TEXT NOT NULL,
		UNIQUE (run_id, created_iteration)
	) STRICT;
	CREATE TABLE metrics (
		run_id                 TEXT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
		iteration              INTEGER NOT NULL,
		best_fitness           REAL NOT NULL,
		best_test_accuracy     REAL NOT NULL,
		child_train_accuracy   REAL NOT NULL,
		child_test_accuracy    REAL NOT NULL,
		archive_size           INTEGER NOT NULL,
		meta_focus_metric      TEXT NOT NULL,
		meta_weight_step       REAL NOT NULL,
		meta_threshold_step    REAL NOT NULL,
		meta_exploration_scale REAL NOT NULL,
		mutation_source        TEXT NOT NULL,
		archive_hash           TEXT NOT NULL,
		UNIQUE (run_id, iteration)
	) STRICT;
	CREATE TABLE events (
		run_id          TEXT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
		iteration       INTEGER NOT NULL,
		parent_agent_id TEXT NOT NULL,
		child_agent_id  TEXT NOT NULL,
		fitness_delta   REAL NOT NULL,
		mutation_source TEXT NOT NULL,
		summary         TEXT NOT NULL,
		UNIQUE (run_id, iteration)
	) STRICT;`,
	// 1 → 2: the model's requests and replies of LLM iterations, so LLM runs replay offline.
	`CREATE TABLE transcripts (
		run_id            TEXT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
		iteration         INTEGER NOT NULL,
		model             TEXT NOT NULL,
		request_json      TEXT NOT NULL,
		reply             TEXT NOT NULL,
		failed            INTEGER NOT NULL,
		error             TEXT NOT NULL,
		prompt_tokens     INTEGER NOT NULL,
		completion_tokens INTEGER NOT NULL,
		fallback          TEXT NOT NULL,
		UNIQUE (run_id, iteration)
	) STRICT;`,
	// 2 → 3: domains beyond code_review and the adaptive flavour: a run's condition as meta ×
	// selection (mode keeps the condition's name: the seed's modes keep theirs), the validation
	// accuracy of the reported agent and of every agent, and the adaptive meta knobs per iteration.
	// code-review is renamed code_review.
	`ALTER TABLE runs ADD COLUMN meta TEXT NOT NULL DEFAULT '';
	ALTER TABLE runs ADD COLUMN selection TEXT NOT NULL DEFAULT '';
	ALTER TABLE runs ADD COLUMN best_val REAL NOT NULL DEFAULT 0;
	UPDATE runs SET meta = CASE mode WHEN 'baseline' THEN 'frozen' ELSE 'evolve' END,
		selection = CASE mode WHEN 'no_archive' THEN 'best' ELSE 'seed' END;
	UPDATE runs SET domain = 'code_review' WHERE domain = 'code-review';
	ALTER TABLE agents ADD COLUMN val_accuracy REAL NOT NULL DEFAULT 0;
	ALTER TABLE metrics ADD COLUMN best_val_accuracy REAL NOT NULL DEFAULT 0;
	ALTER TABLE metrics ADD COLUMN meta_sigma REAL NOT NULL DEFAULT 0;
	ALTER TABLE metrics ADD COLUMN meta_sigma_b REAL NOT NULL DEFAULT 0;
	ALTER TABLE metrics ADD COLUMN meta_p_mut REAL NOT NULL DEFAULT 0;
	ALTER TABLE metrics ADD COLUMN meta_eta REAL NOT NULL DEFAULT 0;
	ALTER TABLE metrics ADD COLUMN meta_edit_rate REAL NOT NULL DEFAULT 0;
	ALTER TABLE metrics ADD COLUMN meta_edit_scale REAL NOT NULL DEFAULT 0;`,
	// 3 → 4: sweeps made in the page, each with its spec, its runs.csv (deflate-compressed; the
	// source of every other result) and its summary.json.
	`CREATE TABLE sweeps (
		id             TEXT PRIMARY KEY,
		name           TEXT NOT NULL,
		created_at     TEXT NOT NULL,
		engine_version TEXT NOT NULL,
		spec_json      TEXT NOT NULL,
		runs           INTEGER NOT NULL,
		iterations     INTEGER NOT NULL,
		runs_csv_size  INTEGER NOT NULL,
		runs_csv       BLOB NOT NULL,
		summary_json   TEXT NOT NULL
	) STRICT;
	CREATE INDEX sweeps_created ON sweeps (created_at);`,
	// 4 → 5: compact agents and events. Each run's notes and summaries are stored once, in texts,
	// and rows refer to them by number (an agent's lineage repeated all its ancestors' notes:
	// half of every row); policies and error means are JSON arrays in the domain's feature order
	// instead of objects keyed by name. convertV4 fills the new tables from the old ones.
	`CREATE TABLE texts (
		run_id TEXT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
		id     INTEGER NOT NULL,
		text   TEXT NOT NULL,
		UNIQUE (run_id, id)
	) STRICT;
	ALTER TABLE agents RENAME TO agents_v4;
	ALTER TABLE events RENAME TO events_v4;
	CREATE TABLE agents (
		run_id               TEXT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
		agent_id             TEXT NOT NULL,
		parent_id            TEXT,
		generation           INTEGER NOT NULL,
		created_iteration    INTEGER NOT NULL,
		mutation_source      TEXT NOT NULL,
		task_policy          TEXT NOT NULL,
		meta_policy          TEXT NOT NULL,
		lineage_notes        TEXT NOT NULL,
		fitness              REAL NOT NULL,
		train_accuracy       REAL NOT NULL,
		val_accuracy         REAL NOT NULL,
		test_accuracy        REAL NOT NULL,
		false_positive_count INTEGER NOT NULL,
		false_negative_count INTEGER NOT NULL,
		error_means          TEXT NOT NULL,
		evaluation_summary   INTEGER NOT NULL,
		UNIQUE (run_id, created_iteration)
	) STRICT;
	CREATE TABLE events (
		run_id          TEXT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
		iteration       INTEGER NOT NULL,
		parent_agent_id TEXT NOT NULL,
		child_agent_id  TEXT NOT NULL,
		fitness_delta   REAL NOT NULL,
		mutation_source TEXT NOT NULL,
		summary         INTEGER NOT NULL,
		UNIQUE (run_id, iteration)
	) STRICT;`,
}

// convertAt is the schema version whose migration is followed by convertV4 (in Go).
const convertAt = 4

// tables are the tables of a run, in the order its rows are copied.
var tables = []string{"runs", "texts", "agents", "metrics", "events", "transcripts"}

// allTables are every table of the current schema.
var allTables = append(append([]string(nil), tables...), "sweeps")
