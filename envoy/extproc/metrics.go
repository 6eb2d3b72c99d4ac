package extproc

import (
	"errors"
	"strings"

	"github.com/prometheus/client_golang/prometheus"
)

// Bounded label values.
const (
	resultFiltered = "filtered" // a tools/list result, filtered for a verified caller
	resultReplaced = "replaced" // replaced by a JSON-RPC error
)

// Reasons a response is replaced (label of replaced_total).
const (
	reasonUnreadable = "unreadable"   // bad JSON or not a JSON-RPC message
	reasonTooLarge   = "too_large"    // over max_response_bytes
	reasonFraming    = "sse_framing"  // bad or cut SSE framing
	reasonCaller     = "caller"       // no verified caller or no MCP route
	reasonEncoding   = "encoding"     // a Content-Encoding Tollgate cannot read
	reasonBodyMode   = "body_mode"    // Envoy would not send the body (mode NONE, BUFFERED_PARTIAL, ...)
	reasonType       = "content_type" // an unreadable Content-Type
	reasonNoHeaders  = "no_headers"   // a body without its headers phase (response_header_mode SKIP)
)

// metrics of the external processor. Every label is a constant above or
// an authz.Hidden* reason.
type metrics struct {
	lists    *prometheus.CounterVec
	replaced *prometheus.CounterVec
	hidden   *prometheus.CounterVec
}

func newMetrics(reg prometheus.Registerer) (*metrics, error) {
	m := &metrics{
		lists: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: "tollgate", Subsystem: "extproc", Name: "tool_lists_total",
			Help: "tools/list results seen in MCP responses, by result (filtered or replaced).",
		}, []string{"result"}),
		replaced: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: "tollgate", Subsystem: "extproc", Name: "replaced_total",
			Help: "MCP responses (or SSE events) replaced by a JSON-RPC error, by reason.",
		}, []string{"reason"}),
		hidden: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: "tollgate", Subsystem: "extproc", Name: "tools_hidden_total",
			Help: "Tools removed from tools/list results, by reason (policy, drift, unpinned).",
		}, []string{"reason"}),
	}
	if reg == nil {
		return m, nil
	}
	var done []prometheus.Collector
	for _, c := range []prometheus.Collector{m.lists, m.replaced, m.hidden} {
		if err := reg.Register(c); err != nil {
			for _, d := range done {
				reg.Unregister(d)
			}
			return nil, errors.Join(errors.New("extproc: register metrics"), err)
		}
		done = append(done, c)
	}
	return m, nil
}

// replaced counts and logs a response (or SSE event) replaced by a
// JSON-RPC error: the reason and the request's method and path, never
// any of the response.
func (st *stream) replaced(reason string) {
	st.s.metrics.replaced.WithLabelValues(reason).Inc()
	var method, path string
	if st.req != nil {
		method, path = st.req.Method, st.req.Path
	}
	if i := strings.IndexByte(path, '?'); i >= 0 {
		path = path[:i] // the query may hold secrets
	}
	if len(path) > 256 {
		path = path[:256]
	}
	st.s.opts.Logger.Warn("ext_proc replaced an MCP response with a JSON-RPC error", "reason", reason, "method", method, "path", path)
}
