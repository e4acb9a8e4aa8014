package wire

import (
	"encoding/json"
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestBool(t *testing.T) {
	for in, want := range map[string]bool{
		`true`: true, `1`: true, `"1"`: true, `"true"`: true, ` true `: true,
		`false`: false, `0`: false, `"0"`: false, `"false"`: false, `""`: false, `null`: false,
	} {
		b := Bool(!want) // must be overwritten
		require.NoError(t, b.UnmarshalJSON([]byte(in)), in)
		assert.Equal(t, want, bool(b), in)
	}
	for _, bad := range []string{`"yes"`, `2`, `[]`, `{}`, `"TRUE"`, ``} {
		var b Bool
		assert.Error(t, b.UnmarshalJSON([]byte(bad)), bad)
	}
}

func TestInt(t *testing.T) {
	for in, want := range map[string]Int{
		`11`: {11, true}, `"11"`: {11, true}, `11.0`: {11, true}, `"-3"`: {-3, true}, `0`: {0, true},
		`null`: {}, `""`: {}, `"1e3"`: {1000, true},
	} {
		o := Int{V: 99, Set: true} // must be overwritten
		require.NoError(t, o.UnmarshalJSON([]byte(in)), in)
		assert.Equal(t, want, o, in)
	}
	for _, bad := range []string{`11.5`, `"abc"`, `true`, `[]`, `1e400`, `"1\"`} {
		var o Int
		assert.Error(t, o.UnmarshalJSON([]byte(bad)), bad)
	}
	assert.Nil(t, Int{}.Ptr())
	p := Int{V: 7, Set: true}.Ptr()
	require.NotNil(t, p)
	assert.Equal(t, 7, *p)

	var v struct{ A, B Int }
	require.NoError(t, json.Unmarshal([]byte(`{"A":"5","B":null}`), &v))
	assert.Equal(t, Int{5, true}, v.A)
	assert.Equal(t, Int{}, v.B)
}

func FuzzBoolInt(f *testing.F) {
	for _, s := range []string{`true`, `1`, `"1"`, `0`, `null`, `"yes"`, `11`, `"11"`, `11.0`, `11.5`, `1e400`, `""`, `-3`, `{}`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		var b Bool
		if err := b.UnmarshalJSON([]byte(s)); err == nil {
			// What decodes as a bool re-encodes to a bool that decodes back.
			var again Bool
			if err := again.UnmarshalJSON([]byte(strconv.FormatBool(bool(b)))); err != nil || again != b {
				t.Fatalf("%q: %v != %v (%v)", s, again, b, err)
			}
		}
		var o Int
		if err := o.UnmarshalJSON([]byte(s)); err == nil && o.Set {
			// A decoded integer encodes to a JSON number that decodes back.
			var again Int
			if err := again.UnmarshalJSON([]byte(strconv.Itoa(o.V))); err != nil || again != o {
				t.Fatalf("%q: %v != %v (%v)", s, again, o, err)
			}
		}
	})
}
