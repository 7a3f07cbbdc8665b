package main

import (
	"context"
	"fmt"
	"strings"
	"text/tabwriter"

	"hyperagents/engine"
)

// sweeps lists the sweeps saved in a database file (made in the page), or writes one sweep's
// files — re-derived from its spec and runs.csv, and checked against the summary it stored — into
// a directory, as `hyperagents sweep` would have written them.
func (m *Main) sweeps(ctx context.Context, args []string) error {
	fs := newFlagSet("sweeps", m.Stderr)
	dbPath := fs.String("db", "", "the SQLite file (required)")
	id := fs.String("id", "", "the sweep whose files to write (needs --out)")
	out := fs.String("out", "", "write the sweep's files into this directory")
	if err := parseFlags(fs, args); err != nil {
		return helpOK(err)
	}
	switch {
	case *dbPath == "":
		return usagef("sweeps: --db FILE is required")
	case (*id == "") != (*out == ""):
		return usagef("sweeps: --id ID and --out DIR go together")
	}
	db, err := openDB(ctx, *dbPath, false)
	if err != nil {
		return err
	}
	defer db.Close()
	if *id != "" {
		if err := checkWritableDir(*out); err != nil {
			return usageError{err}
		}
		sw, si, err := db.Sweep(*id)
		if err != nil {
			return err
		}
		if err := writeFilesAtomic(*out, sw.Files); err != nil {
			return err
		}
		fmt.Fprintf(m.Stdout, "sweep %s (%s): verified (its summary is what its runs.csv gives); wrote %s in %s\n",
			safe(si.ID), safe(si.Name), strings.Join(sortedNames(sw.Files), ", "), safe(*out))
		return nil
	}
	list, err := db.Sweeps()
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(m.Stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tNAME\tCREATED\tDOMAINS\tCONDITIONS\tSEEDS\tITERATIONS\tRUNS")
	for _, si := range list {
		spec, err := engine.ParseSpec([]byte(si.Spec))
		doms, conds, seeds := "?", "?", 0
		if err == nil {
			doms = strings.Join(spec.Domains, " ")
			var names []string
			for _, c := range spec.Conditions {
				names = append(names, c.Name)
			}
			conds, seeds = strings.Join(names, " "), spec.Seeds
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%d\t%d\t%d\n", safe(si.ID), safe(si.Name), si.Created.Format("2006-01-02 15:04"),
			safe(doms), safe(conds), seeds, si.Iterations, si.Runs)
	}
	return tw.Flush()
}
