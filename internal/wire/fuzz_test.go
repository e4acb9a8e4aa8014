package wire

import (
	"encoding/json"
	"testing"
)

func FuzzUnmarshalObject(f *testing.F) {
	for _, s := range []string{`[]`, `{}`, `null`, ``, `{"countries":["AU"]}`, `[1]`, `"x"`, ` [ ] `, `{`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		var m map[string]any
		ok, err := UnmarshalObject(b, &m)
		if ok && err == nil {
			// Re-encoding a decoded object decodes to the same object.
			again, _ := json.Marshal(m)
			var m2 map[string]any
			if ok2, err := UnmarshalObject(again, &m2); err != nil || (ok2 && len(m2) != len(m)) {
				t.Fatalf("round trip of %q: %v", again, err)
			}
		}
	})
}

func FuzzLenientScalars(f *testing.F) {
	for _, s := range []string{`"5.0000"`, `5.5`, `null`, `"25.50"`, `true`, `[]`, `"abc"`, `1e400`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		var s String
		err := s.UnmarshalJSON(b)
		var want string
		if json.Unmarshal(b, &want) == nil && (err != nil || string(s) != want) {
			t.Fatalf("%q: got %q, %v; encoding/json says %q", b, s, err, want)
		}
		var fl Float
		if err := fl.UnmarshalJSON(b); err == nil {
			again, err := json.Marshal(float64(fl))
			if err != nil {
				return // ±Inf from a huge numeric string
			}
			var f2 Float
			if err := f2.UnmarshalJSON(again); err != nil || f2 != fl {
				t.Fatalf("round trip %s -> %s: %v", b, again, err)
			}
		}
	})
}
