package ui

import (
	"context"
	"fmt"
	"net/url"
	"strconv"
	"time"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"hyperagents/engine"
	"hyperagents/lab"
)

// maxBrowserTransferWork bounds a transfer run in the page (iterations over all runs).
const maxBrowserTransferWork = 1_000_000

// TransferState is the Transfer view's form, the transfer running, and its result.
type TransferState struct {
	From, To, Pick        string
	KIn, SeedsIn, ItersIn string
	SourceRun             string // a saved run's id to take the meta policy from; "" evolves on From
	Errs                  map[string]string
	Err                   string

	job       *engine.TransferJob
	started   time.Time
	gen       int
	finishing bool
	cancelled bool
	result    *transferResult

	// ArmReadout says one arm of the result's chart in words: the arm under the pointer, or arm
	// (chosen with the arrow keys when the chart has the focus; -1 before).
	ArmReadout string
	arm        int
}

// transferResult is a finished transfer on screen.
type transferResult struct {
	tr      *lab.Transfer
	elapsed time.Duration
	// chartLater keeps the chart off the first drawing of a just-finished transfer, so the
	// claims and table and the chart are drawn in two tasks rather than one long one.
	chartLater bool
}

func (x *TransferState) init() {
	x.From, x.To, x.Pick = "wine", "breast_cancer", engine.PickValidation
	x.KIn, x.SeedsIn, x.ItersIn = "50", "20", "1000"
}

// transferDomains are the domains a transfer can use: those with an adaptive meta policy. The
// caller holds mu.
func (s *Session) transferDomains() []string {
	var out []string
	for _, fam := range engine.DomainFamilies {
		name := fam
		if fam == "hidden" {
			name = fmt.Sprintf("hidden:%d", engine.DefaultHiddenTask)
		}
		if d, err := s.Run.lookup(name); err == nil && engine.DefaultFlavour(d) == engine.FlavourAdaptive {
			out = append(out, name)
		}
	}
	return out
}

// transferSpec reads the Transfer form, reporting problems inline. The caller holds mu.
func (s *Session) transferSpec() (engine.TransferSpec, bool) {
	x := &s.Transfer
	x.Errs, x.Err = map[string]string{}, ""
	t := engine.TransferSpec{From: x.From, To: x.To, Pick: x.Pick}
	var ok bool
	if t.K, ok = parseCount(x.KIn, engine.MaxIterations); !ok {
		x.Errs["tr-k"] = fmt.Sprintf("k must be a whole number from 1 to %d.", engine.MaxIterations)
	}
	if t.Seeds, ok = parseCount(x.SeedsIn, engine.MaxSeeds); !ok {
		x.Errs["tr-seeds"] = fmt.Sprintf("Seeds must be a whole number from 1 to %d.", engine.MaxSeeds)
	}
	if t.SourceIterations, ok = parseCount(x.ItersIn, engine.MaxIterations); !ok {
		x.Errs["tr-iterations"] = fmt.Sprintf("Source iterations must be a whole number from 1 to %d.", engine.MaxIterations)
	}
	if x.SourceRun != "" {
		if s.Store.db == nil {
			x.Err = "The browser's database is not open, so no saved run can be used."
			return t, false
		}
		r, ri, err := s.Store.db.Open(x.SourceRun)
		switch {
		case err != nil:
			x.Err = "The saved run could not be opened: " + trimStore(err)
		case ri.Config.Flavour != engine.FlavourAdaptive:
			x.Err = fmt.Sprintf("Run %q is of the %s flavour, which has no meta knobs to transfer.", ri.Name, ri.Config.Flavour)
		default:
			knobs := engine.PickAgent(r, t.Pick).Agent.Meta.Knobs
			t.From, t.SourceKnobs = ri.Domain, &knobs
		}
	}
	// The rest (domains that can transfer, knob bounds) engine.NewTransferJob checks.
	return t, len(x.Errs) == 0 && x.Err == ""
}

// startTransfer runs the form's transfer in slices. The caller holds mu.
func (s *Session) startTransfer(ctx app.Context) {
	x := &s.Transfer
	if x.busy(s) {
		return
	}
	t, ok := s.transferSpec()
	if !ok {
		return
	}
	job, err := engine.NewTransferJob(t)
	if err != nil {
		x.Err = err.Error()
		return
	}
	if job.Total() > maxBrowserTransferWork {
		x.Err = fmt.Sprintf("This transfer runs %d iterations; the page runs at most %d. Use the command line: hyperagents transfer --from %s --to %s --k %d --seeds %d --source-iterations %d --out DIR",
			job.Total(), maxBrowserTransferWork, t.From, t.To, t.K, t.Seeds, t.SourceIterations)
		return
	}
	x.clearResult()
	x.job, x.started, x.cancelled = job, time.Now(), false
	bg := context.Background()
	s.start(ctx, jobTransfer, steps(func() (bool, error) {
		if err := job.Step(bg, 1); err != nil {
			return false, err
		}
		return job.Finished(), nil
	}), func(err error) {
		if err != nil {
			x.Err, x.job = err.Error(), nil
			return
		}
		s.finishTransfer(ctx)
	})
}

// finishTransfer summarises the finished transfer on a goroutine, then shows it. The caller
// holds mu.
func (s *Session) finishTransfer(ctx app.Context) {
	x := &s.Transfer
	job, gen := x.job, x.gen
	x.finishing = true
	ctx.Async(func() {
		tr, err := lab.FinishTransferYield(job.Spec(), job.Runs(), pacedYield())
		s.mu.Lock()
		defer s.notify()
		defer s.mu.Unlock()
		if x.gen != gen {
			return
		}
		x.finishing, x.job = false, nil
		if err != nil {
			x.Err = err.Error()
			return
		}
		r := &transferResult{tr: tr, elapsed: time.Since(x.started), chartLater: true}
		x.result = r
		ctx.Async(func() { s.drawLater(&r.chartLater) })
	})
}

// cancelTransfer stops the running transfer and drops its runs. The caller holds mu.
func (s *Session) cancelTransfer() {
	x := &s.Transfer
	if !x.busy(s) {
		return
	}
	s.stop(jobTransfer)
	x.gen++
	x.job, x.cancelled, x.finishing = nil, true, false
}

// busy reports whether a transfer is running or being summarised. The caller holds mu.
func (x *TransferState) busy(s *Session) bool { return s.running(jobTransfer) || x.finishing }

// clearResult drops the shown transfer.
func (x *TransferState) clearResult() { x.result, x.ArmReadout, x.arm = nil, "", -1 }

// link is the address of the Transfer view with the form's settings.
func (x *TransferState) link() string {
	v := url.Values{"from": {x.From}, "to": {x.To}, "k": {x.KIn}, "seeds": {x.SeedsIn}, "iterations": {x.ItersIn}, "pick": {x.Pick}}
	return href(PathTransfer) + "?" + v.Encode()
}

// applyQuery fills the form from the address; bad values get a message and keep the form's.
// The caller holds mu.
func (x *TransferState) applyQuery(q url.Values) []string {
	var msgs []string
	for _, f := range []struct {
		key string
		dst *string
	}{{"from", &x.From}, {"to", &x.To}} {
		if v, ok := q[f.key]; ok {
			d, err := engine.LookupDomain(v[0])
			if err != nil || engine.DefaultFlavour(d) != engine.FlavourAdaptive {
				msgs = append(msgs, fmt.Sprintf("The address's %s=%q is not a domain with a meta policy to transfer; kept %s.", f.key, v[0], *f.dst))
				continue
			}
			*f.dst = d.Name()
		}
	}
	for _, f := range []struct {
		key string
		dst *string
	}{{"k", &x.KIn}, {"seeds", &x.SeedsIn}, {"iterations", &x.ItersIn}} {
		if v, ok := q[f.key]; ok {
			if _, err := strconv.Atoi(v[0]); err != nil {
				msgs = append(msgs, fmt.Sprintf("The address's %s=%q is not a whole number; kept %s.", f.key, v[0], *f.dst))
				continue
			}
			*f.dst = v[0]
		}
	}
	if v, ok := q["pick"]; ok {
		if v[0] != engine.PickValidation && v[0] != engine.PickGrowth {
			msgs = append(msgs, fmt.Sprintf("The address's pick=%q is not validation or growth; kept %s.", v[0], x.Pick))
		} else {
			x.Pick = v[0]
		}
	}
	return msgs
}
