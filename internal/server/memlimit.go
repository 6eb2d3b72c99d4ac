package server

import (
	"context"
	"os"
	"runtime/debug"
	"runtime/metrics"
	"time"
)

// The automatic soft memory limit (runtime.memory_limit_auto): twice the
// live heap plus headroom. Twice, because a reload builds the next
// snapshot while the one in force still serves; the headroom covers the
// garbage of Checks and of parsing a policy file. At gc_percent 400 the
// heap may otherwise grow to 5x the live heap, which for a large policy
// set is most of the peak RSS (docs/benchmarks.md, "Memory"). For a small
// set the limit is above what GOGC allows, so it changes nothing.
const (
	autoLimitFactor   = 2
	autoLimitHeadroom = 32 << 20
	autoLimitEvery    = time.Second
)

// autoLimit is the soft limit for a live heap of live bytes.
func autoLimit(live uint64) int64 {
	return int64(min(live, 1<<60))*autoLimitFactor + autoLimitHeadroom
}

// memoryLimiter keeps the soft memory limit at autoLimit of the live heap.
type memoryLimiter struct {
	every time.Duration
	live  func() (uint64, bool) // the live heap as of the last GC
	set   func(int64) int64     // debug.SetMemoryLimit
}

// RunAutoMemoryLimit keeps the soft memory limit at twice the live heap
// plus 32 MiB, re-read every second, until ctx is done. It does nothing
// when GOMEMLIMIT is set in the environment. While a load grows the live
// heap the limit follows it up a second later; the headroom is what keeps
// the GC from working flat out in between.
func RunAutoMemoryLimit(ctx context.Context) {
	if _, set := os.LookupEnv("GOMEMLIMIT"); set {
		return
	}
	m := memoryLimiter{every: autoLimitEvery, live: liveHeap, set: debug.SetMemoryLimit}
	m.run(ctx)
}

func (m memoryLimiter) run(ctx context.Context) {
	t := time.NewTicker(m.every)
	defer t.Stop()
	var last int64
	for {
		if live, ok := m.live(); ok {
			if l := autoLimit(live); l != last {
				m.set(l)
				last = l
			}
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

func liveHeap() (uint64, bool) {
	s := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
	metrics.Read(s)
	if s[0].Value.Kind() != metrics.KindUint64 {
		return 0, false
	}
	return s[0].Value.Uint64(), true
}
