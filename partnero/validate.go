package partnero

import "github.com/couponkit/couponkit/internal/api"

// Validate reports whether r breaks a rule Partnero documents, with exactly
// the check UpdateCoupon runs before it sends anything: nil, or a
// *ValidationError (matching ErrInvalidRequest and ErrNotSent) that lists
// every broken field by its wire name, with Vendor set and Operation empty
// (no request was built). It sends nothing and needs no Client, so a program
// can check every item of a batch (a CSV plan, command-line input) before
// the first request, instead of learning of a bad value halfway through a
// run.
func (r *UpdateCouponRequest) Validate() error {
	return api.Named("partnero", r.validate())
}
