// Package api holds the public types that every couponkit vendor package
// re-exports under its own name: the error sentinels, APIError,
// ValidationError, RetryPolicy, ResponseMeta and RateLimit.
//
// Defining them once means errors.Is(err, paddle.ErrNotFound) and
// errors.Is(err, bigcommerce.ErrNotFound) test exactly the same thing, and a
// program that talks to several vendors handles their failures with one set
// of checks.
package api
