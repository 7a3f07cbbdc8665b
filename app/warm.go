package ui

import (
	"context"
	"encoding/json"

	"hyperagents/engine"
)

// warmLab does, after start and one small task at a time, the one-time work that a first sweep or
// transfer would otherwise do in one piece while the page waits (tens of milliseconds to a hundred
// each under WebAssembly, seen in profiles of the page): building encoding/json's encoders for the
// summary types (reflection, from the innermost type out); building each domain once (parsing its
// shipped table, which is kept for the page's lifetime); and a few iterations of a run on it
// (Chromium compiles WebAssembly functions on their first call).
func warmLab() {
	for _, v := range []any{engine.SpecCondition{}, engine.Spec{}, engine.CondStat{}, engine.Comparison{}, engine.Result{}, engine.SweepSummary{}} {
		json.Marshal(v)
		yieldToBrowser()
	}
	for _, name := range engine.DomainFamilies {
		d, err := engine.LookupDomain(name)
		yieldToBrowser()
		if err != nil {
			continue
		}
		w, err := engine.New(engine.Config{Flavour: engine.DefaultFlavour(d), Meta: engine.MetaEvolve, Selection: d.Info().Selection}, d)
		for i := 0; err == nil && i < 5; i++ {
			yieldToBrowser()
			err = w.RunN(context.Background(), 1, nil)
		}
		yieldToBrowser()
	}
}
