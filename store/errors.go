package store

import "errors"

// Errors a caller can tell apart; messages wrap them with the details.
var (
	ErrNotDatabase = errors.New("not an SQLite database")
	ErrForeign     = errors.New("an SQLite database of another program, not a hyperagents file")
	ErrNewer       = errors.New("made by a newer version of hyperagents")
	ErrCorrupt     = errors.New("the database is damaged")
	ErrTooLarge    = errors.New("the file is too large")
	ErrNoRun       = errors.New("no such run")
	ErrDuplicate   = errors.New("a run with this id is already here")
	ErrBadName     = errors.New("invalid run name")
	ErrBadRun      = errors.New("the run's data does not check out")
	ErrNoSweep     = errors.New("no such sweep")
	ErrBadSweep    = errors.New("the sweep's data does not check out")
)
