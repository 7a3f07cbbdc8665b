package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"path/filepath"
	"runtime"
	"text/tabwriter"
	"time"

	"hyperagents/chart"
	"hyperagents/engine"
	"hyperagents/store"
)

// Flag limits of the experiment command.
const (
	maxExperimentIterations = 100_000
)

func (m *Main) experiment(ctx context.Context, args []string) error {
	fs := newFlagSet("experiment", m.Stderr)
	cf := addCondFlags(fs)
	iterations := fs.Int("iterations", 30, fmt.Sprintf("iterations per run (1 to %d)", maxExperimentIterations))
	seeds := fs.Int("seeds", 5, fmt.Sprintf("number of seeds, 7 + 13·i (1 to %d)", engine.MaxSeeds))
	conditions := fs.String("conditions", "", "comma-separated seed modes (as --mode)")
	out := fs.String("out", "", "output directory (created if missing; required)")
	dbPath := fs.String("db", "", "also save every run to this SQLite file (created if missing)")
	if err := parseFlags(fs, args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil
		}
		return err
	}
	if *conditions != "" {
		if *cf.mode != "" {
			return usagef("experiment: give --conditions or --mode, not both")
		}
		*cf.mode = *conditions
	}
	d, err := cf.lookupDomain()
	if err != nil {
		return err
	}
	fl, err := cf.flavourFor(d)
	if err != nil {
		return err
	}
	if err := inRange("iterations", *iterations, 1, maxExperimentIterations); err != nil {
		return err
	}
	if err := inRange("seeds", *seeds, 1, engine.MaxSeeds); err != nil {
		return err
	}
	def := engine.ModeConditions(engine.Modes...)
	if fl == engine.FlavourAdaptive {
		def = defaultAdaptiveConditions(d)
	}
	conds, err := cf.conditions(d, def)
	if err != nil {
		return err
	}
	for _, c := range conds {
		if err := checkConfig(engine.Config{Flavour: fl, Meta: c.Meta, Selection: c.Selection}, d); err != nil {
			return err
		}
	}
	if *out == "" {
		return usagef("experiment: --out DIR is required")
	}
	if err := checkWritableDir(*out); err != nil {
		return usageError{err}
	}
	if fl == engine.FlavourAdaptive {
		spec := &engine.Spec{Domains: []string{d.Name()}, Seeds: *seeds, Iterations: *iterations, Reference: conds[0].Name, Flavour: fl.String()}
		for _, c := range conds {
			spec.Conditions = append(spec.Conditions, engine.SpecCondition{Name: c.Name, Meta: c.Meta.String(), Selection: c.Selection.String()})
		}
		if err := spec.Validate(); err != nil {
			return usageError{err}
		}
		plan, err := spec.Plan(0, 1)
		if err != nil {
			return err
		}
		return m.runSweep(ctx, spec, plan, 0, 1, runtime.NumCPU(), *out, *dbPath, "experiment", true)
	}
	cfg := engine.ExperimentConfig{Flavour: fl, Conditions: conds, Seeds: engine.DefaultSeeds(*seeds), Iterations: *iterations}
	x, err := engine.NewExperiment(cfg, d)
	if err != nil {
		return usageError{err}
	}
	var db *store.DB
	if *dbPath != "" {
		if db, err = openDB(ctx, *dbPath, true); err != nil {
			return err
		}
		defer db.Close()
		now := time.Now()
		x.OnRun = func(r *engine.Run) error {
			return db.CreateRun(store.NewID(), "experiment · "+store.DefaultName(r.Config(), d.Name()), now, r)
		}
	}
	for !x.Finished() {
		if err := x.Step(ctx); err != nil {
			return fmt.Errorf("experiment: %w", err)
		}
	}
	rows := x.Rows()
	if db != nil {
		if err := saveDB(*dbPath, db); err != nil {
			return err
		}
		fmt.Fprintf(m.Stdout, "saved %d runs to %s\n", len(conds)**seeds, *dbPath)
	}
	var csv bytes.Buffer
	if err := engine.WriteCSV(&csv, rows); err != nil {
		return err
	}
	files := map[string][]byte{
		"raw_metrics.csv":       csv.Bytes(),
		"learning_curves.svg":   []byte(chart.LearningCurves(rows)),
		"meta_policy_drift.svg": []byte(chart.MetaPolicyDrift(rows)),
	}
	if err := writeFilesAtomic(*out, files); err != nil {
		return err
	}
	fmt.Fprintf(m.Stdout, "%s flavour, %d condition(s) × %d seed(s) × %d iterations\n\n", fl, len(conds), *seeds, *iterations)
	printSummary(m.Stdout, engine.Summarize(rows))
	fmt.Fprintf(m.Stdout, "\nwrote %s, %s, %s\n", filepath.Join(*out, "raw_metrics.csv"),
		filepath.Join(*out, "learning_curves.svg"), filepath.Join(*out, "meta_policy_drift.svg"))
	return nil
}

// defaultAdaptiveConditions are an adaptive experiment's conditions when none are given: the full
// system (meta evolving, the domain's selection) first as the reference, then the ablations of
// the default sweep.
func defaultAdaptiveConditions(d engine.Domain) []engine.Condition {
	sel := d.Info().Selection
	return []engine.Condition{
		{Name: "hyperagent", Meta: engine.MetaEvolve, Selection: sel},
		{Name: "frozen", Meta: engine.MetaFrozen, Selection: sel},
		{Name: "tuned", Meta: engine.MetaTuned, Selection: sel},
		{Name: "best", Meta: engine.MetaEvolve, Selection: engine.SelectBest},
		{Name: "latest", Meta: engine.MetaEvolve, Selection: engine.SelectLatest},
	}
}

// printSummary writes the per-condition table: mean ± population std (the seed's report) and the
// median with its 95% bootstrap interval.
func printSummary(w io.Writer, sums []engine.Summary) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "condition\tbest train mean ± std\tmedian [95% CI]\tbest test mean ± std\tmedian [95% CI]\tseeds")
	for _, s := range sums {
		fmt.Fprintf(tw, "%s\t%.3f ± %.3f\t%.3f [%.3f, %.3f]\t%.3f ± %.3f\t%.3f [%.3f, %.3f]\t%d\n", s.Condition.Name,
			s.BestTrain.Mean, s.BestTrain.Std, s.BestTrain.Median, s.BestTrain.CILow, s.BestTrain.CIHigh,
			s.BestTest.Mean, s.BestTest.Std, s.BestTest.Median, s.BestTest.CILow, s.BestTest.CIHigh, s.BestTrain.N)
	}
	tw.Flush()
}
