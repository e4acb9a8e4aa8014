// Package bulkcheck holds the tests and benchmarks of the bulk calls
// (UpdateCoupons, ModifyCoupons) and the pacer across the five vendors,
// against their test servers: full pace without a rate-limit answer, several
// clients sharing one quota, vendors without headers, memory and goroutines,
// and the engine's cost against hand-written goroutines. It has no code
// outside its tests.
package bulkcheck
