package utmcoupon_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"time"

	"github.com/couponkit/couponkit/internal/testutil"

	"github.com/couponkit/couponkit/utmcoupon"
)

const benchResponse = `{"lastModifiedUtc":"2021-11-10T14:24:39.3683694Z","utmSource":"newsletter","utmCampaign":"summer",` +
	`"couponCode":"SUMMER15","isArchived":false,"maxItemsPerClient":1,"expirationIntervalPerUse":"14.00:00:00","maxUsage":500}`

// baselineBody and baselineCoupon are what a hand-written client would use.
type baselineBody struct {
	UtmSource                string  `json:"utmSource"`
	UtmCampaign              *string `json:"utmCampaign"`
	CouponCode               string  `json:"couponCode"`
	IsArchived               bool    `json:"isArchived"`
	MaxItemsPerClient        int     `json:"maxItemsPerClient"`
	ExpirationIntervalPerUse string  `json:"expirationIntervalPerUse"`
	MaxUsage                 *int    `json:"maxUsage"`
}

type baselineCoupon struct {
	LastModifiedUTC          time.Time `json:"lastModifiedUtc"`
	UtmSource                string    `json:"utmSource"`
	UtmCampaign              string    `json:"utmCampaign"`
	CouponCode               string    `json:"couponCode"`
	IsArchived               bool      `json:"isArchived"`
	MaxItemsPerClient        int       `json:"maxItemsPerClient"`
	ExpirationIntervalPerUse string    `json:"expirationIntervalPerUse"`
	MaxUsage                 *int      `json:"maxUsage"`
	ExpirationInterval       time.Duration
}

// baselineUpdate sends the same bytes and headers as the SDK with net/http
// and encoding/json, and decodes the same answer, TimeSpan included.
func baselineUpdate(ctx context.Context, hc *http.Client, url string) (*baselineCoupon, error) {
	days, hours := 14, 0
	body, err := json.Marshal(baselineBody{
		UtmSource: "newsletter", UtmCampaign: &[]string{"summer"}[0], CouponCode: "SUMMER15",
		MaxItemsPerClient: 1, ExpirationIntervalPerUse: fmt.Sprintf("%d.%02d:00:00", days, hours), MaxUsage: &[]int{500}[0],
	})
	if err != nil {
		return nil, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url+"/api/rnb/pvt/coupon", bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	req.Header.Set("X-VTEX-API-AppKey", appKey)
	req.Header.Set("X-VTEX-API-AppToken", appToken)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", "couponkit-go/0.1.0")
	resp, err := hc.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != http.StatusOK && resp.StatusCode != http.StatusCreated {
		return nil, fmt.Errorf("status %d", resp.StatusCode)
	}
	var c baselineCoupon
	if err := json.Unmarshal(b, &c); err != nil {
		return nil, err
	}
	var d, h, m, s int
	if _, err := fmt.Sscanf(c.ExpirationIntervalPerUse, "%d.%d:%d:%d", &d, &h, &m, &s); err != nil {
		return nil, err
	}
	c.ExpirationInterval = time.Duration(d)*24*time.Hour + time.Duration(h)*time.Hour + time.Duration(m)*time.Minute + time.Duration(s)*time.Second
	return &c, nil
}

func BenchmarkUpdateCoupon(b *testing.B) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		w.Write([]byte(benchResponse))
	}))
	defer srv.Close()

	client, err := utmcoupon.NewClient(account, appKey, appToken, utmcoupon.WithBaseURL(srv.URL))
	if err != nil {
		b.Fatal(err)
	}
	req := &utmcoupon.UpdateCouponRequest{
		CouponCode: "SUMMER15", UtmSource: "newsletter", UtmCampaign: utmcoupon.Ptr("summer"),
		MaxItemsPerClient: 1, ExpirationIntervalPerUse: 14 * 24 * time.Hour, MaxUsage: utmcoupon.Ptr(500),
	}
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.MaxIdleConnsPerHost = 64
	hc := &http.Client{Transport: tr}
	defer tr.CloseIdleConnections()
	ctx := context.Background()

	sdk := func() error {
		resp, err := client.UpdateCoupon(ctx, req)
		if err == nil && resp.Coupon.ExpirationIntervalPerUse != 14*24*time.Hour {
			err = fmt.Errorf("decoded %v", resp.Coupon.ExpirationIntervalPerUse)
		}
		return err
	}
	baseline := func() error {
		c, err := baselineUpdate(ctx, hc, srv.URL)
		if err == nil && c.ExpirationInterval != 14*24*time.Hour {
			err = fmt.Errorf("decoded %v", c.ExpirationInterval)
		}
		return err
	}
	testutil.BenchPair(b, sdk, baseline)
}
