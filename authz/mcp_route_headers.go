package authz

import (
	"fmt"

	"github.com/tollgate-authz/tollgate/authz/mcp"
)

// The routing headers of MCP 2026-07-28 (Streamable HTTP): a gateway, load
// balancer or server may act on them without reading the body, so each
// must say exactly what the body says. Header names are lower-cased by the
// adapters; values are compared byte for byte (no case folding, no
// trimming), and a repeated header, which the proxy comma-joins, never
// matches.
const (
	headerMCPMethod  = "mcp-method"
	headerMCPName    = "mcp-name"
	headerMCPVersion = "mcp-protocol-version"
	// MCPHeaderRevision is the first revision whose clients must send
	// Mcp-Method (and Mcp-Name on tools/call, prompts/get, resources/read).
	MCPHeaderRevision = "2026-07-28"
)

// Envoy's MCP filter (envoy.filters.http.mcp) puts what it parsed in its
// dynamic metadata; forwarded in metadata_context, it must agree too.
const (
	envoyMCPMethod    = "envoy.filters.http.mcp.method"
	envoyMCPName      = "envoy.filters.http.mcp.params.name"
	envoyMCPURI       = "envoy.filters.http.mcp.params.uri"
	envoyMCPResponse  = "__jsonrpc_response"
	envoyMCPNamespace = "envoy.filters.http.mcp."
)

// sessionHeaderProblem refuses routing headers on a GET or DELETE, which
// carry no message for them to describe.
func sessionHeaderProblem(r *Request) (code Code, reason string) {
	for _, h := range []string{headerMCPMethod, headerMCPName} {
		if _, ok := r.Headers[h]; ok {
			return CodeMCPHeaderMismatch, fmt.Sprintf("%s on an MCP %s, which carries no message", h, r.Method)
		}
	}
	return CodeInternal, ""
}

// headerProblem checks the routing headers and Envoy's MCP metadata
// against the parsed body; the empty reason means they agree.
func headerProblem(r *Request, body *mcp.Body) string {
	_, hasM := r.Headers[headerMCPMethod]
	_, hasN := r.Headers[headerMCPName]
	if body.Batch {
		if hasM || hasN || hasEnvoyMCP(r.Metadata) {
			return "Mcp-Method/Mcp-Name or the proxy's MCP metadata describe one message, the body is a batch"
		}
		return ""
	}
	m := &body.Messages[0]
	if reason := routingHeaders(r, m, hasM, hasN); reason != "" {
		return reason
	}
	return envoyMetadata(r.Metadata, m)
}

func routingHeaders(r *Request, m *mcp.Message, hasM, hasN bool) string {
	modern := r.Headers[headerMCPVersion] >= MCPHeaderRevision
	name, bearing := messageName(m)
	switch {
	case hasM && (m.Response || r.Headers[headerMCPMethod] != m.Method):
		return "the Mcp-Method header does not match the body's method"
	case !hasM && modern && !m.Response:
		return "missing Mcp-Method header (required from MCP " + MCPHeaderRevision + ")"
	case hasN && (!bearing || r.Headers[headerMCPName] != name):
		return "the Mcp-Name header does not match the body's tool, prompt or resource"
	case !hasN && modern && bearing:
		return "missing Mcp-Name header on " + m.Method + " (required from MCP " + MCPHeaderRevision + ")"
	}
	return ""
}

// messageName is what Mcp-Name names: the tool of tools/call, the prompt
// of prompts/get, the URI of resources/read. bearing is false for the
// other methods, which take no Mcp-Name.
func messageName(m *mcp.Message) (name string, bearing bool) {
	switch m.Method {
	case "tools/call":
		return m.Tool, true
	case "prompts/get":
		return m.Prompt, true
	case "resources/read":
		return m.URI, true
	}
	return "", false
}

func envoyMetadata(md map[string]string, m *mcp.Message) string {
	want := m.Method
	if m.Response {
		want = envoyMCPResponse
	}
	if v, ok := md[envoyMCPMethod]; ok && v != want {
		return "the proxy's MCP metadata (envoy.filters.http.mcp) names another method than the body"
	}
	name := m.Tool + m.Prompt // at most one is set
	if v, ok := md[envoyMCPName]; ok && (name == "" || v != name) {
		return "the proxy's MCP metadata (envoy.filters.http.mcp) names another tool or prompt than the body"
	}
	if v, ok := md[envoyMCPURI]; ok && (m.URI == "" || v != m.URI) {
		return "the proxy's MCP metadata (envoy.filters.http.mcp) names another resource than the body"
	}
	return ""
}

func hasEnvoyMCP(md map[string]string) bool {
	for k := range md {
		if len(k) > len(envoyMCPNamespace) && k[:len(envoyMCPNamespace)] == envoyMCPNamespace {
			return true
		}
	}
	return false
}
