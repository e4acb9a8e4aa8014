package utmcoupon_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/couponkit/couponkit/internal/testutil"
	"github.com/couponkit/couponkit/utmcoupon"
	"github.com/couponkit/couponkit/utmcoupon/utmcoupontest"
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
func recordingClient(t *testing.T, srv *utmcoupontest.Server) (*utmcoupon.Client, *methods) {
	t.Helper()
	tr := &http.Transport{}
	t.Cleanup(tr.CloseIdleConnections)
	m := &methods{next: tr}
	return srv.Client(utmcoupon.WithHTTPClient(&http.Client{Transport: m}), utmcoupon.WithRetryPolicy(fastRetries)), m
}

// baseCoupon has every optional field at its default: null campaign, not
// archived, no item limit, no interval, no usage cap, no grouping key.
func baseCoupon() utmcoupon.Coupon {
	return utmcoupon.Coupon{CouponCode: "BASE", UtmSource: "newsletter"}
}

// withoutStamp is c without lastModifiedUtc, which every upsert rewrites.
func withoutStamp(c utmcoupon.Coupon) utmcoupon.Coupon {
	c.LastModifiedUTC = time.Time{}
	return c
}

// TestModifyRoundTripFieldByField: for each writable (and read-only) field,
// a coupon with that field set to a non-default value keeps it through a
// ModifyCoupon that changes a different field. A full upsert that forgot
// the field would reset it: VTEX replaces the whole coupon.
func TestModifyRoundTripFieldByField(t *testing.T) {
	tests := []struct {
		name string
		// seed stores the coupon on srv; most rows use AddCoupon, the ""
		// campaign goes through an upsert, the only way VTEX stores it.
		seed func(t *testing.T, srv *utmcoupontest.Server, c *utmcoupon.Client)
		// field is the wire field the row sets; the modify changes another.
		field string
	}{
		{"utmSource", add(func(c *utmcoupon.Coupon) { c.UtmSource = "partner-site" }), "utmSource"},
		{"utmCampaign set", add(func(c *utmcoupon.Coupon) { c.UtmCampaign = "black-friday" }), "utmCampaign"},
		{"utmCampaign null", add(func(c *utmcoupon.Coupon) { c.UtmCampaign = "" }), "utmCampaign"},
		{"utmCampaign empty string", func(t *testing.T, srv *utmcoupontest.Server, c *utmcoupon.Client) {
			b := baseCoupon()
			r := b.UpdateRequest()
			r.UtmCampaign = utmcoupon.Ptr("")
			_, err := c.UpdateCoupon(context.Background(), r)
			require.NoError(t, err)
		}, "utmCampaign"},
		{"isArchived", add(func(c *utmcoupon.Coupon) { c.IsArchived = true }), "isArchived"},
		{"maxItemsPerClient", add(func(c *utmcoupon.Coupon) { c.MaxItemsPerClient = 3 }), "maxItemsPerClient"},
		{"expirationIntervalPerUse 14 days", add(func(c *utmcoupon.Coupon) { c.ExpirationIntervalPerUse = 14 * 24 * time.Hour }), "expirationIntervalPerUse"},
		{"expirationIntervalPerUse 1.12:00:00", add(func(c *utmcoupon.Coupon) { c.ExpirationIntervalPerUse = 36 * time.Hour }), "expirationIntervalPerUse"},
		{"expirationIntervalPerUse with a fraction", add(func(c *utmcoupon.Coupon) {
			c.ExpirationIntervalPerUse = 2*time.Hour + 1500*time.Millisecond + 300*time.Nanosecond
		}), "expirationIntervalPerUse"},
		{"maxUsage nil", add(func(c *utmcoupon.Coupon) { c.MaxUsage = nil }), "maxUsage"},
		{"maxUsage 0", add(func(c *utmcoupon.Coupon) { c.MaxUsage = utmcoupon.Ptr(0) }), "maxUsage"},
		{"maxUsage 500", add(func(c *utmcoupon.Coupon) { c.MaxUsage = utmcoupon.Ptr(500) }), "maxUsage"},
		{"groupingKey (read-only)", add(func(c *utmcoupon.Coupon) { c.GroupingKey = "rewardsprogram" }), "groupingKey"},
	}
	changes := []struct {
		field  string
		change func(*utmcoupon.UpdateCouponRequest) error
		apply  func(*utmcoupon.Coupon)
	}{
		{"maxItemsPerClient", func(r *utmcoupon.UpdateCouponRequest) error { r.MaxItemsPerClient = 99; return nil },
			func(c *utmcoupon.Coupon) { c.MaxItemsPerClient = 99 }},
		{"utmSource", func(r *utmcoupon.UpdateCouponRequest) error { r.UtmSource = "changed"; return nil },
			func(c *utmcoupon.Coupon) { c.UtmSource = "changed" }},
	}
	for _, tt := range tests {
		for _, ch := range changes {
			if ch.field == tt.field {
				continue
			}
			t.Run(tt.name+"/change "+ch.field, func(t *testing.T) {
				srv := utmcoupontest.NewServer()
				defer srv.Close()
				c, m := recordingClient(t, srv)
				tt.seed(t, srv, c)
				before, err := c.GetCoupon(context.Background(), "BASE")
				require.NoError(t, err)
				seen := len(m.list())

				resp, err := c.ModifyCoupon(context.Background(), "BASE", ch.change)
				require.NoError(t, err)
				assert.Equal(t, []string{http.MethodGet, http.MethodPost}, m.list()[seen:], "one read, one write")
				require.Len(t, resp.Changes, 1)
				assert.Equal(t, ch.field, resp.Changes[0].Field)
				assert.Equal(t, before.Coupon, resp.Before)

				after, err := c.GetCoupon(context.Background(), "BASE")
				require.NoError(t, err)
				want := before.Coupon
				ch.apply(&want)
				// The whole coupon, the remembered "" or null campaign
				// included, is as before except the changed field.
				assert.Equal(t, withoutStamp(want), withoutStamp(after.Coupon))
				assert.Equal(t, withoutStamp(after.Coupon), withoutStamp(resp.After), "After is what VTEX answered")
				assert.Equal(t, want.UpdateRequest(), after.Coupon.UpdateRequest())
				assert.True(t, after.Coupon.LastModifiedUTC.After(before.Coupon.LastModifiedUTC) ||
					after.Coupon.LastModifiedUTC.Equal(before.Coupon.LastModifiedUTC))
			})
		}
	}
}

// add seeds baseCoupon with set applied through AddCoupon.
func add(set func(*utmcoupon.Coupon)) func(*testing.T, *utmcoupontest.Server, *utmcoupon.Client) {
	return func(_ *testing.T, srv *utmcoupontest.Server, _ *utmcoupon.Client) {
		c := baseCoupon()
		set(&c)
		srv.AddCoupon(c)
	}
}

// TestModifyKeepsEmptyCampaignApartFromNull: VTEX stores utmCampaign null
// and "" apart. A coupon read with "" is written back with "", one read
// with null (or without the field) with null, on the wire.
func TestModifyKeepsEmptyCampaignApartFromNull(t *testing.T) {
	for _, campaign := range []*string{nil, utmcoupon.Ptr("")} {
		c, mt := newMocked(t)
		var cap captured
		body := `{"couponCode":"c","utmSource":"s","maxItemsPerClient":1,"expirationIntervalPerUse":"00:00:00"}`
		// The read as it was, maxItemsPerClient changed: isArchived,
		// utmCampaign and maxUsage stay absent.
		wantSent := `{"couponCode":"c","utmSource":"s","maxItemsPerClient":2,"expirationIntervalPerUse":"00:00:00"}`
		if campaign != nil {
			body = `{"couponCode":"c","utmSource":"s","utmCampaign":"","maxItemsPerClient":1,"expirationIntervalPerUse":"00:00:00"}`
			wantSent = `{"couponCode":"c","utmSource":"s","utmCampaign":"","maxItemsPerClient":2,"expirationIntervalPerUse":"00:00:00"}`
		}
		mt.RegisterResponder(http.MethodGet, couponURL+"/c", jsonResponder(200, body))
		mt.RegisterResponder(http.MethodPost, couponURL, sequence(&cap, jsonResponder(200, body)))
		resp, err := c.ModifyCoupon(context.Background(), "c", func(r *utmcoupon.UpdateCouponRequest) error {
			assert.Equal(t, campaign, r.UtmCampaign)
			r.MaxItemsPerClient = 2
			return nil
		})
		require.NoError(t, err)
		require.Len(t, cap.Bodies, 1)
		assert.Equal(t, wantSent, cap.Bodies[0])
		assert.Equal(t, []utmcoupon.FieldChange{{Field: "maxItemsPerClient", Old: "1", New: "2"}}, resp.Changes)
	}
	// A Coupon built by hand with "" means null.
	assert.Nil(t, (&utmcoupon.Coupon{CouponCode: "c"}).UpdateRequest().UtmCampaign)
}

// TestModifyCampaignNullToEmptyIsAChange: turning null into "" (or back)
// is a real change on the wire, so it is sent.
func TestModifyCampaignNullToEmptyIsAChange(t *testing.T) {
	srv := utmcoupontest.NewServer()
	defer srv.Close()
	c, m := recordingClient(t, srv)
	srv.AddCoupon(baseCoupon())
	resp, err := c.ModifyCoupon(context.Background(), "BASE", func(r *utmcoupon.UpdateCouponRequest) error {
		r.UtmCampaign = utmcoupon.Ptr("")
		return nil
	})
	require.NoError(t, err)
	assert.Equal(t, []utmcoupon.FieldChange{{Field: "utmCampaign", Old: "", New: `""`}}, resp.Changes)
	assert.Equal(t, utmcoupon.Ptr(""), resp.After.UpdateRequest().UtmCampaign)
	resp, err = c.ModifyCoupon(context.Background(), "BASE", func(r *utmcoupon.UpdateCouponRequest) error {
		r.UtmCampaign = nil
		return nil
	})
	require.NoError(t, err)
	assert.Equal(t, []utmcoupon.FieldChange{{Field: "utmCampaign", Old: `""`, New: ""}}, resp.Changes)
	assert.Nil(t, resp.After.UpdateRequest().UtmCampaign)
	assert.Equal(t, []string{"GET", "POST", "GET", "POST"}, m.list())
}

// TestUpdateRequestSetsEveryField is the reflection check: a coupon with
// every field set gives a request with every field set, so a new field of
// UpdateCouponRequest that UpdateRequest forgets fails here instead of
// being wiped on VTEX.
func TestUpdateRequestSetsEveryField(t *testing.T) {
	c := utmcoupon.Coupon{
		CouponCode: "SUMMER15", UtmSource: "newsletter", UtmCampaign: "summer", IsArchived: true,
		MaxItemsPerClient: 2, ExpirationIntervalPerUse: 14 * 24 * time.Hour, MaxUsage: utmcoupon.Ptr(500),
		LastModifiedUTC: time.Date(2021, 11, 10, 14, 24, 39, 368369400, time.UTC), GroupingKey: "SUMMER",
	}
	r := c.UpdateRequest()
	testutil.AllFieldsSet(t, r)
	assert.Equal(t, &utmcoupon.UpdateCouponRequest{
		CouponCode: "SUMMER15", UtmSource: "newsletter", UtmCampaign: utmcoupon.Ptr("summer"), IsArchived: true,
		MaxItemsPerClient: 2, ExpirationIntervalPerUse: 14 * 24 * time.Hour, MaxUsage: utmcoupon.Ptr(500),
	}, r)
	// The request shares no memory with the coupon.
	*r.MaxUsage = 1
	assert.Equal(t, 500, *c.MaxUsage)
}

// TestModifySendsNothingUnlessTheBodyChanges: one read and no write for a
// no-op change, a change to the same values, a change that fails, a change
// of the key, and a change that breaks a rule.
func TestModifySendsNothingUnlessTheBodyChanges(t *testing.T) {
	errStop := errors.New("stop")
	tests := []struct {
		name   string
		change func(*utmcoupon.UpdateCouponRequest) error
		check  func(t *testing.T, resp *utmcoupon.ModifyCouponResponse, err error)
	}{
		{"no-op", func(*utmcoupon.UpdateCouponRequest) error { return nil }, unchanged},
		{"same values", func(r *utmcoupon.UpdateCouponRequest) error {
			r.UtmCampaign = utmcoupon.Ptr("summer")
			r.MaxUsage = utmcoupon.Ptr(500)
			r.ExpirationIntervalPerUse = 14 * 24 * time.Hour
			return nil
		}, unchanged},
		{"change error", func(r *utmcoupon.UpdateCouponRequest) error {
			r.MaxUsage = nil
			return errStop
		}, func(t *testing.T, resp *utmcoupon.ModifyCouponResponse, err error) {
			assert.Nil(t, resp)
			assert.ErrorIs(t, err, errStop)
			assert.Contains(t, err.Error(), "SUMMER15")
		}},
		{"key change", func(r *utmcoupon.UpdateCouponRequest) error {
			r.CouponCode = "SUMMER16"
			return nil
		}, func(t *testing.T, resp *utmcoupon.ModifyCouponResponse, err error) {
			assert.Nil(t, resp)
			var ve *utmcoupon.ValidationError
			require.ErrorAs(t, err, &ve)
			require.Len(t, ve.Fields, 1)
			assert.Equal(t, "couponCode", ve.Fields[0].Field)
			assert.ErrorIs(t, err, utmcoupon.ErrInvalidRequest)
			// Named as UpdateCoupon names its refusals (issue 13 item 8).
			assert.True(t, strings.HasPrefix(err.Error(), `utmcoupon: invalid request for POST /api/rnb/pvt/coupon couponCode "SUMMER15": couponCode`), err.Error())
		}},
		{"broken rule", func(r *utmcoupon.UpdateCouponRequest) error {
			r.MaxItemsPerClient = -1
			r.ExpirationIntervalPerUse = time.Hour + 1
			return nil
		}, func(t *testing.T, resp *utmcoupon.ModifyCouponResponse, err error) {
			assert.Nil(t, resp)
			var ve *utmcoupon.ValidationError
			require.ErrorAs(t, err, &ve)
			assert.Equal(t, []utmcoupon.FieldError{
				{Field: "maxItemsPerClient", Problem: "must not be negative"},
				{Field: "expirationIntervalPerUse", Problem: "must be a whole number of 100ns ticks (a .NET TimeSpan's resolution)"},
			}, ve.Fields)
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := utmcoupontest.NewServer()
			defer srv.Close()
			c, m := recordingClient(t, srv)
			stored := utmcoupon.Coupon{CouponCode: "SUMMER15", UtmSource: "newsletter", UtmCampaign: "summer",
				MaxItemsPerClient: 1, ExpirationIntervalPerUse: 14 * 24 * time.Hour, MaxUsage: utmcoupon.Ptr(500)}
			srv.AddCoupon(stored)
			original, _ := srv.Coupon("SUMMER15")
			resp, err := c.ModifyCoupon(context.Background(), "SUMMER15", tt.change)
			tt.check(t, resp, err)
			assert.Equal(t, []string{http.MethodGet}, m.list(), "one read, no write")
			now, _ := srv.Coupon("SUMMER15")
			assert.Equal(t, original, now, "server state unchanged")
			_, ok := srv.Coupon("SUMMER16")
			assert.False(t, ok, "no other coupon created")
		})
	}
}

func unchanged(t *testing.T, resp *utmcoupon.ModifyCouponResponse, err error) {
	require.NoError(t, err)
	assert.Empty(t, resp.Changes)
	assert.Equal(t, resp.Before, resp.After)
	assert.Equal(t, 200, resp.Meta.StatusCode, "the read's metadata")
	assert.Equal(t, "SUMMER15", resp.Before.CouponCode)
}

// TestModifyChangesListsExactlyTheDifferingFields: Changes names the wire
// fields that differ, in wire order, with their JSON values.
func TestModifyChangesListsExactlyTheDifferingFields(t *testing.T) {
	srv := utmcoupontest.NewServer()
	defer srv.Close()
	c, m := recordingClient(t, srv)
	srv.AddCoupon(utmcoupon.Coupon{CouponCode: "SUMMER15", UtmSource: "newsletter", MaxItemsPerClient: 1, MaxUsage: utmcoupon.Ptr(500)})
	resp, err := c.ModifyCoupon(context.Background(), "SUMMER15", func(r *utmcoupon.UpdateCouponRequest) error {
		r.MaxUsage = nil                                 // 500 -> null
		r.ExpirationIntervalPerUse = 14 * 24 * time.Hour // "00:00:00" -> "14.00:00:00"
		r.UtmCampaign = utmcoupon.Ptr("summer")          // null -> "summer"
		r.IsArchived = true
		r.MaxItemsPerClient = 1 // same value: not a change
		return nil
	})
	require.NoError(t, err)
	assert.Equal(t, []utmcoupon.FieldChange{
		{Field: "utmCampaign", Old: "", New: `"summer"`}, // nil pointers are not sent
		{Field: "isArchived", Old: "false", New: "true"},
		{Field: "expirationIntervalPerUse", Old: `"00:00:00"`, New: `"14.00:00:00"`},
		{Field: "maxUsage", Old: "500", New: ""},
	}, resp.Changes)
	assert.Equal(t, []string{http.MethodGet, http.MethodPost}, m.list())
	assert.Equal(t, 200, resp.Meta.StatusCode, "the upsert replaced the coupon")
	got, _ := srv.Coupon("SUMMER15")
	assert.Equal(t, utmcoupon.Coupon{CouponCode: "SUMMER15", UtmSource: "newsletter", UtmCampaign: "summer", IsArchived: true,
		MaxItemsPerClient: 1, ExpirationIntervalPerUse: 14 * 24 * time.Hour}, withoutStamp(got))
	assert.Equal(t, withoutStamp(got), withoutStamp(resp.After))
	assert.Nil(t, resp.After.MaxUsage)
}

func TestModifyErrors(t *testing.T) {
	t.Run("unknown coupon", func(t *testing.T) {
		srv := utmcoupontest.NewServer()
		defer srv.Close()
		c, m := recordingClient(t, srv)
		called := false
		resp, err := c.ModifyCoupon(context.Background(), "NOPE", func(*utmcoupon.UpdateCouponRequest) error {
			called = true
			return nil
		})
		assert.Nil(t, resp)
		testutil.OnlySentinel(t, err, utmcoupon.ErrNotFound)
		assert.False(t, called)
		assert.Equal(t, []string{http.MethodGet}, m.list(), "no upsert: it would create the coupon")
		_, ok := srv.Coupon("NOPE")
		assert.False(t, ok)
	})
	t.Run("nil change", func(t *testing.T) {
		c, mt := newMocked(t)
		_, err := c.ModifyCoupon(context.Background(), "c", nil)
		var ve *utmcoupon.ValidationError
		require.ErrorAs(t, err, &ve)
		assert.Equal(t, 0, mt.GetTotalCallCount())
	})
	t.Run("stored in another case", func(t *testing.T) {
		c, mt := newMocked(t)
		mt.RegisterResponder(http.MethodGet, couponURL+"/SUMMER15", jsonResponder(200, `{"couponCode":"summer15","utmSource":"s"}`))
		_, err := c.ModifyCoupon(context.Background(), "SUMMER15", func(r *utmcoupon.UpdateCouponRequest) error {
			t.Error("change called")
			return nil
		})
		var ve *utmcoupon.ValidationError
		require.ErrorAs(t, err, &ve)
		assert.Equal(t, "couponCode", ve.Fields[0].Field)
		assert.Contains(t, ve.Fields[0].Problem, `"summer15"`)
		assert.Equal(t, 1, mt.GetTotalCallCount(), "only the read")
	})
	t.Run("coupon as read does not encode", func(t *testing.T) {
		c, mt := newMocked(t)
		mt.RegisterResponder(http.MethodGet, couponURL+"/c", jsonResponder(200, `{"couponCode":"c","utmSource":"s","maxItemsPerClient":-5}`))
		_, err := c.ModifyCoupon(context.Background(), "c", func(*utmcoupon.UpdateCouponRequest) error { return nil })
		require.Error(t, err)
		assert.Contains(t, err.Error(), "maxItemsPerClient must not be negative")
		assert.Equal(t, 1, mt.GetTotalCallCount())
	})
	t.Run("upsert fails", func(t *testing.T) {
		srv := utmcoupontest.NewServer()
		defer srv.Close()
		c, m := recordingClient(t, srv)
		srv.AddCoupon(baseCoupon())
		_, err := c.GetCoupon(context.Background(), "BASE") // warm up
		require.NoError(t, err)
		srv.FailNext(0, 0)
		resp, err := c.ModifyCoupon(context.Background(), "BASE", func(r *utmcoupon.UpdateCouponRequest) error {
			srv.FailNext(1, http.StatusForbidden) // the write fails
			r.IsArchived = true
			return nil
		})
		assert.Nil(t, resp)
		testutil.OnlySentinel(t, err, utmcoupon.ErrForbidden)
		assert.Equal(t, []string{http.MethodGet, http.MethodGet, http.MethodPost}, m.list())
		got, _ := srv.Coupon("BASE")
		assert.False(t, got.IsArchived)
	})
}
