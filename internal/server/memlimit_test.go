package server

import (
	"context"
	"os"
	"runtime/debug"
	"sync"
	"testing"
	"time"

	"github.com/tollgate-authz/tollgate/internal/testutil"
)

// TestMemoryLimiterFollowsLiveHeap: the limit is set from the live heap
// when it starts, follows it up (a larger policy set) and down, is not set
// again while the live heap stays put, and is left alone when the live
// heap cannot be read. A small heap gets the headroom (here 16 MiB) as
// room, a large one as much room as it holds; the runtime's memory outside
// the heap (here 6 MiB) comes on top.
func TestMemoryLimiterFollowsLiveHeap(t *testing.T) {
	var mu sync.Mutex
	live, readable := uint64(10<<20), true
	var sets []int64
	m := memoryLimiter{
		every:    time.Millisecond,
		headroom: 16 << 20,
		read: func() (goMemory, bool) {
			mu.Lock()
			defer mu.Unlock()
			return goMemory{live: live, other: 6 << 20}, readable
		},
		set: func(l int64) int64 { mu.Lock(); sets = append(sets, l); mu.Unlock(); return 0 },
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); m.run(ctx) }()
	step := func(heap uint64, ok bool, want []int64) {
		t.Helper()
		mu.Lock()
		live, readable = heap, ok
		mu.Unlock()
		time.Sleep(20 * time.Millisecond) // many ticks: a repeated set would show
		testutil.Eventually(t, "limit set", func() bool {
			mu.Lock()
			defer mu.Unlock()
			return len(sets) == len(want) && (len(want) == 0 || sets[len(sets)-1] == want[len(want)-1])
		})
	}
	step(10<<20, true, []int64{32 << 20})
	step(200<<20, true, []int64{32 << 20, 406 << 20})
	step(100<<20, false, []int64{32 << 20, 406 << 20})
	step(20<<20, true, []int64{32 << 20, 406 << 20, 46 << 20})
	cancel()
	<-done
}

// TestRunAutoMemoryLimit sets a real limit above the live heap (once, with
// a context already done), and none when GOMEMLIMIT is in the environment.
func TestRunAutoMemoryLimit(t *testing.T) {
	before := debug.SetMemoryLimit(-1)
	t.Cleanup(func() { debug.SetMemoryLimit(before) })
	ctx, cancel := context.WithCancel(context.Background())
	cancel()

	t.Setenv("GOMEMLIMIT", "1GiB")
	RunAutoMemoryLimit(ctx, 16<<20)
	if got := debug.SetMemoryLimit(-1); got != before {
		t.Fatalf("GOMEMLIMIT set, but the limit changed from %d to %d", before, got)
	}

	os.Unsetenv("GOMEMLIMIT") // t.Setenv restores it
	RunAutoMemoryLimit(ctx, 16<<20)
	mem, ok := readGoMemory()
	got := debug.SetMemoryLimit(-1)
	if !ok || mem.other == 0 || got < 16<<20+int64(mem.live+mem.other) || got == before {
		t.Fatalf("limit %d for %+v (readable %v), before %d", got, mem, ok, before)
	}
}
