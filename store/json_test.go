package store

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
)

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
