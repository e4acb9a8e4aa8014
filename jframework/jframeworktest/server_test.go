package jframeworktest_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/couponkit/couponkit/jframework"
	"github.com/couponkit/couponkit/jframework/jframeworktest"
)

var (
	plus7 = time.FixedZone("", 7*3600)
	fast  = jframework.WithRetryPolicy(jframework.RetryPolicy{MaxRetries: 3, MinWait: time.Millisecond, MaxWait: 20 * time.Millisecond})
	none  = jframework.WithRetryPolicy(jframework.RetryPolicy{MaxRetries: jframework.NoRetries})
)

func seeded(t *testing.T) *jframeworktest.Server {
	t.Helper()
	srv := jframeworktest.NewServer()
	t.Cleanup(srv.Close)
	srv.AddCoupon(jframework.Coupon{
		ID: "c1", Code: "COUPON1", Name: "Coupon 1", Description: "old", Tags: "a, b",
		Percentage: jframework.Ptr(10.0), Quantity: jframework.Ptr(100), AutoApplyToPrice: true, TestMode: true,
		Status:    jframework.StatusActive,
		StartDate: time.Date(2025, 6, 23, 13, 56, 0, 434619700, plus7),
		EndDate:   time.Date(2025, 7, 23, 13, 56, 0, 434620100, plus7),
	})
	srv.AddCoupon(jframework.Coupon{ID: "c2", Code: "TAKEN", Name: "Other"})
	return srv
}

func update(id, code string) *jframework.UpdateCouponRequest {
	return &jframework.UpdateCouponRequest{
		ID: id, Name: "Renamed", Code: code,
		StartDate: time.Date(2026, 1, 1, 0, 0, 0, 123456789, time.UTC),
		EndDate:   time.Date(2026, 2, 1, 0, 0, 0, 0, time.UTC),
	}
}

func TestUpdateThroughClient(t *testing.T) {
	srv := seeded(t)
	c := srv.Client(fast)
	before := time.Now()
	req := update("c1", "NEWCODE")
	req.Percentage = jframework.Ptr(25.5)
	req.Quantity = jframework.Ptr(7)
	req.Description = jframework.Ptr("new")
	req.Status = jframework.StatusInactive
	resp, err := c.UpdateCoupon(context.Background(), req)
	require.NoError(t, err)
	got := resp.Coupon
	assert.Equal(t, "The request was successful.", resp.Message)
	// Echoed in the coupon's offset (+07:00), truncated to .NET's 100ns ticks.
	assert.Equal(t, "2026-01-01T07:00:00.1234567+07:00", got.StartDate.Format(time.RFC3339Nano))
	assert.Equal(t, "2026-02-01T07:00:00+07:00", got.EndDate.Format(time.RFC3339Nano))
	assert.False(t, got.ModifiedDate.Before(before.Truncate(time.Microsecond)), "modifiedDate is set")
	_, off := got.ModifiedDate.Zone()
	assert.Equal(t, 7*3600, off)
	assert.Equal(t, jframework.Ptr(25.5), got.Percentage)
	assert.Equal(t, jframework.Ptr(7), got.Quantity)
	assert.Equal(t, "new", got.Description)
	assert.Equal(t, "", got.Tags, "not sent: null")
	assert.False(t, got.AutoApplyToPrice, "not sent: false")
	assert.False(t, got.TestMode, "not sent: false")
	assert.Equal(t, jframework.StatusInactive, got.Status)

	stored, ok := srv.Coupon("c1")
	require.True(t, ok)
	assert.Equal(t, got, stored)

	// A second update: status not sent is kept; nullable fields not sent
	// become null; modifiedDate moves on.
	resp2, err := c.UpdateCoupon(context.Background(), update("c1", "NEWCODE"))
	require.NoError(t, err)
	assert.Equal(t, jframework.StatusInactive, resp2.Coupon.Status)
	assert.Nil(t, resp2.Coupon.Percentage)
	assert.Nil(t, resp2.Coupon.Quantity)
	assert.Equal(t, "", resp2.Coupon.Description)
	assert.False(t, resp2.Coupon.ModifiedDate.Before(got.ModifiedDate))
	assert.Equal(t, 2, srv.Requests())
}

func TestUTCCoupon(t *testing.T) {
	srv := seeded(t)
	resp, err := srv.Client().UpdateCoupon(context.Background(), update("c2", "TAKEN"))
	require.NoError(t, err)
	assert.Equal(t, "2026-01-01T00:00:00.1234567Z", resp.Coupon.StartDate.Format(time.RFC3339Nano), "no seeded offset: UTC")
	assert.Equal(t, "Renamed", resp.Coupon.Name)
}

func TestCouponReturnsACopy(t *testing.T) {
	srv := seeded(t)
	c, ok := srv.Coupon("c1")
	require.True(t, ok)
	*c.Percentage = 99
	again, _ := srv.Coupon("c1")
	assert.Equal(t, 10.0, *again.Percentage)
	_, ok = srv.Coupon("nope")
	assert.False(t, ok)
}

func TestErrorsThroughClient(t *testing.T) {
	srv := seeded(t)
	c := srv.Client(none)

	_, err := c.UpdateCoupon(context.Background(), update("missing", "X"))
	require.ErrorIs(t, err, jframework.ErrNotFound)
	var ae *jframework.APIError
	require.ErrorAs(t, err, &ae)
	assert.Equal(t, "CouponNotFound", ae.Code)
	assert.Equal(t, 404, ae.StatusCode)
	assert.NotEmpty(t, ae.RequestID, "the correlationId")

	_, err = c.UpdateCoupon(context.Background(), update("c1", "taken"))
	require.ErrorIs(t, err, jframework.ErrConflict)
	require.ErrorAs(t, err, &ae)
	assert.Equal(t, "DuplicateCouponCode", ae.Code)
	stored, _ := srv.Coupon("c1")
	assert.Equal(t, "COUPON1", stored.Code, "a rejected update changes nothing")

	bad, err := jframework.NewClient(srv.BrandURL, "wrong-key", jframework.WithBaseURL(srv.URL), none)
	require.NoError(t, err)
	_, err = bad.UpdateCoupon(context.Background(), update("c1", "COUPON1"))
	require.ErrorIs(t, err, jframework.ErrUnauthorized)

	otherBrand, err := jframework.NewClient("https://other.example.com", srv.AuthKey, jframework.WithBaseURL(srv.URL), none)
	require.NoError(t, err)
	_, err = otherBrand.UpdateCoupon(context.Background(), update("c1", "COUPON1"))
	require.ErrorIs(t, err, jframework.ErrUnauthorized)
	assert.Equal(t, 4, srv.Requests())
}

func TestEscapedIDs(t *testing.T) {
	srv := seeded(t)
	c := srv.Client()
	for _, id := range []string{"a/../b", "x?y", "%2F", "a b", "ü#1"} {
		srv.AddCoupon(jframework.Coupon{ID: id, Code: "CODE-" + id, Name: "n"})
		resp, err := c.UpdateCoupon(context.Background(), update(id, "CODE-"+id))
		require.NoError(t, err, id)
		assert.Equal(t, id, resp.Coupon.ID)
		stored, _ := srv.Coupon(id)
		assert.Equal(t, "Renamed", stored.Name, id)
	}
	b, _ := srv.Coupon("b")
	assert.Empty(t, b.ID, "a/../b did not reach another route")
	c1, _ := srv.Coupon("c1")
	assert.Equal(t, "Coupon 1", c1.Name)
}

func TestRateLimit(t *testing.T) {
	srv := seeded(t)
	srv.SetRateLimit(2, time.Minute)
	c := srv.Client(none)
	resp, err := c.UpdateCoupon(context.Background(), update("c1", "COUPON1"))
	require.NoError(t, err)
	require.NotNil(t, resp.Meta.RateLimit)
	assert.Equal(t, 2, resp.Meta.RateLimit.Limit)
	assert.Equal(t, 1, resp.Meta.RateLimit.Remaining)
	assert.InDelta(t, time.Minute, resp.Meta.RateLimit.ResetIn, float64(2*time.Second))
	_, err = c.UpdateCoupon(context.Background(), update("c1", "COUPON1"))
	require.NoError(t, err)
	// The second answer said Remaining 0 for a minute: the client's pacer
	// knows the quota is spent and, the wait being longer than MaxWait,
	// returns at once without burning a request on a certain 429.
	_, err = c.UpdateCoupon(context.Background(), update("c1", "COUPON1"))
	require.ErrorIs(t, err, jframework.ErrRateLimited)
	assert.ErrorIs(t, err, jframework.ErrNotSent)
	assert.Equal(t, 2, srv.Requests())

	// A fresh client (another process) learns it from the server's 429.
	_, err = srv.Client(none).UpdateCoupon(context.Background(), update("c1", "COUPON1"))
	require.ErrorIs(t, err, jframework.ErrRateLimited)
	var ae *jframework.APIError
	require.ErrorAs(t, err, &ae)
	assert.Equal(t, 429, ae.StatusCode)
	assert.Equal(t, "RateLimitExceeded", ae.Code)
	assert.InDelta(t, time.Minute, ae.RetryAfter, float64(2*time.Second), "from X-RateLimit-Reset")
	assert.Equal(t, 3, srv.Requests())
}

func TestRateLimitKnownSpentReturnsUnsent(t *testing.T) {
	srv := seeded(t)
	srv.SetRateLimit(1, 30*time.Millisecond)
	c := srv.Client(jframework.WithRetryPolicy(jframework.RetryPolicy{MaxRetries: 20, MinWait: time.Millisecond, MaxWait: 10 * time.Millisecond}))
	_, err := c.UpdateCoupon(context.Background(), update("c1", "COUPON1"))
	require.NoError(t, err)
	// X-RateLimit-Reset counts whole Unix seconds, so the pacer cannot know
	// the 30 ms window ends sooner than the next second (plus the header's
	// resolution): longer than MaxWait, the call returns at once, unsent.
	_, err = c.UpdateCoupon(context.Background(), update("c1", "COUPON1"))
	require.ErrorIs(t, err, jframework.ErrRateLimited)
	assert.ErrorIs(t, err, jframework.ErrNotSent)
	assert.Equal(t, 1, srv.Requests(), "no request burned on a certain 429")
}

func TestFailNext(t *testing.T) {
	srv := seeded(t)
	srv.FailNext(2, http.StatusServiceUnavailable)
	resp, err := srv.Client(fast).UpdateCoupon(context.Background(), update("c1", "COUPON1"))
	require.NoError(t, err)
	assert.Equal(t, 3, resp.Meta.Attempts)
	assert.Equal(t, 3, srv.Requests())

	srv.FailNext(1, http.StatusTooManyRequests)
	resp, err = srv.Client(fast).UpdateCoupon(context.Background(), update("c1", "COUPON1"))
	require.NoError(t, err)
	assert.Equal(t, 2, resp.Meta.Attempts)

	srv.FailNext(1, http.StatusInternalServerError)
	_, err = srv.Client(none).UpdateCoupon(context.Background(), update("c1", "COUPON1"))
	require.ErrorIs(t, err, jframework.ErrServer)
	var ae *jframework.APIError
	require.ErrorAs(t, err, &ae)
	assert.Equal(t, "InternalServerError", ae.Code)
}

func TestClientPanicsOnBadOptions(t *testing.T) {
	srv := seeded(t)
	defer func() {
		r := recover()
		require.NotNil(t, r)
		assert.Contains(t, fmt.Sprint(r), "nil")
		assert.NotContains(t, fmt.Sprint(r), srv.AuthKey)
	}()
	srv.Client(jframework.WithLogger(nil))
}

func TestConcurrentUpdates(t *testing.T) {
	srv := seeded(t)
	c := srv.Client(fast)
	var wg sync.WaitGroup
	errs := make(chan error, 16*20)
	for g := 0; g < 16; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			for i := 0; i < 20; i++ {
				req := update("c1", "COUPON1")
				req.Name = fmt.Sprintf("g%d-%d", g, i)
				if _, err := c.UpdateCoupon(context.Background(), req); err != nil {
					errs <- err
				}
			}
		}(g)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	assert.Equal(t, 320, srv.Requests())
}

// raw sends a request the client would never send and decodes the answer.
type rawAnswer struct {
	status int
	header http.Header
	env    struct {
		Success    *bool           `json:"success"`
		StatusCode int             `json:"statusCode"`
		Message    string          `json:"message"`
		Data       json.RawMessage `json:"data"`
		Errors     []struct {
			Code, Message, CorrelationID string
		} `json:"errors"`
	}
	body string
}

func raw(t *testing.T, srv *jframeworktest.Server, method, path string, header map[string]string, body string) rawAnswer {
	t.Helper()
	req, err := http.NewRequest(method, srv.URL+path, strings.NewReader(body))
	require.NoError(t, err)
	for k, v := range header {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	a := rawAnswer{status: resp.StatusCode, header: resp.Header, body: string(b)}
	require.NoError(t, json.Unmarshal(b, &a.env), string(b))
	assert.Equal(t, "application/json; charset=utf-8", resp.Header.Get("Content-Type"))
	require.NotNil(t, a.env.Success, string(b))
	if a.status == 200 {
		assert.True(t, *a.env.Success)
	} else {
		assert.False(t, *a.env.Success, string(b))
		assert.Equal(t, "null", string(a.env.Data))
		assert.Equal(t, a.status, a.env.StatusCode)
		require.NotEmpty(t, a.env.Errors)
		for _, e := range a.env.Errors {
			assert.NotEmpty(t, e.CorrelationID)
		}
	}
	return a
}

func codesAndMessages(a rawAnswer) []string {
	var out []string
	for _, e := range a.env.Errors {
		out = append(out, e.Code+": "+e.Message)
	}
	return out
}

const goodBody = `{"name":"N","code":"C","startDate":"2026-01-01T00:00:00Z","endDate":"2026-01-02T00:00:00.5+02:00"}`

func TestRawRequests(t *testing.T) {
	srv := seeded(t)
	auth := map[string]string{"Brand-URL": srv.BrandURL, "Auth-Key": srv.AuthKey, "Content-Type": "application/json"}
	without := func(k string) map[string]string {
		h := map[string]string{}
		for kk, v := range auth {
			if kk != k {
				h[kk] = v
			}
		}
		return h
	}
	with := func(k, v string) map[string]string {
		h := without(k)
		h[k] = v
		return h
	}
	tests := []struct {
		name, method, path string
		header             map[string]string
		body               string
		status             int
		want               []string
	}{
		{"no Auth-Key", "PUT", "/api/v1/coupons/c1", without("Auth-Key"), goodBody, 401,
			[]string{"Unauthorized: The request is not authenticated."}},
		{"bad Auth-Key", "PUT", "/api/v1/coupons/c1", with("Auth-Key", "nope"), goodBody, 401,
			[]string{"Unauthorized: The request is not authenticated."}},
		{"no Brand-URL", "PUT", "/api/v1/coupons/c1", without("Brand-URL"), goodBody, 401,
			[]string{"InvalidBrand: The brand URL is missing or unknown."}},
		{"wrong method", "POST", "/api/v1/coupons/c1", auth, goodBody, 405,
			[]string{"MethodNotAllowed: The method POST is not allowed for this resource."}},
		{"unknown route", "PUT", "/api/v2/coupons/c1", auth, goodBody, 404,
			[]string{"ResourceNotFound: The requested resource was not found."}},
		{"extra segment", "PUT", "/api/v1/coupons/c1/x", auth, goodBody, 404,
			[]string{"ResourceNotFound: The requested resource was not found."}},
		{"unknown coupon", "PUT", "/api/v1/coupons/zzz", auth, goodBody, 404,
			[]string{`CouponNotFound: The coupon "zzz" was not found.`}},
		{"malformed JSON", "PUT", "/api/v1/coupons/c1", auth, `{"name":`, 400,
			[]string{"InvalidRequestBody: The request body is not valid JSON: unexpected end of JSON input"}},
		{"wrong type", "PUT", "/api/v1/coupons/c1", auth, `{"name":1}`, 400, nil},
		{"empty body", "PUT", "/api/v1/coupons/c1", auth, `{}`, 400, []string{
			"ValidationError: 'Name' must not be empty.", "ValidationError: 'Code' must not be empty.",
			"ValidationError: 'Start Date' must not be empty.", "ValidationError: 'End Date' must not be empty."}},
		{"bad fields", "PUT", "/api/v1/coupons/c1", auth,
			`{"name":"","code":"C","percentage":150,"quantity":-1,"startDate":"2026-01-02T00:00:00Z","endDate":"2026-01-01T00:00:00Z","status":"1 - Active"}`, 400,
			[]string{"ValidationError: 'Name' must not be empty.", "ValidationError: 'Percentage' must be between 0 and 100.",
				"ValidationError: 'Quantity' must be between 0 and 2147483647.",
				"ValidationError: 'End Date' must be greater than or equal to 'Start Date'.",
				"ValidationError: 'Status' has a range of values which does not include '1 - Active'."}},
		{"bad date", "PUT", "/api/v1/coupons/c1", auth,
			`{"name":"N","code":"C","startDate":"23/06/2025","endDate":"2026-01-01T00:00:00Z"}`, 400,
			[]string{"ValidationError: 'Start Date' is not a valid date-time."}},
		{"duplicate code", "PUT", "/api/v1/coupons/c1", auth, strings.Replace(goodBody, `"C"`, `"TAKEN"`, 1), 409,
			[]string{`DuplicateCouponCode: A coupon with the code "TAKEN" already exists.`}},
		{"success", "PUT", "/api/v1/coupons/c1", auth, goodBody, 200, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := raw(t, srv, tt.method, tt.path, tt.header, tt.body)
			assert.Equal(t, tt.status, a.status, a.body)
			if tt.want != nil {
				assert.Equal(t, tt.want, codesAndMessages(a))
			}
			if tt.status == 405 {
				assert.Equal(t, "GET, PUT", a.header.Get("Allow"))
			}
			assert.NotContains(t, a.body, srv.AuthKey)
		})
	}
	// Only the last (successful) request changed the coupon.
	c, _ := srv.Coupon("c1")
	assert.Equal(t, "N", c.Name)
	assert.Equal(t, "2026-01-02T05:00:00.5+07:00", c.EndDate.Format(time.RFC3339Nano))
	assert.Equal(t, len(tests), srv.Requests())
}

func TestRawSuccessBody(t *testing.T) {
	srv := seeded(t)
	a := raw(t, srv, "PUT", "/api/v1/coupons/c1",
		map[string]string{"Brand-URL": srv.BrandURL, "Auth-Key": srv.AuthKey},
		`{"name":"N","code":"C","percentage":12.5,"quantity":3,"startDate":"2026-01-01T00:00:00Z","endDate":"2026-01-02T00:00:00Z","tags":"x","testMode":true}`)
	require.Equal(t, 200, a.status)
	assert.Equal(t, 200, a.env.StatusCode)
	assert.Equal(t, "The request was successful.", a.env.Message)
	assert.Contains(t, a.body, `"errors":[]`)
	var data map[string]any
	require.NoError(t, json.Unmarshal(a.env.Data, &data))
	modified, _ := data["modifiedDate"].(string)
	assert.Regexp(t, `^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{7}\+07:00$`, modified)
	delete(data, "modifiedDate")
	assert.Equal(t, map[string]any{
		"id": "c1", "code": "C", "name": "N", "description": nil, "tags": "x", "percentage": 12.5, "quantity": 3.0,
		"startDate": "2026-01-01T07:00:00.0000000+07:00", "endDate": "2026-01-02T07:00:00.0000000+07:00",
		"autoApplyToPrice": false, "status": "Active", "testMode": true,
	}, data)
}

func TestRawRateLimitAnswer(t *testing.T) {
	srv := seeded(t)
	srv.SetRateLimit(1, time.Minute)
	h := map[string]string{"Brand-URL": srv.BrandURL, "Auth-Key": srv.AuthKey}
	first := raw(t, srv, "PUT", "/api/v1/coupons/c1", h, goodBody)
	require.Equal(t, 200, first.status)
	assert.Equal(t, "0", first.header.Get("X-RateLimit-Remaining"))
	a := raw(t, srv, "PUT", "/api/v1/coupons/c1", h, goodBody)
	require.Equal(t, 429, a.status)
	assert.Equal(t, []string{"RateLimitExceeded: Too many requests. Please try again later."}, codesAndMessages(a))
	assert.Equal(t, "1", a.header.Get("X-RateLimit-Limit"))
	assert.Equal(t, "0", a.header.Get("X-RateLimit-Remaining"))
	reset, err := strconv.ParseInt(a.header.Get("X-RateLimit-Reset"), 10, 64)
	require.NoError(t, err)
	assert.InDelta(t, time.Now().Add(time.Minute).Unix(), reset, 2, "Unix seconds")

	srv.FailNext(1, http.StatusTooManyRequests)
	srv.SetRateLimit(0, 0)
	a = raw(t, srv, "PUT", "/api/v1/coupons/c1", h, goodBody)
	require.Equal(t, 429, a.status)
	assert.Equal(t, "RateLimitExceeded", a.env.Errors[0].Code)
	injected, err := strconv.ParseFloat(a.header.Get("X-RateLimit-Reset"), 64)
	require.NoError(t, err)
	assert.Greater(t, injected, float64(time.Now().Unix()-1))
	assert.LessOrEqual(t, injected, float64(time.Now().Unix()+1), "an injected 429 resets within a second, in milliseconds")
}

func TestDefaultCredentials(t *testing.T) {
	srv := jframeworktest.NewServer()
	defer srv.Close()
	assert.Equal(t, jframeworktest.DefaultBrandURL, srv.BrandURL)
	assert.Equal(t, jframeworktest.DefaultAuthKey, srv.AuthKey)
	assert.True(t, strings.HasPrefix(srv.URL, "http://127.0.0.1:"))
	_, err := srv.Client().UpdateCoupon(context.Background(), update("none", "X"))
	assert.True(t, errors.Is(err, jframework.ErrNotFound), err)
}
