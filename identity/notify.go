package identity

import "sync"

// notifier calls subscribers after a bundle source changed. Subscribers run
// synchronously on the updating goroutine and must be quick (e.g.
// Verifier.InvalidateCache).
type notifier struct {
	mu  sync.Mutex
	fns []func()
}

// OnChange registers fn to be called after every bundle change.
func (n *notifier) OnChange(fn func()) {
	n.mu.Lock()
	n.fns = append(n.fns, fn)
	n.mu.Unlock()
}

func (n *notifier) notify() {
	n.mu.Lock()
	fns := append([]func(){}, n.fns...)
	n.mu.Unlock()
	for _, fn := range fns {
		fn()
	}
}
