package ui

import (
	"sync"
	"time"

	"github.com/maxence-charriere/go-app/v10/pkg/app"
)

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
	turns.wait()
}

// turns is the page's one channel for yieldToBrowser, made on first use.
var turns turnChannel

// turnChannel hands the thread to the browser and back through one MessageChannel kept for the
// page's lifetime. A channel made for every yield cost more than the yield itself: profiles of
// a transfer in the page showed `new MessageChannel` and the browser's own work of setting up and
// closing its ports as a large part of the main thread's long tasks.
type turnChannel struct {
	mu      sync.Mutex
	port    app.Value // the sending end; the other end's onmessage wakes the first waiter
	waiters []chan struct{}
	onMsg   app.Func
}

// wait posts a message to the channel and returns once it has been delivered: each message wakes
// the waiter that posted it, in order.
func (c *turnChannel) wait() {
	done := make(chan struct{})
	c.mu.Lock()
	if c.onMsg == nil {
		ch := app.Window().Get("MessageChannel").New()
		c.onMsg = app.FuncOf(func(app.Value, []app.Value) any {
			c.mu.Lock()
			w := c.waiters[0]
			c.waiters = c.waiters[1:]
			c.mu.Unlock()
			close(w)
			return nil
		})
		ch.Get("port1").Set("onmessage", c.onMsg)
		c.port = ch.Get("port2")
	}
	c.waiters = append(c.waiters, done)
	c.mu.Unlock()
	c.port.Call("postMessage", 0)
	<-done
}
