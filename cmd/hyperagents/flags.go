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

// parseConditions reads a comma-separated list of modes.
func parseConditions(s string) ([]engine.Mode, error) {
	var out []engine.Mode
	for _, name := range strings.Split(s, ",") {
		m, err := engine.ParseMode(strings.TrimSpace(name))
		if err != nil {
			return nil, usagef("--conditions: %v", err)
		}
		for _, o := range out {
			if o == m {
				return nil, usagef("--conditions: %s listed twice", m)
			}
		}
		out = append(out, m)
	}
	return out, nil
}

// parseFlavour reads --flavour.
func parseFlavour(s string) (engine.Flavour, error) {
	f, err := engine.ParseFlavour(s)
	if err != nil {
		return 0, usagef("--flavour: %v", err)
	}
	return f, nil
}
