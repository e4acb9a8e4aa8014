package jframework_test

import (
	"context"
	"errors"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/couponkit/couponkit/internal/testutil"
	"github.com/couponkit/couponkit/jframework"
	"github.com/couponkit/couponkit/jframework/jframeworktest"
)

// methods records the method of every request a client sends.
type methods struct {
	mu   sync.Mutex
	seen []string
	next http.RoundTripper
}

func (m *methods) RoundTrip(r *http.Request) (*http.Response, error) {
	m.mu.Lock()
	m.seen = append(m.seen, r.Method)
	m.mu.Unlock()
	return m.next.RoundTrip(r)
}

func (m *methods) list() []string {
	m.mu.Lock()
	defer m.mu.Unlock()
	return append([]string(nil), m.seen...)
}

// recordingClient is a client of srv that records the methods it sends.
func recordingClient(t *testing.T, srv *jframeworktest.Server) (*jframework.Client, *methods) {
	t.Helper()
	tr := &http.Transport{}
	t.Cleanup(tr.CloseIdleConnections)
	m := &methods{next: tr}
	return srv.Client(jframework.WithHTTPClient(&http.Client{Transport: m}), jframework.WithRetryPolicy(fastRetries)), m
}

var (
	ict   = time.FixedZone("ICT", 7*3600)
	minus = time.FixedZone("", -(5*3600 + 30*60))
)

// baseCoupon has every optional field at its default: nil percentage and
// quantity, no description or tags, both booleans false.
func baseCoupon() jframework.Coupon {
	return jframework.Coupon{
		ID: "c1", Code: "BASE", Name: "Base", Status: jframework.StatusActive,
		StartDate: time.Date(2025, 6, 23, 13, 56, 0, 434619700, ict),
		EndDate:   time.Date(2025, 7, 23, 13, 56, 0, 434620100, ict),
	}
}

// normalized is c with what the server legitimately rewrites removed:
// modifiedDate, and the location of the dates (the server writes every date
// in the coupon's offset; the instants must not change).
func normalized(c jframework.Coupon) jframework.Coupon {
	c.ModifiedDate = time.Time{}
	c.StartDate, c.EndDate = c.StartDate.UTC(), c.EndDate.UTC()
	return c
}

// TestModifyRoundTripFieldByField: for each writable field, a coupon with
// that field set to a non-default value keeps it through a ModifyCoupon
// that changes a different field. A full PUT that forgot the field would
// reset it.
func TestModifyRoundTripFieldByField(t *testing.T) {
	tests := []struct {
		name string
		set  func(*jframework.Coupon)
	}{
		{"all optional fields unset (nil percentage and quantity stay nil)", func(*jframework.Coupon) {}},
		{"name", func(c *jframework.Coupon) { c.Name = "Summer \"sale\" ü" }},
		{"code", func(c *jframework.Coupon) { c.Code = "SUMMER-26" }},
		{"description", func(c *jframework.Coupon) { c.Description = "Half off <b>everything</b>" }},
		{"tags", func(c *jframework.Coupon) { c.Tags = "tag1, tag2" }},
		{"percentage", func(c *jframework.Coupon) { c.Percentage = jframework.Ptr(12.5) }},
		{"percentage 0 (not nil)", func(c *jframework.Coupon) { c.Percentage = jframework.Ptr(0.0) }},
		{"percentage 100", func(c *jframework.Coupon) { c.Percentage = jframework.Ptr(100.0) }},
		{"quantity", func(c *jframework.Coupon) { c.Quantity = jframework.Ptr(250) }},
		{"quantity 0 (not nil)", func(c *jframework.Coupon) { c.Quantity = jframework.Ptr(0) }},
		{"start date: seven fractional digits, a trailing zero", func(c *jframework.Coupon) {
			c.StartDate = time.Date(2025, 1, 2, 3, 4, 5, 434619000, ict)
		}},
		{"end date: another offset, one tick", func(c *jframework.Coupon) {
			c.EndDate = time.Date(2025, 12, 31, 23, 59, 59, 100, minus)
		}},
		{"dates: whole seconds, UTC", func(c *jframework.Coupon) {
			c.StartDate, c.EndDate = time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
		}},
		{"autoApplyToPrice", func(c *jframework.Coupon) { c.AutoApplyToPrice = true }},
		{"testMode", func(c *jframework.Coupon) { c.TestMode = true }},
		{"status Inactive", func(c *jframework.Coupon) { c.Status = jframework.StatusInactive }},
		{"status Expired", func(c *jframework.Coupon) { c.Status = jframework.StatusExpired }},
		{"status Deleted", func(c *jframework.Coupon) { c.Status = jframework.StatusDeleted }},
	}
	// Two different changes, so that every field is kept by a change of
	// another one.
	changes := []struct {
		name   string
		change func(*jframework.UpdateCouponRequest) error
		apply  func(*jframework.Coupon)
	}{
		{"quantity", func(r *jframework.UpdateCouponRequest) error { r.Quantity = jframework.Ptr(7); return nil },
			func(c *jframework.Coupon) { c.Quantity = jframework.Ptr(7) }},
		{"name", func(r *jframework.UpdateCouponRequest) error { r.Name = "Changed"; return nil },
			func(c *jframework.Coupon) { c.Name = "Changed" }},
	}
	for _, tt := range tests {
		for _, ch := range changes {
			t.Run(tt.name+"/change "+ch.name, func(t *testing.T) {
				orig := baseCoupon()
				tt.set(&orig)
				srv := jframeworktest.NewServer()
				defer srv.Close()
				srv.AddCoupon(orig)
				client, m := recordingClient(t, srv)

				resp, err := client.ModifyCoupon(context.Background(), "c1", ch.change)
				require.NoError(t, err)
				assert.Equal(t, []string{http.MethodGet, http.MethodPut}, m.list())

				want := orig
				ch.apply(&want)
				got, ok := srv.Coupon("c1")
				require.True(t, ok)
				assert.Equal(t, normalized(want), normalized(got), "only the changed field differs")
				_, wantOffset := orig.StartDate.Zone()
				_, gotOffset := got.StartDate.Zone()
				assert.Equal(t, wantOffset, gotOffset, "the coupon keeps its offset")
				assert.Equal(t, normalized(orig), normalized(resp.Before))
				assert.Equal(t, normalized(got), normalized(resp.After))
				require.Len(t, resp.Changes, 1)
				assert.Equal(t, ch.name, resp.Changes[0].Field)
			})
		}
	}
}

func TestUpdateRequestSetsEveryField(t *testing.T) {
	c := baseCoupon()
	c.Description, c.Tags = "d", "t"
	c.Percentage, c.Quantity = jframework.Ptr(10.0), jframework.Ptr(5)
	c.AutoApplyToPrice, c.TestMode = false, false // explicit false is still set
	c.ModifiedDate = time.Now()
	r := c.UpdateRequest()
	testutil.AllFieldsSet(t, r)
	assert.Equal(t, &jframework.UpdateCouponRequest{
		ID: "c1", Name: "Base", Code: "BASE", Percentage: jframework.Ptr(10.0), Quantity: jframework.Ptr(5),
		StartDate: c.StartDate, EndDate: c.EndDate, AutoApplyToPrice: jframework.Ptr(false),
		Description: jframework.Ptr("d"), Tags: jframework.Ptr("t"), Status: jframework.StatusActive, TestMode: jframework.Ptr(false),
	}, r)

	// It shares no memory with the coupon.
	*r.Percentage, *r.Quantity = 99, 99
	assert.Equal(t, 10.0, *c.Percentage)
	assert.Equal(t, 5, *c.Quantity)

	// No description or tags is null on the wire, as JFramework sends it.
	empty := baseCoupon()
	r = empty.UpdateRequest()
	assert.Nil(t, r.Description)
	assert.Nil(t, r.Tags)
	assert.Nil(t, r.Percentage)
	assert.Nil(t, r.Quantity)
}

// TestModifyWireFormat: the PUT is the coupon as read, every field
// explicit, with only the changed field different; dates go back as the
// text they came in.
func TestModifyWireFormat(t *testing.T) {
	c, mt := newMocked(t)
	var get, put captured
	mt.RegisterResponder(http.MethodGet, couponURL, sequence(&get, jsonResponder(200, vendorSuccess)))
	mt.RegisterResponder(http.MethodPut, couponURL, sequence(&put, jsonResponder(200, vendorSuccess)))

	resp, err := c.ModifyCoupon(context.Background(), couponID, func(r *jframework.UpdateCouponRequest) error {
		r.Percentage = jframework.Ptr(15.0)
		return nil
	})
	require.NoError(t, err)
	require.Len(t, get.Reqs, 1)
	require.Len(t, put.Reqs, 1)
	// The coupon as read, in its order, minus id and modifiedDate.
	assert.Equal(t, `{"code":"COUPON1","name":"Coupon 1","description":"This is a coupon","tags":"tag1, tag2","percentage":15,"quantity":100,`+
		`"startDate":"2025-06-23T13:56:00.4346197+07:00","endDate":"2025-07-23T13:56:00.4346201+07:00",`+
		`"autoApplyToPrice":true,"status":"Active","testMode":false}`, put.Bodies[0])
	assert.Equal(t, []jframework.FieldChange{{Field: "percentage", Old: "10", New: "15"}}, resp.Changes)
	assert.Equal(t, 10.0, *resp.Before.Percentage)
}

// TestModifyKeepsNullsExplicit: a coupon read with null percentage,
// quantity, description, tags and autoApplyToPrice is written back with
// those nulls, never with those fields left to JFramework's treatment of
// omitted ones; dates go back as the text they came in.
func TestModifyKeepsNullsExplicit(t *testing.T) {
	c, mt := newMocked(t)
	var put captured
	mt.RegisterResponder(http.MethodGet, couponURL, jsonResponder(200, `{"success":true,"statusCode":200,"data":{"id":"sApKpllz4sAplsmzha",
		"code":"C","name":"N","description":null,"tags":null,"percentage":null,"quantity":null,
		"startDate":"2025-06-23T13:56:00.4346190+07:00","endDate":"2025-07-23T13:56:00.0000000+07:00",
		"autoApplyToPrice":null,"status":"Inactive","testMode":true,"modifiedDate":null},"errors":[]}`))
	mt.RegisterResponder(http.MethodPut, couponURL, sequence(&put, jsonResponder(200, vendorSuccess)))

	resp, err := c.ModifyCoupon(context.Background(), couponID, func(r *jframework.UpdateCouponRequest) error {
		r.Name = "M"
		return nil
	})
	require.NoError(t, err)
	require.Len(t, put.Bodies, 1)
	assert.Equal(t, `{"code":"C","name":"M","description":null,"tags":null,"percentage":null,"quantity":null,`+
		`"startDate":"2025-06-23T13:56:00.4346190+07:00","endDate":"2025-07-23T13:56:00.0000000+07:00",`+
		`"autoApplyToPrice":null,"status":"Inactive","testMode":true}`, put.Bodies[0])
	assert.Equal(t, []jframework.FieldChange{{Field: "name", Old: `"N"`, New: `"M"`}}, resp.Changes)
}

func TestModifySendsOneReadAndAtMostOneWrite(t *testing.T) {
	orig := baseCoupon()
	orig.Percentage = jframework.Ptr(10.0)
	tests := []struct {
		name    string
		change  func(*jframework.UpdateCouponRequest) error
		methods []string
		check   func(t *testing.T, resp *jframework.ModifyCouponResponse, err error)
	}{
		{"no-op change", func(*jframework.UpdateCouponRequest) error { return nil }, []string{"GET"},
			func(t *testing.T, resp *jframework.ModifyCouponResponse, err error) {
				require.NoError(t, err)
				assert.Empty(t, resp.Changes)
				assert.Equal(t, resp.Before, resp.After)
				assert.Equal(t, 200, resp.Meta.StatusCode, "the read's metadata")
				assert.Equal(t, 1, resp.Meta.Attempts)
			}},
		{"the same values set again", func(r *jframework.UpdateCouponRequest) error {
			r.Percentage = jframework.Ptr(10.0)
			r.StartDate = r.StartDate.In(time.FixedZone("again", 7*3600)) // same instant, same offset
			r.Status = jframework.StatusActive
			return nil
		}, []string{"GET"},
			func(t *testing.T, resp *jframework.ModifyCouponResponse, err error) {
				require.NoError(t, err)
				assert.Empty(t, resp.Changes)
			}},
		{"change returns an error", func(r *jframework.UpdateCouponRequest) error {
			r.Name = "Half-done"
			return errSentinel
		}, []string{"GET"},
			func(t *testing.T, resp *jframework.ModifyCouponResponse, err error) {
				assert.Nil(t, resp)
				assert.ErrorIs(t, err, errSentinel, "returned wrapped")
			}},
		{"change moves the id", func(r *jframework.UpdateCouponRequest) error { r.ID = "c2"; return nil }, []string{"GET"},
			func(t *testing.T, resp *jframework.ModifyCouponResponse, err error) {
				var ve *jframework.ValidationError
				require.ErrorAs(t, err, &ve)
				assert.Equal(t, "id", ve.Fields[0].Field)
				assert.ErrorIs(t, err, jframework.ErrInvalidRequest)
				assert.EqualError(t, err, "jframework: invalid request for PUT /api/v1/coupons/c1: "+
					"id must not change in a modify (from c1 to c2): it would write another coupon")
			}},
		{"change breaks a rule", func(r *jframework.UpdateCouponRequest) error {
			r.Percentage = jframework.Ptr(150.0)
			r.EndDate = r.StartDate.Add(-time.Hour)
			return nil
		}, []string{"GET"},
			func(t *testing.T, resp *jframework.ModifyCouponResponse, err error) {
				var ve *jframework.ValidationError
				require.ErrorAs(t, err, &ve)
				assert.Equal(t, []jframework.FieldError{
					{Field: "percentage", Problem: "must be between 0 and 100"},
					{Field: "endDate", Problem: "must not be before startDate"},
				}, ve.Fields)
			}},
		{"nil change", nil, nil,
			func(t *testing.T, resp *jframework.ModifyCouponResponse, err error) {
				var ve *jframework.ValidationError
				require.ErrorAs(t, err, &ve)
				assert.Equal(t, "change", ve.Fields[0].Field)
			}},
		{"a real change", func(r *jframework.UpdateCouponRequest) error { r.TestMode = jframework.Ptr(true); return nil }, []string{"GET", "PUT"},
			func(t *testing.T, resp *jframework.ModifyCouponResponse, err error) {
				require.NoError(t, err)
				assert.Equal(t, []jframework.FieldChange{{Field: "testMode", Old: "false", New: "true"}}, resp.Changes)
				assert.True(t, resp.After.TestMode)
				assert.False(t, resp.Before.TestMode)
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := jframeworktest.NewServer()
			defer srv.Close()
			srv.AddCoupon(orig)
			client, m := recordingClient(t, srv)
			resp, err := client.ModifyCoupon(context.Background(), "c1", tt.change)
			tt.check(t, resp, err)
			assert.Equal(t, tt.methods, m.list())
			if len(tt.methods) < 2 {
				got, _ := srv.Coupon("c1")
				assert.Equal(t, normalized(orig), normalized(got), "nothing was written")
			}
		})
	}
}

var errSentinel = errors.New("not today")

// TestModifyChangesListsExactlyTheDifferingFields, in wire order, old and
// new as compact JSON text.
func TestModifyChangesListsExactlyTheDifferingFields(t *testing.T) {
	orig := baseCoupon()
	orig.Description, orig.Percentage = "old", jframework.Ptr(10.0)
	srv := jframeworktest.NewServer()
	defer srv.Close()
	srv.AddCoupon(orig)
	resp, err := srv.Client().ModifyCoupon(context.Background(), "c1", func(r *jframework.UpdateCouponRequest) error {
		r.EndDate = r.EndDate.AddDate(0, 0, 7)
		r.Description = nil
		r.Percentage = nil
		r.Quantity = jframework.Ptr(3)
		return nil
	})
	require.NoError(t, err)
	assert.Equal(t, []jframework.FieldChange{
		{Field: "percentage", Old: "10", New: "null"},
		{Field: "quantity", Old: "null", New: "3"},
		{Field: "endDate", Old: `"2025-07-23T13:56:00.4346201+07:00"`, New: `"2025-07-30T13:56:00.4346201+07:00"`},
		{Field: "description", Old: `"old"`, New: "null"},
	}, resp.Changes)
	got, _ := srv.Coupon("c1")
	assert.Nil(t, got.Percentage)
	assert.Equal(t, "", got.Description)
	assert.Equal(t, 3, *got.Quantity)
	assert.True(t, orig.EndDate.AddDate(0, 0, 7).Equal(got.EndDate))
}

func TestModifyErrors(t *testing.T) {
	srv := jframeworktest.NewServer()
	defer srv.Close()
	srv.AddCoupon(baseCoupon())
	other := baseCoupon()
	other.ID, other.Code = "c2", "TAKEN"
	srv.AddCoupon(other)
	client, m := recordingClient(t, srv)

	called := false
	_, err := client.ModifyCoupon(context.Background(), "missing", func(*jframework.UpdateCouponRequest) error { called = true; return nil })
	assert.ErrorIs(t, err, jframework.ErrNotFound)
	assert.False(t, called, "change is not called without a coupon")

	_, err = client.ModifyCoupon(context.Background(), "c1", func(r *jframework.UpdateCouponRequest) error { r.Code = "TAKEN"; return nil })
	assert.ErrorIs(t, err, jframework.ErrConflict, "the PUT's error is returned")

	_, err = client.ModifyCoupon(context.Background(), "..", func(*jframework.UpdateCouponRequest) error { return nil })
	var ve *jframework.ValidationError
	require.ErrorAs(t, err, &ve)
	assert.Equal(t, []string{"GET", "GET", "PUT"}, m.list(), "an invalid id sends nothing")
}

// TestModifyReadFailureIsRetried: the read goes through the same retries
// as any call, and the write follows it.
func TestModifyReadFailureIsRetried(t *testing.T) {
	srv := jframeworktest.NewServer()
	defer srv.Close()
	srv.AddCoupon(baseCoupon())
	client, m := recordingClient(t, srv)
	srv.FailNext(1, http.StatusServiceUnavailable)
	resp, err := client.ModifyCoupon(context.Background(), "c1", func(r *jframework.UpdateCouponRequest) error { r.Name = "X"; return nil })
	require.NoError(t, err)
	assert.Equal(t, []string{"GET", "GET", "PUT"}, m.list())
	assert.Equal(t, 1, resp.Meta.Attempts, "the update's metadata")
	got, _ := srv.Coupon("c1")
	assert.Equal(t, "X", got.Name)
}
