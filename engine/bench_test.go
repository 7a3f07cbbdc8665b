package engine

import (
	"context"
	"fmt"
	"testing"
)

// benchRun measures whole runs of n iterations; it reports ns per iteration as well.
func benchRun(b *testing.B, cfg Config, n int) {
	d := codeReview(b)
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		r, err := New(cfg, d)
		if err != nil {
			b.Fatal(err)
		}
		if err := r.RunN(ctx, n, nil); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n), "ns/iter")
}

// BenchmarkRun is the engine's speed figure: one standard hyperagent run of 5,000 iterations (goal
// ≤ 20 ms natively) and of 100,000 iterations (goal ≤ 25× the 5,000 run: flat cost per iteration).
func BenchmarkRun(b *testing.B) {
	for _, n := range []int{5_000, 100_000} {
		b.Run(fmt.Sprintf("standard/hyperagent/%d", n), func(b *testing.B) {
			benchRun(b, ModeHyperagent.Config(FlavourStandard, 7), n)
		})
	}
	for _, m := range []Mode{ModeBaseline, ModeNoArchive} {
		b.Run(fmt.Sprintf("standard/%s/5000", m), func(b *testing.B) {
			benchRun(b, m.Config(FlavourStandard, 7), 5_000)
		})
	}
	b.Run("seed/hyperagent/5000", func(b *testing.B) {
		benchRun(b, ModeHyperagent.Config(FlavourSeed, 7), 5_000)
	})
}

// BenchmarkExperiment is the 3 × 5 × 30 ablation the browser runs.
func BenchmarkExperiment(b *testing.B) {
	d := codeReview(b)
	cfg := ExperimentConfig{Conditions: ModeConditions(Modes...), Seeds: DefaultSeeds(5), Iterations: 30}
	for b.Loop() {
		if _, err := RunExperiment(context.Background(), cfg, d); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkDomains is the adaptive flavour's speed figure: a 20,000-iteration digits run of the
// full system (meta evolving, DGM selection; goal ≤ 0.5 s natively, wasm under Node ≤ 3× native),
// the same with the greedy and single-chain selections, and 1,000-iteration runs of every domain.
func BenchmarkDomains(b *testing.B) {
	type run struct {
		domain string
		sel    Selection
		n      int
	}
	runs := []run{{"digits", SelectDGM, 20_000}, {"digits", SelectBest, 20_000}, {"digits", SelectLatest, 20_000}}
	for _, d := range []string{"wine", "breast_cancer", "digits", "digits10", "hidden", "maze"} {
		runs = append(runs, run{d, SelectDGM, 1000})
	}
	for _, r := range runs {
		d, err := LookupDomain(r.domain)
		if err != nil {
			b.Fatal(err)
		}
		cfg := Config{Flavour: FlavourAdaptive, Meta: MetaEvolve, Selection: r.sel, Seed: 7}
		b.Run(fmt.Sprintf("%s/%s/%d", r.domain, cfg.ConditionName(), r.n), func(b *testing.B) {
			ctx := context.Background()
			b.ReportAllocs()
			for b.Loop() {
				run, err := New(cfg, d)
				if err != nil {
					b.Fatal(err)
				}
				if err := run.RunN(ctx, r.n, nil); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(r.n), "ns/iter")
		})
	}
}

// BenchmarkTransfer is the transfer the lab's issue names (wine → breast_cancer, k 50, 20 seeds,
// 1,000 source iterations; goal ≤ 10 s natively), with its allocations: a hundred mostly short
// runs, whose garbage the page's collector has to clear.
func BenchmarkTransfer(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		job, err := NewTransferJob(TransferSpec{From: "wine", To: "breast_cancer", K: 50, Seeds: 20, SourceIterations: 1000, Pick: PickValidation})
		if err != nil {
			b.Fatal(err)
		}
		for !job.Finished() {
			if err := job.Step(context.Background(), 1); err != nil {
				b.Fatal(err)
			}
		}
	}
}

// BenchmarkDiff is what the Lineage view pays to describe its edges: the parent → child changes of
// 400 agents of a 2,000-iteration run, on the default domain and on digits (640 weights).
func BenchmarkDiff(b *testing.B) {
	for _, name := range []string{CodeReviewName, "digits"} {
		r, d := evolvedRun(b, name, 7, 2000)
		a := r.Archive()
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				for i := 1; i <= 400; i++ {
					e := a.At(i)
					p, _ := a.Index(e.Agent.ParentID)
					Diff(&a.At(p).Agent, &e.Agent, d)
				}
			}
		})
	}
}
