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

// TestSSEReaderLinearInDataLines: an event of many short data lines costs
// memory linear in its size: the lines are not joined by copying the data
// so far for each line.
func TestSSEReaderLinearInDataLines(t *testing.T) {
	const lines = 16 << 10
	stream := strings.Repeat("data:a\n", lines) + "\n"
	r := NewSSEReader(1 << 20)
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	evs, err := r.Feed([]byte(stream))
	runtime.ReadMemStats(&after)
	if err != nil || len(evs) != 1 || len(evs[0].Data) != 2*lines-1 {
		t.Fatalf("got %d events, %v", len(evs), err)
	}
	if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 32*uint64(len(stream)) {
		t.Fatalf("an event of %d data lines (%d bytes) allocated %d bytes", lines, len(stream), alloc)
	}
}
