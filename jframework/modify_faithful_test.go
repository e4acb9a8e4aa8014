package jframework_test

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/couponkit/couponkit/internal/testutil"
	"github.com/couponkit/couponkit/jframework"
)

// faithfulData is a coupon as JFramework may send it in its envelope's
// data: fields this SDK does not model (minimumSpend as a decimal string,
// a number, an object, an array, a null), valid but unusual forms of
// modeled ones (percentage as the string "10.50", dates with seven
// fractional digits and offsets, autoApplyToPrice null), and quantity,
// description and tags missing.
const faithfulData = `{"id":"` + couponID + `","code":"C1","name":"Spring","percentage":"10.50",` +
	`"startDate":"2025-06-23T13:56:00.4346197+07:00","endDate":"2025-07-23T13:56:00.4346201-05:30",` +
	`"autoApplyToPrice":null,"status":"Active","testMode":false,"modifiedDate":"2025-06-24T01:02:03.1234567+07:00",` +
	`"minimumSpend":"25.00","x_number":12.50,"x_object":{"a":null,"b":[1]},"x_array":[1,"two",null],"x_null":null}`

// faithfulKept is faithfulData without the read-only id and modifiedDate
// and without the fields the cases change (name, percentage): what every
// PUT carries as read.
const faithfulKept = `"code":"C1","startDate":"2025-06-23T13:56:00.4346197+07:00",` +
	`"endDate":"2025-07-23T13:56:00.4346201-05:30","autoApplyToPrice":null,"status":"Active","testMode":false,` +
	`"minimumSpend":"25.00","x_number":12.50,"x_object":{"a":null,"b":[1]},"x_array":[1,"two",null],"x_null":null`

// faithfulCases: one field changed each, and the exact PUT body the rule
// prescribes (API.md section 5): the coupon as read, minus id and
// modifiedDate, with the changed field in its typed encoding; nothing
// invented for the fields the read lacks.
var faithfulCases = []testutil.ModifyCase[jframework.UpdateCouponRequest]{
	{Name: "percentage", Change: func(r *jframework.UpdateCouponRequest) { r.Percentage = jframework.Ptr(15.0) },
		Body:    `{"name":"Spring","percentage":15,` + faithfulKept + `}`,
		Changes: []jframework.FieldChange{{Field: "percentage", Old: `10.5`, New: `15`}}},
	{Name: "name keeps percentage as the string read", Change: func(r *jframework.UpdateCouponRequest) { r.Name = "Summer" },
		Body:    `{"name":"Summer","percentage":"10.50",` + faithfulKept + `}`,
		Changes: []jframework.FieldChange{{Field: "name", Old: `"Spring"`, New: `"Summer"`}}},
	{Name: "missing quantity set", Change: func(r *jframework.UpdateCouponRequest) { r.Quantity = jframework.Ptr(5) },
		Body:    `{"name":"Spring","percentage":"10.50",` + faithfulKept + `,"quantity":5}`,
		Changes: []jframework.FieldChange{{Field: "quantity", Old: `null`, New: `5`}}},
	{Name: "endDate", Change: func(r *jframework.UpdateCouponRequest) {
		r.EndDate = time.Date(2025, 8, 1, 0, 0, 0, 0, time.FixedZone("", 7*3600))
	},
		Body: `{"name":"Spring","percentage":"10.50","code":"C1","startDate":"2025-06-23T13:56:00.4346197+07:00",` +
			`"endDate":"2025-08-01T00:00:00+07:00","autoApplyToPrice":null,"status":"Active","testMode":false,` +
			`"minimumSpend":"25.00","x_number":12.50,"x_object":{"a":null,"b":[1]},"x_array":[1,"two",null],"x_null":null}`,
		Changes: []jframework.FieldChange{{Field: "endDate", Old: `"2025-07-23T13:56:00.4346201-05:30"`, New: `"2025-08-01T00:00:00+07:00"`}}},
}

func envelope(data string) string {
	return `{"success":true,"statusCode":200,"message":"The request was successful.","data":` + data + `,"errors":[]}`
}

// faithfulMock answers the read with data in the envelope and records the
// PUTs.
func faithfulMock(t *testing.T, data string) (*jframework.Client, *captured) {
	t.Helper()
	c, mt := newMocked(t)
	var put captured
	mt.RegisterResponder(http.MethodGet, couponURL, jsonResponder(200, envelope(data)))
	mt.RegisterResponder(http.MethodPut, couponURL, sequence(&put, jsonResponder(200, vendorSuccess)))
	return c, &put
}

// TestModifyCouponSendsTheReadExceptTheChange compares the body sent, by
// ModifyCoupon and by ModifyCoupons (whose dry run sends none), parsed with
// numbers kept as text, with the document the rule prescribes.
func TestModifyCouponSendsTheReadExceptTheChange(t *testing.T) {
	testutil.RunModifyCases(t, faithfulCases, func(t *testing.T) testutil.Modifier[jframework.UpdateCouponRequest] {
		c, sent := faithfulMock(t, faithfulData)
		ctx := context.Background()
		return testutil.Modifier[jframework.UpdateCouponRequest]{
			One: func(change func(*jframework.UpdateCouponRequest) error) ([]jframework.FieldChange, error) {
				resp, err := c.ModifyCoupon(ctx, couponID, change)
				if err != nil {
					return nil, err
				}
				return resp.Changes, nil
			},
			Bulk: func(change func(*jframework.UpdateCouponRequest) error, dry bool) [][]jframework.FieldChange {
				return testutil.ModifyAll(t, c.ModifyCoupons(ctx, []string{couponID}, change, &jframework.BulkOptions{DryRun: dry}),
					func(r *jframework.ModifyCouponResponse) []jframework.FieldChange { return r.Changes })
			},
			Sent: func() []string { return sent.Bodies },
		}
	})
}

// TestModifyCouponRequiredFieldMissingFromTheRead: a read without a field
// every PUT requires (endDate here) is refused, naming it, with nothing
// sent, unless the change sets it.
func TestModifyCouponRequiredFieldMissingFromTheRead(t *testing.T) {
	data := `{"id":"` + couponID + `","code":"C1","name":"Spring","startDate":"2025-06-23T13:56:00.4346197+07:00","x":[1]}`
	c, put := faithfulMock(t, data)
	_, err := c.ModifyCoupon(context.Background(), couponID, func(r *jframework.UpdateCouponRequest) error {
		r.Name = "Summer"
		return nil
	})
	var ve *jframework.ValidationError
	require.ErrorAs(t, err, &ve)
	assert.Equal(t, "endDate", ve.Fields[0].Field)
	assert.Equal(t, "jframework", ve.Vendor)
	assert.ErrorIs(t, err, jframework.ErrNotSent)
	assert.Empty(t, put.Reqs, "nothing sent")

	_, err = c.ModifyCoupon(context.Background(), couponID, func(r *jframework.UpdateCouponRequest) error {
		r.EndDate = time.Date(2025, 8, 1, 0, 0, 0, 0, time.UTC)
		return nil
	})
	require.NoError(t, err)
	require.Len(t, put.Bodies, 1)
	testutil.SameJSON(t, `{"code":"C1","name":"Spring","startDate":"2025-06-23T13:56:00.4346197+07:00","x":[1],"endDate":"2025-08-01T00:00:00Z"}`, put.Bodies[0])
}
