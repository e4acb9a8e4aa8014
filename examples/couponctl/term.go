package main

import (
	"os"
	"strconv"
)

// defaultWidth is the terminal width assumed when it cannot be read: the
// progress line then has at most 79 columns.
const defaultWidth = 80

// terminalWidth returns the width of the terminal f is, from the kernel
// (termSize), else $COLUMNS, else defaultWidth.
func terminalWidth(f *os.File, getenv func(string) string) int {
	if w := termSize(f); w > 0 {
		return w
	}
	if n, err := strconv.Atoi(getenv("COLUMNS")); err == nil && n > 0 {
		return n
	}
	return defaultWidth
}
