package chart

import (
	"context"
	"strings"
	"testing"

	"hyperagents/engine"
)

// TestPictures draws the digits' heat maps (one 8×8 grid per output) and the maze's walls and
// trajectories (one per start pose), and finds no picture for the other domains.
func TestPictures(t *testing.T) {
	for _, tt := range []struct {
		domain string
		rects  int // cells plus frames plus the background
		lines  int // walls
		paths  int
	}{{"digits", 64 + 1 + 1, 0, 0}, {"digits10", 10*64 + 10 + 1, 0, 0}, {"maze", 1 + 3, 7, 7}} {
		d, err := engine.LookupDomain(tt.domain)
		if err != nil {
			t.Fatal(err)
		}
		r, _ := engine.New(engine.Config{Flavour: engine.FlavourAdaptive, Meta: engine.MetaTuned, Seed: 1}, d)
		r.RunN(context.Background(), 40, nil)
		svg, ok := Picture(d, &r.Best().Agent)
		if !ok {
			t.Fatalf("%s: no picture", tt.domain)
		}
		n := wellFormed(t, svg)
		if n["rect"] != tt.rects || n["line"] != tt.lines || n["polyline"] != tt.paths {
			t.Errorf("%s: %d rects, %d lines, %d paths; want %d, %d, %d", tt.domain, n["rect"], n["line"], n["polyline"], tt.rects, tt.lines, tt.paths)
		}
		if tt.domain == "maze" && (strings.Count(svg, `data-split="train"`) != 1 || strings.Count(svg, `data-split="test"`) != 3) {
			t.Errorf("maze: paths by split wrong")
		}
	}
	for _, name := range []string{"wine", "hidden", "breast_cancer", "code_review"} {
		d, _ := engine.LookupDomain(name)
		a := d.Seed()
		if _, ok := Picture(d, &a); ok {
			t.Errorf("%s has a picture", name)
		}
	}
}
