// Package conformance holds the test suite every vendor package must pass:
// fault injection, credential leaks, redirects, concurrency, connection
// reuse and memory bounds, driven through each vendor's public API. It has
// no non-test code.
package conformance
