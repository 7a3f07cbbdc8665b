package store

import (
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/ncruces/go-sqlite3"

	"hyperagents/engine"
)

// Rows are written with multi-row INSERT statements: under WebAssembly each statement execution
// costs about as much as fifteen rows, so one statement per row made saving ten times slower.

// insertChunk is the most rows one INSERT statement carries.
const insertChunk = 32

// rows collects the values of rows to insert into one table, row after row.
type rows struct {
	width int
	vals  []any
}

// add appends one row.
func (r *rows) add(vals ...any) {
	r.width = len(vals)
	r.vals = append(r.vals, vals...)
}

// insert writes the rows into table in statements of up to insertChunk rows. Statements are
// prepared once per (table, row count) and kept. The caller holds mu.
func (db *DB) insert(table string, r *rows) error {
	for len(r.vals) > 0 {
		n := min(insertChunk, len(r.vals)/r.width)
		s, err := db.insertStmt(table, r.width, n)
		if err != nil {
			return err
		}
		if err := s.Reset(); err != nil {
			return err
		}
		if err := bind(s, r.vals[:n*r.width]); err != nil {
			return err
		}
		if err := s.Exec(); err != nil {
			return err
		}
		r.vals = r.vals[n*r.width:]
	}
	return nil
}

// insertStmt returns the prepared INSERT of n rows of width values into table.
func (db *DB) insertStmt(table string, width, n int) (*sqlite3.Stmt, error) {
	key := table + "/" + strconv.Itoa(n)
	if s, ok := db.stmts[key]; ok {
		return s, nil
	}
	one := "(" + strings.TrimSuffix(strings.Repeat("?, ", width), ", ") + ")"
	q := "INSERT INTO " + table + " VALUES " + strings.TrimSuffix(strings.Repeat(one+", ", n), ", ")
	s, _, err := db.conn.Prepare(q)
	if err != nil {
		return nil, fmt.Errorf("prepare %s: %w", key, err)
	}
	db.stmts[key] = s
	return s, nil
}

// closeStmts frees the kept statements. The caller holds mu.
func (db *DB) closeStmts() {
	for k, s := range db.stmts {
		s.Close()
		delete(db.stmts, k)
	}
}

// appendAgentJSON writes one of an agent's JSON columns, by hand: encoding/json's reflection costs
// a quarter of a millisecond per agent under WebAssembly. Column k is 0 the task policy, 1 the meta
// policy, 2 the lineage notes, 3 and 4 the false-positive and false-negative feature means. The
// output is what encoding/json writes for the same values (checked by a test).
func appendAgentJSON(b []byte, k int, e *engine.Entry, feats []string) []byte {
	num := func(b []byte, v float64) []byte { return strconv.AppendFloat(b, v, 'g', -1, 64) }
	byName := func(b []byte, v []float64) []byte {
		b = append(b, '{')
		// encoding/json writes map keys sorted.
		for j, i := range sortedIndex(feats) {
			if j > 0 {
				b = append(b, ',')
			}
			b = appendJSONString(b, feats[i])
			b = append(b, ':')
			if i < len(v) {
				b = num(b, v[i])
			} else {
				b = append(b, '0')
			}
		}
		return append(b, '}')
	}
	strs := func(b []byte, xs []string) []byte {
		b = append(b, '[')
		for i, x := range xs {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendJSONString(b, x)
		}
		return append(b, ']')
	}
	a := &e.Agent
	switch k {
	case 0:
		b = append(b, `{"weights":`...)
		b = byName(b, a.Task.Weights)
		b = append(b, `,"threshold":`...)
		b = num(b, a.Task.Threshold)
		b = append(b, `,"review_style":`...)
		b = appendJSONString(b, string(a.Task.ReviewStyle))
		return append(b, '}')
	case 1:
		b = append(b, `{"focus":`...)
		b = appendJSONString(b, feats[a.Meta.Focus])
		b = append(b, `,"weight_step":`...)
		b = num(b, a.Meta.WeightStep)
		b = append(b, `,"threshold_step":`...)
		b = num(b, a.Meta.ThresholdStep)
		b = append(b, `,"exploration_scale":`...)
		b = num(b, a.Meta.ExplorationScale)
		b = append(b, `,"memory":`...)
		b = strs(b, a.Meta.Memory)
		return append(b, '}')
	case 2:
		return strs(b, a.Lineage)
	case 3:
		return byName(b, e.Eval.FalsePosAvgs)
	default:
		return byName(b, e.Eval.FalseNegAvgs)
	}
}

// sortedIndex returns the indexes of names in sorted order.
func sortedIndex(names []string) []int {
	idx := make([]int, len(names))
	for i := range idx {
		idx[i] = i
	}
	for i := 1; i < len(idx); i++ {
		for j := i; j > 0 && names[idx[j]] < names[idx[j-1]]; j-- {
			idx[j], idx[j-1] = idx[j-1], idx[j]
		}
	}
	return idx
}

// appendJSONString writes s as a JSON string, escaping as encoding/json does.
func appendJSONString(b []byte, s string) []byte {
	const hex = "0123456789abcdef"
	b = append(b, '"')
	for i, r := range s {
		switch {
		case r == '"' || r == '\\':
			b = append(b, '\\', byte(r))
		case r == '\n':
			b = append(b, '\\', 'n')
		case r == '\r':
			b = append(b, '\\', 'r')
		case r == '\t':
			b = append(b, '\\', 't')
		case r < 0x20 || r == '<' || r == '>' || r == '&' || r == 0x2028 || r == 0x2029:
			b = append(b, '\\', 'u', hex[r>>12&0xf], hex[r>>8&0xf], hex[r>>4&0xf], hex[r&0xf])
		case r == utf8.RuneError:
			if _, size := utf8.DecodeRuneInString(s[i:]); size == 1 {
				b = append(b, `\ufffd`...) // an invalid byte
			} else {
				b = append(b, string(r)...)
			}
		default:
			b = append(b, string(r)...)
		}
	}
	return append(b, '"')
}
