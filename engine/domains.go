package engine

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
)

// DomainFamilies lists the domain families in the order listings show them.
var DomainFamilies = []string{CodeReviewName, "wine", "breast_cancer", "digits", "digits10", "hidden", "maze"}

// DefaultHiddenTask is the task seed of "hidden" written without one.
const DefaultHiddenTask = 1

// ErrDomain is wrapped by every error naming a domain that does not exist.
var ErrDomain = errors.New("engine: unknown domain")

// LookupDomain builds the domain a name describes: FAMILY[:TASK SEED][@SPLIT SEED], e.g. "wine",
// "digits@3" (another split), "hidden:42" (another task). Only hidden takes a task seed; code_review
// has one fixed split. Names that [Domain.Name] returns read back to the same domain. The shipped
// tables with their default split are built once and shared (see [sharedDataset]).
func LookupDomain(name string) (Domain, error) {
	family, rest, hasSplit := strings.Cut(name, "@")
	var split uint64 = DefaultSplitSeed
	if hasSplit {
		v, err := strconv.ParseUint(rest, 10, 64)
		if err != nil || v > MaxSeed {
			return nil, fmt.Errorf("%w %q: the split seed after @ must be a whole number from 0 to %d", ErrDomain, name, uint64(MaxSeed))
		}
		split = v
	}
	family, taskStr, hasTask := strings.Cut(family, ":")
	if hasTask && family != "hidden" {
		return nil, fmt.Errorf("%w %q: only hidden takes a task seed (hidden:<task seed>)", ErrDomain, name)
	}
	switch family {
	case CodeReviewName, "code-review":
		if hasSplit {
			return nil, fmt.Errorf("%w %q: code_review has one fixed split", ErrDomain, name)
		}
		return NewCodeReview()
	case "wine":
		return datasetFor("wine", split, NewWine)
	case "breast_cancer":
		return datasetFor("breast_cancer", split, NewBreastCancer)
	case "digits":
		return datasetFor("digits", split, NewDigits)
	case "digits10":
		return datasetFor("digits10", split, NewDigits10)
	case "hidden":
		var task uint64 = DefaultHiddenTask
		if hasTask {
			v, err := strconv.ParseUint(taskStr, 10, 64)
			if err != nil || v > MaxSeed {
				return nil, fmt.Errorf("%w %q: the task seed after hidden: must be a whole number from 0 to %d", ErrDomain, name, uint64(MaxSeed))
			}
			task = v
		}
		return NewHidden(task, split), nil
	case "maze":
		return NewMaze(split), nil
	}
	return nil, fmt.Errorf("%w %q (want one of %s; hidden takes a task seed, hidden:7; any but code_review a split seed, wine@3)",
		ErrDomain, name, strings.Join(DomainFamilies, ", "))
}

// datasetFor is a shipped table's domain: the shared value for the default split, a new one for
// another.
func datasetFor(family string, split uint64, build func(uint64) (Labelled, error)) (Domain, error) {
	if split != DefaultSplitSeed {
		return build(split)
	}
	return sharedDataset(family, build)
}

// sharedDatasets holds the shipped tables' domains with their default split, built on first use
// and kept for the process's life, like the parsed tables themselves. A domain value never
// changes, so every run, sweep and transfer can share one, and with it the examples by column
// that its runs lay out once ([columnsOf]). Building digits costs ~10 ms natively and several
// times that in WebAssembly, which starting a sweep in the page paid every time.
var sharedDatasets struct {
	mu sync.Mutex
	m  map[string]Labelled
}

// sharedDataset returns family's shared domain, building it with build the first time.
func sharedDataset(family string, build func(uint64) (Labelled, error)) (Labelled, error) {
	sharedDatasets.mu.Lock()
	defer sharedDatasets.mu.Unlock()
	if d, ok := sharedDatasets.m[family]; ok {
		return d, nil
	}
	d, err := build(DefaultSplitSeed)
	if err != nil {
		return nil, err
	}
	if sharedDatasets.m == nil {
		sharedDatasets.m = map[string]Labelled{}
	}
	sharedDatasets.m[family] = d
	return d, nil
}

// WithSplit returns the name of family's domain with another split seed.
func WithSplit(name string, split uint64) string {
	base, _, _ := strings.Cut(name, "@")
	if split == DefaultSplitSeed {
		return base
	}
	return base + "@" + strconv.FormatUint(split, 10)
}
