package paddle_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"

	"time"

	"github.com/couponkit/couponkit/internal/testutil"

	"github.com/couponkit/couponkit/paddle"
)

// BenchmarkUpdateCoupon compares the SDK with hand-written net/http code
// sending the same form and decoding the same answer, against one plain
// server that drains the body and writes Paddle's success envelope.
func BenchmarkUpdateCoupon(b *testing.B) {
	var mu sync.Mutex
	var seen []string // method, path, headers and body of each request until the runs start
	recording := true
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		if recording {
			body, _ := io.ReadAll(r.Body)
			seen = append(seen, fmt.Sprintf("%s %s %v %s", r.Method, r.URL.Path,
				[]string{r.Header.Get("Content-Type"), r.Header.Get("Accept"), r.Header.Get("User-Agent")}, body))
		}
		mu.Unlock()
		io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, success1)
	}))
	defer srv.Close()

	expires := time.Date(2030, 6, 30, 0, 0, 0, 0, time.UTC)
	req := &paddle.UpdateCouponRequest{
		CouponCode: "SUMMER2026", ProductIDs: []int{499531, 1234}, Expires: &expires,
		AllowedUses: paddle.Ptr(100), Currency: paddle.EUR, DiscountAmount: paddle.Ptr(12.5), Recurring: paddle.Ptr(true),
	}
	client, err := paddle.NewClient(vendorID, authCode, paddle.WithBaseURL(srv.URL))
	if err != nil {
		b.Fatal(err)
	}
	sdk := func() error {
		resp, err := client.UpdateCoupon(context.Background(), req)
		if err == nil && resp.Updated != 1 {
			err = fmt.Errorf("updated %d", resp.Updated)
		}
		return err
	}

	hc := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64}, Timeout: 30 * time.Second}
	endpoint := srv.URL + "/2.1/product/update_coupon"
	baseline := func() error {
		form := url.Values{
			"vendor_id":        {strconv.Itoa(vendorID)},
			"vendor_auth_code": {authCode},
			"coupon_code":      {req.CouponCode},
			"product_ids":      {"499531,1234"},
			"expires":          {req.Expires.UTC().Format("2006-01-02")},
			"allowed_uses":     {strconv.Itoa(*req.AllowedUses)},
			"currency":         {req.Currency},
			"discount_amount":  {strconv.FormatFloat(*req.DiscountAmount, 'f', -1, 64)},
			"recurring":        {"1"},
		}
		hreq, err := http.NewRequestWithContext(context.Background(), http.MethodPost, endpoint, strings.NewReader(form.Encode()))
		if err != nil {
			return err
		}
		hreq.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		hreq.Header.Set("Accept", "application/json")
		hreq.Header.Set("User-Agent", "couponkit-go/0.1.0")
		resp, err := hc.Do(hreq)
		if err != nil {
			return err
		}
		defer resp.Body.Close()
		body, err := io.ReadAll(resp.Body)
		if err != nil {
			return err
		}
		var out struct {
			Success  bool `json:"success"`
			Response struct {
				Updated int `json:"updated"`
			} `json:"response"`
			Error *struct {
				Code    int    `json:"code"`
				Message string `json:"message"`
			} `json:"error"`
		}
		if err := json.Unmarshal(body, &out); err != nil {
			return err
		}
		if !out.Success || out.Response.Updated != 1 {
			return fmt.Errorf("unexpected answer %s", body)
		}
		return nil
	}

	defer hc.CloseIdleConnections()

	// Both sides must send the same request for the comparison to mean anything.
	if err := sdk(); err != nil {
		b.Fatal(err)
	}
	if err := baseline(); err != nil {
		b.Fatal(err)
	}
	mu.Lock()
	recording = false
	if len(seen) != 2 || seen[0] != seen[1] {
		b.Fatalf("the baseline sends a different request:\n%q", seen)
	}
	mu.Unlock()

	testutil.BenchPair(b, sdk, baseline)
}
