//go:build !linux

package store_test

import "time"

// threadCPU is not measured outside Linux.
func threadCPU() (time.Duration, bool) { return 0, false }

func lockThread() (unlock func()) { return func() {} }
