package server

import (
	"runtime"
	"runtime/debug"
	"testing"
)

// A server keeps no heap-profile samples unless GODEBUG asks for them.
func TestTuneGCTurnsHeapProfilingOff(t *testing.T) {
	rate, gc, limit := runtime.MemProfileRate, debug.SetGCPercent(100), debug.SetMemoryLimit(-1)
	t.Cleanup(func() { runtime.MemProfileRate = rate; debug.SetGCPercent(gc); debug.SetMemoryLimit(limit) })

	t.Setenv("GODEBUG", "")
	runtime.MemProfileRate = 512 * 1024
	TuneGC(0, 0)
	if runtime.MemProfileRate != 0 {
		t.Fatalf("MemProfileRate = %d after TuneGC, want 0", runtime.MemProfileRate)
	}

	t.Setenv("GODEBUG", "memprofilerate=4096")
	runtime.MemProfileRate = 4096
	TuneGC(0, 0)
	if runtime.MemProfileRate != 4096 {
		t.Fatalf("MemProfileRate = %d with GODEBUG=memprofilerate=4096, want it kept", runtime.MemProfileRate)
	}
}
