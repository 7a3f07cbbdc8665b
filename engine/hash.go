package engine

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"math"
)

// Hash identifies the state of a run's archive after one iteration: 16 bytes of a SHA-256 chain
// over every entry so far. Two runs have the same hash at iteration i exactly when their archives
// agree entry by entry up to i, so a replay finds the first iteration that differs.
type Hash [16]byte

// String is the hash in hex.
func (h Hash) String() string { return hex.EncodeToString(h[:]) }

// ParseHash reads a hash written by [Hash.String].
func ParseHash(s string) (Hash, bool) {
	var h Hash
	if len(s) != 2*len(h) {
		return h, false
	}
	_, err := hex.Decode(h[:], []byte(s))
	return h, err == nil
}

// Chain computes the hash after appending e to an archive whose hash was prev (the zero Hash
// before the seed agent). It covers the agent's id, parent, generation, policies (biases and
// knobs included) and notes, the iteration and source, and the evaluation's numbers and summary.
func Chain(prev Hash, e *Entry) Hash {
	b := make([]byte, 0, 512)
	b = append(b, prev[:]...)
	str := func(s string) {
		b = binary.LittleEndian.AppendUint32(b, uint32(len(s)))
		b = append(b, s...)
	}
	num := func(v float64) { b = binary.LittleEndian.AppendUint64(b, math.Float64bits(v)) }
	integer := func(v int) { b = binary.LittleEndian.AppendUint64(b, uint64(int64(v))) }
	a := &e.Agent
	str(a.ID)
	str(a.ParentID)
	integer(a.Generation)
	integer(e.Created)
	str(e.Source)
	integer(len(a.Task.Weights))
	for _, w := range a.Task.Weights {
		num(w)
	}
	num(a.Task.Threshold)
	str(string(a.Task.ReviewStyle))
	integer(a.Meta.Focus)
	num(a.Meta.WeightStep)
	num(a.Meta.ThresholdStep)
	num(a.Meta.ExplorationScale)
	for _, notes := range [][]string{a.Meta.Memory, a.Lineage} {
		integer(len(notes))
		for _, n := range notes {
			str(n)
		}
	}
	ev := &e.Eval
	num(ev.Fitness)
	num(ev.TrainAccuracy)
	num(ev.TestAccuracy)
	integer(ev.FalsePos)
	integer(ev.FalseNeg)
	str(ev.Summary)
	// Adaptive agents (their knobs are set) also cover what only they have; code_review's
	// hashes stay as they always were.
	if a.Meta.Adaptive() {
		integer(len(a.Task.Biases))
		for _, v := range a.Task.Biases {
			num(v)
		}
		for _, v := range a.Meta.Knobs {
			num(v)
		}
		num(ev.ValAccuracy)
	}
	sum := sha256.Sum256(b)
	var h Hash
	copy(h[:], sum[:])
	return h
}

// Hashes returns the archive hash after every iteration from 0 to the run's last.
func (r *Run) Hashes() []Hash {
	out := make([]Hash, r.archive.Len())
	var h Hash
	for i := range out {
		h = Chain(h, r.archive.At(i))
		out[i] = h
	}
	return out
}

// Replay re-executes a saved run from its configuration and compares the archive hash of every
// iteration with the saved ones. Advance it with Step (one iteration per call, so a browser can
// run it in slices) until Done.
type Replay struct {
	run      *Run
	want     []Hash
	replies  map[int]Reply
	h        Hash
	mismatch int    // first differing iteration, -1 while none
	why      string // what differed there
}

// NewReplay starts a replay of a run of configuration c whose saved hashes are want (iteration 0
// first). It checks iteration 0 at once.
func NewReplay(c Config, d Domain, want []Hash) (*Replay, error) {
	r, err := New(c, d)
	if err != nil {
		return nil, err
	}
	p := &Replay{run: r, want: want, mismatch: -1}
	p.h = Chain(Hash{}, r.archive.At(0))
	if len(want) == 0 || p.h != want[0] {
		p.mismatch = 0
	}
	return p, nil
}

// Reply is a recorded model reply of an LLM iteration: its text, or the failure of the call, and
// why the iteration fell back to the heuristic mutation ("" when the reply was used), as recorded.
type Reply struct {
	Text     string `json:"text"`
	Failed   bool   `json:"failed"`
	Error    string `json:"error,omitempty"`
	Fallback string `json:"fallback,omitempty"`
}

// WithReplies makes the replay answer the LLM iterations (keyed by iteration) from recorded
// replies, as the original run was answered; other iterations replay heuristically. It returns p.
func (p *Replay) WithReplies(replies map[int]Reply) *Replay {
	p.replies = replies
	return p
}

// Done reports whether the replay has finished: every iteration matched, or one differed.
func (p *Replay) Done() bool { return p.mismatch >= 0 || p.run.Iterations()+1 >= len(p.want) }

// Step replays one iteration.
func (p *Replay) Step() error {
	if p.Done() {
		return nil
	}
	var ev Event
	var err error
	if rep, ok := p.replies[p.run.Iterations()+1]; ok {
		var pend *Pending
		if pend, err = p.run.BeginLLM(); err == nil {
			var callErr error
			if rep.Failed {
				callErr = errors.New(rep.Error)
			}
			var fb string
			ev, fb, err = p.run.FinishLLM(pend, rep.Text, callErr)
			if err == nil && fb != rep.Fallback {
				p.mismatch = ev.Iteration
				p.why = fmt.Sprintf("transcripts, iteration %d: the file records the fallback %.80q, but the recorded reply gives %.80q", ev.Iteration, rep.Fallback, fb)
			}
		}
	} else {
		ev, err = p.run.Step(context.Background())
	}
	if err != nil {
		return err
	}
	p.h = Chain(p.h, p.run.archive.At(ev.Child))
	if p.h != p.want[ev.Iteration] && p.mismatch < 0 {
		p.mismatch = ev.Iteration
		p.why = fmt.Sprintf("agents, iteration %d: the archive differs from this iteration on", ev.Iteration)
	}
	return nil
}

// Why says what differed at the first differing iteration ("" while nothing did).
func (p *Replay) Why() string {
	if p.mismatch == 0 && p.why == "" {
		return "agents, iteration 0: the seed agent differs"
	}
	return p.why
}

// Run is the re-executed run, as far as the replay has gone. The caller must not change it.
func (p *Replay) Run() *Run { return p.run }

// Result reports whether the replay matched every saved iteration, and if not the first that
// differs (0 for the seed agent).
func (p *Replay) Result() (verified bool, firstDiff int) {
	if p.mismatch >= 0 {
		return false, p.mismatch
	}
	return p.Done(), -1
}

// Progress is the number of iterations replayed and the number to replay.
func (p *Replay) Progress() (done, total int) { return p.run.Iterations(), len(p.want) - 1 }
