package engine

import (
	"math"
	"math/rand/v2"
	"testing"
)

// ulps is the distance between a and b in units in the last place.
func ulps(a, b float64) uint64 {
	x, y := math.Float64bits(a), math.Float64bits(b)
	if x > y {
		return x - y
	}
	return y - x
}

// TestPortableMathMatchesMath checks the portable exp and log against the math package within two
// ulps (amd64's assembly and the pure-Go algorithm differ by that much) over a wide range, and
// their special cases exactly.
func TestPortableMathMatchesMath(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for range 200_000 {
		x := (rng.Float64()*2 - 1) * 700
		if d := ulps(pexp(x), math.Exp(x)); d > 2 {
			t.Fatalf("pexp(%v) = %v, math.Exp = %v (%d ulps)", x, pexp(x), math.Exp(x), d)
		}
		y := math.Abs(x) * rng.Float64() * 1e3
		if y == 0 {
			continue
		}
		if d := ulps(plog(y), math.Log(y)); d > 2 {
			t.Fatalf("plog(%v) = %v, math.Log = %v (%d ulps)", y, plog(y), math.Log(y), d)
		}
	}
	for _, c := range []struct{ got, want float64 }{
		{pexp(0), 1}, {pexp(math.Inf(1)), math.Inf(1)}, {pexp(math.Inf(-1)), 0}, {pexp(1000), math.Inf(1)},
		{plog(1), 0}, {plog(0), math.Inf(-1)}, {plog(math.Inf(1)), math.Inf(1)},
	} {
		if c.got != c.want {
			t.Errorf("special case: got %v, want %v", c.got, c.want)
		}
	}
	if !math.IsNaN(plog(-1)) || !math.IsNaN(pexp(math.NaN())) {
		t.Error("NaN cases")
	}
}

// TestGaussianMoments checks the polar method's deviates have mean 0, variance 1 and normal tails.
func TestGaussianMoments(t *testing.T) {
	g := gaussian{rng: rand.New(rand.NewPCG(3, 4))}
	const n = 400_000
	sum, sq, tail := 0.0, 0.0, 0
	for range n {
		x := g.next()
		sum += x
		sq += x * x
		if math.Abs(x) > 1.96 {
			tail++
		}
	}
	mean, variance := sum/n, sq/n-(sum/n)*(sum/n)
	if math.Abs(mean) > 0.01 || math.Abs(variance-1) > 0.01 {
		t.Errorf("mean %v, variance %v; want 0 and 1", mean, variance)
	}
	if p := float64(tail) / n; math.Abs(p-0.05) > 0.003 {
		t.Errorf("P(|x| > 1.96) = %v, want 0.05", p)
	}
}

// TestPortableErfcMatchesMath checks perfc against math.Erfc within four ulps over the range the
// Wilcoxon test's z-scores reach (and beyond, to where erfc underflows), and its special cases.
func TestPortableErfcMatchesMath(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	for i := range 200_000 {
		x := rng.Float64() * 30
		if i%2 == 0 {
			x = rng.Float64() * 3 // where p-values live
		}
		if d := ulps(perfc(x), math.Erfc(x)); d > 4 {
			t.Fatalf("perfc(%v) = %v, math.Erfc = %v (%d ulps)", x, perfc(x), math.Erfc(x), d)
		}
	}
	for _, c := range []struct{ got, want float64 }{
		{perfc(0), 1}, {perfc(30), 0}, {perfc(math.Inf(1)), 0}, {perfc(-1), math.Erfc(-1)},
	} {
		if ulps(c.got, c.want) > 4 {
			t.Errorf("special case: got %v, want %v", c.got, c.want)
		}
	}
	if !math.IsNaN(perfc(math.NaN())) {
		t.Error("perfc(NaN) is not NaN")
	}
}
