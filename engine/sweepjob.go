package engine

import (
	"context"
	"fmt"
)

// SweepJob runs the planned runs of a sweep one after another, a slice of iterations at a time on
// the caller's goroutine: the page's sweep, which must yield to the browser between slices. It
// makes the same runs.csv and series as [RunSweep] does for the same plan.
type SweepJob struct {
	spec   *Spec
	plan   []SweepRun
	next   int  // index in plan of the run in progress (or the next to start)
	run    *Run // the run in progress, nil between runs
	csv    []byte
	series []Series
	done   int // iterations done over all runs
}

// NewSweepJob prepares the plan's runs; nothing runs until [SweepJob.Step].
func NewSweepJob(s *Spec, plan []SweepRun) *SweepJob {
	return &SweepJob{spec: s, plan: plan, csv: AppendRunsCSVHeader(nil)}
}

// Step runs up to budget iterations (at least one), finishing runs in plan order.
func (j *SweepJob) Step(ctx context.Context, budget int) error {
	for budget > 0 && !j.Finished() {
		sr := j.plan[j.next]
		if j.run == nil {
			r, err := New(sr.Config, sr.Domain)
			if err != nil {
				return fmt.Errorf("sweep: %s %s seed %d: %w", sr.Domain.Name(), sr.Condition.Name, sr.Config.Seed, err)
			}
			j.run = r
		}
		n := min(budget, j.spec.Iterations-j.run.Iterations())
		if err := j.run.RunN(ctx, n, nil); err != nil {
			return fmt.Errorf("sweep: %s %s seed %d: %w", sr.Domain.Name(), sr.Condition.Name, sr.Config.Seed, err)
		}
		budget -= n
		j.done += n
		if j.run.Iterations() == j.spec.Iterations {
			j.csv = append(j.csv, RunsCSVBlock(sr, j.run)...)
			j.series = append(j.series, NewSeries(sr, j.run.Progress(), j.spec.Checkpoints))
			j.run = nil
			j.next++
		}
	}
	return nil
}

// Finished reports whether every run is done.
func (j *SweepJob) Finished() bool { return j.next == len(j.plan) }

// Done is the number of iterations run so far, over all runs.
func (j *SweepJob) Done() int { return j.done }

// Total is the number of iterations of the whole plan.
func (j *SweepJob) Total() int { return len(j.plan) * j.spec.Iterations }

// RunsDone is the number of finished runs.
func (j *SweepJob) RunsDone() int { return j.next }

// Runs is the number of runs in the plan.
func (j *SweepJob) Runs() int { return len(j.plan) }

// CSV is runs.csv so far: the header and every finished run's rows.
func (j *SweepJob) CSV() []byte { return j.csv }

// Series are the finished runs' series, in plan order.
func (j *SweepJob) Series() []Series { return j.series }
