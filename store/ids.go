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

// DefaultName is a run's name until someone renames it: "mode · flavour · seed N".
func DefaultName(c engine.Config) string {
	return fmt.Sprintf("%s · %s · seed %d", c.Mode, c.Flavour, c.Seed)
}
