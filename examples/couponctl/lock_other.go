//go:build !(linux || darwin || freebsd || netbsd || openbsd || dragonfly)

package main

import "os"

// tryLock, on systems without flock (Windows, Plan 9, ...), creates the
// lock file and records the pid in it, but takes no operating-system lock:
// there couponctl does not stop two runs on one journal, so do not start
// a second one while the first runs.
func tryLock(path string) (*os.File, error) {
	return os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o644)
}
