package engine

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
)

// The tuning procedure behind [Tuned], fixed before any sweep was run: a grid of frozen meta
// policies, each run with the domain's own selection on separate tuning seeds (never the seeds
// experiments and sweeps use, 7 + 13·k), scored by the median over those seeds of the best
// validation accuracy after TuneIterations; ties go to the higher mean, then to the earlier grid
// point. Test data are never read. q and τ keep their initial values: a frozen meta policy never
// edits itself.
var (
	TuneSigma  = []float64{0.005, 0.02, 0.08, 0.3}
	TuneSigmaB = []float64{0.1, 0.5, 2}
	TunePMut   = []float64{0.03, 0.1, 0.3, 1}
	TuneEta    = []float64{0.001, 0.01, 0.1, 0.5}
)

// Tuning runs per grid point.
const (
	TuneIterations = 1000
	TuneSeedBase   = 1000
	TuneSeeds      = 5
)

// TuneGrid lists the grid's meta knobs for a domain of shape s: knobs that have no effect on the
// domain ([Shape.Applies]) keep their initial value.
func TuneGrid(s Shape) []KnobValues {
	sigmaB, eta := TuneSigmaB, TuneEta
	if !s.Applies(KnobSigmaB) {
		sigmaB = []float64{InitialKnobs[KnobSigmaB]}
	}
	if !s.Applies(KnobEta) {
		eta = []float64{InitialKnobs[KnobEta]}
	}
	var out []KnobValues
	for _, a := range TuneSigma {
		for _, b := range sigmaB {
			for _, p := range TunePMut {
				for _, e := range eta {
					k := InitialKnobs
					k[KnobSigma], k[KnobSigmaB], k[KnobPMut], k[KnobEta] = a, b, p, e
					out = append(out, k)
				}
			}
		}
	}
	return out
}

// TunePoint is one grid point's result: its knobs and the best validation accuracy of each tuning
// seed.
type TunePoint struct {
	Knobs  KnobValues
	Val    []float64
	Median float64
	Mean   float64
}

// Tune runs the tuning procedure on d with up to workers goroutines and returns every grid point,
// best first.
func Tune(ctx context.Context, d Domain, workers int) ([]TunePoint, error) {
	grid := TuneGrid(d.Info().Shape)
	points := make([]TunePoint, len(grid))
	type job struct{ g, s int }
	jobs := make(chan job)
	errs := make(chan error, workers)
	var wg sync.WaitGroup
	for range max(1, workers) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range jobs {
				cfg := Config{Flavour: FlavourAdaptive, Meta: MetaFrozen, Selection: d.Info().Selection, Seed: uint64(TuneSeedBase + j.s)}
				r, err := New(cfg, d)
				if err == nil {
					r.frozen.Knobs = grid[j.g]
					err = r.RunN(ctx, TuneIterations, nil)
				}
				if err != nil {
					errs <- err
					continue
				}
				points[j.g].Val[j.s] = r.Best().Eval.ValAccuracy
			}
		}()
	}
	for g := range grid {
		points[g] = TunePoint{Knobs: grid[g], Val: make([]float64, TuneSeeds)}
	}
	go func() {
		defer close(jobs)
		for g := range grid {
			for s := range TuneSeeds {
				jobs <- job{g, s}
			}
		}
	}()
	wg.Wait()
	close(errs)
	if err := <-errs; err != nil {
		return nil, err
	}
	for i := range points {
		st := Describe(points[i].Val)
		points[i].Median, points[i].Mean = st.Median, st.Mean
	}
	slices.SortStableFunc(points, func(a, b TunePoint) int {
		switch {
		case a.Median != b.Median:
			return cmpDesc(a.Median, b.Median)
		case a.Mean != b.Mean:
			return cmpDesc(a.Mean, b.Mean)
		}
		return 0
	})
	return points, nil
}

func cmpDesc(a, b float64) int {
	if a > b {
		return -1
	}
	return 1
}

// KnobsString writes knobs as Go source for tuned.go.
func KnobsString(k KnobValues) string {
	parts := make([]string, len(k))
	for i, v := range k {
		parts[i] = strconv.FormatFloat(v, 'g', -1, 64)
	}
	return "KnobValues{" + strings.Join(parts, ", ") + "}"
}

// Tuned returns the tuned meta policy's knobs of a domain, and how they were chosen. They are the
// winners of [Tune] (see tuned.go), written into the program so the tuned condition costs nothing
// at run time; TestTunedIsReproducible reruns the procedure for one domain. A domain without a
// tuned entry (another task of hidden, another split) uses the family's.
func Tuned(d Domain) (KnobValues, string) {
	info := d.Info()
	if t, ok := tunedKnobs[info.Family]; ok {
		return t.knobs, fmt.Sprintf("tuned on %s: %s", t.on, tuneMethod)
	}
	return InitialKnobs, "no tuned meta policy for " + info.Family + "; the initial one is used"
}

// tuneMethod describes the procedure in one line.
var tuneMethod = fmt.Sprintf("the best of %s frozen meta policies (σ × σ_b × p_mut × η) by the median best validation accuracy "+
	"after %d iterations over tuning seeds %d–%d, with the domain's selection; no test data", "a grid of", TuneIterations, TuneSeedBase, TuneSeedBase+TuneSeeds-1)
