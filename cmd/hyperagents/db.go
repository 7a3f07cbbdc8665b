package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"text/tabwriter"

	"hyperagents/store"
)

// openDB reads a database file; a missing file gives an empty database when create is set.
func openDB(path string, create bool) (*store.DB, error) {
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) && create {
		return store.New()
	}
	if err != nil {
		return nil, err
	}
	db, err := store.Load(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return db, nil
}

// saveDB writes the database to path atomically.
func saveDB(path string, db *store.DB) error {
	data, err := db.Bytes()
	if err != nil {
		return err
	}
	return writeFileAtomic(path, data)
}

// writeFileAtomic writes data to path through a temporary file in the same directory.
func writeFileAtomic(path string, data []byte) error {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	return writeFilesAtomic(dir, map[string][]byte{filepath.Base(path): data})
}

// runs lists the runs of a database file.
func (m *Main) runs(args []string) error {
	fs := newFlagSet("runs", m.Stderr)
	dbPath := fs.String("db", "", "the SQLite file (required)")
	if err := parseFlags(fs, args); err != nil {
		return helpOK(err)
	}
	if *dbPath == "" {
		return usagef("runs: --db FILE is required")
	}
	db, err := openDB(*dbPath, false)
	if err != nil {
		return err
	}
	defer db.Close()
	list, err := db.Runs()
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(m.Stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tNAME\tDOMAIN\tCONDITION\tFLAVOUR\tSEED\tCREATED\tITERATIONS\tBEST TRAIN\tBEST TEST")
	for _, r := range list {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%d\t%s\t%d\t%.3f\t%.3f\n", r.ID, r.Name, r.Domain, r.Config.ConditionName(), r.Config.Flavour, r.Config.Seed,
			r.Created.Format("2006-01-02 15:04"), r.Iterations, r.BestTrain, r.BestTest)
	}
	return tw.Flush()
}

// export writes runs of a database to a new database file, or one run's metrics as CSV.
func (m *Main) export(args []string) error {
	fs := newFlagSet("export", m.Stderr)
	dbPath := fs.String("db", "", "the SQLite file to read (required)")
	run := fs.String("run", "", "the run id (default: every run)")
	out := fs.String("out", "", "write a database file with the run(s) here")
	csv := fs.String("csv", "", "write the run's metrics as CSV here (needs --run)")
	if err := parseFlags(fs, args); err != nil {
		return helpOK(err)
	}
	switch {
	case *dbPath == "":
		return usagef("export: --db FILE is required")
	case (*out == "") == (*csv == ""):
		return usagef("export: give exactly one of --out FILE and --csv FILE")
	case *csv != "" && *run == "":
		return usagef("export: --csv needs --run ID")
	}
	db, err := openDB(*dbPath, false)
	if err != nil {
		return err
	}
	defer db.Close()
	var data []byte
	if *csv != "" {
		data, err = db.CSV(*run)
	} else if *run != "" {
		data, err = db.Export(*run)
	} else {
		data, err = db.Export()
	}
	if err != nil {
		return err
	}
	dst := *out + *csv
	if err := writeFileAtomic(dst, data); err != nil {
		return err
	}
	fmt.Fprintf(m.Stdout, "wrote %s (%d bytes)\n", dst, len(data))
	return nil
}

// importFiles adds the runs of database files to a database file.
func (m *Main) importFiles(args []string) error {
	fs := newFlagSet("import", m.Stderr)
	dbPath := fs.String("db", "", "the SQLite file to import into (created if missing; required)")
	if err := fs.Parse(args); err != nil {
		return helpOK(usageError{err})
	}
	if *dbPath == "" || fs.NArg() == 0 {
		return usagef("import: usage: hyperagents import --db FILE IMPORTED.sqlite...")
	}
	db, err := openDB(*dbPath, true)
	if err != nil {
		return err
	}
	defer db.Close()
	failed := false
	for _, f := range fs.Args() {
		data, err := os.ReadFile(f)
		if err == nil {
			var rep store.ImportReport
			rep, err = db.Import(data)
			if err == nil {
				fmt.Fprintf(m.Stdout, "%s: %s\n", f, rep)
				continue
			}
		}
		failed = true
		fmt.Fprintf(m.Stderr, "%s: %v; nothing imported from it\n", f, err)
	}
	if err := saveDB(*dbPath, db); err != nil {
		return err
	}
	if failed {
		return errors.New("import: some files could not be imported")
	}
	return nil
}

// replay re-executes saved runs and compares every iteration's archive hash.
func (m *Main) replay(ctx context.Context, args []string) error {
	fs := newFlagSet("replay", m.Stderr)
	run := fs.String("run", "", "the run id (default: every run)")
	if err := fs.Parse(args); err != nil {
		return helpOK(usageError{err})
	}
	if fs.NArg() != 1 {
		return usagef("replay: usage: hyperagents replay [--run ID] FILE")
	}
	db, err := openDB(fs.Arg(0), false)
	if err != nil {
		return err
	}
	defer db.Close()
	list, err := db.Runs()
	if err != nil {
		return err
	}
	bad, seen := 0, 0
	for _, ri := range list {
		if *run != "" && ri.ID != *run {
			continue
		}
		seen++
		p, _, err := db.Replay(ri.ID)
		if err != nil {
			return err
		}
		for !p.Done() {
			if err := ctx.Err(); err != nil {
				return err
			}
			if err := p.Step(); err != nil {
				return err
			}
		}
		if err := db.Verify(ri.ID, p); err == nil {
			fmt.Fprintf(m.Stdout, "%s %q: verified (%d iterations)\n", ri.ID, ri.Name, ri.Iterations)
		} else {
			bad++
			fmt.Fprintf(m.Stdout, "%s %q: %s\n", ri.ID, ri.Name, strings.TrimPrefix(err.Error(), "store: "))
		}
	}
	if *run != "" && seen == 0 {
		return fmt.Errorf("replay: %w: %s", store.ErrNoRun, *run)
	}
	if bad > 0 {
		return fmt.Errorf("replay: %d of %d runs differ", bad, seen)
	}
	return nil
}

// helpOK turns -h into success.
func helpOK(err error) error {
	if errors.Is(err, flag.ErrHelp) {
		return nil
	}
	return err
}
