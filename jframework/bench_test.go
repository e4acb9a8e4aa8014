package jframework_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"

	"time"

	"github.com/couponkit/couponkit/internal/testutil"

	"github.com/couponkit/couponkit/jframework"
)

// benchServer drains the body and answers JFramework's documented success.
func benchServer() *httptest.Server {
	body := []byte(vendorSuccess)
	return httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		w.Write(body)
	}))
}

// baselineCoupon and baselineEnvelope are what a hand-written client would
// decode into.
type baselineCoupon struct {
	ID               string    `json:"id"`
	Code             string    `json:"code"`
	Name             string    `json:"name"`
	Description      *string   `json:"description"`
	Tags             *string   `json:"tags"`
	Percentage       *float64  `json:"percentage"`
	Quantity         *int      `json:"quantity"`
	StartDate        time.Time `json:"startDate"`
	EndDate          time.Time `json:"endDate"`
	AutoApplyToPrice bool      `json:"autoApplyToPrice"`
	Status           string    `json:"status"`
	TestMode         bool      `json:"testMode"`
	ModifiedDate     time.Time `json:"modifiedDate"`
}

type baselineEnvelope struct {
	Success    bool            `json:"success"`
	StatusCode int             `json:"statusCode"`
	Message    string          `json:"message"`
	Data       *baselineCoupon `json:"data"`
	Errors     []struct {
		Code          string `json:"code"`
		Message       string `json:"message"`
		CorrelationID string `json:"correlationId"`
	} `json:"errors"`
}

type baselineBody struct {
	Name        string   `json:"name"`
	Code        string   `json:"code"`
	Percentage  *float64 `json:"percentage"`
	Quantity    *int     `json:"quantity"`
	StartDate   string   `json:"startDate"`
	EndDate     string   `json:"endDate"`
	Description *string  `json:"description"`
	Tags        *string  `json:"tags"`
	Status      string   `json:"status,omitempty"`
}

// baselineUpdate is the same call written by hand with net/http and
// encoding/json: same bytes, same headers, equivalent decoding.
func baselineUpdate(ctx context.Context, hc *http.Client, base string, r *jframework.UpdateCouponRequest) (*baselineCoupon, error) {
	body, err := json.Marshal(baselineBody{
		Name: r.Name, Code: r.Code, Percentage: r.Percentage, Quantity: r.Quantity,
		StartDate: r.StartDate.Format(time.RFC3339Nano), EndDate: r.EndDate.Format(time.RFC3339Nano),
		Description: r.Description, Tags: r.Tags, Status: string(r.Status),
	})
	if err != nil {
		return nil, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPut, base+"/api/v1/coupons/"+url.PathEscape(r.ID), bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Brand-URL", brandURL)
	req.Header.Set("Auth-Key", authKey)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", "couponkit-go/0.1.0")
	resp, err := hc.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, 10<<20))
	if err != nil {
		return nil, err
	}
	var env baselineEnvelope
	if err := json.Unmarshal(b, &env); err != nil {
		return nil, err
	}
	if resp.StatusCode != http.StatusOK || !env.Success || env.Data == nil {
		return nil, fmt.Errorf("jframework: %d", resp.StatusCode)
	}
	return env.Data, nil
}

func benchRequest() *jframework.UpdateCouponRequest {
	r := minimalRequest()
	r.Percentage = jframework.Ptr(10.0)
	r.Quantity = jframework.Ptr(100)
	r.Status = jframework.StatusActive
	return r
}

func BenchmarkUpdateCoupon(b *testing.B) {
	srv := benchServer()
	defer srv.Close()
	client, err := jframework.NewClient(brandURL, authKey, jframework.WithBaseURL(srv.URL))
	if err != nil {
		b.Fatal(err)
	}
	hc := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64}}
	defer hc.CloseIdleConnections()
	ctx := context.Background()
	req := benchRequest()

	sdk := func() error {
		resp, err := client.UpdateCoupon(ctx, req)
		if err == nil && resp.Coupon.Code != "COUPON1" {
			err = fmt.Errorf("decoded %q", resp.Coupon.Code)
		}
		return err
	}
	baseline := func() error {
		c, err := baselineUpdate(ctx, hc, srv.URL, req)
		if err == nil && c.Code != "COUPON1" {
			err = fmt.Errorf("decoded %q", c.Code)
		}
		return err
	}
	testutil.BenchPair(b, sdk, baseline)
}

// TestBaselineSendsTheSameRequest keeps the benchmark honest: the
// hand-written baseline sends the SDK's bytes and headers.
func TestBaselineSendsTheSameRequest(t *testing.T) {
	type seen struct {
		uri, body string
		header    http.Header
	}
	got := make(chan seen, 2)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		h := r.Header.Clone()
		h.Del("Accept-Encoding") // added by net/http's transport for both
		got <- seen{r.RequestURI, string(b), h}
		w.Write([]byte(vendorSuccess))
	}))
	defer srv.Close()
	client, err := jframework.NewClient(brandURL, authKey, jframework.WithBaseURL(srv.URL))
	if err != nil {
		t.Fatal(err)
	}
	req := benchRequest()
	req.ID = "a/../b"
	resp, err := client.UpdateCoupon(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	c, err := baselineUpdate(context.Background(), http.DefaultClient, srv.URL, req)
	if err != nil {
		t.Fatal(err)
	}
	sdk, base := <-got, <-got
	if sdk.uri != base.uri || sdk.body != base.body || fmt.Sprint(sdk.header) != fmt.Sprint(base.header) {
		t.Fatalf("baseline differs:\nsdk:      %+v\nbaseline: %+v", sdk, base)
	}
	if !c.StartDate.Equal(resp.Coupon.StartDate) || *c.Percentage != *resp.Coupon.Percentage || c.Name != resp.Coupon.Name {
		t.Fatalf("baseline decodes differently: %+v vs %+v", c, resp.Coupon)
	}
}
