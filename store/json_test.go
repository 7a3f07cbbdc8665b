package store

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"hyperagents/engine"
)

// taskJSON and metaJSON are how policies read in the sqlite3 shell: weights and focus by feature name.
type taskJSON struct {
	Weights     map[string]float64 `json:"weights"`
	Threshold   float64            `json:"threshold"`
	ReviewStyle string             `json:"review_style"`
}

type metaJSON struct {
	Focus            string   `json:"focus"`
	WeightStep       float64  `json:"weight_step"`
	ThresholdStep    float64  `json:"threshold_step"`
	ExplorationScale float64  `json:"exploration_scale"`
	Memory           []string `json:"memory"`
}

// encodeAgent is the reference for appendAgentJSON: it writes an entry's policies, notes and error means as JSON.
func encodeAgent(e *engine.Entry, feats []string) (task, meta, lineage, fpAvg, fnAvg string, err error) {
	t := taskJSON{Weights: map[string]float64{}, Threshold: e.Agent.Task.Threshold, ReviewStyle: string(e.Agent.Task.ReviewStyle)}
	for i, f := range feats {
		t.Weights[f] = e.Agent.Task.Weights[i]
	}
	m := metaJSON{Focus: feats[e.Agent.Meta.Focus], WeightStep: e.Agent.Meta.WeightStep, ThresholdStep: e.Agent.Meta.ThresholdStep,
		ExplorationScale: e.Agent.Meta.ExplorationScale, Memory: nonNil(e.Agent.Meta.Memory)}
	avgs := func(v []float64) map[string]float64 {
		out := map[string]float64{}
		for i, f := range feats {
			if i < len(v) {
				out[f] = v[i]
			}
		}
		return out
	}
	var parts [5][]byte
	for i, v := range []any{t, m, nonNil(e.Agent.Lineage), avgs(e.Eval.FalsePosAvgs), avgs(e.Eval.FalseNegAvgs)} {
		if parts[i], err = json.Marshal(v); err != nil {
			return
		}
	}
	return string(parts[0]), string(parts[1]), string(parts[2]), string(parts[3]), string(parts[4]), nil
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// TestAgentJSONMatchesEncodingJSON checks the hand-written JSON against encoding/json, for every
// agent of runs of both flavours and for notes with characters JSON must escape.
func TestAgentJSONMatchesEncodingJSON(t *testing.T) {
	var entries []engine.Entry
	for _, f := range []engine.Flavour{engine.FlavourStandard, engine.FlavourSeed} {
		entries = append(entries, newRun(t, engine.Config{Flavour: f, Seed: 4}, 200).Archive().Entries()...)
	}
	odd := entries[3]
	odd.Agent.Lineage = []string{`quote " backslash \\ tab \t newline \n`, "<b>&amp;</b>", "bell \a nul \x00", "\u2028 \u2029 é ✓ \xff \ufffd"}
	odd.Agent.Meta.Memory = nil
	entries = append(entries, odd)
	feats := domain(t).Features()
	for _, e := range entries {
		task, meta, lineage, fp, fn, err := encodeAgent(&e, feats)
		if err != nil {
			t.Fatal(err)
		}
		for k, want := range []string{task, meta, lineage, fp, fn} {
			if got := string(newAgentEncoder(domain(t)).append(nil, k, &e)); got != want {
				t.Fatalf("%s column %d:\n got %s\nwant %s", e.Agent.ID, k, got, want)
			}
		}
	}
}

// TestParseJSONAgreesWithEncodingJSON compares the hand parser with encoding/json on valid and
// invalid documents.
func TestParseJSONAgreesWithEncodingJSON(t *testing.T) {
	docs := []string{
		`{"a":1,"b":[1,2.5e-3,"x"],"c":{"d":null,"e":true,"f":false}}`,
		`  [ "\u00e9\ud83d\ude00", "tab\tnew\nline", "\\\"\/" ]  `,
		`-0.000123`, `"plain"`, `{}`, `[]`,
		`{"a":1,}`, `[1,]`, `{"a" 1}`, `"unterminated`, `[1 2]`, `01x`, `{"a":1}{}`, `"\x"`, "\"ctl\x01\"", `nul`, ``,
	}
	for _, d := range docs {
		var want any
		wantErr := json.Unmarshal([]byte(d), &want)
		got, err := parseJSON(d)
		if (err != nil) != (wantErr != nil) {
			t.Errorf("%q: parseJSON err %v, encoding/json err %v", d, err, wantErr)
			continue
		}
		if err == nil && !reflect.DeepEqual(got, want) {
			t.Errorf("%q: parseJSON %#v, encoding/json %#v", d, got, want)
		}
	}
	if _, err := parseJSON(`{"a":1,"a":2}`); err == nil {
		t.Error("duplicate keys accepted")
	}
}

// FuzzParseJSON checks the hand parser against encoding/json both ways: it refuses everything
// encoding/json refuses, and accepts the rest with the same value (it may refuse more on purpose:
// duplicate keys, invalid UTF-8).
func FuzzParseJSON(f *testing.F) {
	f.Add(`{"weights":{"a":0.5},"threshold":3,"review_style":"strict"}`)
	f.Add(`["x","\u2028"]`)
	f.Add(`{"a":1,}`)
	f.Add(`[1 2]`)
	f.Add("\"\x01\"")
	f.Fuzz(func(t *testing.T, s string) {
		got, err := parseJSON(s)
		var want any
		if jerr := json.Unmarshal([]byte(s), &want); jerr != nil {
			// Two-sided: what encoding/json refuses, the hand parser refuses too.
			if err == nil {
				t.Fatalf("%q: parseJSON accepted what encoding/json refuses (%v): %#v", s, jerr, got)
			}
			return
		}
		if err != nil {
			if strings.Contains(err.Error(), "duplicate key") || strings.Contains(err.Error(), "invalid UTF-8") {
				return // stricter than encoding/json on purpose
			}
			t.Fatalf("%q: parseJSON refused valid JSON: %v", s, err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("%q: %#v vs %#v", s, got, want)
		}
	})
}

// FuzzJSONString compares appendJSONString with encoding/json on any string.
func FuzzJSONString(f *testing.F) {
	for _, s := range []string{"", "plain", `quote " backslash \ `, "<b>&</b>", "\x00\a\t\n\r", "\u2028\u2029 é ✓ \xff\xfe \ufffd", "end\xe2\x82"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		want, err := json.Marshal(s)
		if err != nil {
			t.Fatal(err)
		}
		if got := appendJSONString(nil, s); string(got) != string(want) {
			t.Fatalf("%q:\n got %s\nwant %s", s, got, want)
		}
	})
}
