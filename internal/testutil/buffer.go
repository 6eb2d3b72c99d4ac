package testutil

import (
	"bytes"
	"strings"
	"sync"
)

// SyncBuffer is a goroutine-safe log sink: a logger writes to it from a
// background loop while the test reads what was written.
type SyncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

// Write implements io.Writer.
func (b *SyncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

// String returns everything written so far.
func (b *SyncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// Count returns how many times s occurs in what was written.
func (b *SyncBuffer) Count(s string) int { return strings.Count(b.String(), s) }
