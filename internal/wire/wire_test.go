package wire

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestUnmarshalObject(t *testing.T) {
	for _, in := range []string{``, `null`, `[]`, `{}`, ` [ ] `, "{\n}"} {
		var m map[string]any
		ok, err := UnmarshalObject([]byte(in), &m)
		require.NoError(t, err, in)
		assert.False(t, ok, in)
		assert.Nil(t, m, in)
	}
	var m map[string]any
	ok, err := UnmarshalObject([]byte(`{"a":1}`), &m)
	require.NoError(t, err)
	assert.True(t, ok)
	assert.Equal(t, map[string]any{"a": 1.0}, m)
	for _, bad := range []string{`[1]`, `"x"`, `3`, `{"a":`} {
		_, err := UnmarshalObject([]byte(bad), &m)
		assert.Error(t, err, bad)
	}
}

func TestLenientScalars(t *testing.T) {
	var v struct {
		S1, S2, S3 String
		F1, F2, F3 Float
	}
	require.NoError(t, json.Unmarshal([]byte(`{"S1":"5.0000","S2":5.5,"S3":null,"F1":25,"F2":"25.50","F3":null}`), &v))
	assert.Equal(t, String("5.0000"), v.S1)
	assert.Equal(t, String("5.5"), v.S2)
	assert.Equal(t, String(""), v.S3)
	assert.Equal(t, Float(25), v.F1)
	assert.Equal(t, Float(25.5), v.F2)
	assert.Equal(t, Float(0), v.F3)
	assert.Error(t, json.Unmarshal([]byte(`{"S1":true}`), &v))
	assert.Error(t, json.Unmarshal([]byte(`{"F1":"abc"}`), &v))
	assert.Error(t, json.Unmarshal([]byte(`{"F1":[]}`), &v))
}
