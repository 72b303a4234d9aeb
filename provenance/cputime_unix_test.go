//go:build unix

package provenance

import (
	"syscall"
	"time"
)

// cpuTime is the process's user+system CPU time. The benchmarks report
// records per CPU-second next to records per wall second, because a loaded
// machine stretches wall time but not CPU time.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
