// Command hyperagents runs the hyperagent engine headless: single runs, multi-seed experiments on
// one domain, sweeps of domains × conditions × seeds from a spec file (shardable), and the files
// of saved runs.
//
// Usage:
//
//	hyperagents domains [--long|--json]
//	hyperagents run [--domain D] [--mode M | --meta M --selection S] [--flavour F] [--seed S] [--iterations N] [--json] [--db FILE [--name N]]
//	hyperagents experiment [--domain D] [--mode a,b | --meta a,b --selection x,y] [--iterations N] [--seeds K] --out DIR
//	hyperagents sweep SPEC.json --out DIR [--shard I/N] [--db FILE] [--workers N]
//	hyperagents merge --out DIR SHARD_DIR...
//	hyperagents transfer --from D --to D --k K --seeds N [--source-iterations M] [--source-run FILE:ID] --out DIR
//	hyperagents tune --domain D
//	hyperagents runs --db FILE
//	hyperagents export --db FILE [--run ID] (--out FILE | --csv FILE)
//	hyperagents import --db FILE IMPORTED.sqlite...
//	hyperagents replay [--run ID] FILE
//
// Databases are the same SQLite files the browser workbench exports and imports.
//
// Bad flags or values print a message on stderr and exit with status 2; other failures exit 1.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
)

// usageError marks errors caused by the command line; they exit with status 2.
type usageError struct{ err error }

func (e usageError) Error() string { return e.err.Error() }
func (e usageError) Unwrap() error { return e.err }

func usagef(format string, a ...any) error { return usageError{fmt.Errorf(format, a...)} }

const usage = `hyperagents: evolve self-improving review agents headless

Commands:
  domains      list the tasks agents can learn
  run          run one configuration and print the best agent
  experiment   run conditions × seeds × iterations on one domain; write the metrics, a summary and charts
  sweep        run a spec file (domains × conditions × seeds), or one shard of it; write runs.csv and a summary
  merge        join the shard directories of a sweep into the files one unsharded run writes
  transfer     the imp@k transfer lab: a meta policy evolved on one domain, frozen and applied to another
  tune         rerun the grid search that chose a domain's tuned meta policy (no test data)
  runs         list the runs of a database file
  sweeps       list the sweeps saved in a database file (made in the page), or write one's files
  export       write runs of a database to a new file, or a run's metrics as CSV
  import       add the runs of database files to a database file
  replay       re-execute saved runs and check every iteration matches

Run "hyperagents COMMAND -h" for a command's flags.
`

// Main holds the program's output streams, so tests can run it in-process.
type Main struct {
	Stdout, Stderr io.Writer
}

// Run executes the command line args (without the program name).
func (m *Main) Run(ctx context.Context, args []string) error {
	if len(args) == 0 {
		return usagef("no command given\n\n%s", usage)
	}
	switch args[0] {
	case "experiment":
		return m.experiment(ctx, args[1:])
	case "run":
		return m.run(ctx, args[1:])
	case "runs":
		return m.runs(ctx, args[1:])
	case "sweeps":
		return m.sweeps(ctx, args[1:])
	case "export":
		return m.export(ctx, args[1:])
	case "import":
		return m.importFiles(ctx, args[1:])
	case "replay":
		return m.replay(ctx, args[1:])
	case "domains":
		return m.domains(args[1:])
	case "sweep":
		return m.sweep(ctx, args[1:])
	case "merge":
		return m.merge(args[1:])
	case "tune":
		return m.tune(ctx, args[1:])
	case "transfer":
		return m.transfer(ctx, args[1:])
	case "-h", "-help", "--help", "help":
		fmt.Fprint(m.Stdout, usage)
		return nil
	}
	return usagef("unknown command %q\n\n%s", args[0], usage)
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	m := &Main{Stdout: os.Stdout, Stderr: os.Stderr}
	err := m.Run(ctx, os.Args[1:])
	os.Exit(exitCode(m.Stderr, err))
}

// exitCode reports err on w and maps it to the process status.
func exitCode(w io.Writer, err error) int {
	if err == nil {
		return 0
	}
	fmt.Fprintln(w, "hyperagents:", safeLines(err.Error()))
	if errors.As(err, new(usageError)) {
		return 2
	}
	return 1
}
