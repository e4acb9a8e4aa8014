package modify

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/couponkit/couponkit/internal/api"
)

func TestMerge(t *testing.T) {
	read := `{"id":1, "name":"A", "n":"5.0000", "obj":{"x":1,"keep":[1, 2],"gone":true}, "nul":null, "k\"q":"v", "ro":"r", "unknown":{"a":null}}`
	unchanged := `{"name":"A","n":"5.0000","obj":{"x":1,"gone":true},"nul":null,"add":0,"drop":"d"}`
	cases := []struct {
		name    string
		w       Write
		changed string
		want    string
	}{
		{"full replace: read minus read-only, changed fields replaced", Write{ReadOnly: []string{"id", "ro"}},
			`{"name":"B","n":"5.0000","obj":{"x":1,"gone":true},"nul":null,"add":0,"drop":"d"}`,
			`{"name":"B","n":"5.0000","obj":{"x":1,"keep":[1, 2],"gone":true},"nul":null,"k\"q":"v","unknown":{"a":null}}`},
		{"nested: field by field, unknown nested kept", Write{ReadOnly: []string{"id", "ro"}},
			`{"name":"A","n":"5.0000","obj":{"x":2},"nul":null,"add":0,"drop":"d"}`,
			`{"name":"A","n":"5.0000","obj":{"x":2,"keep":[1, 2]},"nul":null,"k\"q":"v","unknown":{"a":null}}`},
		{"a field the read lacks is added only when changed", Write{ReadOnly: []string{"id", "ro"}},
			`{"name":"A","n":"5.0000","obj":{"x":1,"gone":true},"nul":null,"add":3}`,
			`{"name":"A","n":"5.0000","obj":{"x":1,"keep":[1, 2],"gone":true},"nul":null,"k\"q":"v","unknown":{"a":null},"add":3}`},
		{"partial: kept fields as read plus the changed", Write{Keep: []string{"name", "n"}},
			`{"name":"A","n":"5.0000","obj":{"x":1,"gone":true},"nul":"set","add":0,"drop":"d"}`,
			`{"name":"A","n":"5.0000","nul":"set"}`},
		{"no null, at any depth", Write{ReadOnly: []string{"id", "ro"}, NoNull: true},
			`{"name":"A","n":"5.0000","obj":{"x":[null,1],"gone":true},"nul":null,"add":0,"drop":"d"}`,
			`{"name":"A","n":"5.0000","obj":{"x":[1],"keep":[1, 2],"gone":true},"k\"q":"v","unknown":{}}`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Merge(&tc.w, []byte(read), []byte(unchanged), []byte(tc.changed))
			require.NoError(t, err)
			assert.Equal(t, tc.want, string(got))
		})
	}
}

func TestMergeRequired(t *testing.T) {
	w := Write{Required: []string{"name", "code"}}
	_, err := Merge(&w, []byte(`{"name":"A","code":null}`), []byte(`{"name":"A"}`), []byte(`{"name":"B"}`))
	var ve *api.ValidationError
	require.True(t, errors.As(err, &ve), "%v", err)
	require.Len(t, ve.Fields, 1)
	assert.Equal(t, "code", ve.Fields[0].Field)
	got, err := Merge(&w, []byte(`{"name":"A","code":null}`), []byte(`{"name":"A","code":""}`), []byte(`{"name":"A","code":"C"}`))
	require.NoError(t, err)
	assert.Equal(t, `{"name":"A","code":"C"}`, string(got))
}

func TestMergeRefusesAReadThatIsNoObject(t *testing.T) {
	for _, read := range []string{``, `[]`, `"x"`, `null`} {
		_, err := Merge(&Write{}, []byte(read), []byte(`{}`), []byte(`{"a":1}`))
		assert.Error(t, err, read)
	}
}
