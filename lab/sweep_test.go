package lab

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"hyperagents/engine"
)

const testSpec = `{"domains": ["wine", "hidden:2"],
 "conditions": [{"name": "hyperagent", "meta": "evolve", "selection": "default"},
                {"name": "frozen", "meta": "frozen", "selection": "default"},
                {"name": "best", "meta": "evolve", "selection": "best"}],
 "seeds": 4, "iterations": 30, "checkpoints": [10, 30], "reference": "hyperagent"}`

// sweepBoth runs a spec as the command line does (parallel, RunSweep) and as the page does (one
// slice at a time, SweepJob) and returns both results.
func sweepBoth(t *testing.T, specJSON string) (cli, page *Sweep) {
	t.Helper()
	spec, err := engine.ParseSpec([]byte(specJSON))
	if err != nil {
		t.Fatal(err)
	}
	plan, err := spec.Plan(0, 1)
	if err != nil {
		t.Fatal(err)
	}
	csv := engine.AppendRunsCSVHeader(nil)
	var series []engine.Series
	err = engine.RunSweep(context.Background(), spec, plan, 3, func(sr engine.SweepRun, r *engine.Run) error {
		csv = append(csv, engine.RunsCSVBlock(sr, r)...)
		series = append(series, engine.NewSeries(sr, r.Progress(), spec.Checkpoints))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if cli, err = FinishSweep(spec, series, csv); err != nil {
		t.Fatal(err)
	}
	job := engine.NewSweepJob(spec, plan)
	for steps := 0; !job.Finished(); steps++ {
		if err := job.Step(context.Background(), 7); err != nil { // slices that straddle runs
			t.Fatal(err)
		}
		if steps > job.Total() {
			t.Fatal("the job does not finish")
		}
	}
	if job.Done() != job.Total() || job.RunsDone() != spec.Runs() {
		t.Fatalf("job done %d/%d iterations, %d/%d runs", job.Done(), job.Total(), job.RunsDone(), spec.Runs())
	}
	if page, err = FinishSweep(spec, job.Series(), job.CSV()); err != nil {
		t.Fatal(err)
	}
	return cli, page
}

// TestSliceBySliceMatchesParallel: the page's slice-by-slice sweep makes every file byte for
// byte as the command line's parallel one, and reading the files back (spec.json and runs.csv, as
// a saved or shared sweep is) makes them again.
func TestSliceBySliceMatchesParallel(t *testing.T) {
	cli, page := sweepBoth(t, testSpec)
	back, err := ReadSweep(cli.Files[SpecFile], cli.Files[RunsFile])
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range SweepFiles {
		if len(cli.Files[f]) == 0 {
			t.Errorf("%s is empty", f)
		}
		if !bytes.Equal(cli.Files[f], page.Files[f]) {
			t.Errorf("%s differs between the parallel and the sliced sweep", f)
		}
		if !bytes.Equal(cli.Files[f], back.Files[f]) {
			t.Errorf("%s differs when read back from spec.json and runs.csv", f)
		}
	}
}

// TestCurves checks the curves' shape (every domain, every condition, 0 … N at most 101 points)
// and that their last point agrees with the summary's best_test at the last checkpoint.
func TestCurves(t *testing.T) {
	cli, _ := sweepBoth(t, testSpec)
	if len(cli.Curves) != 2 || cli.Curves[0].Domain != "wine" || cli.Curves[1].Domain != "hidden:2" {
		t.Fatalf("curves for %+v", cli.Curves)
	}
	for _, d := range cli.Curves {
		if len(d.Curves) != 3 {
			t.Fatalf("%s: %d curves", d.Domain, len(d.Curves))
		}
		for _, c := range d.Curves {
			if n := len(c.X); n != 31 || c.X[0] != 0 || c.X[n-1] != 30 {
				t.Errorf("%s/%s: x %v", d.Domain, c.Condition.Name, c.X)
			}
			for i := range c.X {
				if c.Lo[i] > c.Median[i] || c.Median[i] > c.Hi[i] || c.Std[i] < 0 {
					t.Errorf("%s/%s at %v: %v ≤ %v ≤ %v, std %v", d.Domain, c.Condition.Name, c.X[i], c.Lo[i], c.Median[i], c.Hi[i], c.Std[i])
				}
			}
			for _, r := range cli.Summary.Results {
				if r.Domain != d.Domain || r.Iteration != 30 || r.Metric != "best_test" {
					continue
				}
				for _, cs := range r.Conditions {
					if cs.Name == c.Condition.Name && (cs.Median != c.Median[30] || cs.Mean != c.Mean[30]) {
						t.Errorf("%s/%s: curve ends at median %v mean %v, the table says %v %v", d.Domain, cs.Name, c.Median[30], c.Mean[30], cs.Median, cs.Mean)
					}
				}
			}
		}
	}
	svg := string(cli.Files[CurvesMedianFile])
	if strings.Count(svg, `class="panel"`) != 2 || !strings.Contains(svg, "median over seeds") || !strings.Contains(svg, ">best<") {
		t.Errorf("median curves SVG lacks its panels, title or legend")
	}
	if !strings.Contains(string(cli.Files[CurvesMeanFile]), "mean ± std") {
		t.Error("mean curves SVG lacks its title")
	}
	spec, _ := engine.ParseSpec([]byte(testSpec))
	spec.Iterations = 1000
	if its := spec.CurveIterations(); len(its) != 101 || its[1] != 10 || its[100] != 1000 {
		t.Errorf("curve iterations for 1000: %d points, %v …", len(its), its[:3])
	}
	spec.Iterations = 333
	if its := spec.CurveIterations(); len(its) > engine.MaxCurvePoints || its[len(its)-1] != 333 {
		t.Errorf("curve iterations for 333: %d points ending %d", len(its), its[len(its)-1])
	}
}

// TestReadSweepRefusesForeignRows: a runs.csv missing a run or holding another spec's rows is
// refused with the reason.
func TestReadSweepRefusesForeignRows(t *testing.T) {
	cli, _ := sweepBoth(t, testSpec)
	csv := cli.Files[RunsFile]
	cut := bytes.LastIndex(csv[:len(csv)-1], []byte("\nhidden:2,best,"))
	if _, err := ReadSweep(cli.Files[SpecFile], csv[:cut+1]); err == nil || !strings.Contains(err.Error(), "ends at iteration") {
		t.Errorf("a truncated runs.csv: %v", err)
	}
	other := bytes.Replace(cli.Files[SpecFile], []byte(`"seeds": 4`), []byte(`"seeds": 3`), 1)
	if _, err := ReadSweep(other, csv); err == nil || !strings.Contains(err.Error(), "not one of this spec's runs") {
		t.Errorf("runs.csv of another spec: %v", err)
	}
}

// BenchmarkFinishSweep is the statistics, curves and files of the page sweep (2 domains ×
// 3 conditions × 5 seeds × 200 iterations): what the page computes after the last run.
func BenchmarkFinishSweep(b *testing.B) {
	spec, err := engine.ParseSpec([]byte(strings.Replace(strings.Replace(testSpec, `"hidden:2"`, `"digits"`, 1), `"seeds": 4, "iterations": 30, "checkpoints": [10, 30]`, `"seeds": 5, "iterations": 200, "checkpoints": [50, 200]`, 1)))
	if err != nil {
		b.Fatal(err)
	}
	plan, _ := spec.Plan(0, 1)
	job := engine.NewSweepJob(spec, plan)
	for !job.Finished() {
		if err := job.Step(context.Background(), 1000); err != nil {
			b.Fatal(err)
		}
	}
	b.ResetTimer()
	for b.Loop() {
		if _, err := FinishSweep(spec, job.Series(), job.CSV()); err != nil {
			b.Fatal(err)
		}
	}
}

// TestTransferSliceBySliceMatchesParallel: the page's slice-by-slice transfer gives the runs and
// files of the command line's parallel one, with a meta policy evolved on the source and with one
// given (as from a saved run).
func TestTransferSliceBySliceMatchesParallel(t *testing.T) {
	knobs := engine.InitialKnobs
	knobs[0] = 0.05
	for _, spec := range []engine.TransferSpec{
		{From: "wine", To: "hidden:3", K: 15, Seeds: 4, SourceIterations: 40, Pick: engine.PickValidation},
		{From: "breast_cancer", To: "wine", K: 10, Seeds: 3, SourceIterations: 30, Pick: engine.PickGrowth, SourceKnobs: &knobs},
	} {
		runs, err := engine.RunTransfer(context.Background(), spec, 3)
		if err != nil {
			t.Fatal(err)
		}
		cli, err := FinishTransfer(spec, runs)
		if err != nil {
			t.Fatal(err)
		}
		job, err := engine.NewTransferJob(spec)
		if err != nil {
			t.Fatal(err)
		}
		steps := 0
		for !job.Finished() {
			if err := job.Step(context.Background(), 7); err != nil {
				t.Fatal(err)
			}
			if steps++; steps > job.Total() {
				t.Fatal("the job does not finish")
			}
		}
		if job.Done() != job.Total() || job.SeedsDone() != spec.Seeds {
			t.Errorf("%s→%s: done %d of %d iterations, %d seeds", spec.From, spec.To, job.Done(), job.Total(), job.SeedsDone())
		}
		page, err := FinishTransfer(spec, job.Runs())
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range TransferFiles {
			if !bytes.Equal(cli.Files[f], page.Files[f]) {
				t.Errorf("%s→%s: %s differs between the parallel and the sliced transfer", spec.From, spec.To, f)
			}
		}
		if len(page.Claims) != 3 || !strings.Contains(page.Claims[1], "random") {
			t.Errorf("claims %q", page.Claims)
		}
	}
}
