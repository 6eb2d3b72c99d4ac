package authz

import (
	"slices"
	"strings"

	"github.com/cedar-policy/cedar-go/types"
)

// route is a validated, compiled Route.
type route struct {
	Route
	segs     []tmplSeg // HTTP routes
	captures []string  // capture names, in order
	idParts  []idPart
	action   types.EntityUID
	resType  types.EntityType
	mcp      *mcpRoute // set for MCP endpoints
}

// routeTable finds the route for a request.
//
// Precedence is deterministic. For gRPC requests, an exact gRPC method
// beats a /pkg.Service/* wildcard, and both beat HTTP path routes. HTTP
// path routes are compared segment by segment from the left: at the first
// segment where two matching templates differ, a literal beats a {param},
// which beats a {rest...}. Among routes with the same template, one that
// lists the request method beats one that accepts any method. The manifest
// rejects routes that would still tie.
type routeTable struct {
	root        *trieNode
	grpcExact   map[string]*route // "/pkg.Service/Method"
	grpcService map[string]*route // "pkg.Service" for /pkg.Service/*
}

type trieNode struct {
	lit    map[string]*trieNode
	param  *trieNode
	rest   *trieNode
	routes []*route // routes whose template ends here
}

func newRouteTable() *routeTable {
	return &routeTable{root: &trieNode{}, grpcExact: map[string]*route{}, grpcService: map[string]*route{}}
}

func (t *routeTable) add(r *route) {
	if r.GRPC != "" {
		svc, method, _ := strings.Cut(r.GRPC[1:], "/")
		if method == "*" {
			t.grpcService[svc] = r
		} else {
			t.grpcExact[r.GRPC] = r
		}
		return
	}
	n := t.root
	for _, s := range r.segs {
		n = n.child(s)
	}
	n.routes = append(n.routes, r)
}

func (n *trieNode) child(s tmplSeg) *trieNode {
	next := &n.param
	switch s.kind {
	case segLiteral:
		if n.lit == nil {
			n.lit = map[string]*trieNode{}
		}
		if c := n.lit[s.text]; c != nil {
			return c
		}
		c := &trieNode{}
		n.lit[s.text] = c
		return c
	case segRest:
		next = &n.rest
	}
	if *next == nil {
		*next = &trieNode{}
	}
	return *next
}

// match finds the route for a method and a canonical path (the output of
// NormalizePath). Captured values are appended to vals.
func (t *routeTable) match(method, path string, grpc bool, vals []string) (*route, []string) {
	if grpc && method == "POST" {
		svc, m, ok := strings.Cut(path[1:], "/")
		if r := t.grpcExact[path]; r != nil {
			return r, append(vals, svc, m)
		}
		if r := t.grpcService[svc]; r != nil && ok && m != "" && !strings.Contains(m, "/") {
			return r, append(vals, svc, m)
		}
	}
	return t.root.match(method, path[1:], vals)
}

func (n *trieNode) match(method, rest string, vals []string) (*route, []string) {
	if rest == "" {
		return pickMethod(n.routes, method), vals
	}
	seg, tail, _ := strings.Cut(rest, "/")
	if c := n.lit[seg]; c != nil {
		if r, v := c.match(method, tail, vals); r != nil {
			return r, v
		}
	}
	if n.param != nil {
		if r, v := n.param.match(method, tail, append(vals, unescapeSegment(seg))); r != nil {
			return r, v
		}
	}
	if n.rest != nil {
		if r := pickMethod(n.rest.routes, method); r != nil {
			return r, append(vals, unescapeSegment(rest))
		}
	}
	return nil, vals
}

// pickMethod prefers a route listing the method over an any-method route.
func pickMethod(routes []*route, method string) *route {
	var anyMethod *route
	for _, r := range routes {
		if r.Methods == nil {
			anyMethod = r
		} else if slices.Contains(r.Methods, method) {
			return r
		}
	}
	return anyMethod
}
