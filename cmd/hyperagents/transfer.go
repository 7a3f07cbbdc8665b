package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"runtime"
	"strings"
	"time"

	"hyperagents/engine"
	"hyperagents/lab"
)

// transfer runs the imp@k transfer lab: a meta policy evolved on one domain (or taken from a saved
// run), frozen and applied to another, against the initial, a random-prior and a target-evolved
// meta policy.
func (m *Main) transfer(ctx context.Context, args []string) error {
	fs := newFlagSet("transfer", m.Stderr)
	from := fs.String("from", "", "source domain (required unless --source-run)")
	to := fs.String("to", "", "target domain (required)")
	k := fs.Int("k", 50, "children made on the target per run")
	seeds := fs.Int("seeds", 20, "seeds, 7 + 13·i")
	srcIters := fs.Int("source-iterations", 1000, "iterations of each source run (and of the target-evolved runs)")
	srcRun := fs.String("source-run", "", "take the meta policy from a saved run instead: FILE:RUN_ID")
	pick := fs.String("pick", engine.PickValidation, "which agent's meta policy: validation (the agent chosen on validation) or growth (whose descendants improved most)")
	out := fs.String("out", "", "output directory (created if missing; required)")
	if err := parseFlags(fs, args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil
		}
		return err
	}
	if *to == "" || *out == "" {
		return usagef("transfer: usage: hyperagents transfer --from DOMAIN --to DOMAIN --k K --seeds N [--source-iterations M] [--source-run FILE:ID] --out DIR")
	}
	t := engine.TransferSpec{From: *from, To: *to, K: *k, Seeds: *seeds, SourceIterations: *srcIters, Pick: *pick}
	if *srcRun != "" {
		file, id, ok := strings.Cut(*srcRun, ":")
		if !ok || id == "" {
			return usagef("--source-run %q: want FILE:RUN_ID", *srcRun)
		}
		db, err := openDB(ctx, file, false)
		if err != nil {
			return usagef("--source-run: %v", err)
		}
		r, ri, err := db.Open(id)
		db.Close()
		if err != nil {
			return usagef("--source-run: %v", err)
		}
		if *from != "" && *from != ri.Domain {
			return usagef("--source-run: the run is on %s, not %s", ri.Domain, *from)
		}
		if ri.Config.Flavour != engine.FlavourAdaptive {
			return usagef("--source-run: the run is of the %s flavour, which has no knobs to transfer", ri.Config.Flavour)
		}
		knobs := engine.PickAgent(r, *pick).Agent.Meta.Knobs
		t.From, t.SourceKnobs = ri.Domain, &knobs
	}
	if t.From == "" {
		return usagef("transfer: --from DOMAIN or --source-run FILE:ID is required")
	}
	if err := t.Validate(); err != nil {
		return usageError{err}
	}
	if err := checkWritableDir(*out); err != nil {
		return usageError{err}
	}
	start := time.Now()
	runs, err := engine.RunTransfer(ctx, t, runtime.NumCPU())
	if err != nil {
		return err
	}
	res, err := lab.FinishTransfer(t, runs)
	if err != nil {
		return err
	}
	if err := writeFilesAtomic(*out, res.Files); err != nil {
		return err
	}
	m.Stdout.Write(res.Files[lab.SummaryMD])
	fmt.Fprintf(m.Stdout, "\n%d runs in %s; wrote %s in %s\n", len(runs), time.Since(start).Round(time.Millisecond), strings.Join(sortedNames(res.Files), ", "), safe(*out))
	return nil
}
