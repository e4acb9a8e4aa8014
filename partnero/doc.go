// Package partnero updates coupons through the Partnero Partner API
// (PUT /v1/coupons, the coupon named by uuid_code in the JSON body,
// authenticated with Authorization: Bearer <api key>) and lists them
// (GET /v1/coupons?limit=&page=, lazily, one page per request).
//
// The quirks this package protects you from:
//
//   - Partnero is a PHP (Laravel) back end: an empty metadata object comes
//     back as [], additional_info is [] or an object, numbers may arrive as
//     strings and nullable fields as null. Coupon decodes all of these into
//     plain Go values (an empty, non-nil Metadata map; nil pointers).
//   - redeem:true counts a redemption every time it is received. Without a
//     transaction_key a repeated request counts twice, so such a request is
//     never retried after a 5xx or a connection lost mid-request: only after
//     a 429 or a failure to connect, when Partnero certainly did not act on
//     it. With a TransactionKey Partnero deduplicates, so it retries
//     normally.
//   - sync.provider can be assigned only once and Partnero creates the
//     coupon in the provider during the request, so a request with Sync is
//     not retried after a 5xx either.
//   - Validation errors are Laravel bodies {"message":..,"errors":{..}};
//     APIError.FieldErrors keeps their keys as sent, dotted ones such as
//     "sync.provider" included.
//
// Everything else (PUT without redeem or sync) is idempotent and is retried
// under the client's RetryPolicy on 429, 5xx (but 501) and transport errors.
// Partnero documents no rate-limit headers; the X-RateLimit-Limit,
// X-RateLimit-Remaining, X-RateLimit-Reset and Retry-After headers Laravel's
// throttle middleware sends are read when present (inferred, not
// documented).
//
// The companion package partnerotest runs an in-memory Partnero for tests.
package partnero
