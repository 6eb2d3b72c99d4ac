package authz

import (
	"context"
	"testing"

	"github.com/tollgate-authz/tollgate/authz/mcp"
)

// TestFilterToolsRefusesWhatCheckRefuses: ext_proc's request phase is the
// same request ext_authz decided, so FilterTools refuses it (nothing is
// shown) where Check refuses it: a host that is not a host and port, a
// method or URL override naming another one, and a gRPC content type on
// an HTTP route (Check never routes a gRPC call to one).
func TestFilterToolsRefusesWhatCheckRefuses(t *testing.T) {
	e := newMCPEngine(t, nil, nil)
	tools := [][]mcp.Tool{listed("search_issues")}
	mod := map[string]func(r *Request){
		"userinfo host":   func(r *Request) { r.Host = "x@admin.example.org" },
		"method override": func(r *Request) { r.Headers["x-http-method-override"] = "DELETE" },
		"_method query":   func(r *Request) { r.Path = "/mcp?_method=DELETE" },
		"URL override":    func(r *Request) { r.Headers["x-original-url"] = "/admin" },
		"gRPC":            func(r *Request) { r.Headers["content-type"] = "application/grpc" },
	}
	for name, f := range mod {
		t.Run(name, func(t *testing.T) {
			r := req(agent, "POST", "/mcp")
			f(r)
			if d := e.Check(context.Background(), r); d.Allowed() {
				t.Fatalf("Check allowed: %s", d.Detail)
			}
			r = req(agent, "POST", "/mcp")
			f(r)
			l := e.FilterTools(context.Background(), r, tools)
			if l.Decision.Allowed() || l.Keep != nil {
				t.Fatalf("FilterTools showed tools: %s %q %v", l.Decision.Code, l.Decision.Detail, l.Keep)
			}
		})
	}
}
