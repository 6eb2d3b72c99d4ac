package server

import (
	"context"
	"os"
	"runtime/debug"
	"runtime/metrics"
	"time"
)

// The automatic soft memory limit (runtime.memory_limit_auto) leaves the
// heap room for as much garbage as it holds live data, and at least the
// headroom (runtime.memory_headroom_mib, 24 MiB by default): the Go
// runtime's own default target (GOGC=100) with a floor, on top of what the
// runtime holds outside the heap (goroutine stacks, its own structures),
// which the limit also counts. gc_percent 400 lets the heap grow to 5x the
// live heap, and for a large policy set the garbage of Checks would then be
// most of the peak RSS (docs/benchmarks.md, "Memory"). The headroom is the
// trade between memory and CPU: a Check leaves ~12 KB of garbage (most of
// it gRPC's), and each collection marks the whole live heap, so halving it
// doubles the collections. For a small policy set the limit is above what
// gc_percent allows and changes nothing. While a reload builds the next
// snapshot the live heap grows, and the limit follows it up a tick later.
const autoLimitEvery = 250 * time.Millisecond

// goMemory is what the soft limit is set from.
type goMemory struct {
	live  uint64 // the live heap as of the last GC
	other uint64 // what the runtime holds outside the heap
}

// autoLimit is the soft limit for m with at least headroom bytes of room.
func autoLimit(m goMemory, headroom int64) int64 {
	live := int64(min(m.live, 1<<60))
	return int64(min(m.other, 1<<60)) + live + max(live, headroom)
}

// memoryLimiter keeps the soft memory limit at autoLimit of the runtime's
// memory.
type memoryLimiter struct {
	every    time.Duration
	headroom int64
	read     func() (goMemory, bool)
	set      func(int64) int64 // debug.SetMemoryLimit
}

// RunAutoMemoryLimit keeps the soft memory limit at autoLimit of the
// runtime's memory with at least headroom bytes of room, re-read four
// times a second, until ctx is done. It does nothing when GOMEMLIMIT is
// set in the environment. While a load grows the live heap the limit
// follows it up a tick later; the room is what keeps the GC from working
// flat out in between.
func RunAutoMemoryLimit(ctx context.Context, headroom int64) {
	if _, set := os.LookupEnv("GOMEMLIMIT"); set {
		return
	}
	m := memoryLimiter{every: autoLimitEvery, headroom: headroom, read: readGoMemory, set: debug.SetMemoryLimit}
	m.run(ctx)
}

func (m memoryLimiter) run(ctx context.Context) {
	t := time.NewTicker(m.every)
	defer t.Stop()
	var last int64
	for {
		if mem, ok := m.read(); ok {
			if l := autoLimit(mem, m.headroom); l != last {
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

// readGoMemory reads the runtime's memory from runtime/metrics.
func readGoMemory() (goMemory, bool) {
	// What the soft limit counts is total minus released; the heap is
	// objects, unused and free.
	s := []metrics.Sample{
		{Name: "/gc/heap/live:bytes"},
		{Name: "/memory/classes/total:bytes"},
		{Name: "/memory/classes/heap/released:bytes"},
		{Name: "/memory/classes/heap/objects:bytes"},
		{Name: "/memory/classes/heap/unused:bytes"},
		{Name: "/memory/classes/heap/free:bytes"},
	}
	metrics.Read(s)
	v := make([]uint64, len(s))
	for i := range s {
		if s[i].Value.Kind() != metrics.KindUint64 {
			return goMemory{}, false
		}
		v[i] = s[i].Value.Uint64()
	}
	live, total, released, heap := v[0], v[1], v[2], v[3]+v[4]+v[5]
	m := goMemory{live: live}
	if total >= released+heap {
		m.other = total - released - heap
	}
	return m, true
}
