package api

import "errors"

// Named sets the Vendor of a *ValidationError in err to vendor and returns
// err (nil stays nil; other errors are returned as they are). It is what
// each vendor's exported UpdateCouponRequest.Validate adds to the check
// UpdateCoupon runs, which has no client to name the vendor.
func Named(vendor string, err error) error {
	var ve *ValidationError
	if errors.As(err, &ve) {
		ve.Vendor = vendor
	}
	return err
}
