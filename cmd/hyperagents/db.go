package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"strings"
	"text/tabwriter"

	"hyperagents/store"
)

// runs lists the runs of a database file.
func (m *Main) runs(ctx context.Context, args []string) error {
	fs := newFlagSet("runs", m.Stderr)
	dbPath := fs.String("db", "", "the SQLite file (required)")
	if err := parseFlags(fs, args); err != nil {
		return helpOK(err)
	}
	if *dbPath == "" {
		return usagef("runs: --db FILE is required")
	}
	db, err := openDB(ctx, *dbPath, false)
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
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%d\t%s\t%d\t%.3f\t%.3f\n", safe(r.ID), safe(r.Name), safe(r.Domain), r.Config.ConditionName(), r.Config.Flavour, r.Config.Seed,
			r.Created.Format("2006-01-02 15:04"), r.Iterations, r.BestTrain, r.BestTest)
	}
	return tw.Flush()
}

// export writes runs of a database to a new database file, or one run's metrics as CSV.
func (m *Main) export(ctx context.Context, args []string) error {
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
	db, err := openDB(ctx, *dbPath, false)
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
func (m *Main) importFiles(ctx context.Context, args []string) error {
	fs := newFlagSet("import", m.Stderr)
	dbPath := fs.String("db", "", "the SQLite file to import into (created if missing; required)")
	if err := fs.Parse(args); err != nil {
		return helpOK(usageError{err})
	}
	if *dbPath == "" || fs.NArg() == 0 {
		return usagef("import: usage: hyperagents import --db FILE IMPORTED.sqlite...")
	}
	db, err := openDB(ctx, *dbPath, true)
	if err != nil {
		return err
	}
	defer db.Close()
	failed, imported := false, 0
	for _, f := range fs.Args() {
		data, err := readInput(f, store.MaxFileSize)
		if err == nil {
			var rep store.ImportReport
			rep, err = db.Import(data)
			if err == nil {
				fmt.Fprintf(m.Stdout, "%s: %s\n", safe(f), safe(rep.String()))
				imported += len(rep.Imported) + len(rep.ImportedSweeps)
				failed = failed || len(rep.Refused)+len(rep.RefusedSweeps) > 0
				continue
			}
		}
		failed = true
		fmt.Fprintf(m.Stderr, "%s: %s; nothing imported from it\n", safe(f), safe(err.Error()))
	}
	if imported > 0 {
		if err := saveDB(*dbPath, db); err != nil {
			return err
		}
	}
	if failed {
		if imported == 0 {
			return fmt.Errorf("import: nothing imported; %s is unchanged", *dbPath)
		}
		return fmt.Errorf("import: %d run(s) and sweep(s) imported into %s, but some were left out", imported, *dbPath)
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
	db, err := openDB(ctx, fs.Arg(0), false)
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
			fmt.Fprintf(m.Stdout, "%s %q: verified (%d iterations)\n", safe(ri.ID), safe(ri.Name), ri.Iterations)
		} else {
			bad++
			fmt.Fprintf(m.Stdout, "%s %q: %s\n", safe(ri.ID), safe(ri.Name), safe(strings.TrimPrefix(err.Error(), "store: ")))
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
