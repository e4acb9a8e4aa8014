package wire

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestEachElement(t *testing.T) {
	var got []string
	err := EachElement([]byte(` [ 1, "a,]\"b" , {"x":[1,{"y":"}"}]}, [], null ,true] `), func(i int, e []byte) error {
		got = append(got, string(e))
		return nil
	})
	assert.NoError(t, err)
	assert.Equal(t, []string{`1`, `"a,]\"b"`, `{"x":[1,{"y":"}"}]}`, `[]`, `null`, `true`}, got)
	n := 0
	_ = EachElement([]byte(`[]`), func(int, []byte) error { n++; return nil })
	assert.Zero(t, n)
	_ = EachElement([]byte(`{}`), func(int, []byte) error { n++; return nil })
	assert.Zero(t, n, "not an array")
}
