package engine

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// DomainFamilies lists the domain families in the order listings show them.
var DomainFamilies = []string{CodeReviewName, "wine", "breast_cancer", "digits", "digits10", "hidden", "maze"}

// DefaultHiddenTask is the task seed of "hidden" written without one.
const DefaultHiddenTask = 1

// ErrDomain is wrapped by every error naming a domain that does not exist.
var ErrDomain = errors.New("engine: unknown domain")

// LookupDomain builds the domain a name describes: FAMILY[:TASK SEED][@SPLIT SEED], e.g. "wine",
// "digits@3" (another split), "hidden:42" (another task). Only hidden takes a task seed; code_review
// has one fixed split. Names that [Domain.Name] returns read back to the same domain.
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
		return NewWine(split)
	case "breast_cancer":
		return NewBreastCancer(split)
	case "digits":
		return NewDigits(split)
	case "digits10":
		return NewDigits10(split)
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

// WithSplit returns the name of family's domain with another split seed.
func WithSplit(name string, split uint64) string {
	base, _, _ := strings.Cut(name, "@")
	if split == DefaultSplitSeed {
		return base
	}
	return base + "@" + strconv.FormatUint(split, 10)
}
