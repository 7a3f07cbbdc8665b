package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"slices"
	"strings"
	"time"

	"hyperagents/chart"
	"hyperagents/engine"
	"hyperagents/store"
)

const maxRunIterations = engine.MaxIterations

func (m *Main) run(ctx context.Context, args []string) error {
	fs := newFlagSet("run", m.Stderr)
	cf := addCondFlags(fs)
	seed := fs.Int64("seed", 7, "random seed (0 to 2^53-1)")
	iterations := fs.Int("iterations", 30, fmt.Sprintf("iterations (1 to %d)", maxRunIterations))
	asJSON := fs.Bool("json", false, "print the best agent as JSON on stdout (progress goes to stderr)")
	dbPath := fs.String("db", "", "save the run to this SQLite file (created if missing)")
	name := fs.String("name", "", "the saved run's name (default: condition · flavour · seed)")
	picture := fs.String("picture", "", "write the reported agent's picture (digits: weight heat map; maze: trajectories) to this SVG file")
	if err := parseFlags(fs, args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil
		}
		return err
	}
	d, err := cf.lookupDomain()
	if err != nil {
		return err
	}
	fl, err := cf.flavourFor(d)
	if err != nil {
		return err
	}
	conds, err := cf.conditions(d, nil)
	if err != nil {
		return err
	}
	if len(conds) != 1 {
		return usagef("run: one condition at a time (%d given); use experiment or sweep for several", len(conds))
	}
	if *seed < 0 || *seed > engine.MaxSeed {
		return usagef("--seed %d is out of range: want 0 to %d", *seed, int64(engine.MaxSeed))
	}
	if err := inRange("iterations", *iterations, 1, maxRunIterations); err != nil {
		return err
	}
	cfg := engine.Config{Flavour: fl, Meta: conds[0].Meta, Selection: conds[0].Selection, Seed: uint64(*seed)}
	if err := checkConfig(cfg, d); err != nil {
		return err
	}
	if *name == "" {
		*name = store.DefaultName(cfg, d.Name())
	}
	if err := store.CheckName(*name); err != nil {
		return usagef("--name: %v", err)
	}
	var db *store.DB
	if *dbPath != "" {
		if db, err = openDB(ctx, *dbPath, true); err != nil {
			return err
		}
		defer db.Close()
	}
	if *picture != "" {
		if seed := d.Seed(); !hasPicture(d, &seed) {
			return usagef("--picture: %s has no picture (digits, digits10 and maze do)", d.Name())
		}
	}
	r, err := engine.New(cfg, d)
	if err != nil {
		return err
	}
	progress := m.Stdout
	if *asJSON {
		progress = m.Stderr
	}
	fmt.Fprintf(progress, "%s on %s, %s flavour, seed %d, %d iterations\n", cfg.ConditionName(), d.Name(), fl, *seed, *iterations)
	every := max(1, *iterations/10)
	adaptive := fl == engine.FlavourAdaptive
	err = r.RunN(ctx, *iterations, func(ev engine.Event) {
		if ev.Iteration%every == 0 || ev.Iteration == *iterations {
			p := ev.Progress
			if adaptive {
				fmt.Fprintf(progress, "iteration %d/%d: best train %.3f, chosen on validation %.3f (test %.3f), archive %d\n",
					ev.Iteration, *iterations, p.BestFitness, p.BestVal, p.BestTestAccuracy, p.ArchiveSize)
			} else {
				fmt.Fprintf(progress, "iteration %d/%d: best train %.3f, best test %.3f, archive %d\n",
					ev.Iteration, *iterations, p.BestFitness, p.BestTestAccuracy, p.ArchiveSize)
			}
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
	if *picture != "" {
		svg, _ := chart.Picture(d, &r.Best().Agent)
		if err := writeFileAtomic(*picture, []byte(svg)); err != nil {
			return err
		}
		fmt.Fprintf(progress, "wrote %s\n", *picture)
	}
	best := describeEntry(d, r.Best())
	if *asJSON {
		enc := json.NewEncoder(m.Stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(best)
	}
	printAgent(m.Stdout, best, adaptive)
	return nil
}

// agentView is an archived agent with its numbers named, as printed and as JSON.
type agentView struct {
	ID            string             `json:"id"`
	ParentID      string             `json:"parent_id"`
	Generation    int                `json:"generation"`
	Created       int                `json:"created_iteration"`
	Source        string             `json:"mutation_source"`
	TrainAccuracy float64            `json:"train_accuracy"`
	ValAccuracy   *float64           `json:"val_accuracy,omitempty"`
	TestAccuracy  float64            `json:"test_accuracy"`
	FalsePos      int                `json:"false_positives"`
	FalseNeg      int                `json:"false_negatives"`
	Summary       string             `json:"summary"`
	Weights       map[string]float64 `json:"weights"`
	Threshold     *float64           `json:"threshold,omitempty"`
	ReviewStyle   string             `json:"review_style,omitempty"`
	Focus         string             `json:"focus_metric,omitempty"`
	WeightStep    float64            `json:"weight_step,omitempty"`
	ThresholdStep float64            `json:"threshold_step,omitempty"`
	Exploration   float64            `json:"exploration_scale,omitempty"`
	Knobs         map[string]float64 `json:"meta_knobs,omitempty"`
	Memory        []string           `json:"memory"`
	Lineage       []string           `json:"lineage_notes"`
	names         []string           // weight (and bias) names in policy order
}

func describeEntry(d engine.Domain, e *engine.Entry) agentView {
	a := e.Agent
	v := agentView{
		ID: a.ID, ParentID: a.ParentID, Generation: a.Generation, Created: e.Created, Source: e.Source,
		TrainAccuracy: e.Eval.TrainAccuracy, TestAccuracy: e.Eval.TestAccuracy,
		FalsePos: e.Eval.FalsePos, FalseNeg: e.Eval.FalseNeg, Summary: e.Eval.Summary,
		Weights: map[string]float64{}, Memory: a.Meta.Memory, Lineage: a.Lineage,
	}
	shape, feats := d.Info().Shape, d.Features()
	for i, w := range a.Task.Weights {
		n := engine.ParamName(shape, feats, i)
		v.Weights[n] = w
		v.names = append(v.names, n)
	}
	for i, b := range a.Task.Biases {
		n := engine.ParamName(shape, feats, shape.Weights()+i)
		v.Weights[n] = b
		v.names = append(v.names, n)
	}
	if shape.Task == engine.TaskBinary {
		t := a.Task.Threshold
		v.Threshold = &t
	}
	if a.Meta.Adaptive() {
		val := e.Eval.ValAccuracy
		v.ValAccuracy = &val
		v.Knobs = map[string]float64{}
		for k, spec := range engine.Knobs {
			v.Knobs[spec.Name] = a.Meta.Knobs[k]
		}
		return v
	}
	v.ReviewStyle = string(a.Task.ReviewStyle)
	v.Focus, v.WeightStep, v.ThresholdStep, v.Exploration = feats[a.Meta.Focus], a.Meta.WeightStep, a.Meta.ThresholdStep, a.Meta.ExplorationScale
	return v
}

// maxPrintedWeights bounds the weights printed of a large policy (the largest by size); --json
// has them all.
const maxPrintedWeights = 12

func printAgent(w io.Writer, v agentView, adaptive bool) {
	parent := v.ParentID
	if parent == "" {
		parent = "none (seed)"
	}
	what := "best agent"
	if adaptive {
		what = "agent chosen on validation:"
	}
	fmt.Fprintf(w, "\n%s %s (parent %s, generation %d, created at iteration %d)\n", what, v.ID, parent, v.Generation, v.Created)
	if adaptive {
		fmt.Fprintf(w, "  train %.3f  validation %.3f  test %.3f  (chance-corrected)\n", v.TrainAccuracy, *v.ValAccuracy, v.TestAccuracy)
	} else {
		fmt.Fprintf(w, "  train %.3f  test %.3f  (%d false positives, %d false negatives)\n", v.TrainAccuracy, v.TestAccuracy, v.FalsePos, v.FalseNeg)
	}
	fmt.Fprintf(w, "  %s\n", v.Summary)
	switch {
	case v.ReviewStyle != "":
		fmt.Fprintf(w, "task policy: threshold %.3f, %s review\n", *v.Threshold, v.ReviewStyle)
	case v.Threshold != nil:
		fmt.Fprintf(w, "task policy: threshold %.4f\n", *v.Threshold)
	default:
		fmt.Fprintln(w, "task policy:")
	}
	names := v.names
	if len(names) > maxPrintedWeights {
		names = slices.Clone(names)
		slices.SortStableFunc(names, func(a, b string) int {
			x, y := math.Abs(v.Weights[a]), math.Abs(v.Weights[b])
			switch {
			case x > y:
				return -1
			case x < y:
				return 1
			}
			return 0
		})
		fmt.Fprintf(w, "  the %d largest of %d numbers (--json prints them all):\n", maxPrintedWeights, len(v.names))
		names = names[:maxPrintedWeights]
	}
	for _, n := range names {
		fmt.Fprintf(w, "  %-28s %8.4f\n", strings.TrimPrefix(n, "weight "), v.Weights[n])
	}
	if adaptive {
		var parts []string
		for _, spec := range engine.Knobs {
			parts = append(parts, fmt.Sprintf("%s %.4g", spec.Symbol, v.Knobs[spec.Name]))
		}
		fmt.Fprintf(w, "meta policy: %s\n", strings.Join(parts, ", "))
	} else {
		fmt.Fprintf(w, "meta policy: focus %s, weight step %.3f, threshold step %.3f, exploration %.3f\n",
			v.Focus, v.WeightStep, v.ThresholdStep, v.Exploration)
	}
	fmt.Fprintf(w, "  memory: %s\n", strings.Join(v.Memory, " | "))
	fmt.Fprintf(w, "lineage: %s\n", strings.Join(v.Lineage, " | "))
}

// hasPicture reports whether the domain draws a picture of an agent.
func hasPicture(d engine.Domain, a *engine.Agent) bool {
	_, ok := chart.Picture(d, a)
	return ok
}
