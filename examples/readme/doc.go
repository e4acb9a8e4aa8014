// Package readme carries every Go code block of the module's README.md as
// compiled, tested code: readme_test.go checks that each block appears
// verbatim (up to white space) in this package's example_test.go.
package readme
