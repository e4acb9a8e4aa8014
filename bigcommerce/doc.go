// Package bigcommerce updates coupons through the BigCommerce v2 Marketing
// API (PUT /stores/{store_hash}/v2/coupons/{id}).
//
// The quirk this package protects you from: a PUT that omits applies_to
// silently clears it on the coupon. UpdateCouponRequest therefore requires
// AppliesTo, along with the other fields BigCommerce's PUT schema requires
// (name, type, amount, code), and validates every documented rule before a
// request is sent.
//
// ListCoupons pages by min_id cursor, as BigCommerce recommends for large
// stores, so coupons created or deleted while it runs neither repeat nor
// are skipped; a server that ignores min_id, answers more than the limit
// or ids out of order ends it with one error instead of looping.
//
// Requests are idempotent, so 429s, 5xx (but 501) and transport errors are
// retried under the client's RetryPolicy, honouring X-Retry-After and
// X-Rate-Limit-Time-Reset-Ms (the longer of the two).
package bigcommerce
