// Package utmcoupon reads, lists and updates coupons through VTEX's
// Promotions & Taxes API (POST
// https://{accountName}.{environment}.com.br/api/rnb/pvt/coupon, GET
// /api/rnb/pvt/coupon/{couponCode} and GET /api/rnb/pvt/coupon), the "UTM
// coupon" resource that ties a coupon code to a utm_source and
// utm_campaign.
//
// The quirks this package protects you from:
//
//   - The call is an upsert keyed by couponCode. There is no separate
//     update: a code that does not exist yet is created (the server answers
//     201, reported as UpdateCouponResponse.Created), and "renaming" a coupon
//     by changing its code creates a second coupon instead.
//   - The server replaces the whole coupon. A field left out is reset to
//     its default (empty), so UpdateCouponRequest sends every field on
//     every call, except nil pointers: a nil UtmCampaign is left out
//     (clearing the campaign), IsArchived false is sent (un-archiving), a
//     nil MaxUsage is left out (no usage cap). VTEX never receives a JSON
//     null: its OpenAPI document types utmCampaign and maxUsage as
//     non-nullable. VTEX's documented way to change one field is to read
//     the coupon, edit it and send all of it back.
//   - Because of that, the safe way to change one field is ModifyCoupon:
//     it reads the coupon (GetCoupon), lets a func change the request from
//     Coupon.UpdateRequest (every writable field set as it is), and, only
//     if that changed a field, sends back the coupon object as VTEX sent it
//     (fields this SDK does not model included, every value in the form
//     read, nulls left out) minus lastModifiedUtc and groupingKey, with the
//     changed fields replaced, reporting the wire fields it changed.
//     Changing the code inside it is refused. VTEX has no version check: a
//     write made by someone else between the read and the update is
//     overwritten (last writer wins; the window is one round trip).
//   - utmCampaign null and "" are two stored values: a coupon read with ""
//     keeps it through a ModifyCoupon (Coupon.UtmCampaign shows both as "",
//     UpdateRequest tells them apart); one read with null is left out.
//   - ListCoupons gets every coupon in one answer (VTEX does not page it):
//     one request when the loop starts. Coupons created in batches carry
//     GroupingKey, read-only.
//   - Reads are lenient where a .NET back end may vary: null for any field,
//     numbers and booleans as strings, TimeSpans with fractions of a
//     second.
//   - expirationIntervalPerUse is a .NET TimeSpan string ("00:00:00",
//     "1.12:00:00", "14.00:00:00"); here it is a time.Duration, converted in
//     both directions, with a TimeSpan that .NET would not write (hours of 24
//     or more, say) reported as an error rather than misread.
//   - The host is built from the account name and environment, so both must
//     be plain DNS labels: nothing passed to NewClient or WithEnvironment can
//     send the app key and token to another host.
//   - Errors arrive either as text/plain bodies or as RFC 7807 problem JSON
//     ({"title","status","errors":{"field":["..."]}}); both become an
//     *APIError, with per-field messages in FieldErrors.
//
// Requests are idempotent (sending the same full coupon twice leaves the
// same coupon; reads change nothing), so 429s, 5xx (but 501) and transport
// errors are retried under the client's RetryPolicy, honouring Retry-After
// and Ratelimit-Reset (the longer of the two).
package utmcoupon
