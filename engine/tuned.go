package engine

// tunedEntry is a domain family's tuned knobs and the domain they were tuned on.
type tunedEntry struct {
	on    string
	knobs KnobValues
}

// tunedKnobs are the winners of `hyperagents tune --domain D` (the procedure in tune.go) per
// domain family, pasted here on 2026-11-29 before the first sweep was run. Rerun it after any
// change that alters runs and paste the new winners. Every domain family is tuned on its default
// task and split.
var tunedKnobs = map[string]tunedEntry{
	"wine":          {"wine", KnobValues{0.005, 0.1, 1, 0.1, 0.25, 0.5}},
	"breast_cancer": {"breast_cancer", KnobValues{0.02, 0.1, 1, 0.1, 0.25, 0.5}},
	"digits":        {"digits", KnobValues{0.005, 2, 1, 0.5, 0.25, 0.5}},
	"hidden":        {"hidden:1", KnobValues{0.005, 2, 1, 0.5, 0.25, 0.5}},
	"maze":          {"maze", KnobValues{0.3, 0.5, 1, 0.001, 0.25, 0.5}},
}
