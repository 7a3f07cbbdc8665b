package store

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"

	"hyperagents/engine"
)

// NewID makes a run id: 16 random hex digits (well-formed for [CheckID]).
func NewID() string {
	b := make([]byte, 8)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// DefaultName is a run's name until someone renames it: "condition · flavour · seed N", with the
// domain in front when it is not code_review.
func DefaultName(c engine.Config, domain string) string {
	name := fmt.Sprintf("%s · %s · seed %d", c.ConditionName(), c.Flavour, c.Seed)
	if domain != engine.CodeReviewName {
		name = domain + " · " + name
	}
	return name
}
