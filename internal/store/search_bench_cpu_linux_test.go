//go:build linux

package store_test

import (
	"runtime"
	"time"

	"golang.org/x/sys/unix"
)

// threadCPU returns the CPU time the calling thread has used (CLOCK_THREAD_CPUTIME_ID,
// exact to the nanosecond), and true. A benchmark that locks its goroutine to its thread
// (lockThread) measures with it the work of each search, SQLite's included (cgo calls run
// on the calling thread), without the time spent waiting for a core: on a shared machine,
// wall time grows with the load and CPU time much less.
func threadCPU() (time.Duration, bool) {
	var ts unix.Timespec
	if err := unix.ClockGettime(unix.CLOCK_THREAD_CPUTIME_ID, &ts); err != nil {
		return 0, false
	}
	return time.Duration(ts.Nano()), true
}

func lockThread() (unlock func()) {
	runtime.LockOSThread()
	return runtime.UnlockOSThread
}
