package utmcoupontest_test

import (
	"context"
	"fmt"
	"net/http"
	"regexp"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/couponkit/couponkit/utmcoupon"
	"github.com/couponkit/couponkit/utmcoupon/utmcoupontest"
)

// rawGet reads path with the server's credentials.
func rawGet(t *testing.T, srv *utmcoupontest.Server, path string) (*http.Response, string) {
	t.Helper()
	return rawPost(t, srv, http.MethodGet, path, "application/json", "", authed(srv)...)
}

// TestReadsFollowUpserts: GET one and GET all serve the state the upserts
// and AddCoupon leave.
func TestReadsFollowUpserts(t *testing.T) {
	srv := utmcoupontest.NewServer()
	defer srv.Close()
	c := srv.Client(utmcoupon.WithRetryPolicy(fastRetries))
	ctx := context.Background()

	list := func() []string {
		var codes []string
		for coupon, err := range c.ListCoupons(ctx, nil) {
			require.NoError(t, err)
			codes = append(codes, coupon.CouponCode)
		}
		return codes
	}
	assert.Empty(t, list())

	created, err := c.UpdateCoupon(ctx, &utmcoupon.UpdateCouponRequest{
		CouponCode: "SUMMER15", UtmSource: "newsletter", UtmCampaign: utmcoupon.Ptr("summer"),
		MaxItemsPerClient: 2, ExpirationIntervalPerUse: 14 * 24 * time.Hour, MaxUsage: utmcoupon.Ptr(100),
	})
	require.NoError(t, err)
	got, err := c.GetCoupon(ctx, "SUMMER15")
	require.NoError(t, err)
	assert.Equal(t, created.Coupon, got.Coupon, "the read returns what the upsert stored")
	stored, _ := srv.Coupon("SUMMER15")
	assert.Equal(t, stored, got.Coupon)

	srv.AddCoupon(utmcoupon.Coupon{CouponCode: "AUTUMN", UtmSource: "fb", GroupingKey: "AUTUMN-BATCH"})
	assert.Equal(t, []string{"AUTUMN", "SUMMER15"}, list(), "every coupon, ordered by code")

	// An upsert replaces the whole coupon; the read shows it.
	_, err = c.UpdateCoupon(ctx, &utmcoupon.UpdateCouponRequest{CouponCode: "SUMMER15", UtmSource: "newsletter"})
	require.NoError(t, err)
	got, err = c.GetCoupon(ctx, "SUMMER15")
	require.NoError(t, err)
	assert.Equal(t, "", got.Coupon.UtmCampaign)
	assert.Nil(t, got.Coupon.MaxUsage)
	assert.Zero(t, got.Coupon.ExpirationIntervalPerUse)

	// groupingKey is read-only: an upsert keeps it.
	_, err = c.UpdateCoupon(ctx, &utmcoupon.UpdateCouponRequest{CouponCode: "AUTUMN", UtmSource: "ig", IsArchived: true})
	require.NoError(t, err)
	got, err = c.GetCoupon(ctx, "AUTUMN")
	require.NoError(t, err)
	assert.Equal(t, "AUTUMN-BATCH", got.Coupon.GroupingKey)
	assert.Equal(t, "ig", got.Coupon.UtmSource)
	assert.True(t, got.Coupon.IsArchived)

	_, err = c.GetCoupon(ctx, "WINTER")
	assert.ErrorIs(t, err, utmcoupon.ErrNotFound)
}

// TestRawReadShapes: the bodies are VTEX's: a bare object and a bare
// array, null utmCampaign and maxUsage left out, "" kept, groupingKey only
// on batch-created coupons.
func TestRawReadShapes(t *testing.T) {
	srv := utmcoupontest.NewServer()
	defer srv.Close()

	resp, got := rawGet(t, srv, utmcoupontest.CouponPath)
	assert.Equal(t, http.StatusOK, resp.StatusCode)
	assert.Equal(t, "application/json; charset=utf-8", resp.Header.Get("Content-Type"))
	assert.Equal(t, "[]", got)

	srv.AddCoupon(utmcoupon.Coupon{CouponCode: "b-1", UtmSource: "fb", UtmCampaign: "rewards", MaxUsage: utmcoupon.Ptr(3),
		GroupingKey: "b", LastModifiedUTC: time.Date(2022, 4, 20, 20, 7, 3, 506687800, time.UTC)})
	srv.AddCoupon(utmcoupon.Coupon{CouponCode: "a", UtmSource: "s", ExpirationIntervalPerUse: 14 * 24 * time.Hour,
		LastModifiedUTC: time.Date(2021, 11, 10, 14, 24, 39, 368369400, time.UTC)})
	// A campaign of "" reaches the server through an upsert.
	body := `{"utmSource":"s","utmCampaign":"","couponCode":"c","maxItemsPerClient":1,"expirationIntervalPerUse":"00:00:00.5"}`
	resp, got = rawPost(t, srv, http.MethodPost, utmcoupontest.CouponPath, "application/json", body, authed(srv)...)
	require.Equal(t, http.StatusCreated, resp.StatusCode, got)
	assert.Contains(t, got, `"utmCampaign":""`)

	one := `{"lastModifiedUtc":"2022-04-20T20:07:03.5066878Z","utmSource":"fb","utmCampaign":"rewards","couponCode":"b-1",` +
		`"isArchived":false,"maxItemsPerClient":0,"expirationIntervalPerUse":"00:00:00","maxUsage":3,"groupingKey":"b"}`
	resp, got = rawGet(t, srv, utmcoupontest.CouponPath+"/b-1")
	assert.Equal(t, http.StatusOK, resp.StatusCode)
	assert.Equal(t, "application/json; charset=utf-8", resp.Header.Get("Content-Type"))
	assert.Equal(t, one, got)

	resp, got = rawGet(t, srv, utmcoupontest.CouponPath)
	assert.Equal(t, http.StatusOK, resp.StatusCode)
	assert.Regexp(t, regexp.MustCompile(`^\[`+
		regexp.QuoteMeta(`{"lastModifiedUtc":"2021-11-10T14:24:39.3683694Z","utmSource":"s","couponCode":"a","isArchived":false,`+
			`"maxItemsPerClient":0,"expirationIntervalPerUse":"14.00:00:00"},`+one+`,`)+
		`\{"lastModifiedUtc":"[0-9T:.-]{27}Z","utmSource":"s","utmCampaign":"","couponCode":"c","isArchived":false,`+
		`"maxItemsPerClient":1,"expirationIntervalPerUse":"00:00:00\.5000000"\}\]$`), got)

	// The client tells "" from null.
	c := srv.Client()
	for code, want := range map[string]*string{"a": nil, "b-1": utmcoupon.Ptr("rewards"), "c": utmcoupon.Ptr("")} {
		resp, err := c.GetCoupon(context.Background(), code)
		require.NoError(t, err)
		assert.Equal(t, want, resp.Coupon.UpdateRequest().UtmCampaign, code)
	}
	// A groupingKey in an upsert body is ignored: it is read-only.
	body = `{"utmSource":"s","couponCode":"c","maxItemsPerClient":1,"expirationIntervalPerUse":"00:00:00","groupingKey":"forged"}`
	resp, got = rawPost(t, srv, http.MethodPost, utmcoupontest.CouponPath, "application/json", body, authed(srv)...)
	assert.Equal(t, http.StatusOK, resp.StatusCode)
	assert.NotContains(t, got, "groupingKey")
	stored, _ := srv.Coupon("c")
	assert.Empty(t, stored.GroupingKey)
}

func TestRawReadRouting(t *testing.T) {
	srv := utmcoupontest.NewServer()
	defer srv.Close()
	srv.AddCoupon(utmcoupon.Coupon{CouponCode: "a/b", UtmSource: "s"})
	srv.AddCoupon(utmcoupon.Coupon{CouponCode: "50% off", UtmSource: "s"})

	for path, code := range map[string]string{"/a%2Fb": "a/b", "/50%25%20off": "50% off"} {
		resp, got := rawGet(t, srv, utmcoupontest.CouponPath+path)
		assert.Equal(t, http.StatusOK, resp.StatusCode, path)
		assert.Contains(t, got, fmt.Sprintf(`"couponCode":%q`, code), path)
	}
	for _, path := range []string{"/a/b", "/", "/a%2Fb/", "/x/y/z"} {
		resp, got := rawGet(t, srv, utmcoupontest.CouponPath+path)
		assert.Equal(t, http.StatusNotFound, resp.StatusCode, path)
		assert.Equal(t, "Not Found", got, path)
	}
	resp, got := rawGet(t, srv, utmcoupontest.CouponPath+"/missing")
	assert.Equal(t, http.StatusNotFound, resp.StatusCode)
	p := decodeProblem(t, resp, got)
	assert.Equal(t, "Not Found", p.Title)
	assert.Equal(t, "Coupon 'missing' was not found.", p.Detail)
	for _, m := range []string{http.MethodPut, http.MethodDelete, http.MethodPatch, http.MethodPost} {
		resp, got := rawPost(t, srv, m, utmcoupontest.CouponPath+"/a%2Fb", "application/json", "{}", authed(srv)...)
		assert.Equal(t, http.StatusMethodNotAllowed, resp.StatusCode, m)
		assert.Equal(t, http.MethodGet, resp.Header.Get("Allow"), m)
		decodeProblem(t, resp, got)
	}
	stored, ok := srv.Coupon("a/b")
	require.True(t, ok)
	assert.Equal(t, "s", stored.UtmSource, "nothing changed")
}

func TestRawReadAuth(t *testing.T) {
	srv := utmcoupontest.NewServer()
	defer srv.Close()
	srv.AddCoupon(utmcoupon.Coupon{CouponCode: "c", UtmSource: "s"})
	for _, path := range []string{utmcoupontest.CouponPath, utmcoupontest.CouponPath + "/c", utmcoupontest.CouponPath + "/missing"} {
		resp, got := rawPost(t, srv, http.MethodGet, path, "", "")
		assert.Equal(t, http.StatusUnauthorized, resp.StatusCode, path)
		assert.Contains(t, got, "Unauthorized", path)
		resp, got = rawPost(t, srv, http.MethodGet, path, "", "", "X-VTEX-API-AppKey", srv.AppKey, "X-VTEX-API-AppToken", "nope")
		assert.Equal(t, http.StatusForbidden, resp.StatusCode, path)
		assert.NotContains(t, got, `"couponCode"`, path)
	}
	c, err := utmcoupon.NewClient(srv.Account, srv.AppKey, "wrong", utmcoupon.WithBaseURL(srv.URL))
	require.NoError(t, err)
	_, err = c.GetCoupon(context.Background(), "c")
	assert.ErrorIs(t, err, utmcoupon.ErrForbidden)
	for _, err := range c.ListCoupons(context.Background(), nil) {
		assert.ErrorIs(t, err, utmcoupon.ErrForbidden)
	}
}

// TestReadsHonourFailNextAndRateLimit: injected failures and the rate
// limit apply to reads as to upserts, with VTEX's headers.
func TestReadsHonourFailNextAndRateLimit(t *testing.T) {
	srv := utmcoupontest.NewServer()
	defer srv.Close()
	srv.AddCoupon(utmcoupon.Coupon{CouponCode: "c", UtmSource: "s"})
	c := srv.Client(utmcoupon.WithRetryPolicy(fastRetries))
	ctx := context.Background()

	srv.FailNext(2, http.StatusServiceUnavailable)
	resp, err := c.GetCoupon(ctx, "c")
	require.NoError(t, err)
	assert.Equal(t, 3, resp.Meta.Attempts, "a read is retried on 5xx")

	srv.FailNext(1, http.StatusBadGateway)
	n := 0
	for _, err := range c.ListCoupons(ctx, nil) {
		require.NoError(t, err)
		n++
	}
	assert.Equal(t, 1, n)

	srv.FailNext(1, http.StatusNotFound)
	_, err = srv.Client(utmcoupon.WithRetryPolicy(utmcoupon.RetryPolicy{MaxRetries: utmcoupon.NoRetries})).GetCoupon(ctx, "c")
	assert.ErrorIs(t, err, utmcoupon.ErrNotFound)

	srv.SetRateLimit(2, time.Hour)
	r, _ := rawGet(t, srv, utmcoupontest.CouponPath+"/c")
	assert.Equal(t, http.StatusOK, r.StatusCode)
	assert.Equal(t, "2", r.Header.Get("Ratelimit-Limit"))
	assert.Equal(t, "1", r.Header.Get("Ratelimit-Remaining"))
	assert.Equal(t, "3600", r.Header.Get("Ratelimit-Reset"))
	got, err := c.GetCoupon(ctx, "c")
	require.NoError(t, err)
	assert.Equal(t, &utmcoupon.RateLimit{Limit: 2, Remaining: 0, ResetIn: time.Hour}, got.Meta.RateLimit)
	r, body := rawGet(t, srv, utmcoupontest.CouponPath)
	assert.Equal(t, http.StatusTooManyRequests, r.StatusCode)
	assert.Equal(t, "3600", r.Header.Get("Retry-After"))
	assert.Equal(t, "Too Many Requests", body)
	for _, err := range c.ListCoupons(ctx, nil) {
		assert.ErrorIs(t, err, utmcoupon.ErrRateLimited, "the wait is longer than MaxWait")
	}
}

func TestConcurrentReadsAndUpserts(t *testing.T) {
	srv := utmcoupontest.NewServer()
	defer srv.Close()
	c := srv.Client(utmcoupon.WithRetryPolicy(fastRetries))
	ctx := context.Background()
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			code := fmt.Sprintf("C%d", i)
			for j := range 5 {
				_, err := c.UpdateCoupon(ctx, &utmcoupon.UpdateCouponRequest{CouponCode: code, UtmSource: "s", MaxItemsPerClient: j})
				assert.NoError(t, err)
				got, err := c.GetCoupon(ctx, code)
				if assert.NoError(t, err) {
					assert.Equal(t, j, got.Coupon.MaxItemsPerClient)
				}
				for _, err := range c.ListCoupons(ctx, nil) {
					assert.NoError(t, err)
				}
			}
		}()
	}
	wg.Wait()
	n := 0
	for range c.ListCoupons(ctx, nil) {
		n++
	}
	assert.Equal(t, 8, n)
}
