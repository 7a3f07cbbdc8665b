package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"runtime"
	"strings"
	"text/tabwriter"

	"hyperagents/engine"
)

// tune runs the tuning procedure behind the tuned meta condition on one domain and prints the
// best grid points and the line for engine/tuned.go.
func (m *Main) tune(ctx context.Context, args []string) error {
	fs := newFlagSet("tune", m.Stderr)
	domain := fs.String("domain", "", "the domain to tune (required)")
	top := fs.Int("top", 8, "grid points to print")
	if err := parseFlags(fs, args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil
		}
		return err
	}
	d, err := engine.LookupDomain(*domain)
	if err != nil {
		return usagef("--domain: %v", err)
	}
	if engine.DefaultFlavour(d) != engine.FlavourAdaptive {
		return usagef("tune: %s runs the seed and standard flavours, which have no tuned meta policy", d.Name())
	}
	points, err := engine.Tune(ctx, d, runtime.NumCPU())
	if err != nil {
		return err
	}
	fmt.Fprintf(m.Stdout, "%s: %d frozen meta policies × %d tuning seeds × %d iterations, %s selection; best validation accuracy\n\n",
		d.Name(), len(points), engine.TuneSeeds, engine.TuneIterations, d.Info().Selection)
	tw := tabwriter.NewWriter(m.Stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "RANK\tσ\tσ_b\tp_mut\tη\tMEDIAN VAL\tMEAN VAL")
	for i, p := range points[:min(*top, len(points))] {
		k := p.Knobs
		fmt.Fprintf(tw, "%d\t%g\t%g\t%g\t%g\t%.4f\t%.4f\n", i+1, k[engine.KnobSigma], k[engine.KnobSigmaB], k[engine.KnobPMut], k[engine.KnobEta], p.Median, p.Mean)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	family := d.Info().Family
	fmt.Fprintf(m.Stdout, "\nengine/tuned.go:\n\t%q: {%q, %s},\n", family, d.Name(), strings.TrimSpace(engine.KnobsString(points[0].Knobs)))
	return nil
}
