package ui

import (
	"encoding/json"

	"hyperagents/engine"
)

// warmJSON builds encoding/json's encoders for the summary types before the first sweep or
// transfer needs them: under WebAssembly the first use costs ~100 ms of reflection in one piece,
// which stalled the page as a job finished. Here it is spread over small tasks after start, one
// type at a time from the innermost.
func warmJSON() {
	for _, v := range []any{engine.SpecCondition{}, engine.Spec{}, engine.CondStat{}, engine.Comparison{}, engine.Result{}, engine.SweepSummary{}} {
		json.Marshal(v)
		yieldToBrowser()
	}
}
