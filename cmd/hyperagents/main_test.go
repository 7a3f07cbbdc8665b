package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// runMain runs the command in-process and returns its exit status and output.
func runMain(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	m := &Main{Stdout: &out, Stderr: &errb}
	code := exitCode(&errb, m.Run(context.Background(), args))
	return code, out.String(), errb.String()
}

func TestExperimentSeedFlavourWritesPublishedCSV(t *testing.T) {
	want, err := os.ReadFile(filepath.Join("..", "..", "engine", "testdata", "seed", "raw_metrics.csv"))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	code, out, errs := runMain(t, "experiment", "--flavour", "seed", "--iterations", "40", "--seeds", "5", "--out", dir)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	got, err := os.ReadFile(filepath.Join(dir, "raw_metrics.csv"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Error("raw_metrics.csv differs from the seed's published file")
	}
	for _, f := range []string{"learning_curves.svg", "meta_policy_drift.svg"} {
		b, err := os.ReadFile(filepath.Join(dir, f))
		if err != nil || !bytes.HasPrefix(b, []byte("<svg")) || !bytes.Contains(b, []byte("HyperAgent (full system)")) {
			t.Errorf("%s: %v, %.60q", f, err, b)
		}
	}
	if !strings.Contains(out, "no_archive  0.800 ± 0.000") {
		t.Errorf("summary missing the no_archive row:\n%s", out)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 3 {
		t.Errorf("output directory holds %d files, want exactly 3 (no temporaries)", len(entries))
	}
}

func TestBadInputExitsTwo(t *testing.T) {
	file := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(file, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		args []string
		msg  string
	}{
		{"no command", nil, "no command"},
		{"unknown command", []string{"frobnicate"}, "unknown command"},
		{"unknown flag", []string{"run", "--bogus"}, "not defined: -bogus"},
		{"iterations zero", []string{"run", "--iterations", "0"}, "out of range"},
		{"iterations not a number", []string{"run", "--iterations", "ten"}, "invalid value"},
		{"negative seed", []string{"run", "--seed", "-1"}, "out of range"},
		{"bad mode", []string{"run", "--mode", "greedy"}, "unknown mode"},
		{"bad flavour", []string{"experiment", "--flavour", "exact", "--out", t.TempDir()}, "unknown flavour"},
		{"too many seeds", []string{"experiment", "--seeds", "100000", "--out", t.TempDir()}, "out of range"},
		{"bad condition", []string{"experiment", "--conditions", "hyperagent,nope", "--out", t.TempDir()}, "unknown mode"},
		{"no out", []string{"experiment"}, "--out DIR is required"},
		{"unwritable out", []string{"experiment", "--iterations", "2", "--out", filepath.Join(file, "sub")}, "output directory"},
		{"stray argument", []string{"run", "extra"}, "unexpected argument"},
	}
	for _, tt := range tests {
		code, _, errs := runMain(t, tt.args...)
		if code != 2 || !strings.Contains(errs, tt.msg) {
			t.Errorf("%s: exit %d, stderr %q; want 2 and %q", tt.name, code, errs, tt.msg)
		}
	}
}

func TestRunJSON(t *testing.T) {
	code, out, errs := runMain(t, "run", "--mode", "no_archive", "--flavour", "seed", "--iterations", "5", "--json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var v struct {
		ID            string             `json:"id"`
		TrainAccuracy float64            `json:"train_accuracy"`
		Weights       map[string]float64 `json:"weights"`
	}
	if err := json.Unmarshal([]byte(out), &v); err != nil {
		t.Fatalf("stdout is not JSON: %v\n%s", err, out)
	}
	// REFERENCE §17: no_archive's best is agent-001 at 0.80 train.
	if v.ID != "agent-001" || v.TrainAccuracy != 0.8 || len(v.Weights) != 5 {
		t.Errorf("best = %+v, want agent-001 at 0.8 with 5 weights", v)
	}
	if !strings.Contains(errs, "iteration 5/5") {
		t.Errorf("progress missing from stderr: %q", errs)
	}
}
