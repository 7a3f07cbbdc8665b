package ui

import (
	"errors"
	"fmt"
	"time"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"hyperagents/engine"
	"hyperagents/store"
)

// Timing of saves to browser storage.
const (
	snapshotInterval = 3 * time.Second // during a run, save the database at most this often
	currentRunKey    = "hyperagents.current-run"
	noSaveKey        = "hyperagents.no-save"
)

// Persistence is the session's database and how saving it to the browser goes. The database lives
// in memory (SQLite); runs are written to it as they go, and the whole file is saved to IndexedDB
// when a run stops, every few seconds during a run, and when the page is hidden.
type Persistence struct {
	ReadOnly bool // another tab holds the write lock
	// leaveStored: what browser storage holds could not be read, so this session never writes
	// over it; runs are kept in memory (and can be exported).
	leaveStored bool
	Msg         string // a problem opening the database, "" when all is well
	SaveErr     string // a problem with the last save, cleared by the next good one
	Quota       bool   // the last save failed for lack of space

	// NoSave is the user's choice not to save new runs (saving costs far more than stepping).
	NoSave bool

	db       *store.DB
	unsaved  *engine.Run // a run started while NoSave was set: never saved
	booting  bool        // boot has started
	booted   bool        // boot has finished
	onBoot   []func()
	runID    string      // database id of the live run
	savedRun *engine.Run // the run runID belongs to
	dirty    bool        // the database changed since the last save
	saving   bool
	lastSave time.Time
	putSeq   int // the saves' generation: how many saves were made on hiding or leaving the page
	savedAt  int // the live run's iterations in the last completed save
	batch    int // iterations per run slice while saving, adapted to the cost of saving

	// stored is what browser storage holds (saved in parts), so a save writes only the parts
	// that differ from it; nil when unknown, and then a save writes every part.
	stored []byte

	// Figures for people (and the browser benchmark): the last save's times, the database's
	// size and how much of it the last save wrote.
	LoadMS, SerializeMS, PutMS float64
	Bytes, PutBytes            int
}

// writable reports whether runs are saved: the database is open and this tab may write.
func (p *Persistence) writable() bool { return p.db != nil && !p.ReadOnly }

// adapt sets the batch size so a slice of stepping and saving takes about a slice budget.
func (p *Persistence) adapt(n int, took time.Duration) {
	if n <= 0 {
		return
	}
	per := took / time.Duration(n)
	if per <= 0 {
		p.batch = 1000
		return
	}
	p.batch = max(5, min(1000, int(sliceBudget/per)))
}

// whenBooted runs f once the database is open (at once if it is).
func (s *Session) whenBooted(f func()) {
	s.mu.Lock()
	if !s.Store.booted {
		s.Store.onBoot = append(s.Store.onBoot, f)
		s.mu.Unlock()
		return
	}
	s.mu.Unlock()
	f()
}

// boot takes the write lock (or goes read-only), opens the database saved in the browser and
// reopens the run that was live, then marks the page ready. Outside the browser it only marks
// the session booted.
func (s *Session) boot(ctx app.Context) {
	if !app.IsClient {
		s.mu.Lock()
		s.Store.booted = true
		s.mu.Unlock()
		return
	}
	ctx.Async(func() {
		writer := acquireWriteLock()
		t0 := time.Now()
		data, parts, err := storageGetParts(storageKey)
		var db *store.DB
		var msg string
		leave := false // never write over what storage holds
		switch {
		case err != nil:
			// Unavailable, or a database saved in parts that is damaged: either way this session
			// must not write over what is there.
			msg = fmt.Sprintf("The database in browser storage could not be read (%v). It is left as it is; this session keeps runs in memory only: export them to keep them.", err)
			leave = true
		case data != nil:
			db, err = store.LoadSaved(data)
			if err != nil {
				backup := fmt.Sprintf("%s.unreadable-%d", storageKey, time.Now().Unix())
				msg = fmt.Sprintf("The saved database could not be read (%v). ", err)
				if writer && storagePut(backup, data) == nil {
					msg += fmt.Sprintf("It is kept in browser storage as %q; this session starts an empty one.", backup)
				} else {
					msg += "It is left as it was; this session works in memory."
					leave = true
				}
			}
		}
		if db == nil {
			if db, err = store.New(); err != nil {
				msg = "SQLite failed to start: " + err.Error()
			}
		}
		loadMS := float64(time.Since(t0).Microseconds()) / 1000
		if writer && db != nil {
			go requestPersistence()
		}

		s.mu.Lock()
		p := &s.Store
		p.db, p.ReadOnly, p.Msg, p.LoadMS, p.Bytes = db, !writer, msg, loadMS, len(data)
		p.leaveStored = leave
		if parts && db != nil && msg == "" {
			p.stored = data
		}
		p.NoSave = localGet(noSaveKey) == "1"
		p.batch = 50
		if db != nil && p.Msg == "" {
			s.reopenCurrent()
		}
		p.booted = true
		waiting := p.onBoot
		p.onBoot = nil
		s.mu.Unlock()
		if app.IsClient {
			hookPageHide(s)
			go s.warmLab()
		}
		markReady()
		for _, f := range waiting {
			f()
		}
		s.notify()
	})
}

// reopenCurrent makes the run that was live before the reload live again, unless the user has
// already started another. The caller holds mu.
func (s *Session) reopenCurrent() {
	id := localGet(currentRunKey)
	if id == "" || s.running(jobRun) || (s.Run.run != nil && s.Run.run.Iterations() > 0) {
		return
	}
	if err := s.openRun(id); err != nil && !errors.Is(err, store.ErrNoRun) {
		s.Store.Msg = "The last run could not be reopened: " + err.Error()
	}
}

// openRun makes saved run id the live run, with the overview's form set to its configuration.
// The caller holds mu.
func (s *Session) openRun(id string) error {
	s.stop(jobRun)
	r, ri, err := s.Store.db.Open(id)
	if err != nil {
		return err
	}
	s.Run.run = r
	s.Run.domains[ri.Domain] = r.Domain()
	s.Run.Domain, s.Run.Flavour, s.Run.SeedIn = ri.Domain, ri.Config.Flavour.String(), fmt.Sprint(ri.Config.Seed)
	s.Run.Meta, s.Run.Selection = ri.Config.Meta.String(), ri.Config.Selection.String()
	s.Run.SeedErr, s.Run.ItersErr, s.Run.Err = "", "", ""
	s.Store.runID, s.Store.savedRun, s.Store.savedAt = id, r, r.Iterations()
	s.LLM.forRun(r)
	if ts, err := s.Store.db.Transcripts(id); err == nil {
		for _, t := range ts {
			s.LLM.log[t.Iteration] = t
			s.LLM.tokens += t.PromptTokens + t.CompletionTokens
			s.LLM.calls++
		}
	}
	if !s.Store.ReadOnly {
		localSet(currentRunKey, id)
	}
	return nil
}

// saveRun writes the live run's new iterations to the database, creating its row on its first
// iteration. The caller holds mu.
func (s *Session) saveRun() {
	p, run := &s.Store, s.Run.run
	if !p.writable() || run == nil || run.Iterations() == 0 || run == p.unsaved {
		return
	}
	var ts []store.Transcript
	if s.LLM.run == run {
		ts = s.LLM.pending
	}
	var err error
	wrote := 1 // a new run's row, or the iterations Append wrote
	if p.savedRun != run {
		id := store.NewID()
		if err = p.db.CreateRun(id, store.DefaultName(run.Config(), run.Domain().Name()), time.Now(), run, ts...); err == nil {
			p.runID, p.savedRun, p.savedAt = id, run, 0
			localSet(currentRunKey, id)
		}
	} else {
		wrote, err = p.db.Append(p.runID, run, ts...)
	}
	if err != nil {
		p.SaveErr = "Saving the run failed: " + err.Error()
		return
	}
	if s.LLM.run == run {
		s.LLM.pending = nil
	}
	// No new iterations, nothing to save: hiding the tab of a saved run then writes nothing.
	if wrote > 0 {
		p.dirty = true
	}
}

// snapshot saves the database to browser storage if it changed: at once when force is set,
// otherwise at most every snapshotInterval. Serializing happens here; the write to IndexedDB on a
// goroutine. The caller holds mu.
func (s *Session) snapshot(ctx app.Context, force bool) {
	p := &s.Store
	if !p.writable() || p.leaveStored || !p.dirty || p.saving || !app.IsClient {
		return
	}
	if !force && time.Since(p.lastSave) < snapshotInterval {
		return
	}
	t0 := time.Now()
	data, err := p.db.Bytes()
	if err != nil {
		p.SaveErr = "Saving failed: " + err.Error()
		return
	}
	p.SerializeMS = float64(time.Since(t0).Microseconds()) / 1000
	p.saving, p.dirty = true, false
	iters := 0
	if s.Run.run != nil && p.savedRun == s.Run.run {
		iters = s.Run.run.Iterations()
	}
	prev, seq := p.stored, p.putSeq
	ctx.Async(func() {
		t1 := time.Now()
		n, err := storagePutParts(storageKey, data, prev, seq)
		s.mu.Lock()
		p.saving = false
		p.PutMS = float64(time.Since(t1).Microseconds()) / 1000
		if err == nil && seq == p.putSeq {
			p.stored = data // unless a save on hiding the page came between
		}
		superseded := errors.Is(err, errSuperseded)
		switch {
		case superseded:
			// The save made as the page was hidden wrote newer data: nothing to report.
		case errors.Is(err, errQuota):
			p.Quota, p.dirty = true, true
			p.SaveErr = "The browser's storage is full: runs go on in memory but are not saved. Export the database to keep them, or delete runs."
		case err != nil:
			p.dirty = true
			p.SaveErr = "Saving to browser storage failed: " + err.Error()
		default:
			p.Quota, p.Bytes, p.lastSave, p.SaveErr = false, len(data), time.Now(), ""
			p.PutBytes = n
			if iters > 0 {
				p.savedAt = iters
			}
		}
		again := p.dirty && (err == nil || superseded) && !s.running(jobRun)
		s.mu.Unlock()
		if again {
			s.mu.Lock()
			s.snapshot(ctx, true)
			s.mu.Unlock()
		}
		s.notify()
	})
}

// afterSlice runs after every slice of work: saves the database now and then. The caller holds mu.
func (s *Session) afterSlice(ctx app.Context) { s.snapshot(ctx, false) }

// hookPageHide saves the database when the page is hidden or left (saveOnHide). The handler runs
// inside a browser event, where Go must not wait.
func hookPageHide(s *Session) {
	save := app.FuncOf(func(_ app.Value, args []app.Value) any {
		leaving := len(args) > 0 && args[0].Get("type").String() == "pagehide"
		if !leaving && app.Window().Get("document").Get("visibilityState").String() == "visible" {
			return nil
		}
		if !s.mu.TryLock() {
			return nil
		}
		defer s.mu.Unlock()
		s.saveOnHide()
		return nil
	})
	app.Window().Call("addEventListener", "pagehide", save)
	app.Window().Get("document").Call("addEventListener", "visibilitychange", save)
}

// saveOnHide serializes the database and starts its IndexedDB write without waiting, if it
// changed or a save is still on its way (one that copies the database to JavaScript in slices
// may not have reached IndexedDB yet, and a page being left runs no more of them). The caller
// holds mu.
//
// The save is a new generation: a save still on its way holds older data and is dropped when it
// gets to storage. With none on its way storage holds p.stored, and only the parts that differ
// are written (a small change to a large database costs a few parts, and a page being left has
// little time). Until this save is heard back from, what storage holds is not known.
func (s *Session) saveOnHide() {
	p := &s.Store
	s.saveRun()
	if !p.writable() || p.leaveStored || !(p.dirty || p.saving) {
		return
	}
	data, err := p.db.Bytes()
	if err != nil {
		return
	}
	prev := p.stored
	if p.saving {
		prev = nil
	}
	p.stored, p.putSeq = nil, p.putSeq+1
	gen := p.putSeq
	landed := storagePutPartsNow(storageKey, data, prev, gen)
	p.dirty = false
	go func() {
		if !landed() {
			return
		}
		s.mu.Lock()
		defer s.mu.Unlock()
		// Unless a save began or was asked for since (it writes every part, as p.stored is nil,
		// and knows what it leaves).
		if p.putSeq == gen && p.stored == nil && !p.saving {
			p.stored = data
		}
	}()
}

// markUnsaved remembers that the live run is not to be saved, when saving is off and the run has
// not been saved yet. The caller holds mu.
func (s *Session) markUnsaved() {
	p := &s.Store
	if p.NoSave && p.savedRun != s.Run.run {
		p.unsaved = s.Run.run
	}
}

// saveNow saves a run that was started with saving off: every iteration so far at once, then the
// rest as the run goes on. The caller holds mu.
func (s *Session) saveNow(ctx app.Context) {
	p := &s.Store
	if p.unsaved != s.Run.run || !p.writable() {
		return
	}
	p.unsaved = nil
	s.saveRun()
	s.snapshot(ctx, true)
}

// setNoSave records the choice to save new runs or not. The caller holds mu.
func (s *Session) setNoSave(off bool) {
	s.Store.NoSave = off
	if app.IsClient {
		localSet(noSaveKey, map[bool]string{true: "1", false: ""}[off])
	}
}
