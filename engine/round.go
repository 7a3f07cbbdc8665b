package engine

import (
	"math"
	"strconv"
)

var pow10 = [...]float64{1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9}

// Round rounds x to n decimal places exactly as Python's round(x, n) does: the exact binary value of x
// is rounded to the nearest multiple of 10⁻ⁿ, ties to even, and the result is the float nearest to that
// decimal. It uses only exact IEEE operations, so it gives the same bits
// natively and under WebAssembly. It panics if n is outside [0, 9].
func Round(x float64, n int) float64 {
	if n < 0 || n >= len(pow10) {
		panic("engine: Round digits out of range")
	}
	if math.IsNaN(x) || math.IsInf(x, 0) || x == 0 {
		return x
	}
	neg := x < 0
	a := math.Abs(x)
	s := pow10[n]
	p := a * s
	if p >= 1<<40 {
		return roundSlow(x, n)
	}
	e := productError(a, s, p) // a·s = p + e exactly
	r := math.Floor(p)
	// p-r is exact, and so is d whenever |d| < 0.25; a nonzero d is then at least one ulp of p,
	// larger than |e|, so the sign of d+e is the sign of the exact a·s - r - 0.5.
	d := (p - r) - 0.5
	k := r
	switch sum := d + e; {
	case sum > 0:
		k = r + 1
	case sum == 0 && math.Mod(r, 2) == 1:
		k = r + 1
	}
	v := k / s
	if neg {
		v = -v
	}
	return v
}

// productError returns the rounding error of p = a·s, for s a power of ten below 2²⁶: Dekker's exact
// product with s unsplit (it has at most 26 significant bits). It uses only +, − and × (no FMA, which
// WebAssembly lacks and Go emulates slowly there); the conversions stop the compiler fusing them.
func productError(a, s, p float64) float64 {
	c := float64(134217729 * a) // 2²⁷ + 1: Veltkamp split of a into 26-bit halves
	hi := c - (c - a)
	lo := a - hi
	return float64(float64(hi*s)-p) + float64(lo*s)
}

// roundSlow is the reference definition of [Round] through a correctly rounded decimal string.
func roundSlow(x float64, n int) float64 {
	v, _ := strconv.ParseFloat(strconv.FormatFloat(x, 'f', n, 64), 64)
	return v
}

// clampRound clamps v to [lo, hi] and rounds the result to n decimals, the seed's bound rule.
func clampRound(v, lo, hi float64, n int) float64 {
	return Round(max(lo, min(hi, v)), n)
}
