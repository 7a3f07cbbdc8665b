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
)

// Session is the workbench's state shared by every view: the live run, the experiment and the
// forms. It outlives views, so a run keeps going while the user looks at another one.
//
// Go compiled to WebAssembly runs one goroutine at a time, but work loops yield between slices,
// so mu guards everything: views hold it while rendering and in event handlers, work loops while
// stepping.
type Session struct {
	mu      sync.Mutex
	view    app.Context // the mounted view, re-rendered as work progresses
	hasView bool
	jobs    [jobKinds]job

	Run        RunState
	Experiment ExperimentState
	Review     ReviewState
}

// jobKind names one of the session's independent work loops.
type jobKind int

const (
	jobRun jobKind = iota
	jobExperiment
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
	s.Review.init()
	return s
}

// attach makes ctx's view the one re-rendered as work progresses. Views call it from OnMount.
func (s *Session) attach(ctx app.Context) {
	s.mu.Lock()
	s.view, s.hasView = ctx, true
	s.mu.Unlock()
	markReady()
}

// running reports whether a job of the kind is running. The caller holds mu.
func (s *Session) running(k jobKind) bool { return s.jobs[k].running }

// stop ends the job of the kind. The caller holds mu.
func (s *Session) stop(k jobKind) {
	s.jobs[k].running = false
	s.jobs[k].gen++
}

// start runs step in slices until it reports done or an error, or the job is stopped. step is
// called with mu held; it must do a small unit of work. The caller holds mu. finish (if not nil)
// is called with mu held when the job ends by itself, with step's error if any.
func (s *Session) start(ctx app.Context, k jobKind, step func() (done bool, err error), finish func(error)) {
	s.stop(k)
	s.jobs[k].running = true
	gen := s.jobs[k].gen
	ctx.Async(func() {
		last := time.Now()
		for {
			s.mu.Lock()
			if s.jobs[k].gen != gen {
				s.mu.Unlock()
				return
			}
			deadline := time.Now().Add(sliceBudget)
			var done bool
			var err error
			for !done && err == nil && time.Now().Before(deadline) {
				done, err = step()
			}
			if done || err != nil {
				s.stop(k)
				if finish != nil {
					finish(err)
				}
			}
			view, ok := s.view, s.hasView
			s.mu.Unlock()
			if ok && (done || err != nil || time.Since(last) >= renderInterval) {
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

// yieldToBrowser returns after the browser has run its event loop once (input, rendering, timers).
// A plain time.Sleep is not enough: Go's scheduler hands the thread back to the browser only when
// no goroutine is runnable, so when a render takes longer than the sleep, the work loop would run
// again at once and the page would stall for a render plus a slice. It waits for a MessageChannel
// message rather than a timer because browsers throttle timers in background tabs to one a second,
// which would all but stop a run the user left running in another tab.
func yieldToBrowser() {
	if !app.IsClient {
		time.Sleep(slicePause)
		return
	}
	done := make(chan struct{})
	f := app.FuncOf(func(app.Value, []app.Value) any {
		close(done)
		return nil
	})
	ch := app.Window().Get("MessageChannel").New()
	ch.Get("port1").Set("onmessage", f)
	ch.Get("port2").Call("postMessage", 0)
	<-done
	ch.Get("port1").Call("close")
	f.Release()
}
