//go:build linux

package store_test

import (
	"runtime"
	"syscall"
	"time"
)

// threadCPU returns the CPU time the calling thread has used, and true. A benchmark that
// locks its goroutine to its thread (lockThread) measures with it the work of each search,
// SQLite's included (cgo calls run on the calling thread), without the time spent waiting
// for a core: on a shared machine, wall time grows with the load and CPU time much less.
func threadCPU() (time.Duration, bool) {
	var ru syscall.Rusage
	const rusageThread = 1 // RUSAGE_THREAD
	if err := syscall.Getrusage(rusageThread, &ru); err != nil {
		return 0, false
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano()), true
}

func lockThread() (unlock func()) {
	runtime.LockOSThread()
	return runtime.UnlockOSThread
}
