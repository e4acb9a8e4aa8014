package testutil

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

type inner struct{ S string }

type sample struct {
	A     string
	Empty string
	P     *string
	L     []string
	M     map[string][]string
	Any   map[string]any
	In    *inner
	N     int
	skip  string
}

func TestCorruptEachString(t *testing.T) {
	build := func() *sample {
		p := "p"
		return &sample{
			A: "a", P: &p, Empty: "", L: []string{"x", "y"}, M: map[string][]string{"k": {"v"}},
			Any:  map[string]any{"b": []any{"s", 1.0}, "a": inner{S: "in"}},
			In:   &inner{S: "i"},
			skip: "unexported",
		}
	}
	got := map[string]*sample{}
	n := CorruptEachString(build, func(path string, s *sample) { got[path] = s })
	want := []string{"A", "P", "L[0]", "L[1]", "M{k}", "M[k][0]", "Any{a}", "Any[a].S", "Any{b}", "Any[b][0]", "In.S"}
	assert.Equal(t, len(want), n)
	for _, p := range want {
		assert.Contains(t, got, p)
	}
	assert.Equal(t, "a"+Invalid, got["A"].A)
	assert.Equal(t, "p"+Invalid, *got["P"].P)
	assert.Equal(t, []string{"x", "y" + Invalid}, got["L[1]"].L)
	assert.Equal(t, map[string][]string{"k" + Invalid: {"v"}}, got["M{k}"].M)
	assert.Equal(t, map[string][]string{"k": {"v" + Invalid}}, got["M[k][0]"].M)
	assert.Equal(t, inner{S: "in" + Invalid}, got["Any[a].S"].Any["a"])
	assert.Equal(t, []any{"s" + Invalid, 1.0}, got["Any[b][0]"].Any["b"])
	assert.Contains(t, got["Any{b}"].Any, "b"+Invalid)
	assert.Equal(t, "i"+Invalid, got["In.S"].In.S)
	assert.Equal(t, "a", got["In.S"].A, "one string at a time")
}
