package partnero_test

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

	"github.com/couponkit/couponkit/partnero"
)

// baselineCoupon is what a hand-written client would decode the answer into.
type baselineCoupon struct {
	Name                         string     `json:"name"`
	UUIDCode                     string     `json:"uuid_code"`
	Active                       bool       `json:"active"`
	CouponDiscountType           string     `json:"coupon_discount_type"`
	CouponDiscountAmount         float64    `json:"coupon_discount_amount"`
	CouponDurationType           string     `json:"coupon_duration_type"`
	CouponDurationValue          *int       `json:"coupon_duration_value"`
	RedemptionSpecificDateStatus bool       `json:"redemption_specific_date_status"`
	RedemptionSpecificDateValue  *time.Time `json:"redemption_specific_date_value"`
	RedemptionTimesStatus        bool       `json:"redemption_times_status"`
	RedemptionTimesValue         *int       `json:"redemption_times_value"`
	Metadata                     any        `json:"metadata"`
	AdditionalInfo               any        `json:"additional_info"`
	TimesRedeemed                int        `json:"times_redeemed"`
	CreatedAt                    time.Time  `json:"created_at"`
	UpdatedAt                    time.Time  `json:"updated_at"`
	DeletedAt                    *time.Time `json:"deleted_at"`
}

type baselineResponse struct {
	Data                      baselineCoupon `json:"data"`
	Status                    int            `json:"status"`
	Message                   string         `json:"message"`
	SynchronizationEnabled    bool           `json:"synchronization_enabled"`
	SynchronizationSuccessful bool           `json:"synchronization_successful"`
	SynchronizationMessage    string         `json:"synchronization_message"`
}

type baselineRequest struct {
	UUIDCode       string         `json:"uuid_code"`
	Name           string         `json:"name,omitempty"`
	Metadata       map[string]any `json:"metadata,omitempty"`
	Redeem         bool           `json:"redeem,omitempty"`
	TransactionKey string         `json:"transaction_key,omitempty"`
}

type baseline struct {
	hc  *http.Client
	url string
	key string
}

func (b *baseline) update(ctx context.Context, in *baselineRequest) (*baselineResponse, error) {
	body, err := json.Marshal(in)
	if err != nil {
		return nil, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPut, b.url+"/v1/coupons", bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Authorization", "Bearer "+b.key)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", "couponkit-go/0.1.0")
	resp, err := b.hc.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		io.Copy(io.Discard, resp.Body)
		return nil, fmt.Errorf("status %d", resp.StatusCode)
	}
	var out baselineResponse
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
		return nil, err
	}
	io.Copy(io.Discard, resp.Body)
	return &out, nil
}

func BenchmarkUpdateCoupon(b *testing.B) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", "application/json")
		w.Write([]byte(vendorBody))
	}))
	defer srv.Close()

	client, err := partnero.NewClient(apiKey, partnero.WithBaseURL(srv.URL))
	if err != nil {
		b.Fatal(err)
	}
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.MaxIdleConnsPerHost = 64
	base := &baseline{hc: &http.Client{Transport: tr, Timeout: 30 * time.Second}, url: srv.URL, key: apiKey}
	defer tr.CloseIdleConnections()

	meta := map[string]any{"campaign": "spring"}
	sdkReq := &partnero.UpdateCouponRequest{UUIDCode: "coupon_123", Name: partnero.Ptr("PARTNERO25_UPDATED"), Metadata: meta}
	baseReq := &baselineRequest{UUIDCode: "coupon_123", Name: "PARTNERO25_UPDATED", Metadata: meta}
	ctx := context.Background()

	sdk := func() error {
		resp, err := client.UpdateCoupon(ctx, sdkReq)
		if err == nil && resp.Coupon.UUIDCode != "coupon_123" {
			err = fmt.Errorf("got %q", resp.Coupon.UUIDCode)
		}
		return err
	}
	hand := func() error {
		resp, err := base.update(ctx, baseReq)
		if err == nil && resp.Data.UUIDCode != "coupon_123" {
			err = fmt.Errorf("got %q", resp.Data.UUIDCode)
		}
		return err
	}
	testutil.BenchPair(b, sdk, hand)
}
