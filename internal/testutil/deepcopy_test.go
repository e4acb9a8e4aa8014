package testutil

import (
	"net/http"
	"reflect"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

func TestDeepCopySharesNothing(t *testing.T) {
	type inner struct {
		B    []byte
		M    map[string][]string
		P    *int
		T    time.Time
		kind error
	}
	n := 7
	v := &inner{B: []byte("abc"), M: map[string][]string{"k": {"v"}}, P: &n, T: time.Unix(5, 0), kind: http.ErrNoCookie}
	c := DeepCopy(v)
	assert.True(t, reflect.DeepEqual(v, c))
	c.B[0] = 'x'
	c.M["k"][0] = "w"
	*c.P = 8
	assert.Equal(t, "abc", string(v.B))
	assert.Equal(t, "v", v.M["k"][0])
	assert.Equal(t, 7, n)
	assert.Equal(t, http.ErrNoCookie, c.kind)
	h := http.Header{"A": {"1"}}
	hc := DeepCopy(h)
	hc["A"][0] = "2"
	assert.Equal(t, "1", h.Get("A"))
	var nilMap map[string]int
	assert.Nil(t, DeepCopy(nilMap))
}
