package store

import (
	"context"
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"hyperagents/engine"
)

var created = time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)

func domain(t testing.TB) *engine.CodeReview {
	t.Helper()
	d, err := engine.NewCodeReview()
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func newRun(t testing.TB, c engine.Config, n int) *engine.Run {
	t.Helper()
	r, err := engine.New(c, domain(t))
	if err != nil {
		t.Fatal(err)
	}
	if err := r.RunN(context.Background(), n, nil); err != nil {
		t.Fatal(err)
	}
	return r
}

func newDB(t testing.TB) *DB {
	t.Helper()
	db, err := New()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// TestSaveReloadContinue saves a run in slices, reloads the database from its bytes, continues
// the run and checks it equals an uninterrupted run of the same configuration.
func TestSaveReloadContinue(t *testing.T) {
	for _, f := range []engine.Flavour{engine.FlavourStandard, engine.FlavourSeed} {
		cfg := engine.ModeHyperagent.Config(f, 7)
		db := newDB(t)
		r := newRun(t, cfg, 0)
		if err := db.CreateRun("0123456789abcdef", "first run", created, r); err != nil {
			t.Fatal(err)
		}
		for _, step := range []int{1, 9, 40} {
			if err := r.RunN(context.Background(), step, nil); err != nil {
				t.Fatal(err)
			}
			n, err := db.Append("0123456789abcdef", r)
			if err != nil || n != step {
				t.Fatalf("Append wrote %d iterations (%v), want %d", n, err, step)
			}
		}
		data, err := db.Bytes()
		if err != nil {
			t.Fatal(err)
		}
		back, err := Load(data)
		if err != nil {
			t.Fatal(err)
		}
		runs, err := back.Runs()
		if err != nil || len(runs) != 1 {
			t.Fatalf("runs %v, %v", runs, err)
		}
		ri := runs[0]
		if ri.Name != "first run" || ri.Iterations != 50 || ri.Config != cfg || !ri.Created.Equal(created) || ri.EngineVersion != engine.Version ||
			ri.BestAgent != r.Best().Agent.ID || ri.BestTrain != r.Best().Eval.TrainAccuracy {
			t.Errorf("run info %+v", ri)
		}
		got, _, err := back.Open(ri.ID)
		if err != nil {
			t.Fatal(err)
		}
		if err := got.RunN(context.Background(), 50, nil); err != nil {
			t.Fatal(err)
		}
		if _, err := back.Append(ri.ID, got); err != nil {
			t.Fatal(err)
		}
		want := newRun(t, cfg, 100)
		if !reflect.DeepEqual(got.Hashes(), want.Hashes()) {
			t.Fatalf("%v: continued run differs from the uninterrupted one", f)
		}
		hashes, err := back.Hashes(ri.ID)
		if err != nil || !reflect.DeepEqual(hashes, want.Hashes()) {
			t.Fatalf("%v: saved hashes differ from the uninterrupted run's (%v)", f, err)
		}
		progress, _ := back.Progress(ri.ID)
		if !reflect.DeepEqual(progress, want.Progress()) {
			t.Errorf("%v: saved metrics differ", f)
		}
	}
}

func TestRenameDeleteAndNames(t *testing.T) {
	db := newDB(t)
	r := newRun(t, engine.Config{Seed: 1}, 5)
	if err := db.CreateRun("aaaaaaaa", "one", created, r); err != nil {
		t.Fatal(err)
	}
	if err := db.CreateRun("aaaaaaaa", "again", created, r); !errors.Is(err, ErrDuplicate) {
		t.Errorf("duplicate id: %v", err)
	}
	for _, bad := range []string{"", "   ", strings.Repeat("x", MaxNameLen+1), "tab\there", "bell\a", "\xff\xfe"} {
		if err := db.Rename("aaaaaaaa", bad); !errors.Is(err, ErrBadName) {
			t.Errorf("Rename(%q) = %v, want ErrBadName", bad, err)
		}
	}
	if err := db.Rename("aaaaaaaa", `<script>alert("x")</script> ✓`); err != nil {
		t.Errorf("a name with markup is still text: %v", err)
	}
	for _, bad := range []string{"", "ABCDEF12", "abc", "../../etc", strings.Repeat("a", 33)} {
		if err := db.CreateRun(bad, "x", created, r); err == nil {
			t.Errorf("CreateRun accepted id %q", bad)
		}
	}
	if err := db.Rename("bbbbbbbb", "x"); !errors.Is(err, ErrNoRun) {
		t.Errorf("rename of a missing run: %v", err)
	}
	if err := db.Delete("aaaaaaaa"); err != nil {
		t.Fatal(err)
	}
	if st, _ := db.Stats(); st.Runs != 0 || st.Agents != 0 {
		t.Errorf("after delete: %+v (rows must cascade)", st)
	}
	if err := db.Delete("aaaaaaaa"); !errors.Is(err, ErrNoRun) {
		t.Errorf("second delete: %v", err)
	}
}

// plainSQLite is a database of another program.
func plainSQLite(t *testing.T, pragma string) []byte {
	t.Helper()
	db, err := open()
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.conn.Exec(`CREATE TABLE notes (body TEXT); INSERT INTO notes VALUES ('hello');` + pragma); err != nil {
		t.Fatal(err)
	}
	b, err := db.Bytes()
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestLoadRefusesBadFiles(t *testing.T) {
	db := newDB(t)
	if err := db.CreateRun("0000aaaa", "run", created, newRun(t, engine.Config{Seed: 2}, 30)); err != nil {
		t.Fatal(err)
	}
	good, _ := db.Bytes()
	newer := newDB(t)
	newer.conn.Exec(`PRAGMA user_version = 99`)
	newerBytes, _ := newer.Bytes()
	corrupt := append([]byte(nil), good...)
	page := int(corrupt[16])<<8 | int(corrupt[17])
	mid := len(corrupt) / 2 / page * page // a page's start: its header, then its cells
	for i := mid; i < mid+3000 && i < len(corrupt); i++ {
		corrupt[i] ^= 0x5a
	}
	schemaPage := append([]byte(nil), good...)
	for i := 100; i < 140; i++ { // page 1's b-tree header and cell pointers, after the file header
		schemaPage[i] ^= 0xa5
	}
	tests := []struct {
		name string
		data []byte
		want error
	}{
		{"damaged schema page", schemaPage, ErrCorrupt},
		{"empty", nil, ErrNotDatabase},
		{"text", []byte("this is a README, not a database\n"), ErrNotDatabase},
		{"png", append([]byte("\x89PNG\r\n\x1a\n"), make([]byte, 200)...), ErrNotDatabase},
		{"truncated", good[:len(good)/2+100], ErrCorrupt},
		{"truncated on a page", good[:len(good)-4096], ErrCorrupt},
		{"corrupted", corrupt, ErrCorrupt},
		{"other program", plainSQLite(t, ""), ErrForeign},
		{"other program, our version", plainSQLite(t, "PRAGMA user_version = 1;"), ErrForeign},
		{"newer schema", newerBytes, ErrNewer},
		{"oversized", make([]byte, MaxFileSize+1), ErrTooLarge},
	}
	for _, tt := range tests {
		_, err := Load(tt.data)
		if !errors.Is(err, tt.want) {
			t.Errorf("%s: err = %v, want %v", tt.name, err, tt.want)
		}
	}
}

func TestImport(t *testing.T) {
	ours := newDB(t)
	mine := newRun(t, engine.Config{Seed: 3}, 20)
	if err := ours.CreateRun("11111111", "mine", created, mine); err != nil {
		t.Fatal(err)
	}
	before, _ := ours.Bytes()

	other := newDB(t)
	for id, name := range map[string]string{"22222222": "theirs", "11111111": "clash", "33333333": "ok too"} {
		if err := other.CreateRun(id, name, created, newRun(t, engine.Config{Seed: 4}, 25)); err != nil {
			t.Fatal(err)
		}
	}
	data, _ := other.Bytes()
	rep, err := ours.Import(data)
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Imported) != 2 || len(rep.Refused) != 1 || rep.Refused[0].ID != "11111111" || !strings.Contains(rep.String(), "already here") {
		t.Fatalf("report: %s", rep)
	}
	r, _, err := ours.Open("11111111")
	if err != nil || !reflect.DeepEqual(r.Hashes(), mine.Hashes()) {
		t.Fatalf("the existing run changed on import (%v)", err)
	}
	if _, _, err := ours.Open("22222222"); err != nil {
		t.Fatalf("imported run does not open: %v", err)
	}

	// A file whose every run is bad changes nothing.
	ours2 := newDB(t)
	if err := ours2.CreateRun("11111111", "mine", created, mine); err != nil {
		t.Fatal(err)
	}
	hostile := newDB(t)
	hostile.CreateRun("44444444", "fine name", created, newRun(t, engine.Config{Seed: 5}, 10))
	hostile.CreateRun("55555555", "fine", created, newRun(t, engine.Config{Seed: 6}, 10))
	hostile.CreateRun("66666666", "fine", created, newRun(t, engine.Config{Seed: 7}, 10))
	hostile.CreateRun("77777777", "fine", created, newRun(t, engine.Config{Seed: 8}, 10))
	must := func(sql string) {
		if err := hostile.conn.Exec(sql); err != nil {
			t.Fatal(err)
		}
	}
	must(`UPDATE runs SET name = 'evil' || char(7) || 'name' WHERE id = '44444444'`)
	must(`UPDATE agents SET train_accuracy = 1.0, fitness = 1.0 WHERE run_id = '55555555' AND created_iteration = 4`)
	must(`UPDATE agents SET task_policy = '[1, 2, 3]' WHERE run_id = '66666666' AND created_iteration = 2`)
	must(`UPDATE metrics SET archive_hash = '00000000000000000000000000000000' WHERE run_id = '77777777' AND iteration = 9`)
	data, _ = hostile.Bytes()
	before2, _ := ours2.Bytes()
	rep, err = ours2.Import(data)
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Imported) != 0 || len(rep.Refused) != 4 {
		t.Fatalf("hostile import: %s", rep)
	}
	t.Log(rep)
	after2, _ := ours2.Bytes()
	if string(before2) != string(after2) {
		t.Error("a refused import changed the database")
	}
	_ = before
}

func TestExportOneRun(t *testing.T) {
	db := newDB(t)
	for _, id := range []string{"aaaa1111", "bbbb2222"} {
		if err := db.CreateRun(id, "run "+id, created, newRun(t, engine.Config{Seed: 9}, 12)); err != nil {
			t.Fatal(err)
		}
	}
	data, err := db.Export("bbbb2222")
	if err != nil {
		t.Fatal(err)
	}
	one, err := Load(data)
	if err != nil {
		t.Fatal(err)
	}
	runs, _ := one.Runs()
	if len(runs) != 1 || runs[0].ID != "bbbb2222" {
		t.Fatalf("export holds %+v", runs)
	}
	if st, _ := one.Stats(); st.Agents != 13 {
		t.Errorf("export has %d agents, want 13", st.Agents)
	}
	if _, err := db.Export("cccc3333"); !errors.Is(err, ErrNoRun) {
		t.Errorf("export of a missing run: %v", err)
	}
	csv, err := db.CSV("aaaa1111")
	if err != nil || strings.Count(string(csv), "\n") != 14 || !strings.HasPrefix(string(csv), strings.Join(engine.CSVHeader, ",")) {
		t.Errorf("csv: %v\n%s", err, csv)
	}
}

// TestLLMRunTravelsAndReplays saves a run with LLM iterations and their transcripts, exports it,
// imports it elsewhere and replays it from the transcripts: verified.
func TestLLMRunTravelsAndReplays(t *testing.T) {
	d := domain(t)
	r, _ := engine.New(engine.Config{Seed: 8}, d)
	db := newDB(t)
	if err := db.CreateRun("11112222", "llm", created, r); err != nil {
		t.Fatal(err)
	}
	var ts []Transcript
	for i := 1; i <= 20; i++ {
		if i%4 != 0 {
			r.Step(context.Background())
			continue
		}
		p, _ := r.BeginLLM()
		reply := `{"weights":{"maintainability":0.95,"security":1.1,"test_coverage":0.9,"documentation":0.7,"simplicity":0.8},"threshold":3.0,"review_style":"balanced","note":"more security"}`
		if i == 8 {
			reply = "not json at all"
		}
		_, fb, err := r.FinishLLM(p, reply, nil)
		if err != nil {
			t.Fatal(err)
		}
		ts = append(ts, Transcript{Iteration: i, Model: "fake", Request: `{"messages":[]}`, Reply: reply, PromptTokens: 100, CompletionTokens: 20, Fallback: fb})
	}
	if _, err := db.Append("11112222", r, ts...); err != nil {
		t.Fatal(err)
	}
	data, _ := db.Export("11112222")
	other := newDB(t)
	if rep, err := other.Import(data); err != nil || len(rep.Imported) != 1 {
		t.Fatalf("import: %v %s", err, rep)
	}
	got, _ := other.Transcripts("11112222")
	if len(got) != 5 || got[1].Fallback == "" || got[0].Fallback != "" {
		t.Fatalf("transcripts after import: %+v", got)
	}
	p, _, err := other.Replay("11112222")
	if err != nil {
		t.Fatal(err)
	}
	stepToEnd(t, p)
	if ok, at := p.Result(); !ok {
		t.Fatalf("LLM run replays differently at iteration %d", at)
	}
}
