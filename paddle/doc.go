// Package paddle updates coupons through the Paddle Classic Product API
// (POST /2.1/product/update_coupon on vendors.paddle.com) and lists them
// (POST /2.0/product/list_coupons, per product).
//
// Paddle Classic breaks the usual REST rules, and this package protects you
// from each of its quirks:
//
//   - The body is application/x-www-form-urlencoded, not JSON, and the
//     credentials (vendor_id, vendor_auth_code) travel inside it. The auth
//     code is redacted from every error, log line and APIError.Body, even
//     when a server or proxy quotes the request back.
//   - Failures come back as HTTP 200 with
//     {"success":false,"error":{"code":N,"message":"..."}}. UpdateCoupon
//     turns them into an *APIError with StatusCode 200 and Code "N", mapped
//     to the shared sentinels (102, 111: ErrUnauthorized; 107: ErrForbidden;
//     108, 135: ErrNotFound; 120: ErrServer; 189: ErrRateLimited; any other
//     code: ErrInvalidRequest).
//   - A blank product_ids removes every product from the coupon and a blank
//     expires removes its expiry. Those destructive blanks are sent only
//     when you ask for them with RemoveProducts or RemoveExpiry; an empty
//     ProductIDs or a nil Expires sends nothing and changes nothing.
//   - Renaming a coupon (NewCouponCode) or moving it to another group
//     (NewGroup) is not safe to repeat: a repeat addresses the old code and
//     fails with 135 or updates nothing. Such requests are retried only when
//     Paddle certainly did not act on them (rate limit 189 or HTTP 429, and
//     connection failures before the request was written), never after a
//     5xx, an internal error 120 or a connection lost mid-request. Every
//     other update is retried on all of those.
//   - Paddle has no single-coupon read: ListCoupons lists one product's
//     coupons in one answer (at most 500, Paddle's page since March 2025).
//     Its answer writes a percentage as a fraction (0.1 for 10%) and
//     expires as a date-time; Coupon reads them in the units UpdateCoupon
//     takes (10, a date at 00:00 UTC), and reads numbers sent as strings,
//     0/1 booleans and a null currency.
//   - Paddle documents no rate-limit headers, so ResponseMeta.RateLimit is
//     always nil; 189 answers are retried with exponential backoff (or the
//     Retry-After a proxy adds).
//
// Every rule Paddle documents for the request (exactly one of coupon_code or
// group, lengths, currency, amounts) is checked before anything is sent.
// Package paddletest runs an in-memory Paddle for your own tests.
package paddle
