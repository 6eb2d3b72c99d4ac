package server

import (
	"os"
	"runtime"
	"runtime/debug"
	"strings"
)

// StreamWorkers is the size of the gRPC worker pool that serves Checks. A
// pool reuses goroutines whose stacks have already grown to the depth of a
// decision instead of starting a fresh goroutine for every Check. The no-op
// baseline server uses the same setting.
func StreamWorkers() uint32 { return uint32(64 * runtime.GOMAXPROCS(0)) } //nolint:gosec // GOMAXPROCS >= 1 and small

// DefaultGCPercent is the GC target Tollgate runs with unless GOGC or
// runtime.gc_percent says otherwise. A decision allocates a few KiB and the
// live heap is small, so collecting at 4x the live heap instead of 2x halves
// GC work (and the regrowth of worker stacks the GC shrinks) for a few MiB
// more memory; docs/benchmarks.md has the measurements.
const DefaultGCPercent = 400

// TuneGC applies the GC percent (0 means DefaultGCPercent) and, when
// limitBytes > 0, a soft memory limit that makes the GC work harder before
// the process grows past it. An explicit GOGC or GOMEMLIMIT in the
// environment wins.
//
// It also turns heap-profile sampling off: a server exposes no heap
// profile, and sampling keeps a 1.4 MiB bucket table plus every sampled
// stack resident (about 1.5 MiB of RSS at 10k policies). An explicit
// GODEBUG=memprofilerate wins.
func TuneGC(percent int, limitBytes int64) {
	if !strings.Contains(os.Getenv("GODEBUG"), "memprofilerate=") {
		runtime.MemProfileRate = 0
	}
	if _, set := os.LookupEnv("GOGC"); !set {
		if percent == 0 {
			percent = DefaultGCPercent
		}
		debug.SetGCPercent(percent)
	}
	if _, set := os.LookupEnv("GOMEMLIMIT"); !set && limitBytes > 0 {
		debug.SetMemoryLimit(limitBytes)
	}
}
