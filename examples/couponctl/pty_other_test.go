//go:build !linux

package main

import (
	"errors"
	"os"
	"syscall"
)

// openPTY is Linux-only in these tests; elsewhere the terminal tests skip.
func openPTY(int) (master, slave *os.File, err error) {
	return nil, nil, errors.New("no pseudo-terminal helper on this system")
}

// terminalAttr is not needed where openPTY always fails.
func terminalAttr() *syscall.SysProcAttr { return nil }
