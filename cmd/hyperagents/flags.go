package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"

	"hyperagents/engine"
)

// newFlagSet returns a flag set that reports errors instead of exiting, printing usage to w.
func newFlagSet(name string, w io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(w)
	return fs
}

// parseFlags parses args, turning every flag error into a usage error and rejecting stray arguments.
func parseFlags(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return usageError{fmt.Errorf("%s: %w", fs.Name(), err)}
	}
	if fs.NArg() > 0 {
		return usagef("%s: unexpected argument %q", fs.Name(), fs.Arg(0))
	}
	return nil
}

// inRange checks an integer flag's value.
func inRange(name string, v, lo, hi int) error {
	if v < lo || v > hi {
		return usagef("--%s %d is out of range: want %d to %d", name, v, lo, hi)
	}
	return nil
}

// parseFlavour reads --flavour.
func parseFlavour(s string) (engine.Flavour, error) {
	f, err := engine.ParseFlavour(s)
	if err != nil {
		return 0, usagef("--flavour: %v", err)
	}
	return f, nil
}

// condFlags are the flags that choose a domain and a condition: --domain, --flavour, --mode (one
// of the seed's presets) or --meta and --selection, and --split-seed.
type condFlags struct {
	domain, flavour, mode, meta, selection *string
	split                                  *int64
}

// addCondFlags registers the condition flags on fs.
func addCondFlags(fs *flag.FlagSet) *condFlags {
	return &condFlags{
		domain:    fs.String("domain", engine.CodeReviewName, "the task (see hyperagents domains), e.g. digits, hidden:7, wine@3"),
		flavour:   fs.String("flavour", "", "arithmetic: standard or seed (code_review), adaptive (the others); default: the domain's"),
		mode:      fs.String("mode", "", "one of the seed's modes as a preset: hyperagent (evolve × seed), baseline (frozen × seed), no_archive (evolve × best)"),
		meta:      fs.String("meta", "", "meta axis: evolve, frozen or tuned (default evolve)"),
		selection: fs.String("selection", "", "selection axis: seed, dgm, dgm_code, uniform, best or latest (default: the domain's)"),
		split:     fs.Int64("split-seed", -1, "draw another train/validation/test split (default: the domain's fixed one)"),
	}
}

// lookupDomain builds the domain the flags name.
func (c *condFlags) lookupDomain() (engine.Domain, error) {
	name := *c.domain
	if *c.split >= 0 {
		if *c.split > engine.MaxSeed {
			return nil, usagef("--split-seed %d is out of range: want 0 to %d", *c.split, int64(engine.MaxSeed))
		}
		name = engine.WithSplit(name, uint64(*c.split))
	}
	d, err := engine.LookupDomain(name)
	if err != nil {
		return nil, usagef("--domain: %v", err)
	}
	return d, nil
}

// flavourFor is the flavour the flags ask for on d.
func (c *condFlags) flavourFor(d engine.Domain) (engine.Flavour, error) {
	if *c.flavour == "" {
		return engine.DefaultFlavour(d), nil
	}
	return parseFlavour(*c.flavour)
}

// conditions returns the conditions the flags describe on d: the presets of a comma-separated
// --mode, or the product of comma-separated --meta and --selection lists. With neither, def.
func (c *condFlags) conditions(d engine.Domain, def []engine.Condition) ([]engine.Condition, error) {
	if *c.mode != "" {
		if *c.meta != "" || *c.selection != "" {
			return nil, usagef("give either --mode or --meta/--selection, not both")
		}
		var out []engine.Condition
		for _, name := range strings.Split(*c.mode, ",") {
			m, err := engine.ParseMode(strings.TrimSpace(name))
			if err != nil {
				return nil, usagef("--mode: %v", err)
			}
			out = append(out, engine.ModeCondition(m))
		}
		return uniqueConditions(out)
	}
	if *c.meta == "" && *c.selection == "" && def != nil {
		return def, nil
	}
	metas, sels := []string{"evolve"}, []string{d.Info().Selection.String()}
	if *c.meta != "" {
		metas = strings.Split(*c.meta, ",")
	}
	if *c.selection != "" {
		sels = strings.Split(*c.selection, ",")
	}
	var out []engine.Condition
	for _, mn := range metas {
		meta, err := engine.ParseMetaMode(strings.TrimSpace(mn))
		if err != nil {
			return nil, usagef("--meta: %v", err)
		}
		for _, sn := range sels {
			sel, err := engine.ParseSelection(strings.TrimSpace(sn))
			if err != nil {
				return nil, usagef("--selection: %v", err)
			}
			cfg := engine.Config{Meta: meta, Selection: sel}
			out = append(out, engine.Condition{Name: cfg.ConditionName(), Meta: meta, Selection: sel})
		}
	}
	return uniqueConditions(out)
}

// uniqueConditions refuses a condition listed twice.
func uniqueConditions(cs []engine.Condition) ([]engine.Condition, error) {
	seen := map[string]bool{}
	for _, c := range cs {
		if seen[c.Name] {
			return nil, usagef("condition %s listed twice", c.Name)
		}
		seen[c.Name] = true
	}
	return cs, nil
}

// checkConfig turns a configuration the domain cannot run into a usage error of one line.
func checkConfig(cfg engine.Config, d engine.Domain) error {
	if err := cfg.CheckDomain(d); err != nil {
		return usagef("%s: %v", d.Name(), strings.TrimPrefix(err.Error(), "engine: invalid configuration: "))
	}
	if err := cfg.Validate(); err != nil {
		return usagef("%s on %s: %v", cfg.ConditionName(), d.Name(), strings.TrimPrefix(err.Error(), "engine: invalid configuration: "))
	}
	return nil
}
