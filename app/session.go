package ui

import (
	"sync"
	"time"

	"github.com/maxence-charriere/go-app/v10/pkg/app"
)

// Timing of the work loops.
const (
	sliceBudget    = 8 * time.Millisecond   // work per slice before the page gets the thread back
	slicePause     = time.Millisecond       // pause between slices outside the browser
	renderInterval = 100 * time.Millisecond // re-render the mounted view at most this often while working
	frameWait      = 10 * time.Millisecond  // longer than go-app's frame (1/120 s): see waitForFrame
)

// Session is the workbench's state shared by every view: the live run, the experiment and the
// forms. It outlives views, so a run keeps going while the user looks at another one.
//
// Go compiled to WebAssembly runs one goroutine at a time, but work loops yield between slices,
// so mu guards everything: views hold it while rendering and in event handlers, work loops while
// stepping.
type Session struct {
	mu        sync.Mutex
	view      app.Context // the mounted view, re-rendered as work progresses
	hasView   bool
	shownView bool // a view was shown before: later ones were navigated to
	// unsaved is what the page was last told about unsaved work (see markUnsavedWork).
	unsaved, unsavedTold bool
	jobs                 [jobKinds]job

	Run        RunState
	Experiment ExperimentState
	Sweep      SweepState
	Transfer   TransferState
	Review     ReviewState
	Store      Persistence
	Runs       RunsState
	LLM        LLMState
	LLMReview  LLMReviewState
	Intro      IntroState
}

// jobKind names one of the session's independent work loops.
type jobKind int

const (
	jobRun jobKind = iota
	jobExperiment
	jobReplay
	jobSweep
	jobTransfer
	jobKinds
)

// job is one work loop's bookkeeping: gen changes on every start and stop so a stale loop ends.
type job struct {
	gen     int
	running bool
}

// NewSession returns a session with the forms' defaults and a fresh run.
func NewSession() *Session {
	s := &Session{}
	s.Run.init()
	s.Experiment.init()
	s.Sweep.init()
	s.Transfer.init()
	s.Review.init()
	s.LLM.init()
	s.LLMReview.init()
	return s
}

// attach makes ctx's view the one re-rendered as work progresses. Views call it from OnMount. The
// first call also opens the saved database; the page is marked ready once that is done.
func (s *Session) attach(ctx app.Context) {
	s.mu.Lock()
	s.view, s.hasView = ctx, true
	booted := s.Store.booting
	s.Store.booting = true
	s.mu.Unlock()
	s.showView(ctx)
	if !booted {
		s.boot(ctx)
	} else {
		s.whenBooted(markReady)
	}
}

// handle wraps an event handler so it runs with the session locked.
func (s *Session) handle(f func(ctx app.Context)) app.EventHandler {
	return func(ctx app.Context, e app.Event) {
		s.mu.Lock()
		defer s.mu.Unlock()
		f(ctx)
	}
}

// handleEvent is handle for a handler that reads its event (a pointer's position).
func (s *Session) handleEvent(f func(ctx app.Context, e app.Event)) app.EventHandler {
	return func(ctx app.Context, e app.Event) {
		s.mu.Lock()
		defer s.mu.Unlock()
		f(ctx, e)
	}
}

// submit is handle for a form's submit event: the browser's own submission is prevented.
func (s *Session) submit(f func(ctx app.Context)) app.EventHandler {
	h := s.handle(f)
	return func(ctx app.Context, e app.Event) {
		e.PreventDefault()
		h(ctx, e)
	}
}

// bindValue sets *dst to the element's value, with the session locked.
func (s *Session) bindValue(dst *string) app.EventHandler {
	return s.handle(func(ctx app.Context) { *dst = ctx.JSSrc().Get("value").String() })
}

// notify re-renders the mounted view. The caller must not hold mu.
func (s *Session) notify() {
	s.mu.Lock()
	view, ok := s.view, s.hasView
	s.mu.Unlock()
	if ok {
		view.Update()
	}
}

// running reports whether a job of the kind is running. The caller holds mu.
func (s *Session) running(k jobKind) bool { return s.jobs[k].running }

// busy reports whether any job of the session is running, a sweep's or transfer's statistics
// included. The caller does not hold mu.
func (s *Session) busy() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	for k := range jobKinds {
		if s.running(k) {
			return true
		}
	}
	return s.Sweep.finishing || s.Transfer.finishing
}

// stop ends the job of the kind. The caller holds mu.
func (s *Session) stop(k jobKind) {
	s.jobs[k].running = false
	s.jobs[k].gen++
}

// start runs work in slices until it reports done or an error, or the job is stopped. slice is
// called with mu held and must return by deadline, having done a small unit of work at least. The
// caller holds mu. finish (if not nil) is called with mu held when the job ends by itself, with
// the error if any; after each slice, afterSlice (if not nil) is called with mu held.
func (s *Session) start(ctx app.Context, k jobKind, slice func(deadline time.Time) (done bool, err error), finish func(error)) {
	s.stop(k)
	s.jobs[k].running = true
	gen := s.jobs[k].gen
	ctx.Async(func() {
		// The first slice waits for the browser too: the event that started the job has been
		// handled and shown by then, rather than all in one task.
		yieldToBrowser()
		last := time.Now()
		for {
			s.mu.Lock()
			if s.jobs[k].gen != gen {
				s.mu.Unlock()
				return
			}
			done, err := slice(time.Now().Add(sliceBudget))
			if done || err != nil {
				s.stop(k)
				if finish != nil {
					finish(err)
				}
			}
			s.afterSlice(ctx)
			view, ok := s.view, s.hasView
			s.mu.Unlock()
			if ok && (done || err != nil || time.Since(last) >= renderInterval) {
				// The view renders in a task of its own, not on top of the slice's.
				yieldToBrowser()
				last = time.Now()
				view.Update()
			}
			if done || err != nil {
				return
			}
			yieldToBrowser()
		}
	})
}

// steps adapts a one-unit step function to a slice: as many units as fit before deadline.
func steps(step func() (bool, error)) func(time.Time) (bool, error) {
	return func(deadline time.Time) (bool, error) {
		for {
			done, err := step()
			if done || err != nil || !time.Now().Before(deadline) {
				return done, err
			}
		}
	}
}

// waitForFrame lets go-app draw a view that was just updated before more work starts. go-app draws
// on its own frame timer (120 frames a second); had work been running when that timer was due,
// the drawing would have been added to the work's task, and the page would stall for both. In a
// hidden page, whose timers browsers slow to one a second, it does not wait (nothing is drawn
// there anyway).
func waitForFrame() {
	if !app.IsClient || app.Window().Get("document").Get("hidden").Bool() {
		return
	}
	time.Sleep(frameWait)
	// A long drawing ends after the sleep: this goroutine would go on in the drawing's task.
	yieldToBrowser()
}

// drawLater is how a just-finished result is drawn in two tasks: shown with *later set (its
// views leave that part out), then, once the browser has drawn the rest, *later is cleared and the
// view drawn again. It waits for the browser, so it runs on its own goroutine; the caller does
// not hold mu.
func (s *Session) drawLater(later *bool) {
	waitForFrame()
	s.mu.Lock()
	*later = false
	s.mu.Unlock()
	s.notify()
}
