package engine

import (
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"testing"
)

// TestWilcoxonMatchesScipy compares [Wilcoxon] with the p-values scipy.stats.wilcoxon gave for the
// same pairs (testdata/wilcoxon: the script that made them and scipy's version are kept there):
// exact and approximate, ties, zeros, n = 50 and 51, all-zero differences (no p).
func TestWilcoxonMatchesScipy(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("testdata", "wilcoxon", "wilcoxon.json"))
	if err != nil {
		t.Fatal(err)
	}
	var fx struct {
		Scipy string `json:"scipy"`
		Cases []struct {
			Name string    `json:"name"`
			X    []float64 `json:"x"`
			Y    []float64 `json:"y"`
			P    *float64  `json:"p"`
		} `json:"cases"`
	}
	if err := json.Unmarshal(data, &fx); err != nil {
		t.Fatal(err)
	}
	if fx.Scipy == "" || len(fx.Cases) < 30 {
		t.Fatalf("fixture from scipy %q with %d cases", fx.Scipy, len(fx.Cases))
	}
	for _, c := range fx.Cases {
		p, ok := Wilcoxon(c.X, c.Y)
		if c.P == nil {
			if ok {
				t.Errorf("%s: p = %v, scipy has none", c.Name, p)
			}
			continue
		}
		if !ok {
			t.Errorf("%s: no p, scipy %v", c.Name, *c.P)
			continue
		}
		if d := math.Abs(p - *c.P); d > 1e-9 || d > 1e-9**c.P {
			t.Errorf("%s: p = %.17g, scipy %.17g (scipy %s)", c.Name, p, *c.P, fx.Scipy)
		}
	}
}

// TestHolm checks the Holm adjustment on a worked example and its two guarantees: adjusted values
// are monotone in the raw ones and never below them; missing values stay out of the count.
func TestHolm(t *testing.T) {
	p := []float64{0.01, 0.04, 0.03, 0.5, 0}
	ok := []bool{true, true, true, true, false}
	got := Holm(p, ok)
	// m = 4; sorted 0.01, 0.03, 0.04, 0.5 → 0.04, 0.09, 0.09 (max with 0.08), 0.5.
	want := []float64{0.04, 0.09, 0.09, 0.5, 0}
	for i := range want {
		if math.Abs(got[i]-want[i]) > 1e-15 {
			t.Errorf("Holm[%d] = %v, want %v", i, got[i], want[i])
		}
	}
	for i := range p {
		for j := range p {
			if ok[i] && ok[j] && p[i] <= p[j] && got[i] > got[j] {
				t.Errorf("not monotone: p %v → %v, p %v → %v", p[i], got[i], p[j], got[j])
			}
		}
		if ok[i] && got[i] < p[i] {
			t.Errorf("adjusted %v below raw %v", got[i], p[i])
		}
	}
}
