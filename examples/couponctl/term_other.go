//go:build !(linux || darwin)

package main

import "os"

// termSize is unknown here: terminalWidth falls back to $COLUMNS, then 80.
func termSize(*os.File) int { return 0 }
