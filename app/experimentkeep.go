package ui

import (
	"encoding/json"

	"github.com/maxence-charriere/go-app/v10/pkg/app"
)

// experimentKey is the localStorage key of the last finished experiment's settings.
const experimentKey = "hyperagents.lastExperiment"

// keptExperiment is the settings of the last finished experiment: what a reload needs to show its
// results again (an experiment is deterministic, so re-running its settings gives the same rows).
type keptExperiment struct {
	Flavour    string `json:"flavour"`
	Conditions []bool `json:"conditions"`
	Seeds      string `json:"seeds"`
	Iterations string `json:"iterations"`
}

// keep remembers the form's settings of a finished experiment. The caller holds s.mu.
func (x *ExperimentState) keep() {
	if !app.IsClient {
		return
	}
	b, err := json.Marshal(keptExperiment{x.Flavour, x.Conditions, x.SeedsIn, x.ItersIn})
	if err == nil {
		localSet(experimentKey, string(b))
	}
}

// restoreExperiment shows the last finished experiment again after a reload, by re-running its settings,
// once per page load. The caller holds s.mu.
func (s *Session) restoreExperiment(ctx app.Context) {
	x := &s.Experiment
	if x.restoreTried || !app.IsClient {
		return
	}
	x.restoreTried = true
	if x.result != nil || s.running(jobExperiment) {
		return
	}
	raw := localGet(experimentKey)
	if raw == "" {
		return
	}
	var k keptExperiment
	if err := json.Unmarshal([]byte(raw), &k); err != nil || len(k.Conditions) != len(x.Conditions) {
		x.Err = "The last experiment's settings kept in this browser could not be read; run it again."
		return
	}
	x.Flavour, x.SeedsIn, x.ItersIn = k.Flavour, k.Seeds, k.Iterations
	copy(x.Conditions, k.Conditions)
	s.startExperiment(ctx, s.Run.codeReview())
	x.Restored = true
}
