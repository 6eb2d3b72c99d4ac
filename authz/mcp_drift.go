package authz

import (
	"errors"
	"sync"

	"github.com/prometheus/client_golang/prometheus"
)

// driftKey names a pinned tool of one MCP server. It holds no route: the
// drift is the server's, whichever route the listing came through, so
// every route to that server with that pin refuses the tool. The pin is
// part of the key: updating the pin in the manifest clears the drift.
type driftKey struct{ server, tool, pin string }

// driftSet is the tools seen drifted, shared by listings (which mark them)
// and tools/call checks (which deny them), safe for concurrent use.
type driftSet struct{ m sync.Map }

func (s *driftSet) mark(server, tool, pin string) {
	s.m.Store(driftKey{server, tool, pin}, struct{}{})
}

func (s *driftSet) has(server, tool, pin string) bool {
	_, ok := s.m.Load(driftKey{server, tool, pin})
	return ok
}

// driftMetrics counts drifted tools. The tool label is a name the
// manifest pins, never one only the server sent.
type driftMetrics struct{ total *prometheus.CounterVec }

func newDriftMetrics(reg prometheus.Registerer) (*driftMetrics, error) {
	m := &driftMetrics{total: prometheus.NewCounterVec(prometheus.CounterOpts{
		Namespace: "tollgate", Subsystem: "mcp", Name: "tool_drift_total",
		Help: "Listed MCP tools removed because their definition did not match the manifest's pin, by pinned tool.",
	}, []string{"tool"})}
	if reg != nil {
		if err := reg.Register(m.total); err != nil {
			return nil, errors.Join(errors.New("register tollgate_mcp_tool_drift_total"), err)
		}
	}
	return m, nil
}

func (m *driftMetrics) unregister(reg prometheus.Registerer) {
	if reg != nil {
		reg.Unregister(m.total)
	}
}

func (m *driftMetrics) observe(tool string) { m.total.WithLabelValues(tool).Inc() }

// driftDenied denies a tools/call to a drifted tool. Pinning declares, it
// never grants: a call that passes here still needs a permit.
func (e *Engine) driftDenied(d *Decision, c *mcpCall, tool string) bool {
	mr := c.rt.MCPRule()
	pin, ok := mr.Pins[tool]
	if !ok || !e.drift.has(mr.Server, tool, pin) {
		return false
	}
	d.settle(Denied(CodeMCPToolDrift, "the tool's definition changed since it was pinned in the manifest; calls are refused until the pin is updated"))
	return true
}
