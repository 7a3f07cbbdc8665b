package store

import (
	"context"
	"testing"

	"hyperagents/engine"
)

// BenchmarkAppend measures saving one iteration (its agent, metrics and event rows and the run's
// update) in batches of 50, as the browser does during a run.
func BenchmarkAppend(b *testing.B) {
	d := domain(b)
	r, err := engine.New(engine.Config{Seed: 1}, d)
	if err != nil {
		b.Fatal(err)
	}
	db := newDB(b)
	if err := db.CreateRun("0123abcd", "bench", created, r); err != nil {
		b.Fatal(err)
	}
	n := 0
	for b.Loop() {
		r.Step(context.Background())
		n++
		if n%50 == 0 {
			if _, err := db.Append("0123abcd", r); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(n), "µs/iteration")
}

// BenchmarkSaveLoad10k measures serializing and loading a database holding a 10,000-agent run.
func BenchmarkSaveLoad10k(b *testing.B) {
	db := newDB(b)
	if err := db.CreateRun("0123abcd", "bench", created, newRun(b, engine.Config{Seed: 1}, 10_000)); err != nil {
		b.Fatal(err)
	}
	var data []byte
	b.Run("serialize", func(b *testing.B) {
		for b.Loop() {
			data, _ = db.Bytes()
		}
		b.ReportMetric(float64(len(data))/1e6, "MB")
	})
	b.Run("load", func(b *testing.B) {
		for b.Loop() {
			x, err := Load(data)
			if err != nil {
				b.Fatal(err)
			}
			x.Close()
		}
	})
}
