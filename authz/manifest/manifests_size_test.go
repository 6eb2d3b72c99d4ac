package manifest

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// A manifest source is read only up to MaxSize: a file that never ends
// (a FIFO, or a symlink to /dev/zero named like a manifest) must not make
// Tollgate read, and hold, all of it before refusing it.
func TestLoadAllReadsAtMostMaxSize(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "m.yaml")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Skipf("no FIFOs here: %v", err)
	}
	const total = 4 * MaxSize
	written := make(chan int, 1)
	go func() {
		f, err := os.OpenFile(fifo, os.O_WRONLY, 0)
		if err != nil {
			written <- -1
			return
		}
		defer f.Close()
		chunk := []byte(strings.Repeat("#", 64<<10))
		n := 0
		for n < total {
			k, err := f.Write(chunk)
			n += k
			if err != nil {
				break
			}
		}
		written <- n
	}()
	_, err := LoadAll(fifo)
	if err == nil || !strings.Contains(err.Error(), "larger than") {
		t.Errorf("LoadAll: %v, want the size refusal", err)
	}
	if n := <-written; n < 0 || n > MaxSize+(1<<20) {
		t.Fatalf("the reader took %d bytes of a source larger than %d, want at most about MaxSize", n, MaxSize)
	}
}
