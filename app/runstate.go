package ui

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"hyperagents/engine"
)

// maxRunIterations bounds one Run click of the overview.
const maxRunIterations = 100_000

// RunState is the live run and its form: what the overview drives and the archive, agent, events
// and review views show.
type RunState struct {
	Domain          string // form values: a domain name, as engine.LookupDomain reads it
	Flavour         string
	Meta, Selection string
	SeedIn, ItersIn string
	SeedErr         string // inline messages
	ItersErr        string
	Err             string

	run     *engine.Run
	domains map[string]engine.Domain // built once per name
	start   int                      // iteration the current Run click started from
	target  int                      // iteration it stops at
}

func (r *RunState) init() {
	r.Domain, r.Flavour = engine.CodeReviewName, engine.FlavourStandard.String()
	r.setMode(engine.ModeHyperagent)
	r.SeedIn, r.ItersIn = "7", "30"
	r.domains = map[string]engine.Domain{}
	if r.reset() {
		warmUp(r.run.Config(), r.run.Domain())
	}
}

// setMode sets the form's meta and selection to one of the seed's modes.
func (r *RunState) setMode(m engine.Mode) {
	meta, sel := m.Preset()
	r.Meta, r.Selection = meta.String(), sel.String()
}

// mode is the seed's mode the form's meta and selection form, if any.
func (r *RunState) mode() (engine.Mode, bool) {
	meta, err1 := engine.ParseMetaMode(r.Meta)
	sel, err2 := engine.ParseSelection(r.Selection)
	if err1 != nil || err2 != nil {
		return 0, false
	}
	return engine.Condition{Meta: meta, Selection: sel}.Mode()
}

// codeReview is the code-review domain (the Live review's), built once.
func (r *RunState) codeReview() *engine.CodeReview {
	d, ok := r.domains[engine.CodeReviewName]
	if !ok {
		var err error
		if d, err = engine.LookupDomain(engine.CodeReviewName); err != nil {
			return nil
		}
		r.domains[engine.CodeReviewName] = d
	}
	return d.(*engine.CodeReview)
}

// domain builds (once) the domain the form names.
func (r *RunState) domain() (engine.Domain, error) { return r.lookup(r.Domain) }

// lookup builds a domain by name once and keeps it: building one parses its data, which is slow
// in WebAssembly, and domains do not change.
func (r *RunState) lookup(name string) (engine.Domain, error) {
	if d, ok := r.domains[name]; ok {
		return d, nil
	}
	d, err := engine.LookupDomain(name)
	if err != nil {
		return nil, err
	}
	r.domains[name] = d
	return d, nil
}

// setDomain switches the form to another domain: its default flavour, and for the research
// domains the full system (meta evolving, the domain's selection).
func (r *RunState) setDomain(name string) {
	r.Domain = name
	d, err := r.domain()
	if err != nil {
		r.Err = err.Error()
		return
	}
	r.Flavour = engine.DefaultFlavour(d).String()
	if r.Flavour == engine.FlavourAdaptive.String() {
		r.Meta, r.Selection = engine.MetaEvolve.String(), d.Info().Selection.String()
	} else {
		r.setMode(engine.ModeHyperagent)
	}
}

// warmUp runs a few iterations of a throwaway run, so the browser compiles the engine's code while
// the page loads rather than during the first Run click (Chromium compiles WebAssembly functions
// on their first call).
func warmUp(cfg engine.Config, d engine.Domain) {
	if w, err := engine.New(cfg, d); err == nil {
		w.RunN(context.Background(), 20, nil)
	}
}

// config reads the form. It reports problems in the inline messages and returns ok=false; nothing
// runs with a silently changed value.
func (r *RunState) config() (engine.Config, int, bool) {
	r.SeedErr, r.ItersErr, r.Err = "", "", ""
	var c engine.Config
	d, err := r.domain()
	if err != nil {
		r.Err = err.Error()
		return c, 0, false
	}
	f, err := engine.ParseFlavour(r.Flavour)
	if err != nil {
		r.Err = err.Error()
		return c, 0, false
	}
	meta, err := engine.ParseMetaMode(r.Meta)
	if err != nil {
		r.Err = err.Error()
		return c, 0, false
	}
	sel, err := engine.ParseSelection(r.Selection)
	if err != nil {
		r.Err = err.Error()
		return c, 0, false
	}
	seed, ok := parseSeed(r.SeedIn)
	if !ok {
		r.SeedErr = seedMessage
	}
	n, ok := parseCount(r.ItersIn, maxRunIterations)
	if !ok {
		r.ItersErr = fmt.Sprintf("Iterations must be a whole number from 1 to %d.", maxRunIterations)
	}
	if r.SeedErr != "" || r.ItersErr != "" {
		return c, 0, false
	}
	c = engine.Config{Flavour: f, Meta: meta, Selection: sel, Seed: seed}
	if err := c.CheckDomain(d); err != nil {
		r.Err = strings.TrimPrefix(err.Error(), "engine: invalid configuration: ")
		return c, 0, false
	}
	if err := c.Validate(); err != nil {
		r.Err = strings.TrimPrefix(err.Error(), "engine: invalid configuration: ")
		return c, 0, false
	}
	return c, n, true
}

// seedMessage is the inline message for a bad seed.
var seedMessage = fmt.Sprintf("Seed must be a whole number from 0 to %d.", uint64(engine.MaxSeed))

// parseSeed reads a seed: a whole number from 0 to engine.MaxSeed.
func parseSeed(s string) (uint64, bool) {
	v, err := strconv.ParseUint(strings.TrimSpace(s), 10, 64)
	return v, err == nil && v <= engine.MaxSeed
}

// parseCount reads a whole number from 1 to hi.
func parseCount(s string, hi int) (int, bool) {
	v, err := strconv.Atoi(strings.TrimSpace(s))
	return v, err == nil && v >= 1 && v <= hi
}

// reset starts a new run from the form's configuration, if it is valid.
func (r *RunState) reset() bool {
	cfg, _, ok := r.config()
	if !ok {
		return false
	}
	d, _ := r.domain()
	run, err := engine.New(cfg, d)
	if err != nil {
		r.Err = err.Error()
		return false
	}
	r.run = run
	return true
}

// ensure resets when the form names another configuration than the current run's, and returns
// the number of iterations the form asks for.
func (r *RunState) ensure() (int, bool) {
	cfg, n, ok := r.config()
	if !ok {
		return 0, false
	}
	if r.run == nil || r.run.Config() != cfg || r.run.Domain().Name() != r.Domain {
		if !r.reset() {
			return 0, false
		}
	}
	return n, true
}

// waiting reports whether the live run has an LLM iteration waiting for the model. Nothing may
// step the run until the reply lands (the engine refuses, too), so Run and Step wait. The caller
// holds s.mu.
func (r *RunState) waiting() bool { return r.run != nil && r.run.Pending() != nil }

// startRun runs the form's number of iterations in slices. The caller holds s.mu.
func (s *Session) startRun(ctx app.Context) {
	r := &s.Run
	if s.running(jobRun) || s.Store.ReadOnly || r.waiting() {
		return
	}
	n, ok := r.ensure()
	if !ok {
		return
	}
	s.markUnsaved()
	if s.LLM.Settings.Enabled {
		s.startLLMRun(ctx, n)
		return
	}
	r.start = r.run.Iterations()
	r.target = r.start + n
	s.start(ctx, jobRun, s.runSlice, func(err error) {
		if err != nil {
			r.Err = err.Error()
		}
		s.snapshot(ctx, true)
	})
}

// runSlice advances the live run until the deadline or the target, then saves the new
// iterations. Saving costs more than stepping, so when the run is saved the slice steps at most
// batch iterations, and batch adapts so stepping plus saving fit in a slice.
func (s *Session) runSlice(deadline time.Time) (bool, error) {
	r := &s.Run
	start := time.Now()
	saving := s.Store.writable() && r.run != s.Store.unsaved
	n := 0
	for r.run.Iterations() < r.target {
		if _, err := r.run.Step(context.Background()); err != nil {
			return false, err
		}
		n++
		if !time.Now().Before(deadline) || (saving && n >= s.Store.batch) {
			break
		}
	}
	if saving {
		s.saveRun()
		s.Store.adapt(n, time.Since(start))
	}
	return r.run.Iterations() >= r.target, nil
}

// stepRun runs one iteration. The caller holds s.mu.
func (s *Session) stepRun(ctx app.Context) {
	r := &s.Run
	if s.running(jobRun) || s.Store.ReadOnly || r.waiting() {
		return
	}
	if _, ok := r.ensure(); !ok {
		return
	}
	s.markUnsaved()
	if _, err := r.run.Step(context.Background()); err != nil {
		r.Err = err.Error()
	}
	s.saveRun()
	s.snapshot(ctx, true)
}

// resetRun stops the run and starts a fresh one from the form; the old one stays saved. The
// caller holds s.mu.
func (s *Session) resetRun(ctx app.Context) {
	s.stop(jobRun)
	s.saveRun()
	s.snapshot(ctx, true)
	s.Run.reset()
}

// stopRun stops the run and saves it. The caller holds s.mu.
func (s *Session) stopRun(ctx app.Context) {
	s.stop(jobRun)
	s.saveRun()
	s.snapshot(ctx, true)
}
