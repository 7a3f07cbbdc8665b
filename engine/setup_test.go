package engine

import (
	"os"
	"path/filepath"
	"testing"
)

// sharedSeed is where the seed's published files live beside the repository (as laid out for
// developers and CI).
var sharedSeed = filepath.Join("..", "..", "shared", "seed")

// codeReview returns the shipped domain or fails the test.
func codeReview(t testing.TB) *CodeReview {
	t.Helper()
	d, err := NewCodeReview()
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// readShared reads a file of the seed's published output. In CI the files must be there; elsewhere a
// missing file skips the test.
func readShared(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(sharedSeed, name))
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("seed file missing in CI: %v", err)
		}
		t.Skipf("seed file not available: %v", err)
	}
	return b
}

// newRun starts a run or fails the test.
func newRun(t testing.TB, c Config) *Run {
	t.Helper()
	r, err := New(c, codeReview(t))
	if err != nil {
		t.Fatal(err)
	}
	return r
}
