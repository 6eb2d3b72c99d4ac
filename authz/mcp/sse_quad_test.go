package mcp

import (
	"runtime"
	"strings"
	"testing"
)

// TestSSEReaderLinearInSmallChunks: an event sent a few bytes at a time
// (a server writing slowly, each write its own ext_proc chunk) costs
// memory linear in its size, not quadratic: the reader neither copies nor
// rescans what it already holds on every chunk.
func TestSSEReaderLinearInSmallChunks(t *testing.T) {
	const size, step = 256 << 10, 64
	stream := "data: " + strings.Repeat("a", size) + "\n\n"
	r := NewSSEReader(1 << 20)
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	var got []SSEEvent
	for i := 0; i < len(stream); i += step {
		evs, err := r.Feed([]byte(stream[i:min(i+step, len(stream))]))
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, evs...)
	}
	runtime.ReadMemStats(&after)
	if len(got) != 1 || len(got[0].Data) != size {
		t.Fatalf("got %d events", len(got))
	}
	if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 32*size {
		t.Fatalf("feeding %d bytes in %d-byte chunks allocated %d bytes", len(stream), step, alloc)
	}
}
