//go:build linux || darwin

package main

import (
	"os"
	"syscall"
	"unsafe"
)

// termSize reads f's terminal width with the TIOCGWINSZ ioctl (0 when f
// is not a terminal).
func termSize(f *os.File) int {
	var ws struct{ row, col, x, y uint16 }
	_, _, errno := syscall.Syscall(syscall.SYS_IOCTL, f.Fd(), uintptr(syscall.TIOCGWINSZ), uintptr(unsafe.Pointer(&ws)))
	if errno != 0 {
		return 0
	}
	return int(ws.col)
}
