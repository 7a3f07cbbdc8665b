package store

import (
	"errors"
	"strings"
	"testing"

	"github.com/ncruces/go-sqlite3"

	"hyperagents/engine"
)

// TestTransactionsAllOrNothing checks inTx, whose BEGIN, COMMIT and ROLLBACK are kept statements
// reused by every transaction: a function that fails, a panic and a failing statement each leave
// the database as it was, and the next transaction commits.
func TestTransactionsAllOrNothing(t *testing.T) {
	db := newDB(t)
	r := newRun(t, engine.Config{Seed: 3}, 5)
	if err := db.CreateRun("0123abcd", "kept", created, r); err != nil {
		t.Fatal(err)
	}
	count := func() int {
		n := -1
		db.mu.Lock()
		defer db.mu.Unlock()
		if err := db.queryRow(`SELECT count(*) FROM agents`, nil, func(s *sqlite3.Stmt) { n = s.ColumnInt(0) }); err != nil {
			t.Fatal(err)
		}
		return n
	}
	before := count()
	rename := func(f func() error) error {
		db.mu.Lock()
		defer db.mu.Unlock()
		return db.inTx(func() error {
			if err := db.execKept(`UPDATE runs SET name = 'changed' WHERE id = ?`, "0123abcd"); err != nil {
				return err
			}
			return f()
		})
	}
	name := func() string {
		list, err := db.Runs()
		if err != nil || len(list) != 1 {
			t.Fatalf("runs: %v %v", list, err)
		}
		return list[0].Name
	}
	boom := errors.New("boom")
	if err := rename(func() error { return boom }); !errors.Is(err, boom) {
		t.Fatalf("a failing transaction returned %v", err)
	}
	if got := name(); got != "kept" {
		t.Fatalf("after a failed transaction the name is %q", got)
	}
	func() {
		defer func() {
			if recover() == nil {
				t.Fatal("the panic was not passed on")
			}
		}()
		rename(func() error { panic("inside") })
	}()
	if got := name(); got != "kept" {
		t.Fatalf("after a panic the name is %q", got)
	}
	err := rename(func() error { return db.execKept(`INSERT INTO runs (id) VALUES (NULL)`) })
	if err == nil || !strings.Contains(err.Error(), "NOT NULL") {
		t.Fatalf("a failing statement returned %v", err)
	}
	if got := name(); got != "kept" {
		t.Fatalf("after a failing statement the name is %q", got)
	}
	if err := r.RunN(t.Context(), 3, nil); err != nil {
		t.Fatal(err)
	}
	if n, err := db.Append("0123abcd", r); err != nil || n != 3 {
		t.Fatalf("append after the failures: %d, %v", n, err)
	}
	if got := count(); got != before+3 {
		t.Fatalf("%d agents, want %d", got, before+3)
	}
	if err := rename(func() error { return nil }); err != nil || name() != "changed" {
		t.Fatalf("a good transaction: %v, name %q", err, name())
	}
}
