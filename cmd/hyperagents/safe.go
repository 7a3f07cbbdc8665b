package main

import (
	"fmt"
	"strings"
	"unicode"

	"hyperagents/store"
)

// safe makes text from a file or the network fit to print on a terminal: control characters (C0,
// DEL, C1, line breaks included) and the Unicode controls that reorder or hide text (bidi
// embeddings, overrides and isolates, directional marks) are written as \u escapes, so nothing
// printed can move the cursor, change colours, clear the screen or display in another order
// than it is stored.
func safe(s string) string { return escape(s, false) }

// safeLines is safe keeping line breaks and tabs: for this program's own multi-line messages that
// quote text from files.
func safeLines(s string) string { return escape(s, true) }

func escape(s string, keepLines bool) string {
	if strings.IndexFunc(s, func(r rune) bool { return unsafeRune(r, keepLines) }) < 0 {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		if unsafeRune(r, keepLines) {
			fmt.Fprintf(&b, `\u%04x`, r)
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

func unsafeRune(r rune, keepLines bool) bool {
	if keepLines && (r == '\n' || r == '\t') {
		return false
	}
	return unicode.IsControl(r) || store.IsBidi(r)
}
