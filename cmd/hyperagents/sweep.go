package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"maps"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"time"

	"hyperagents/chart"
	"hyperagents/engine"
	"hyperagents/lab"
	"hyperagents/store"
)

// Files of a sweep's output directory.
const (
	shardFile = "shard.json"
)

// maxRunsCSV bounds the runs.csv a merge reads.
const maxRunsCSV = 4 << 30

// shardInfo is shard.json: which shard of how many, and the runs it holds.
type shardInfo struct {
	Shard int   `json:"shard"`
	Of    int   `json:"of"`
	Runs  []int `json:"runs"`
}

// splitArgs separates positional arguments from flags so they may come in any order
// ("sweep SPEC.json --out DIR" as well as "sweep --out DIR SPEC.json").
func splitArgs(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for len(args) > 0 {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, err
			}
			return nil, usageError{fmt.Errorf("%s: %w", fs.Name(), err)}
		}
		args = fs.Args()
		if len(args) > 0 {
			pos = append(pos, args[0])
			args = args[1:]
		}
	}
	return pos, nil
}

// parseShard reads --shard I/N (0 ≤ I < N).
func parseShard(s string) (int, int, error) {
	if s == "" {
		return 0, 1, nil
	}
	a, b, ok := strings.Cut(s, "/")
	i, err1 := strconv.Atoi(a)
	n, err2 := strconv.Atoi(b)
	if !ok || err1 != nil || err2 != nil || n < 1 || n > engine.MaxSweepRuns || i < 0 || i >= n {
		return 0, 0, usagef("--shard %q: want I/N with 0 ≤ I < N, e.g. 0/4 … 3/4", s)
	}
	return i, n, nil
}

func (m *Main) sweep(ctx context.Context, args []string) error {
	fs := newFlagSet("sweep", m.Stderr)
	out := fs.String("out", "", "output directory (created if missing; required)")
	shard := fs.String("shard", "", "run only shard I of N (I/N, 0 ≤ I < N): runs whose index mod N is I")
	dbPath := fs.String("db", "", "also save every run to this SQLite file (created if missing)")
	workers := fs.Int("workers", runtime.NumCPU(), "runs in parallel")
	pos, err := splitArgs(fs, args)
	if err != nil {
		return helpOK(err)
	}
	if len(pos) != 1 {
		return usagef("sweep: usage: hyperagents sweep SPEC.json --out DIR [--shard I/N] [--db FILE]")
	}
	data, err := readInput(pos[0], maxSpecFile)
	if err != nil {
		return usagef("sweep: %v", err)
	}
	spec, err := engine.ParseSpec(data)
	if err != nil {
		return usagef("%s: %v", pos[0], err)
	}
	si, sn, err := parseShard(*shard)
	if err != nil {
		return err
	}
	if *out == "" {
		return usagef("sweep: --out DIR is required")
	}
	if *workers < 1 {
		return usagef("--workers %d: want at least 1", *workers)
	}
	if err := checkWritableDir(*out); err != nil {
		return usageError{err}
	}
	plan, err := spec.Plan(si, sn)
	if err != nil {
		return usageError{err}
	}
	return m.runSweep(ctx, spec, plan, si, sn, *workers, *out, *dbPath, "sweep", false)
}

// runSweep executes a plan and writes its directory: runs.csv and spec.json, and summary.json and
// summary.md (and charts, with charts set) when the plan is the whole sweep, else shard.json.
func (m *Main) runSweep(ctx context.Context, spec *engine.Spec, plan []engine.SweepRun, si, sn, workers int, out, dbPath, label string, charts bool) error {
	var db *store.DB
	var err error
	if dbPath != "" {
		if db, err = openDB(ctx, dbPath, true); err != nil {
			return err
		}
		defer db.Close()
	}
	csv := engine.AppendRunsCSVHeader(nil)
	var series []engine.Series
	var rows []engine.Row
	start := time.Now()
	lastReport := start
	now := time.Now()
	err = engine.RunSweep(ctx, spec, plan, workers, func(sr engine.SweepRun, r *engine.Run) error {
		csv = append(csv, engine.RunsCSVBlock(sr, r)...)
		ps := r.Progress()
		series = append(series, engine.NewSeries(sr, ps, spec.Checkpoints))
		if charts {
			for _, p := range ps {
				rows = append(rows, engine.Row{Condition: sr.Condition, Seed: sr.Config.Seed, SeedIdx: sr.SeedIdx, Progress: p})
			}
		}
		if db != nil {
			name := label + " · " + sr.Condition.Name + " · " + store.DefaultName(sr.Config, sr.Domain.Name())
			if len([]rune(name)) > store.MaxNameLen {
				name = string([]rune(name)[:store.MaxNameLen])
			}
			if err := db.CreateRun(store.NewID(), name, now, r); err != nil {
				return err
			}
		}
		if t := time.Now(); t.Sub(lastReport) > 2*time.Second || len(series) == len(plan) {
			lastReport = t
			fmt.Fprintf(m.Stderr, "%s: %d/%d runs (%s)\n", label, len(series), len(plan), t.Sub(start).Round(time.Millisecond))
		}
		return nil
	})
	if err != nil {
		return err
	}
	files := map[string][]byte{lab.RunsFile: csv, lab.SpecFile: spec.Canonical()}
	if sn == 1 {
		res, err := lab.FinishSweep(spec, series, csv)
		if err != nil {
			return err
		}
		files = res.Files
		if charts {
			files["learning_curves.svg"] = []byte(chart.AdaptiveCurves(rows))
			files["meta_knobs.svg"] = []byte(chart.KnobDrift(rows))
		}
	} else {
		info := shardInfo{Shard: si, Of: sn}
		for _, sr := range plan {
			info.Runs = append(info.Runs, sr.Index)
		}
		b, _ := json.Marshal(info)
		files[shardFile] = append(b, '\n')
	}
	if err := writeFilesAtomic(out, files); err != nil {
		return err
	}
	if db != nil {
		if err := saveDB(dbPath, db); err != nil {
			return err
		}
		fmt.Fprintf(m.Stdout, "saved %d runs to %s\n", len(plan), dbPath)
	}
	names := sortedNames(files)
	if sn == 1 {
		fmt.Fprintf(m.Stdout, "%d runs in %s; wrote %s in %s\n", len(plan), time.Since(start).Round(time.Millisecond), strings.Join(names, ", "), out)
		if md, ok := files[lab.SummaryMD]; ok && label == "experiment" {
			m.Stdout.Write(md)
		}
	} else {
		fmt.Fprintf(m.Stdout, "shard %d/%d: %d of %d runs in %s; wrote %s in %s (join the shards with hyperagents merge)\n",
			si, sn, len(plan), spec.Runs(), time.Since(start).Round(time.Millisecond), strings.Join(names, ", "), out)
	}
	return nil
}

func (m *Main) merge(args []string) error {
	fs := newFlagSet("merge", m.Stderr)
	out := fs.String("out", "", "output directory (created if missing; required)")
	dirs, err := splitArgs(fs, args)
	if err != nil {
		return helpOK(err)
	}
	if *out == "" || len(dirs) == 0 {
		return usagef("merge: usage: hyperagents merge --out DIR SHARD_DIR...")
	}
	var spec *engine.Spec
	var specBytes []byte
	var blocks []engine.RunBlock
	shards := -1
	seen := map[int]string{}
	for _, dir := range dirs {
		sb, err := readInput(filepath.Join(dir, lab.SpecFile), maxSpecFile)
		if err != nil {
			return usagef("merge: %s: %v", dir, err)
		}
		if spec == nil {
			if spec, err = engine.ParseSpec(sb); err != nil {
				return usagef("merge: %s: %v", filepath.Join(dir, lab.SpecFile), err)
			}
			specBytes = sb
		} else if !bytes.Equal(sb, specBytes) {
			return usagef("merge: %s holds another spec than %s", dir, dirs[0])
		}
		ib, err := readInput(filepath.Join(dir, shardFile), maxSpecFile)
		if err != nil {
			return usagef("merge: %s is not a shard directory: %v", dir, err)
		}
		var info shardInfo
		dec := json.NewDecoder(bytes.NewReader(ib))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&info); err != nil {
			return usagef("merge: %s: %v", filepath.Join(dir, shardFile), err)
		}
		if shards >= 0 && info.Of != shards {
			return usagef("merge: %s is a shard of %d, the others of %d", dir, info.Of, shards)
		}
		shards = info.Of
		rb, err := readInput(filepath.Join(dir, lab.RunsFile), maxRunsCSV)
		if err != nil {
			return usagef("merge: %s: %v", dir, err)
		}
		bs, err := spec.ParseRunsCSV(rb)
		if err != nil {
			return usagef("merge: %s: %v", filepath.Join(dir, lab.RunsFile), err)
		}
		var got []int
		for _, b := range bs {
			if prev, dup := seen[b.Index]; dup {
				return usagef("merge: run %d is in both %s and %s", b.Index, prev, dir)
			}
			seen[b.Index] = dir
			got = append(got, b.Index)
		}
		if !slices.Equal(got, info.Runs) {
			return usagef("merge: %s: runs.csv does not hold the runs shard.json lists", dir)
		}
		blocks = append(blocks, bs...)
	}
	if len(blocks) != spec.Runs() {
		return usagef("merge: the shards hold %d of the sweep's %d runs; missing shards?", len(blocks), spec.Runs())
	}
	slices.SortFunc(blocks, func(a, b engine.RunBlock) int { return a.Index - b.Index })
	csv := engine.AppendRunsCSVHeader(nil)
	series := make([]engine.Series, len(blocks))
	for i, b := range blocks {
		csv = append(csv, b.Lines...)
		series[i] = b.Series
	}
	res, err := lab.FinishSweep(spec, series, csv)
	if err != nil {
		return err
	}
	if err := checkWritableDir(*out); err != nil {
		return usageError{err}
	}
	if err := writeFilesAtomic(*out, res.Files); err != nil {
		return err
	}
	fmt.Fprintf(m.Stdout, "merged %d shards (%d runs) into %s: %s\n", len(dirs), len(blocks), *out, strings.Join(sortedNames(res.Files), ", "))
	return nil
}

// sortedNames are the names of files, sorted.
func sortedNames(files map[string][]byte) []string {
	return slices.Sorted(maps.Keys(files))
}
