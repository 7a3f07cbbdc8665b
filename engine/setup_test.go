package engine

import (
	"os"
	"path/filepath"
	"testing"
)

// codeReview returns the shipped domain or fails the test.
func codeReview(t testing.TB) *CodeReview {
	t.Helper()
	d, err := NewCodeReview()
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// readShared reads a file of the seed's published output, vendored in testdata/seed (made by the
// seed's code, not ours).
func readShared(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "seed", name))
	if err != nil {
		t.Fatal(err)
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
