package store

import (
	"fmt"

	"github.com/ncruces/go-sqlite3"

	"hyperagents/engine"
)

// Transcript is the model call of an LLM iteration: the request sent, the reply (or the failure),
// the tokens used and, when the reply could not be used, why the iteration fell back to the
// heuristic mutation.
type Transcript struct {
	Iteration        int    `json:"iteration"`
	Model            string `json:"model"`
	Request          string `json:"request_json"`
	Reply            string `json:"reply"`
	Failed           bool   `json:"failed"`
	Error            string `json:"error"`
	PromptTokens     int    `json:"prompt_tokens"`
	CompletionTokens int    `json:"completion_tokens"`
	Fallback         string `json:"fallback"`
}

// Transcripts returns run id's model calls, by iteration.
func (db *DB) Transcripts(id string) ([]Transcript, error) {
	db.mu.Lock()
	defer db.mu.Unlock()
	return db.transcriptsLocked(id)
}

func (db *DB) transcriptsLocked(id string) ([]Transcript, error) {
	var out []Transcript
	err := db.query(`SELECT iteration, model, request_json, reply, failed, error, prompt_tokens, completion_tokens, fallback
		FROM transcripts WHERE run_id = ? ORDER BY iteration`, []any{id}, func(s *sqlite3.Stmt) error {
		out = append(out, Transcript{Iteration: s.ColumnInt(0), Model: s.ColumnText(1), Request: s.ColumnText(2), Reply: s.ColumnText(3),
			Failed: s.ColumnInt(4) != 0, Error: s.ColumnText(5), PromptTokens: s.ColumnInt(6), CompletionTokens: s.ColumnInt(7), Fallback: s.ColumnText(8)})
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("store: transcripts: %w", err)
	}
	return out, nil
}

// Replay prepares the verification of run id: a re-execution from its configuration, answering
// its LLM iterations from the saved transcripts, compared iteration by iteration with the saved
// archive hashes. Advance the result with Step until Done, then ask [DB.Verify] for the verdict on
// everything else the file stores.
func (db *DB) Replay(id string) (*engine.Replay, RunInfo, error) {
	ri, err := db.Info(id)
	if err != nil {
		return nil, ri, err
	}
	db.mu.Lock()
	d, err := db.domain(ri.Domain)
	db.mu.Unlock()
	if err != nil {
		return nil, ri, fmt.Errorf("store: %w: run %s: %v", ErrBadRun, id, err)
	}
	hashes, err := db.Hashes(id)
	if err != nil {
		return nil, ri, err
	}
	ts, err := db.Transcripts(id)
	if err != nil {
		return nil, ri, err
	}
	replies := make(map[int]engine.Reply, len(ts))
	for _, t := range ts {
		replies[t.Iteration] = engine.Reply{Text: t.Reply, Failed: t.Failed, Error: t.Error, Fallback: t.Fallback}
	}
	p, err := engine.NewReplay(ri.Config, d, hashes)
	if err != nil {
		return nil, ri, err
	}
	return p.WithReplies(replies), ri, nil
}
