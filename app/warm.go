package ui

import (
	"context"
	"encoding/json"
	"time"

	"hyperagents/engine"
	"hyperagents/store"
)

// warmLab does, after start and one small task at a time, the one-time work that a first sweep or
// transfer would otherwise do in one piece while the page waits (tens of milliseconds to a hundred
// each under WebAssembly, seen in profiles of the page): building encoding/json's encoders for the
// summary types (reflection, from the innermost type out); building each domain once (the engine
// keeps the shipped tables' domains for the page's lifetime, see engine.LookupDomain, so every job
// after uses these); and a few iterations of a run on it
// (Chromium compiles WebAssembly functions on their first call); then a short saved run (warmStore).
// Between tasks it waits while any job of the session runs, so it never slows the person's own work.
func (s *Session) warmLab() {
	pause := func() {
		yieldToBrowser()
		for s.busy() {
			time.Sleep(warmWait)
		}
	}
	for _, v := range []any{engine.SpecCondition{}, engine.Spec{}, engine.CondStat{}, engine.Comparison{}, engine.Result{}, engine.SweepSummary{}} {
		json.Marshal(v)
		pause()
	}
	for _, name := range engine.DomainFamilies {
		d, err := engine.LookupDomain(name)
		pause()
		if err != nil {
			continue
		}
		w, err := engine.New(engine.Config{Flavour: engine.DefaultFlavour(d), Meta: engine.MetaEvolve, Selection: d.Info().Selection}, d)
		for i := 0; err == nil && i < 5; i++ {
			pause()
			err = w.RunN(context.Background(), 1, nil)
		}
		pause()
	}
	warmStore(pause)
}

// warmStore saves a short scratch run (warmStoreSlices × warmStoreBatch iterations) to a scratch
// database that is then dropped, one small task per slice, calling pause before each. Chromium
// runs WebAssembly functions from quickly made code at first and optimises a function only once it
// has run for a while, and SQLite's functions are large: without this, the first run a person
// saves pays for that. Measured (nine pairs of fresh pages, a saved 1,000-iteration run 10 s after
// load): 1,080–1,732 ms without, 678–1,194 ms with; 250 slices instead of 100 were no better.
func warmStore(pause func()) {
	db, err := store.New()
	if err != nil {
		return
	}
	defer db.Close()
	d, err := engine.LookupDomain(engine.CodeReviewName)
	if err != nil {
		return
	}
	r, err := engine.New(engine.Config{}, d)
	id := store.NewID()
	for i := 0; err == nil && i < warmStoreSlices; i++ {
		pause()
		if err = r.RunN(context.Background(), warmStoreBatch, nil); err != nil {
			return
		}
		if i == 0 {
			err = db.CreateRun(id, "warm-up", time.Time{}, r)
		} else {
			_, err = db.Append(id, r)
		}
	}
}

// The scratch run of warmStore: warmStoreSlices tasks of warmStoreBatch iterations each; and how
// often the warm-up looks again whether a job still runs.
const (
	warmStoreSlices = 100
	warmStoreBatch  = 5
	warmWait        = 200 * time.Millisecond
)
