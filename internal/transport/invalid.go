package transport

import (
	"errors"

	"github.com/couponkit/couponkit/internal/api"
)

// Invalid names the vendor and the operation on err when it is a
// *api.ValidationError found for r before sending (err is returned either
// way), so that a refused request reads like an APIError for the same call:
// "bigcommerce: invalid request for PUT /stores/abc/v2/coupons/7: ...".
// The operation is r's method, path and Key as APIError.Operation gives
// them, credentials redacted; a nil r (no request to name, e.g. a nil
// *UpdateCouponRequest) names only the vendor. Only the fields of the
// request that locate it are read (Method, Path, PathParams, Query, Key).
func (c *Client) Invalid(r *Request, err error) error {
	var ve *api.ValidationError
	if !errors.As(err, &ve) {
		return err
	}
	ve.Vendor = c.vendor.Name
	if r != nil {
		ve.Operation = c.operation(r)
	}
	return err
}
