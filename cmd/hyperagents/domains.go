package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"strings"
	"text/tabwriter"

	"hyperagents/engine"
)

// domains lists the domains: name, kind, rows per split (or "simulated"), parameters and source.
func (m *Main) domains(args []string) error {
	fs := newFlagSet("domains", m.Stderr)
	asJSON := fs.Bool("json", false, "print every domain's description as JSON")
	long := fs.Bool("long", false, "print each domain's description and source in full")
	if err := parseFlags(fs, args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil
		}
		return err
	}
	var infos []engine.DomainInfo
	for _, name := range engine.DomainFamilies {
		d, err := engine.LookupDomain(name)
		if err != nil {
			return err
		}
		infos = append(infos, d.Info())
	}
	if *asJSON {
		enc := json.NewEncoder(m.Stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(infos)
	}
	if *long {
		for _, in := range infos {
			fmt.Fprintf(m.Stdout, "%s (%s, %s; flavour %s, selection %s)\n  %s\n  rows: %s\n  parameters: %s\n  source: %s\n\n",
				in.Name, in.Kind, in.Shape.Task, flavourOf(in), in.Selection, in.Description, rows(in), in.Parameters, in.Source)
		}
		return nil
	}
	tw := tabwriter.NewWriter(m.Stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "NAME\tKIND\tTASK\tROWS (TRAIN/VAL/TEST)\tPOLICY\tSOURCE")
	for _, in := range infos {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%d numbers\t%s\n", in.Name, in.Kind, in.Shape.Task, rows(in), in.Shape.Params(), short(in.Source))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintln(m.Stdout, "\nhidden takes a task seed (hidden:7: every seed a new task); every domain but code_review takes a split seed (wine@3).")
	fmt.Fprintln(m.Stdout, "hyperagents domains --long prints descriptions, parameters and full credits.")
	return nil
}

// flavourOf is the flavour a domain runs by default.
func flavourOf(in engine.DomainInfo) string {
	if in.Name == engine.CodeReviewName {
		return engine.FlavourStandard.String()
	}
	return engine.FlavourAdaptive.String()
}

// rows is "train/validation/test", or "simulated".
func rows(in engine.DomainInfo) string {
	if in.Kind == engine.KindSimulated {
		return "simulated"
	}
	return fmt.Sprintf("%d/%d/%d", in.Rows[0], in.Rows[1], in.Rows[2])
}

// short is the first clause of a source line.
func short(s string) string {
	if i := strings.Index(s, ", UCI"); i > 0 {
		return s[:i] + ", UCI (CC BY 4.0)"
	}
	if i := strings.IndexAny(s, ".;"); i > 0 {
		return s[:i]
	}
	return s
}
