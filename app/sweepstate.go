package ui

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"hyperagents/engine"
	"hyperagents/lab"
	"hyperagents/store"
)

// maxBrowserSweepWork bounds a sweep run in the page (iterations over all runs): its runs.csv
// stays in memory and is saved in the browser.
const maxBrowserSweepWork = 200_000

// sweepPresets are specs offered with one click; the first is the editor's default.
var sweepPresets = []struct{ Name, Help, Spec string }{
	{"quick", "2 domains × 3 conditions × 5 seeds × 200 iterations (about half a minute)", `{
  "domains": ["wine", "digits"],
  "conditions": [
    {"name": "hyperagent", "meta": "evolve", "selection": "default"},
    {"name": "frozen", "meta": "frozen", "selection": "default"},
    {"name": "best", "meta": "evolve", "selection": "best"}
  ],
  "seeds": 5,
  "iterations": 200,
  "checkpoints": [50, 200],
  "reference": "hyperagent"
}`},
	{"every-domain", "every research domain × the five conditions of the findings × 5 seeds × 300 iterations", `{
  "domains": ["wine", "breast_cancer", "digits", "hidden:1", "maze"],
  "conditions": [
    {"name": "hyperagent", "meta": "evolve", "selection": "default"},
    {"name": "frozen", "meta": "frozen", "selection": "default"},
    {"name": "tuned", "meta": "tuned", "selection": "default"},
    {"name": "best", "meta": "evolve", "selection": "best"},
    {"name": "latest", "meta": "evolve", "selection": "latest"}
  ],
  "seeds": 5,
  "iterations": 300,
  "checkpoints": [30, 300],
  "reference": "hyperagent"
}`},
	{"maze-selection", "the README's maze finding: four selection rules × 20 seeds × 1,000 iterations (a few minutes)", `{
  "domains": ["maze"],
  "conditions": [
    {"name": "seed", "meta": "evolve", "selection": "seed"},
    {"name": "dgm", "meta": "evolve", "selection": "dgm"},
    {"name": "dgm_code", "meta": "evolve", "selection": "dgm_code"},
    {"name": "uniform", "meta": "evolve", "selection": "uniform"}
  ],
  "seeds": 20,
  "iterations": 1000,
  "checkpoints": [200, 1000],
  "reference": "seed"
}`},
}

// SweepState is the Experiments view's sweep: the spec being edited, the sweep running, and the
// finished (or reopened) sweep shown.
type SweepState struct {
	SpecText string
	SpecErr  string // the spec does not parse, or is too large for the page
	Err      string // the sweep failed
	LinkErr  string // the address's spec or sweep could not be used
	SaveMsg  string
	SaveErr  string

	spec      *engine.Spec // the spec the job runs
	job       *engine.SweepJob
	started   time.Time
	working   time.Duration // time spent stepping the running sweep
	finishing bool          // the runs are done; the statistics are being computed
	gen       int           // changes on cancel, so a summary finishing late is dropped
	cancelled bool
	result    *sweepResult

	described, shape, link string // the editor's text last described, and what describe said

	// What the result shows.
	Checkpoint int    // index into the spec's checkpoints
	Metric     string // one of engine.SweepMetrics
	Mean       bool   // curves as mean ± std instead of the median with its band
	// CurvesReadout says the values under the pointer on the curves.
	CurvesReadout string
	curvesCursor  chartCursor // where the keyboard reads the curves
}

// sweepResult is a finished sweep on screen, with its files offered for download.
type sweepResult struct {
	sw      *lab.Sweep
	domains []string // the spec's domain names, split seed applied
	id      string   // in the database, "" when not saved
	name    string
	elapsed time.Duration // 0 for a reopened sweep
	working time.Duration // of elapsed, the time spent running iterations
	stats   time.Duration // of elapsed, the time spent on the summary, curves and files
	// curvesLater keeps the learning curves off the first drawing of a just-finished sweep, so
	// the tables and the curves are drawn in two tasks rather than one long one.
	curvesLater bool
}

func (x *SweepState) init() {
	x.SpecText = sweepPresets[0].Spec
	x.Metric = engine.SweepMetrics[0]
}

// parse reads the editor's spec and checks the page can run it.
func (x *SweepState) parse() (*engine.Spec, bool) {
	x.SpecErr = ""
	spec, err := engine.ParseSpec([]byte(x.SpecText))
	if err != nil {
		x.SpecErr = err.Error()
		return nil, false
	}
	if work := spec.Runs() * spec.Iterations; work > maxBrowserSweepWork {
		x.SpecErr = fmt.Sprintf("%d runs × %d iterations = %d iterations; the page runs at most %d. Run it with the command line: hyperagents sweep spec.json --out DIR (it can also be sharded over machines).",
			spec.Runs(), spec.Iterations, work, maxBrowserSweepWork)
		return nil, false
	}
	return spec, true
}

// specLink is the address of the Experiments view with the spec in it: opening it fills the
// editor with this spec.
func specLink(spec *engine.Spec) string {
	var b bytes.Buffer
	json.Compact(&b, spec.Canonical())
	return href(PathExperiments) + "?" + url.Values{"spec": {b.String()}}.Encode()
}

// applyLink fills the editor from the address's spec parameter, or reports why it cannot. The
// caller holds mu.
func (x *SweepState) applyLink(raw string) {
	x.LinkErr = ""
	spec, err := engine.ParseSpec([]byte(raw))
	if err != nil {
		x.LinkErr = "The link's spec was not used: " + err.Error() + ". The editor keeps the spec it had."
		return
	}
	x.SpecText = string(spec.Canonical())
	x.SpecErr = ""
}

// startSweep runs the editor's spec in slices. The caller holds mu.
func (s *Session) startSweep(ctx app.Context) {
	x := &s.Sweep
	if x.busy(s) {
		return
	}
	spec, ok := x.parse()
	if !ok {
		return
	}
	plan, err := spec.Plan(0, 1)
	if err != nil {
		x.SpecErr = err.Error()
		return
	}
	x.Err, x.cancelled, x.SaveMsg, x.SaveErr = "", false, "", ""
	x.clearResult()
	x.spec, x.job, x.started = spec, engine.NewSweepJob(spec, plan), time.Now()
	x.Checkpoint = len(spec.Checkpoints) - 1
	job := x.job
	bg := context.Background()
	x.working = 0
	s.start(ctx, jobSweep, func(deadline time.Time) (bool, error) {
		t0 := time.Now()
		defer func() { x.working += time.Since(t0) }()
		for {
			if err := job.Step(bg, 1); err != nil {
				return false, err
			}
			if job.Finished() || !time.Now().Before(deadline) {
				return job.Finished(), nil
			}
		}
	}, func(err error) {
		if err != nil {
			x.Err = err.Error()
			x.job = nil
			return
		}
		s.finishSweep(ctx)
	})
}

// cancelSweep stops the running sweep (or its statistics) and drops its runs. The caller holds mu.
func (s *Session) cancelSweep() {
	x := &s.Sweep
	if !x.busy(s) {
		return
	}
	s.stop(jobSweep)
	x.gen++
	x.job, x.cancelled, x.finishing = nil, true, false
}

// busy reports whether a sweep is running or being summarised. The caller holds mu.
func (x *SweepState) busy(s *Session) bool { return s.running(jobSweep) || x.finishing }

// finishSweep summarises the finished sweep on a goroutine that lets the browser run every few
// milliseconds, then shows it and saves it in the browser's database. The caller holds mu.
func (s *Session) finishSweep(ctx app.Context) {
	x := &s.Sweep
	job, spec, gen := x.job, x.spec, x.gen
	x.finishing = true
	ctx.Async(func() {
		t0 := time.Now()
		sw, err := lab.FinishSweepYield(spec, job.Series(), job.CSV(), pacedYield())
		s.mu.Lock()
		defer s.notify()
		defer s.mu.Unlock()
		if x.gen != gen { // cancelled meanwhile
			return
		}
		x.finishing, x.job = false, nil
		if err != nil {
			x.Err = err.Error()
			return
		}
		r := &sweepResult{sw: sw, name: sweepName(spec), elapsed: time.Since(x.started), working: x.working, stats: time.Since(t0), curvesLater: true}
		x.show(r)
		// Draw the curves once the tables are on screen, then save.
		ctx.Async(func() {
			s.drawLater(&r.curvesLater)
			waitForFrame()
			s.saveSweep(ctx, r)
		})
	})
}

// saveSweep saves a finished sweep in the browser's database, or says why it is not saved. It
// compresses runs.csv letting the browser run, without holding mu.
func (s *Session) saveSweep(ctx app.Context, r *sweepResult) {
	defer s.notify()
	x, p := &s.Sweep, &s.Store
	s.mu.Lock()
	db, ro, msg := p.db, p.ReadOnly, p.Msg
	s.mu.Unlock()
	var err error
	id := store.NewID()
	if db != nil && !ro {
		err = db.SaveSweep(id, r.name, time.Now(), r.sw, pacedYield())
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	switch {
	case db == nil:
		x.SaveErr = "Not saved: the browser's database is not open (" + msg + "). Download the files to keep them."
	case ro:
		x.SaveErr = "Not saved: this tab is read-only (another tab saves). Download the files to keep them."
	case err != nil:
		x.SaveErr = "Saving the sweep failed: " + trimStore(err) + ". Download the files to keep them."
	default:
		r.id = id
		if x.result == r {
			x.SaveMsg = "Saved in this browser (listed under Runs); it is still here after a reload."
		}
		p.dirty = true
		s.snapshot(ctx, true)
	}
}

// statsBudget is how long a computation that cannot show progress (a sweep's statistics) keeps
// the thread before letting the browser run: a little longer than a run's slices, since every
// yield costs a few milliseconds of the browser's own work, and well within the 50 ms a page may
// stall, since a unit of work (a thousand bootstrap resamples, a file) comes on top.
const statsBudget = 10 * time.Millisecond

// pacedYield returns a function that lets the browser run when statsBudget has passed since it
// last did: long computations call it between small units of work.
func pacedYield() func() {
	last := time.Now()
	return func() {
		if time.Since(last) >= statsBudget {
			yieldToBrowser()
			last = time.Now()
		}
	}
}

// show puts a sweep on screen.
func (x *SweepState) show(r *sweepResult) {
	x.clearResult()
	r.domains = make([]string, len(r.sw.Curves))
	for i, c := range r.sw.Curves {
		r.domains[i] = c.Domain
	}
	x.result, x.CurvesReadout, x.curvesCursor = r, "", chartCursor{}
	x.Checkpoint = len(r.sw.Spec.Checkpoints) - 1
}

// openSweep shows saved sweep id (from the Runs view or the address). The caller holds mu.
func (s *Session) openSweep(id string) {
	x := &s.Sweep
	x.LinkErr = ""
	if s.Store.db == nil {
		x.LinkErr = "The browser's database is not open: " + s.Store.Msg
		return
	}
	if x.result != nil && x.result.id == id {
		return
	}
	sw, si, err := s.Store.db.Sweep(id)
	if err != nil {
		x.LinkErr = fmt.Sprintf("Sweep %s could not be opened: %s.", id, trimStore(err))
		return
	}
	x.show(&sweepResult{sw: sw, id: si.ID, name: si.Name})
	x.SpecText = string(sw.Files[lab.SpecFile])
	x.SaveMsg, x.SaveErr, x.Err, x.cancelled = "", "", "", false
}

// clearResult drops the shown sweep.
func (x *SweepState) clearResult() { x.result = nil }

// sweepName names a sweep after its shape, e.g. "sweep · wine, digits · 3 conditions × 5 seeds × 200".
func sweepName(spec *engine.Spec) string {
	doms := ""
	for i, d := range spec.Domains {
		if i > 0 {
			doms += ", "
		}
		doms += d
	}
	name := fmt.Sprintf("sweep · %s · %d conditions × %d seeds × %d", doms, len(spec.Conditions), spec.Seeds, spec.Iterations)
	if r := []rune(name); len(r) > store.MaxNameLen {
		name = string(r[:store.MaxNameLen])
	}
	return name
}

// mimeOf is the media type of a sweep file.
func mimeOf(name string) string {
	switch {
	case strings.HasSuffix(name, ".svg"):
		return "image/svg+xml"
	case strings.HasSuffix(name, ".csv"):
		return "text/csv"
	case strings.HasSuffix(name, ".json"):
		return "application/json"
	}
	return "text/markdown"
}
