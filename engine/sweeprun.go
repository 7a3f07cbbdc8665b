package engine

import (
	"bytes"
	"context"
	"fmt"
	"strconv"
	"strings"
	"sync"
)

// RunSweep runs the planned runs of a spec on up to workers goroutines and hands each finished
// run to done in plan order, on the calling goroutine, so whatever done writes is in canonical
// order however the work was spread. It stops at the first error (of a run, of done, or of ctx).
func RunSweep(ctx context.Context, s *Spec, plan []SweepRun, workers int, done func(SweepRun, *Run) error) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	workers = max(1, min(workers, len(plan)))
	type result struct {
		run *Run
		err error
	}
	slots := make([]chan result, len(plan))
	for i := range slots {
		slots[i] = make(chan result, 1)
	}
	next := make(chan int)
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				sr := plan[i]
				r, err := New(sr.Config, sr.Domain)
				if err == nil {
					err = r.RunN(ctx, s.Iterations, nil)
				}
				if err != nil {
					err = fmt.Errorf("sweep: %s %s seed %d: %w", sr.Domain.Name(), sr.Condition.Name, sr.Config.Seed, err)
				}
				slots[i] <- result{r, err}
			}
		}()
	}
	// Feed at most a few runs ahead of the one done is waiting for, so memory stays bounded.
	ahead := make(chan struct{}, 2*workers)
	go func() {
		defer close(next)
		for i := range plan {
			select {
			case ahead <- struct{}{}:
			case <-ctx.Done():
				return
			}
			select {
			case next <- i:
			case <-ctx.Done():
				return
			}
		}
	}()
	var err error
	for i := range plan {
		res := <-slots[i]
		if err = res.err; err == nil {
			err = done(plan[i], res.run)
		}
		<-ahead
		if err != nil {
			break
		}
	}
	cancel()
	wg.Wait()
	return err
}

// RunsCSVBlock is a run's rows of runs.csv.
func RunsCSVBlock(sr SweepRun, r *Run) []byte {
	var b []byte
	for i := 0; i <= r.Iterations(); i++ {
		p := r.ProgressAt(i)
		b = AppendRunsCSVRow(b, sr.Domain.Name(), sr.Condition, sr.Config.Flavour, sr.Config.Seed, sr.SeedIdx, &p)
	}
	return b
}

// RunBlock is one run's rows read back from a runs.csv: its lines (each with its newline) and its
// series for the summary.
type RunBlock struct {
	Index  int
	Lines  []byte
	Series Series
}

// ParseRunsCSV reads a runs.csv written for spec s (a whole sweep's or a shard's) back into one
// block per run, checking every row belongs to the spec and every run is complete and in order.
func (s *Spec) ParseRunsCSV(data []byte) ([]RunBlock, error) {
	domains, err := s.DomainNames()
	if err != nil {
		return nil, err
	}
	header := string(AppendRunsCSVHeader(nil))
	if !bytes.HasPrefix(data, []byte(header)) {
		return nil, fmt.Errorf("runs.csv: the header is not %q", strings.TrimSpace(header))
	}
	data = data[len(header):]
	var out []RunBlock
	var cur *RunBlock
	col := map[string]int{}
	for i, h := range RunsCSVHeader {
		col[h] = i
	}
	line := 1
	for len(data) > 0 {
		line++
		end := bytes.IndexByte(data, '\n')
		if end < 0 {
			return nil, fmt.Errorf("runs.csv line %d: no newline at the end of the file", line)
		}
		raw := data[:end+1]
		data = data[end+1:]
		f := strings.Split(string(raw[:end]), ",")
		if len(f) != len(RunsCSVHeader) {
			return nil, fmt.Errorf("runs.csv line %d: %d fields, want %d", line, len(f), len(RunsCSVHeader))
		}
		num := func(name string) (float64, error) {
			v, err := strconv.ParseFloat(f[col[name]], 64)
			if err != nil {
				return 0, fmt.Errorf("runs.csv line %d: %s %q is not a number", line, name, f[col[name]])
			}
			return v, nil
		}
		di := -1
		for k, d := range domains {
			if CSVText(d) == f[col["domain"]] {
				di = k
			}
		}
		ci := -1
		for k, c := range s.Conditions {
			if CSVText(c.Name) == f[col["condition"]] {
				ci = k
			}
		}
		si, err1 := strconv.Atoi(f[col["seed_idx"]])
		it, err2 := strconv.Atoi(f[col["iteration"]])
		if di < 0 || ci < 0 || err1 != nil || err2 != nil || si < 0 || si >= s.Seeds || it < 0 || it > s.Iterations {
			return nil, fmt.Errorf("runs.csv line %d: the row is not one of this spec's runs", line)
		}
		idx := (di*len(s.Conditions)+ci)*s.Seeds + si
		if it == 0 {
			if cur != nil && len(cur.Series.BestTrain) != s.Iterations+1 {
				return nil, fmt.Errorf("runs.csv line %d: the run before ends at iteration %d", line, len(cur.Series.BestTrain)-1)
			}
			out = append(out, RunBlock{Index: idx, Series: Series{Index: idx, Domain: domains[di], Condition: s.Conditions[ci].Name, SeedIdx: si}})
			cur = &out[len(out)-1]
		}
		if cur == nil || cur.Index != idx || it != len(cur.Series.BestTrain) {
			return nil, fmt.Errorf("runs.csv line %d: iteration %d is out of order", line, it)
		}
		bt, err := num("best_train")
		if err != nil {
			return nil, err
		}
		bte, err := num("best_test")
		if err != nil {
			return nil, err
		}
		cur.Series.BestTrain = append(cur.Series.BestTrain, bt)
		cur.Series.Test = append(cur.Series.Test, bte)
		for _, cp := range s.Checkpoints {
			if cp == it {
				bv, err := num("best_val")
				if err != nil {
					return nil, err
				}
				cur.Series.BestVal = append(cur.Series.BestVal, bv)
				cur.Series.BestTest = append(cur.Series.BestTest, bte)
			}
		}
		cur.Lines = append(cur.Lines, raw...)
	}
	if cur != nil && len(cur.Series.BestTrain) != s.Iterations+1 {
		return nil, fmt.Errorf("runs.csv: the last run ends at iteration %d", len(cur.Series.BestTrain)-1)
	}
	return out, nil
}
