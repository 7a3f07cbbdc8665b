package main

import (
	"time"

	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"hyperagents/store"
	"io"
	"strings"

	"hyperagents/engine"
)

const maxRunIterations = engine.MaxIterations

func (m *Main) run(ctx context.Context, args []string) error {
	fs := newFlagSet("run", m.Stderr)
	mode := fs.String("mode", "hyperagent", "ablation: hyperagent, baseline or no_archive")
	flavour := fs.String("flavour", "standard", "arithmetic: standard or seed")
	seed := fs.Int64("seed", 7, "random seed (0 to 2^53-1)")
	iterations := fs.Int("iterations", 30, fmt.Sprintf("iterations (1 to %d)", maxRunIterations))
	asJSON := fs.Bool("json", false, "print the best agent as JSON on stdout (progress goes to stderr)")
	dbPath := fs.String("db", "", "save the run to this SQLite file (created if missing)")
	name := fs.String("name", "", "the saved run's name (default: mode · flavour · seed)")
	if err := parseFlags(fs, args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil
		}
		return err
	}
	md, err := engine.ParseMode(*mode)
	if err != nil {
		return usagef("--mode: %v", err)
	}
	fl, err := parseFlavour(*flavour)
	if err != nil {
		return err
	}
	if *seed < 0 || *seed > engine.MaxSeed {
		return usagef("--seed %d is out of range: want 0 to %d", *seed, int64(engine.MaxSeed))
	}
	if err := inRange("iterations", *iterations, 1, maxRunIterations); err != nil {
		return err
	}
	cfg := engine.Config{Mode: md, Flavour: fl, Seed: uint64(*seed)}
	if *name == "" {
		*name = store.DefaultName(cfg)
	}
	if err := store.CheckName(*name); err != nil {
		return usagef("--name: %v", err)
	}
	var db *store.DB
	if *dbPath != "" {
		if db, err = openDB(*dbPath, true); err != nil {
			return err
		}
		defer db.Close()
	}
	d, err := engine.NewCodeReview()
	if err != nil {
		return err
	}
	r, err := engine.New(cfg, d)
	if err != nil {
		return err
	}
	progress := m.Stdout
	if *asJSON {
		progress = m.Stderr
	}
	fmt.Fprintf(progress, "%s run, %s flavour, seed %d, %d iterations\n", md, fl, *seed, *iterations)
	every := max(1, *iterations/10)
	err = r.RunN(ctx, *iterations, func(ev engine.Event) {
		if ev.Iteration%every == 0 || ev.Iteration == *iterations {
			p := ev.Progress
			fmt.Fprintf(progress, "iteration %d/%d: best train %.3f, best test %.3f, archive %d\n",
				ev.Iteration, *iterations, p.BestFitness, p.BestTestAccuracy, p.ArchiveSize)
		}
	})
	if err != nil {
		return err
	}
	if db != nil {
		id := store.NewID()
		if err := db.CreateRun(id, *name, time.Now(), r); err != nil {
			return err
		}
		if err := saveDB(*dbPath, db); err != nil {
			return err
		}
		fmt.Fprintf(progress, "saved run %s to %s\n", id, *dbPath)
	}
	best := describeEntry(d, r.Best())
	if *asJSON {
		enc := json.NewEncoder(m.Stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(best)
	}
	printAgent(m.Stdout, best)
	return nil
}

// agentView is an archived agent with feature names spelled out, as printed and as JSON.
type agentView struct {
	ID            string             `json:"id"`
	ParentID      string             `json:"parent_id"`
	Generation    int                `json:"generation"`
	Created       int                `json:"created_iteration"`
	Source        string             `json:"mutation_source"`
	TrainAccuracy float64            `json:"train_accuracy"`
	TestAccuracy  float64            `json:"test_accuracy"`
	FalsePos      int                `json:"false_positives"`
	FalseNeg      int                `json:"false_negatives"`
	Summary       string             `json:"summary"`
	Weights       map[string]float64 `json:"weights"`
	Threshold     float64            `json:"threshold"`
	ReviewStyle   string             `json:"review_style"`
	Focus         string             `json:"focus_metric"`
	WeightStep    float64            `json:"weight_step"`
	ThresholdStep float64            `json:"threshold_step"`
	Exploration   float64            `json:"exploration_scale"`
	Memory        []string           `json:"memory"`
	Lineage       []string           `json:"lineage_notes"`
	features      []string
}

func describeEntry(d engine.Domain, e *engine.Entry) agentView {
	a := e.Agent
	v := agentView{
		ID: a.ID, ParentID: a.ParentID, Generation: a.Generation, Created: e.Created, Source: e.Source,
		TrainAccuracy: e.Eval.TrainAccuracy, TestAccuracy: e.Eval.TestAccuracy,
		FalsePos: e.Eval.FalsePos, FalseNeg: e.Eval.FalseNeg, Summary: e.Eval.Summary,
		Weights: map[string]float64{}, Threshold: a.Task.Threshold, ReviewStyle: string(a.Task.ReviewStyle),
		Focus: d.Features()[a.Meta.Focus], WeightStep: a.Meta.WeightStep, ThresholdStep: a.Meta.ThresholdStep,
		Exploration: a.Meta.ExplorationScale, Memory: a.Meta.Memory, Lineage: a.Lineage, features: d.Features(),
	}
	for i, f := range d.Features() {
		v.Weights[f] = a.Task.Weights[i]
	}
	return v
}

func printAgent(w io.Writer, v agentView) {
	parent := v.ParentID
	if parent == "" {
		parent = "none (seed)"
	}
	fmt.Fprintf(w, "\nbest agent %s (parent %s, generation %d, created at iteration %d)\n", v.ID, parent, v.Generation, v.Created)
	fmt.Fprintf(w, "  train %.3f  test %.3f  (%d false positives, %d false negatives)\n", v.TrainAccuracy, v.TestAccuracy, v.FalsePos, v.FalseNeg)
	fmt.Fprintf(w, "  %s\n", v.Summary)
	fmt.Fprintf(w, "task policy: threshold %.3f, %s review\n", v.Threshold, v.ReviewStyle)
	for _, f := range v.features {
		fmt.Fprintf(w, "  %-16s %.3f\n", f, v.Weights[f])
	}
	fmt.Fprintf(w, "meta policy: focus %s, weight step %.3f, threshold step %.3f, exploration %.3f\n",
		v.Focus, v.WeightStep, v.ThresholdStep, v.Exploration)
	fmt.Fprintf(w, "  memory: %s\n", strings.Join(v.Memory, " | "))
	fmt.Fprintf(w, "lineage: %s\n", strings.Join(v.Lineage, " | "))
}
