package engine

import (
	"math"
	"math/rand/v2"
	"testing"
)

func TestRoundMatchesPython(t *testing.T) {
	tests := []struct {
		x    float64
		n    int
		want float64
	}{
		{0.0625, 3, 0.062}, // exact tie: to even
		{0.0635, 3, 0.064}, // 0.0635 is just above the tie in binary
		{2.675, 2, 2.67},   // the classic: 2.675 is below the tie in binary
		{0.9163, 3, 0.916},
		{-0.15, 4, -0.15},
		{-2.5, 0, -2},
		{3.5, 0, 4},
		{1.0005, 3, 1.0}, // 1.0005 is below the tie in binary
		{0.65, 3, 0.65},
		{13.0 / 20, 3, 0.65},
	}
	for _, tt := range tests {
		if got := Round(tt.x, tt.n); got != tt.want {
			t.Errorf("Round(%v, %d) = %v, want %v", tt.x, tt.n, got, tt.want)
		}
	}
}

// TestRoundAgreesWithDecimal compares the fast path with the decimal-string definition on random
// values and on values within a few ulps of every 4-decimal tie.
func TestRoundAgreesWithDecimal(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	check := func(x float64, n int) {
		if got, want := Round(x, n), roundSlow(x, n); got != want {
			t.Fatalf("Round(%v, %d) = %v, want %v", x, n, got, want)
		}
	}
	for range 200_000 {
		x := (rng.Float64()*2 - 1) * math.Pow(10, float64(rng.IntN(6)-2))
		check(x, rng.IntN(6))
	}
	for k := range 20_000 {
		for _, n := range []int{3, 4} {
			tie := (float64(k) + 0.5) / pow10[n]
			x := tie
			for range 3 {
				x = math.Nextafter(x, 0)
			}
			for range 7 {
				check(x, n)
				check(-x, n)
				x = math.Nextafter(x, 10)
			}
		}
	}
}

func FuzzRound(f *testing.F) {
	f.Add(0.0625, uint8(3))
	f.Add(2.675, uint8(2))
	f.Fuzz(func(t *testing.T, x float64, n uint8) {
		d := int(n % 10)
		if got, want := Round(x, d), roundSlow(x, d); got != want && !(math.IsNaN(got) && math.IsNaN(want)) {
			t.Fatalf("Round(%v, %d) = %v, want %v", x, d, got, want)
		}
	})
}

func TestPyFloat(t *testing.T) {
	tests := []struct {
		x    float64
		want string
	}{
		{1, "1.0"}, {0.65, "0.65"}, {0, "0.0"}, {math.Nextafter(0.3, 1), "0.30000000000000004"},
		{1e-5, "1e-05"}, {0.0001, "0.0001"}, {1e16, "1e+16"}, {123456789012345.0, "123456789012345.0"},
		{-0.5, "-0.5"}, {math.Inf(1), "inf"}, {math.NaN(), "nan"},
	}
	for _, tt := range tests {
		if got := PyFloat(tt.x); got != tt.want {
			t.Errorf("PyFloat(%v) = %q, want %q", tt.x, got, tt.want)
		}
	}
}
