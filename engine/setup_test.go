package engine

import (
	"context"
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

// evolvedRun makes n iterations of a run on domain name with its own flavour and selection and the
// meta policy evolving (the page's warm-up runs the same), or fails the test.
func evolvedRun(t testing.TB, name string, seed uint64, n int) (*Run, Domain) {
	t.Helper()
	d := lookup(t, name)
	r, err := New(Config{Flavour: DefaultFlavour(d), Meta: MetaEvolve, Selection: d.Info().Selection, Seed: seed}, d)
	if err != nil {
		t.Fatal(err)
	}
	if err := r.RunN(context.Background(), n, nil); err != nil {
		t.Fatal(err)
	}
	return r, d
}
