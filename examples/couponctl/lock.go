package main

import (
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
)

// lockSuffix names a journal's lock file: run.jsonl.lock. While a run uses
// the journal (set, apply or undo writing it, -resume continuing it, undo
// reading the run it undoes) the lock file holds the run's pid and an
// operating-system lock on it; the lock dies with the process, so a kill
// -9 leaves no stale lock (at most a lock file that the next run reuses).
const lockSuffix = ".lock"

// errLocked is a journal another couponctl is using.
var errLocked = errors.New("locked")

// journalLock is a held journal lock.
type journalLock struct {
	path string
	f    *os.File
}

// lockJournal takes the lock of the journal at path, or returns a
// *usageError naming the pid of the run that holds it.
func lockJournal(path string) (*journalLock, error) {
	lp := path + lockSuffix
	f, err := tryLock(lp)
	if errors.Is(err, errLocked) {
		b, _ := os.ReadFile(lp)
		holder := "another couponctl"
		if pid, err := strconv.Atoi(strings.TrimSpace(string(b))); err == nil && pid > 0 {
			holder = fmt.Sprintf("couponctl pid %d", pid)
		}
		return nil, usagef("journal %s is in use by %s (lock %s): wait for that run to end, or stop it; nothing was sent", path, holder, lp)
	}
	if err != nil {
		return nil, usagef("journal %s: cannot take its lock: %v", path, err)
	}
	// the pid only names the holder in a second run's message: a failed
	// write costs that name, not the lock
	if f.Truncate(0) == nil {
		_, _ = f.WriteAt([]byte(strconv.Itoa(os.Getpid())+"\n"), 0)
	}
	return &journalLock{path: lp, f: f}, nil
}

// unlock removes the lock file and releases the lock (in that order, so
// that a run waiting on this file finds it gone and makes a new one).
func (l *journalLock) unlock() {
	if l == nil || l.f == nil {
		return
	}
	os.Remove(l.path)
	l.f.Close()
	l.f = nil
}
