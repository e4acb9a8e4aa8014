package wire

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestMember(t *testing.T) {
	s := []byte(` {"success" : true, "data":{"id":"x","n":[1,{"data":2}]} ,"d\u0061ta2":1, "errors":[]}`)
	assert.Equal(t, `{"id":"x","n":[1,{"data":2}]}`, string(Member(s, "data")))
	assert.Equal(t, `1`, string(Member(s, "data2")), "an escaped key is unescaped")
	assert.Equal(t, `true`, string(Member(s, "success")))
	assert.Nil(t, Member(s, "id"), "only the object's own members")
	assert.Equal(t, `2`, string(Member([]byte(`{"a":1,"a":2}`), "a")), "the last of a repeated name, as encoding/json")
	assert.Nil(t, Member([]byte(`[{"a":1}]`), "a"))
	assert.Nil(t, Member([]byte(`{}`), "a"))
}

func TestElement(t *testing.T) {
	s := []byte(`[ {"id":1}, "two" ,[3]]`)
	assert.Equal(t, `{"id":1}`, string(Element(s, 0)))
	assert.Equal(t, `"two"`, string(Element(s, 1)))
	assert.Equal(t, `[3]`, string(Element(s, 2)))
	assert.Nil(t, Element(s, 3))
	assert.Nil(t, Element([]byte(`{"a":1}`), 0))
}
