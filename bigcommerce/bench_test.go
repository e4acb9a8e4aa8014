package bigcommerce_test

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

	"github.com/couponkit/couponkit/bigcommerce"
)

// benchServer answers every PUT with the documented coupon body.
func benchServer() *httptest.Server {
	body := []byte(vendorCoupon)
	return httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", "application/json")
		w.Write(body)
	}))
}

// baselineCoupon is what a hand-written client would decode into.
type baselineCoupon struct {
	ID                 int                    `json:"id"`
	Name               string                 `json:"name"`
	Type               string                 `json:"type"`
	Amount             string                 `json:"amount"`
	MinPurchase        string                 `json:"min_purchase"`
	Expires            string                 `json:"expires"`
	Enabled            bool                   `json:"enabled"`
	Code               string                 `json:"code"`
	AppliesTo          *bigcommerce.AppliesTo `json:"applies_to"`
	NumUses            int                    `json:"num_uses"`
	MaxUses            int                    `json:"max_uses"`
	MaxUsesPerCustomer int                    `json:"max_uses_per_customer"`
	RestrictedTo       json.RawMessage        `json:"restricted_to"`
	ShippingMethods    []string               `json:"shipping_methods"`
	DateCreated        string                 `json:"date_created"`
}

type baselineBody struct {
	Name      string                 `json:"name"`
	Type      string                 `json:"type"`
	Amount    string                 `json:"amount"`
	Code      string                 `json:"code"`
	AppliesTo *bigcommerce.AppliesTo `json:"applies_to"`
}

// baseline is the same call written by hand with net/http and encoding/json.
func baseline(ctx context.Context, hc *http.Client, base string) (*baselineCoupon, error) {
	body, err := json.Marshal(baselineBody{Name: "$5 off", Type: "per_total_discount", Amount: "5.00", Code: "S2549JM0Y",
		AppliesTo: &bigcommerce.AppliesTo{Entity: "categories", IDs: []int{0}}})
	if err != nil {
		return nil, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPut, base+"/stores/abc123/v2/coupons/42", bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	req.Header.Set("X-Auth-Token", token)
	req.Header.Set("Accept", "application/json")
	req.Header.Set("Content-Type", "application/json")
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
	if resp.StatusCode != 200 {
		return nil, fmt.Errorf("status %d", resp.StatusCode)
	}
	var c baselineCoupon
	if err := json.Unmarshal(b, &c); err != nil {
		return nil, err
	}
	if _, err := time.Parse(time.RFC1123Z, c.DateCreated); err != nil {
		return nil, err
	}
	return &c, nil
}

func BenchmarkUpdateCoupon(b *testing.B) {
	srv := benchServer()
	defer srv.Close()
	c, err := bigcommerce.NewClient(storeHash, token, bigcommerce.WithBaseURL(srv.URL))
	if err != nil {
		b.Fatal(err)
	}
	hc := testutil.PooledClient()
	ctx := context.Background()
	sdk := func() error { _, err := c.UpdateCoupon(ctx, minimalRequest()); return err }
	base := func() error { _, err := baseline(ctx, hc, srv.URL); return err }
	testutil.BenchPair(b, sdk, base)
}
