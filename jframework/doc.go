// Package jframework reads, lists and updates coupons through the
// JFramework Protocol API (GET and PUT /api/v1/coupons/{id}, GET
// /api/v1/coupons; headers Brand-URL and Auth-Key).
//
// The quirks this package protects you from:
//
//   - JFramework wraps every answer in an envelope
//     {"success","statusCode","message","data","errors"} and may report a
//     failure inside an HTTP 200 with "success": false. Every call returns
//     such an answer as an *APIError (StatusCode 200, kind from the
//     envelope's statusCode), never as a coupon full of zero values. The
//     code RateLimitExceeded is a rate limit wherever it appears, and is
//     retried; CouponNotFound is ErrNotFound wherever it appears.
//   - Dates come back with seven fractional digits and the brand's offset
//     ("2025-06-23T13:56:00.4346197+07:00"); they decode exactly, offset and
//     100-nanosecond ticks included. Dates are sent as RFC 3339 with as
//     many fractional digits as needed.
//   - The coupon id travels in the path and is escaped, so an id such as
//     "a/../b" or "x?y" cannot change the route or add a query; "." and
//     ".." are refused before sending.
//   - The update is a PUT of the whole coupon: JFramework requires name,
//     code, startDate and endDate on every call and treats the optional
//     fields it does not receive as their defaults (percentage, quantity,
//     description and tags null; autoApplyToPrice and testMode false). Send
//     every value you want to keep, or use ModifyCoupon: it reads the
//     coupon, lets you change some fields, and sends the coupon object back
//     exactly as JFramework sent it (fields this SDK does not model, nulls
//     and absent fields included; minus id and modifiedDate) with only the
//     changed fields replaced, and nothing at all when your change changes
//     nothing.
//     JFramework has no version check: the last writer wins.
//   - ListCoupons pages lazily (pageNumber from 0, pageSize default 200)
//     and stops after totalItems coupons or at an empty page; coupons are
//     decoded leniently (null or absent optional fields, quoted numbers).
//     A server that ignores pageNumber, answers more than pageSize or more
//     pages than totalItems announced ends it with one error instead of
//     looping.
//
// Requests are idempotent, so 429s, RateLimitExceeded answers, 5xx (but
// 501) and transport errors are retried under the client's RetryPolicy,
// waiting until X-RateLimit-Reset (a Unix time) when JFramework sends it.
// Package jframeworktest runs an in-memory JFramework for your tests.
package jframework
