package utmcoupontest_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/couponkit/couponkit/utmcoupon"
	"github.com/couponkit/couponkit/utmcoupon/utmcoupontest"
)

var fastRetries = utmcoupon.RetryPolicy{MaxRetries: 3, MinWait: time.Millisecond, MaxWait: 5 * time.Millisecond}

// rawPost sends what the client never would.
func rawPost(t *testing.T, srv *utmcoupontest.Server, method, path, contentType, body string, header ...string) (*http.Response, string) {
	t.Helper()
	req, err := http.NewRequest(method, srv.URL+path, strings.NewReader(body))
	require.NoError(t, err)
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp, string(b)
}

func authed(srv *utmcoupontest.Server) []string {
	return []string{"X-VTEX-API-AppKey", srv.AppKey, "X-VTEX-API-AppToken", srv.AppToken}
}

type problem struct {
	Type    string              `json:"type"`
	Title   string              `json:"title"`
	Status  int                 `json:"status"`
	Detail  string              `json:"detail"`
	TraceID string              `json:"traceId"`
	Errors  map[string][]string `json:"errors"`
}

func decodeProblem(t *testing.T, resp *http.Response, body string) problem {
	t.Helper()
	assert.Equal(t, "application/problem+json; charset=utf-8", resp.Header.Get("Content-Type"))
	var p problem
	require.NoError(t, json.Unmarshal([]byte(body), &p), body)
	assert.Equal(t, resp.StatusCode, p.Status)
	assert.NotEmpty(t, p.TraceID)
	assert.True(t, strings.HasPrefix(p.Type, "https://tools.ietf.org/html/rfc9110#section-15.5."), p.Type)
	return p
}

func TestUpsertThroughClient(t *testing.T) {
	srv := utmcoupontest.NewServer()
	defer srv.Close()
	c := srv.Client()
	ctx := context.Background()

	resp, err := c.UpdateCoupon(ctx, &utmcoupon.UpdateCouponRequest{
		CouponCode: "SUMMER15", UtmSource: "newsletter", UtmCampaign: utmcoupon.Ptr("summer"), IsArchived: true,
		MaxItemsPerClient: 2, ExpirationIntervalPerUse: 36 * time.Hour, MaxUsage: utmcoupon.Ptr(100),
	})
	require.NoError(t, err)
	assert.True(t, resp.Created)
	assert.Equal(t, http.StatusCreated, resp.Meta.StatusCode)
	first := resp.Coupon
	assert.Equal(t, utmcoupon.Coupon{CouponCode: "SUMMER15", UtmSource: "newsletter", UtmCampaign: "summer", IsArchived: true,
		MaxItemsPerClient: 2, ExpirationIntervalPerUse: 36 * time.Hour, MaxUsage: utmcoupon.Ptr(100),
		LastModifiedUTC: first.LastModifiedUTC}, first)
	assert.WithinDuration(t, time.Now(), first.LastModifiedUTC, time.Minute)
	stored, ok := srv.Coupon("SUMMER15")
	require.True(t, ok)
	assert.Equal(t, first, stored)

	// The whole coupon is replaced: fields left nil or false fall back.
	resp, err = c.UpdateCoupon(ctx, &utmcoupon.UpdateCouponRequest{CouponCode: "SUMMER15", UtmSource: "ads", MaxItemsPerClient: 1})
	require.NoError(t, err)
	assert.False(t, resp.Created)
	assert.Equal(t, http.StatusOK, resp.Meta.StatusCode)
	stored, _ = srv.Coupon("SUMMER15")
	assert.Equal(t, utmcoupon.Coupon{CouponCode: "SUMMER15", UtmSource: "ads", MaxItemsPerClient: 1,
		LastModifiedUTC: stored.LastModifiedUTC}, stored)
	assert.Equal(t, stored, resp.Coupon)
	assert.False(t, stored.LastModifiedUTC.Before(first.LastModifiedUTC))

	// A different code is a different coupon: no rename.
	resp, err = c.UpdateCoupon(ctx, &utmcoupon.UpdateCouponRequest{CouponCode: "SUMMER16", UtmSource: "ads"})
	require.NoError(t, err)
	assert.True(t, resp.Created)
	_, ok = srv.Coupon("SUMMER15")
	assert.True(t, ok)
	_, ok = srv.Coupon("nope")
	assert.False(t, ok)
	assert.Equal(t, 3, srv.Requests())
}

func TestAddCouponThenUpdate(t *testing.T) {
	srv := utmcoupontest.NewServer()
	defer srv.Close()
	seeded := time.Date(2020, 1, 8, 20, 6, 6, 372890000, time.UTC)
	srv.AddCoupon(utmcoupon.Coupon{CouponCode: "ctest", UtmSource: "cupom3", MaxItemsPerClient: 1, MaxUsage: utmcoupon.Ptr(3), LastModifiedUTC: seeded})
	got, ok := srv.Coupon("ctest")
	require.True(t, ok)
	assert.Equal(t, seeded, got.LastModifiedUTC)
	*got.MaxUsage = 99 // a copy: the server's state is not aliased
	again, _ := srv.Coupon("ctest")
	assert.Equal(t, 3, *again.MaxUsage)

	resp, err := srv.Client().UpdateCoupon(context.Background(), &utmcoupon.UpdateCouponRequest{
		CouponCode: "ctest", UtmSource: "cupom3", MaxItemsPerClient: 1, MaxUsage: utmcoupon.Ptr(4),
	})
	require.NoError(t, err)
	assert.False(t, resp.Created)
	assert.Equal(t, 4, *resp.Coupon.MaxUsage)
	assert.True(t, resp.Coupon.LastModifiedUTC.After(seeded))

	srv.AddCoupon(utmcoupon.Coupon{CouponCode: "fresh"})
	fresh, _ := srv.Coupon("fresh")
	assert.False(t, fresh.LastModifiedUTC.IsZero(), "a zero time is set to now")
}

func TestRawSuccessBody(t *testing.T) {
	srv := utmcoupontest.NewServer()
	defer srv.Close()
	body := `{"utmSource":"cupom3","utmCampaign":null,"couponCode":"ctest","isArchived":false,"maxItemsPerClient":1,"expirationIntervalPerUse":"00:00:00"}`
	resp, got := rawPost(t, srv, http.MethodPost, utmcoupontest.CouponPath, "application/json", body, authed(srv)...)
	assert.Equal(t, http.StatusCreated, resp.StatusCode)
	assert.Equal(t, "application/json; charset=utf-8", resp.Header.Get("Content-Type"))
	// lastModifiedUtc has seven fraction digits; null fields are left out.
	assert.Regexp(t, regexp.MustCompile(`^\{"lastModifiedUtc":"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{7}Z","utmSource":"cupom3",`+
		`"couponCode":"ctest","isArchived":false,"maxItemsPerClient":1,"expirationIntervalPerUse":"00:00:00"\}$`), got)

	// Fractional and multi-day TimeSpans are stored as sent.
	body = `{"utmSource":"s","couponCode":"ctest","maxItemsPerClient":0,"expirationIntervalPerUse":"2.03:04:05.5","maxUsage":7,"utmCampaign":"c"}`
	resp, got = rawPost(t, srv, http.MethodPost, utmcoupontest.CouponPath, "application/json; charset=utf-8", body, authed(srv)...)
	assert.Equal(t, http.StatusOK, resp.StatusCode, got)
	assert.Contains(t, got, `"utmCampaign":"c"`)
	assert.Contains(t, got, `"expirationIntervalPerUse":"2.03:04:05.5000000","maxUsage":7}`)
	c, _ := srv.Coupon("ctest")
	assert.Equal(t, 51*time.Hour+4*time.Minute+5500*time.Millisecond, c.ExpirationIntervalPerUse)
}

func TestRawAuthFailures(t *testing.T) {
	srv := utmcoupontest.NewServer()
	defer srv.Close()
	body := `{"utmSource":"s","couponCode":"c","maxItemsPerClient":1,"expirationIntervalPerUse":"00:00:00"}`
	for name, header := range map[string][]string{
		"none":          nil,
		"key only":      {"X-VTEX-API-AppKey", srv.AppKey},
		"token only":    {"X-VTEX-API-AppToken", srv.AppToken},
		"empty headers": {"X-VTEX-API-AppKey", "", "X-VTEX-API-AppToken", ""},
	} {
		resp, got := rawPost(t, srv, http.MethodPost, utmcoupontest.CouponPath, "application/json", body, header...)
		assert.Equal(t, http.StatusUnauthorized, resp.StatusCode, name)
		assert.Equal(t, "text/plain; charset=utf-8", resp.Header.Get("Content-Type"), name)
		assert.Contains(t, got, "Unauthorized", name)
	}
	for name, header := range map[string][]string{
		"wrong token": {"X-VTEX-API-AppKey", srv.AppKey, "X-VTEX-API-AppToken", "nope"},
		"wrong key":   {"X-VTEX-API-AppKey", "vtexappkey-other", "X-VTEX-API-AppToken", srv.AppToken},
	} {
		resp, got := rawPost(t, srv, http.MethodPost, utmcoupontest.CouponPath, "application/json", body, header...)
		assert.Equal(t, http.StatusForbidden, resp.StatusCode, name)
		p := decodeProblem(t, resp, got)
		assert.Equal(t, "Forbidden", p.Title)
		assert.NotContains(t, got, srv.AppToken)
	}
	_, ok := srv.Coupon("c")
	assert.False(t, ok, "nothing stored")

	// Through the client: the sentinels.
	c, err := utmcoupon.NewClient(srv.Account, srv.AppKey, "wrong-token", utmcoupon.WithBaseURL(srv.URL))
	require.NoError(t, err)
	_, err = c.UpdateCoupon(context.Background(), &utmcoupon.UpdateCouponRequest{CouponCode: "c", UtmSource: "s"})
	assert.ErrorIs(t, err, utmcoupon.ErrForbidden)
	var ae *utmcoupon.APIError
	require.ErrorAs(t, err, &ae)
	assert.Equal(t, "Forbidden: The credentials are not valid or their role lacks the Promotions and Taxes permission.", ae.Message)
	assert.NotEmpty(t, ae.RequestID, "traceId")
}

func TestRawValidationErrors(t *testing.T) {
	srv := utmcoupontest.NewServer()
	defer srv.Close()
	tests := []struct {
		name, body string
		want       map[string][]string
	}{
		{"missing required", `{"isArchived":true}`, map[string][]string{
			"utmSource":                {"The UtmSource field is required."},
			"couponCode":               {"The CouponCode field is required."},
			"maxItemsPerClient":        {"The MaxItemsPerClient field is required."},
			"expirationIntervalPerUse": {"The ExpirationIntervalPerUse field is required."},
		}},
		{"empty and null", `{"utmSource":"","couponCode":null,"maxItemsPerClient":1,"expirationIntervalPerUse":"00:00:00"}`, map[string][]string{
			"utmSource":  {"The UtmSource field is required."},
			"couponCode": {"The CouponCode field is required."},
		}},
		{"hours over 23", `{"utmSource":"s","couponCode":"c","maxItemsPerClient":1,"expirationIntervalPerUse":"25:00:00"}`, map[string][]string{
			"expirationIntervalPerUse": {"The JSON value could not be converted to System.TimeSpan. Path: $.expirationIntervalPerUse"},
		}},
		{"garbage TimeSpan", `{"utmSource":"s","couponCode":"c","maxItemsPerClient":1,"expirationIntervalPerUse":"14 days"}`, map[string][]string{
			"expirationIntervalPerUse": {"The JSON value could not be converted to System.TimeSpan. Path: $.expirationIntervalPerUse"},
		}},
		{"negative numbers", `{"utmSource":"s","couponCode":"c","maxItemsPerClient":-1,"expirationIntervalPerUse":"-1.00:00:00","maxUsage":-5}`, map[string][]string{
			"maxItemsPerClient":        {"The field MaxItemsPerClient must be between 0 and 2147483647."},
			"maxUsage":                 {"The field MaxUsage must be between 0 and 2147483647."},
			"expirationIntervalPerUse": {"The field ExpirationIntervalPerUse must not be negative."},
		}},
		{"wrong types", `{"utmSource":1,"couponCode":"c","maxItemsPerClient":"1","expirationIntervalPerUse":0,"isArchived":"yes","maxUsage":1.5}`, map[string][]string{
			"utmSource":                {"The JSON value could not be converted to System.String. Path: $.utmSource"},
			"maxItemsPerClient":        {"The JSON value could not be converted to System.Int32. Path: $.maxItemsPerClient"},
			"expirationIntervalPerUse": {"The JSON value could not be converted to System.String. Path: $.expirationIntervalPerUse"},
			"isArchived":               {"The JSON value could not be converted to System.Boolean. Path: $.isArchived"},
			"maxUsage":                 {"The JSON value could not be converted to System.Int32. Path: $.maxUsage"},
		}},
		{"int32 overflow", `{"utmSource":"s","couponCode":"c","maxItemsPerClient":2147483648,"expirationIntervalPerUse":"00:00:00"}`, map[string][]string{
			"maxItemsPerClient": {"The JSON value could not be converted to System.Int32. Path: $.maxItemsPerClient"},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, got := rawPost(t, srv, http.MethodPost, utmcoupontest.CouponPath, "application/json", tt.body, authed(srv)...)
			assert.Equal(t, http.StatusBadRequest, resp.StatusCode)
			p := decodeProblem(t, resp, got)
			assert.Equal(t, "One or more validation errors occurred.", p.Title)
			assert.Equal(t, tt.want, p.Errors)
		})
	}
	for _, body := range []string{`{"utmSource":`, `not json`, `[]`, `null`, `"x"`, `{} {}`, ``} {
		resp, got := rawPost(t, srv, http.MethodPost, utmcoupontest.CouponPath, "application/json", body, authed(srv)...)
		assert.Equal(t, http.StatusBadRequest, resp.StatusCode, body)
		p := decodeProblem(t, resp, got)
		assert.Contains(t, p.Errors, "$", body)
	}
	_, ok := srv.Coupon("c")
	assert.False(t, ok, "nothing stored")
	assert.Equal(t, len(tests)+7, srv.Requests())
}

func TestRawRouting(t *testing.T) {
	srv := utmcoupontest.NewServer()
	defer srv.Close()
	body := `{"utmSource":"s","couponCode":"c","maxItemsPerClient":1,"expirationIntervalPerUse":"00:00:00"}`
	for _, m := range []string{http.MethodPut, http.MethodDelete, http.MethodPatch} {
		resp, got := rawPost(t, srv, m, utmcoupontest.CouponPath, "application/json", body, authed(srv)...)
		assert.Equal(t, http.StatusMethodNotAllowed, resp.StatusCode, m)
		assert.Equal(t, "GET, POST", resp.Header.Get("Allow"))
		assert.Equal(t, "Method Not Allowed", decodeProblem(t, resp, got).Title)
	}
	resp, got := rawPost(t, srv, http.MethodPost, utmcoupontest.CouponPath+"/c", "application/json", body, authed(srv)...)
	assert.Equal(t, http.StatusMethodNotAllowed, resp.StatusCode, "one coupon is only read")
	assert.Equal(t, http.MethodGet, resp.Header.Get("Allow"))
	assert.Equal(t, "Method Not Allowed", decodeProblem(t, resp, got).Title)
	resp, got = rawPost(t, srv, http.MethodPost, "/api/rnb/pvt/coupons", "application/json", body, authed(srv)...)
	assert.Equal(t, http.StatusNotFound, resp.StatusCode)
	assert.Equal(t, "Not Found", got)
	resp, got = rawPost(t, srv, http.MethodPost, utmcoupontest.CouponPath, "text/plain", body, authed(srv)...)
	assert.Equal(t, http.StatusUnsupportedMediaType, resp.StatusCode)
	decodeProblem(t, resp, got)
	resp, got = rawPost(t, srv, http.MethodPost, utmcoupontest.CouponPath, "", body, authed(srv)...)
	assert.Equal(t, http.StatusUnsupportedMediaType, resp.StatusCode, got)
	resp, got = rawPost(t, srv, http.MethodPost, utmcoupontest.CouponPath, "application/json",
		`{"utmSource":"`+strings.Repeat("x", 2<<20)+`"}`, authed(srv)...)
	assert.Equal(t, http.StatusRequestEntityTooLarge, resp.StatusCode, got)
	assert.Equal(t, 8, srv.Requests())
	_, ok := srv.Coupon("c")
	assert.False(t, ok)
}

func TestRateLimit(t *testing.T) {
	srv := utmcoupontest.NewServer()
	defer srv.Close()
	srv.SetRateLimit(2, time.Hour)
	body := `{"utmSource":"s","couponCode":"c","maxItemsPerClient":1,"expirationIntervalPerUse":"00:00:00"}`
	resp, _ := rawPost(t, srv, http.MethodPost, utmcoupontest.CouponPath, "application/json", body, authed(srv)...)
	assert.Equal(t, http.StatusCreated, resp.StatusCode)
	assert.Equal(t, "2", resp.Header.Get("Ratelimit-Limit"))
	assert.Equal(t, "1", resp.Header.Get("Ratelimit-Remaining"))
	assert.Equal(t, "3600", resp.Header.Get("Ratelimit-Reset"))
	assert.Empty(t, resp.Header.Get("Retry-After"))
	rawPost(t, srv, http.MethodPost, utmcoupontest.CouponPath, "application/json", body, authed(srv)...)
	resp, got := rawPost(t, srv, http.MethodPost, utmcoupontest.CouponPath, "application/json", body, authed(srv)...)
	assert.Equal(t, http.StatusTooManyRequests, resp.StatusCode)
	assert.Equal(t, "Too Many Requests", got)
	assert.Equal(t, "3600", resp.Header.Get("Retry-After"))
	assert.Equal(t, "0", resp.Header.Get("Ratelimit-Remaining"))

	// The client gives up at once: the wait would outlast its deadline.
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	_, err := srv.Client(utmcoupon.WithRetryPolicy(utmcoupon.RetryPolicy{MaxRetries: 3, MaxWait: time.Hour})).
		UpdateCoupon(ctx, &utmcoupon.UpdateCouponRequest{CouponCode: "c", UtmSource: "s"})
	require.ErrorIs(t, err, utmcoupon.ErrRateLimited)
	var ae *utmcoupon.APIError
	require.ErrorAs(t, err, &ae)
	assert.Equal(t, time.Hour, ae.RetryAfter)
	assert.Equal(t, 4, srv.Requests())
}

func TestRateLimitKnownSpentReturnsUnsent(t *testing.T) {
	srv := utmcoupontest.NewServer()
	defer srv.Close()
	srv.SetRateLimit(1, 30*time.Millisecond)
	c := srv.Client(utmcoupon.WithRetryPolicy(utmcoupon.RetryPolicy{MaxRetries: 10, MinWait: time.Millisecond, MaxWait: 50 * time.Millisecond}))
	req := &utmcoupon.UpdateCouponRequest{CouponCode: "c", UtmSource: "s"}
	resp, err := c.UpdateCoupon(context.Background(), req)
	require.NoError(t, err)
	require.NotNil(t, resp.Meta.RateLimit)
	assert.Equal(t, 1, resp.Meta.RateLimit.Limit)
	assert.Equal(t, 0, resp.Meta.RateLimit.Remaining)
	assert.Positive(t, resp.Meta.RateLimit.ResetIn)
	assert.LessOrEqual(t, resp.Meta.RateLimit.ResetIn, 30*time.Millisecond, "a short window's reset keeps milliseconds")
	// VTEX's Ratelimit-Reset counts whole seconds: the pacer allows that
	// resolution, longer than MaxWait, so the next call returns at once,
	// unsent, instead of burning a request on a likely 429.
	_, err = c.UpdateCoupon(context.Background(), req)
	require.ErrorIs(t, err, utmcoupon.ErrRateLimited)
	assert.ErrorIs(t, err, utmcoupon.ErrNotSent)
	assert.Equal(t, 1, srv.Requests())
}

func TestFailNext(t *testing.T) {
	srv := utmcoupontest.NewServer()
	defer srv.Close()
	c := srv.Client(utmcoupon.WithRetryPolicy(fastRetries))
	req := &utmcoupon.UpdateCouponRequest{CouponCode: "c", UtmSource: "s"}

	srv.FailNext(2, http.StatusServiceUnavailable)
	resp, err := c.UpdateCoupon(context.Background(), req)
	require.NoError(t, err)
	assert.Equal(t, 3, resp.Meta.Attempts)
	assert.True(t, resp.Created)
	assert.Equal(t, 3, srv.Requests())

	tests := []struct {
		status   int
		sentinel error
		message  string
	}{
		{http.StatusForbidden, utmcoupon.ErrForbidden, "Forbidden"},
		{http.StatusUnauthorized, utmcoupon.ErrUnauthorized, "Unauthorized"},
		{http.StatusBadRequest, utmcoupon.ErrInvalidRequest, "Bad Request"},
		{http.StatusConflict, utmcoupon.ErrConflict, "Conflict"},
		{http.StatusInternalServerError, utmcoupon.ErrServer, "Internal Server Error"},
		{http.StatusTooManyRequests, utmcoupon.ErrRateLimited, "Too Many Requests"},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprint(tt.status), func(t *testing.T) {
			srv.FailNext(10, tt.status)
			before := srv.Requests()
			_, err := srv.Client(utmcoupon.WithRetryPolicy(utmcoupon.RetryPolicy{MaxRetries: utmcoupon.NoRetries})).UpdateCoupon(context.Background(), req)
			require.ErrorIs(t, err, tt.sentinel)
			var ae *utmcoupon.APIError
			require.ErrorAs(t, err, &ae)
			assert.Equal(t, tt.status, ae.StatusCode)
			assert.Contains(t, ae.Message, tt.message)
			assert.Equal(t, before+1, srv.Requests())
			srv.FailNext(0, 0)
		})
	}
	resp2, got := rawPost(t, srv, http.MethodPost, utmcoupontest.CouponPath, "application/json", "{}", authed(srv)...)
	assert.Equal(t, http.StatusBadRequest, resp2.StatusCode, "failures cleared: a real validation answer")
	assert.Contains(t, got, "required")
}

func TestClientPanicsOnInvalidOption(t *testing.T) {
	srv := utmcoupontest.NewServer()
	defer srv.Close()
	assert.PanicsWithValue(t, "utmcoupontest: Client: utmcoupon: WithLogger: nil *slog.Logger (omit the option to log nothing)", func() {
		srv.Client(utmcoupon.WithLogger(nil))
	})
	assert.NotPanics(t, func() { srv.Client() })
}

func TestCredentialsAreCopiedAtStart(t *testing.T) {
	srv := utmcoupontest.NewServer()
	defer srv.Close()
	c := srv.Client()
	srv.AppToken = "changed"
	_, err := c.UpdateCoupon(context.Background(), &utmcoupon.UpdateCouponRequest{CouponCode: "c", UtmSource: "s"})
	require.NoError(t, err)
}

func TestConcurrentUpserts(t *testing.T) {
	srv := utmcoupontest.NewServer()
	defer srv.Close()
	c := srv.Client(utmcoupon.WithRetryPolicy(fastRetries))
	var wg sync.WaitGroup
	var mu sync.Mutex
	created := map[string]int{}
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			for i := 0; i < 25; i++ {
				code := fmt.Sprintf("C%d", i%5)
				resp, err := c.UpdateCoupon(context.Background(), &utmcoupon.UpdateCouponRequest{CouponCode: code, UtmSource: "s", MaxItemsPerClient: g})
				if !assert.NoError(t, err) {
					return
				}
				if resp.Created {
					mu.Lock()
					created[code]++
					mu.Unlock()
				}
				srv.Coupon(code)
			}
		}(g)
	}
	wg.Wait()
	assert.Equal(t, map[string]int{"C0": 1, "C1": 1, "C2": 1, "C3": 1, "C4": 1}, created, "each code created exactly once")
	assert.Equal(t, 200, srv.Requests())
}
