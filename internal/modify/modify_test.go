package modify

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/couponkit/couponkit/internal/api"
)

func TestDiff(t *testing.T) {
	before := `{"name":"A","amount":"10.00","applies_to":{"entity":"categories","ids":[0]},"restricted_to":{"countries":["AU"]},"gone":1,"same":[1,2]}`
	after := `{"name":"A","amount":"15.00","applies_to":{"entity":"products","ids":[1,2]},"restricted_to":{"countries":["AU"],"zips":{"AU":["2000"]}},"same":[1,2],"new":null}`
	got, err := Diff([]byte(before), []byte(after))
	require.NoError(t, err)
	assert.Equal(t, []api.FieldChange{
		{Field: "amount", Old: `"10.00"`, New: `"15.00"`},
		{Field: "applies_to.entity", Old: `"categories"`, New: `"products"`},
		{Field: "applies_to.ids", Old: `[0]`, New: `[1,2]`},
		{Field: "restricted_to.zips", Old: ``, New: `{"AU":["2000"]}`},
		{Field: "new", Old: ``, New: `null`},
		{Field: "gone", Old: `1`, New: ``},
	}, got)
}

func TestDiffObjectToNullAndSpacing(t *testing.T) {
	got, err := Diff([]byte(`{"a": {"x": 1}, "b" : [ 1, 2 ], "k\"q": "v"}`), []byte(`{"a":null,"b":[1,2],"k\"q":"w"}`))
	require.NoError(t, err)
	assert.Equal(t, []api.FieldChange{
		{Field: "a", Old: `{"x":1}`, New: `null`},
		{Field: `k"q`, Old: `"v"`, New: `"w"`},
	}, got)
}

func TestDiffRejectsNonObjects(t *testing.T) {
	for _, s := range []string{`[]`, `"x"`, `{"a":`, ``, `{} {}`} {
		_, err := Diff([]byte(s), []byte(`{}`))
		assert.Error(t, err, s)
	}
}

func FuzzDiffIdentity(f *testing.F) {
	f.Add(`{"a":1,"b":{"c":[1,"x\""]}}`)
	f.Add(`{}`)
	f.Fuzz(func(t *testing.T, s string) {
		var v map[string]any
		if json.Unmarshal([]byte(s), &v) != nil || v == nil {
			return
		}
		changes, err := Diff([]byte(s), []byte(s))
		if err == nil && len(changes) != 0 {
			t.Fatalf("identical bodies differ: %v", changes)
		}
		b, _ := json.Marshal(v)
		if _, err := Diff(b, []byte(s)); err != nil {
			t.Fatalf("valid objects refused: %v", err)
		}
	})
}

type coupon struct {
	ID     int
	Amount string
	Note   string // read-only: not in the request
}

type request struct {
	ID     int
	Amount string
}

type fake struct {
	gets, sends int
	stored      coupon
	sentBody    string
}

func (f *fake) ops() *Ops[int, coupon, request] {
	return &Ops[int, coupon, request]{
		Vendor:   "fake",
		KeyField: "id",
		Get: func(_ context.Context, key int) (coupon, []byte, api.ResponseMeta, error) {
			f.gets++
			if key != f.stored.ID {
				return coupon{}, nil, api.ResponseMeta{}, api.ErrNotFound
			}
			raw := fmt.Sprintf(`{"id":%d,"amount":%q,"note":%q}`, f.stored.ID, f.stored.Amount, f.stored.Note)
			return f.stored, []byte(raw), api.ResponseMeta{StatusCode: 200, Attempts: 1}, nil
		},
		Request: func(c *coupon) *request { return &request{ID: c.ID, Amount: c.Amount} },
		Key:     func(r *request) int { return r.ID },
		Encode: func(r *request) ([]byte, error) {
			if r.Amount == "" {
				return nil, &api.ValidationError{Fields: []api.FieldError{{Field: "amount", Problem: "is required"}}}
			}
			return json.Marshal(map[string]string{"amount": r.Amount})
		},
		Marshal: func(r *request) ([]byte, error) { return json.Marshal(map[string]string{"amount": r.Amount}) },
		Write:   Write{ReadOnly: []string{"id"}, Required: []string{"amount"}},
		Send: func(_ context.Context, r *request, body []byte) (coupon, api.ResponseMeta, error) {
			f.sends++
			f.sentBody = string(body)
			f.stored.Amount = r.Amount
			return f.stored, api.ResponseMeta{StatusCode: 201, Attempts: 1}, nil
		},
	}
}

func TestDoSendsOnlyAChange(t *testing.T) {
	f := &fake{stored: coupon{ID: 7, Amount: "10.00", Note: "n"}}
	res, err := Do(context.Background(), f.ops(), 7, func(r *request) error { r.Amount = "15.00"; return nil }, false)
	require.NoError(t, err)
	assert.Equal(t, 1, f.gets)
	assert.Equal(t, 1, f.sends)
	assert.Equal(t, `{"amount":"15.00","note":"n"}`, f.sentBody, "the read minus id, the change applied")
	assert.Equal(t, []api.FieldChange{{Field: "amount", Old: `"10.00"`, New: `"15.00"`}}, res.Changes)
	assert.Equal(t, "10.00", res.Before.Amount)
	assert.Equal(t, "15.00", res.After.Amount)
	assert.Equal(t, 201, res.Meta.StatusCode, "meta of the update")
}

func TestDoNoOpSendsNothing(t *testing.T) {
	f := &fake{stored: coupon{ID: 7, Amount: "10.00"}}
	res, err := Do(context.Background(), f.ops(), 7, func(r *request) error { r.Amount = "10.00"; return nil }, false)
	require.NoError(t, err)
	assert.Equal(t, 0, f.sends)
	assert.Empty(t, res.Changes)
	assert.Equal(t, res.Before, res.After)
	assert.Equal(t, 200, res.Meta.StatusCode, "meta of the read")
}

func TestDoDryRunSendsNothing(t *testing.T) {
	f := &fake{stored: coupon{ID: 7, Amount: "10.00"}}
	res, err := Do(context.Background(), f.ops(), 7, func(r *request) error { r.Amount = "11.00"; return nil }, true)
	require.NoError(t, err)
	assert.Equal(t, 0, f.sends)
	assert.Len(t, res.Changes, 1)
}

func TestDoRefusals(t *testing.T) {
	boom := errors.New("boom")
	cases := map[string]struct {
		change func(*request) error
		is     error
	}{
		"change fails":   {func(*request) error { return boom }, boom},
		"key changed":    {func(r *request) error { r.ID = 8; return nil }, api.ErrInvalidRequest},
		"invalid result": {func(r *request) error { r.Amount = ""; return nil }, api.ErrInvalidRequest},
		"nil change":     {nil, api.ErrInvalidRequest},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			f := &fake{stored: coupon{ID: 7, Amount: "10.00"}}
			_, err := Do(context.Background(), f.ops(), 7, tc.change, false)
			require.Error(t, err)
			assert.ErrorIs(t, err, tc.is)
			assert.Equal(t, 0, f.sends)
		})
	}
}

func TestDoReadFails(t *testing.T) {
	f := &fake{stored: coupon{ID: 7}}
	_, err := Do(context.Background(), f.ops(), 9, func(*request) error { return nil }, false)
	assert.ErrorIs(t, err, api.ErrNotFound)
	assert.Equal(t, 0, f.sends)
}

func TestDoNamesItsRefusalsThroughInvalid(t *testing.T) {
	f := &fake{stored: coupon{ID: 7, Amount: "10.00"}}
	ops := f.ops()
	ops.Invalid = func(key int, err error) error {
		var ve *api.ValidationError
		if errors.As(err, &ve) {
			ve.Vendor, ve.Operation = "fake", fmt.Sprintf("PUT /coupons/%d", key)
		}
		return err
	}
	for name, change := range map[string]func(*request) error{
		"key changed":    func(r *request) error { r.ID = 8; return nil },
		"invalid result": func(r *request) error { r.Amount = ""; return nil },
		"nil change":     nil,
	} {
		_, err := Do(context.Background(), ops, 7, change, false)
		var ve *api.ValidationError
		require.ErrorAs(t, err, &ve, name)
		assert.Equal(t, "fake", ve.Vendor, name)
		assert.Equal(t, "PUT /coupons/7", ve.Operation, name)
	}
	assert.Equal(t, 0, f.sends)
}
