package manifest

import (
	"slices"
	"strings"

	"github.com/cedar-policy/cedar-go/types"
)

// Rule is a validated, compiled Route: how the engine maps a request the
// route matches to a Cedar action and resource. It is immutable once
// compiled; the engine reads it through the methods below.
type Rule struct {
	Route
	segs     []tmplSeg // HTTP routes
	captures []string  // capture names, in order
	idParts  []idPart
	action   types.EntityUID
	resType  types.EntityType
	mcp      *MCPRule // set for MCP endpoints
}

// Rules returns the manifest's compiled routes, in manifest order. The
// caller must not modify them.
func (m *Manifest) Rules() []*Rule {
	if m == nil {
		return nil
	}
	return m.routes
}

// CedarAction is the route's Cedar action (zero for an MCP endpoint,
// whose actions come from each message).
func (r *Rule) CedarAction() types.EntityUID { return r.action }

// ResourceType is the Cedar type of the route's resource.
func (r *Rule) ResourceType() types.EntityType { return r.resType }

// ResourceFor is the route's Cedar resource for the captured values vals
// (in the order of the route's captures, as Lookup returns them).
func (r *Rule) ResourceFor(vals []string) types.EntityUID {
	return types.NewEntityUID(r.resType, types.String(renderID(r.idParts, vals)))
}

// MCPRule is the compiled mcp block of an MCP endpoint; nil for any other
// route.
func (r *Rule) MCPRule() *MCPRule { return r.mcp }

// routeTable finds the route for a request.
//
// Precedence is deterministic and, like an upstream router, by path first.
// For gRPC calls, an exact gRPC method beats a /pkg.Service/* wildcard,
// and both beat HTTP path routes. HTTP path routes are compared segment by
// segment from the left: at the first segment where two matching templates
// differ, a literal beats a {param}, which beats a {rest...}. The most
// specific template that matches the path decides; among its routes, one
// listing the request method beats one accepting any method, and HEAD is
// served by a route listing GET when none lists HEAD. A method that the
// deciding template does not accept is a miss: it never falls through to
// a weaker template such as a {rest...} catch-all. The manifest rejects
// routes that would still tie.
type routeTable struct {
	root        *trieNode
	grpcExact   map[string]*Rule // "/pkg.Service/Method"
	grpcService map[string]*Rule // "pkg.Service" for /pkg.Service/*
	// foldCase matches literal segments ASCII case-insensitively
	// (manifest key path_case: insensitive); they are stored lower-cased.
	foldCase bool
	// key maps a literal segment to its trie key: nil (exact), lowerASCII
	// (foldCase) or foldKey (the shadow).
	key func(string) string
	// shadow holds the same routes keyed by foldKey, the loosest case
	// folding an upstream applies (see ambiguousCase); nil in a shadow.
	shadow *routeTable
	// foldLits: some literal segment's key differs from its foldKey (an
	// upper-case or non-ASCII template literal), so even a path without
	// foldable letters can take another route under the loosest folding.
	foldLits bool
}

type trieNode struct {
	lit    map[string]*trieNode
	param  *trieNode
	rest   *trieNode
	routes []*Rule // routes whose template ends here
}

// newRouteTable returns an empty table; foldCase is path_case: insensitive.
func newRouteTable(foldCase bool) *routeTable {
	t := bareTable(nil)
	if foldCase {
		t.foldCase, t.key = true, lowerASCII
	}
	t.shadow = bareTable(foldKey)
	return t
}

func bareTable(key func(string) string) *routeTable {
	return &routeTable{root: &trieNode{}, grpcExact: map[string]*Rule{}, grpcService: map[string]*Rule{}, key: key}
}

func (t *routeTable) add(r *Rule) {
	if t.shadow != nil {
		t.shadow.add(r)
	}
	if r.GRPC != "" {
		t.addGRPC(r)
		return
	}
	n := t.root
	for _, s := range r.segs {
		if s.kind == segLiteral {
			if t.key != nil {
				s.text = t.key(s.text)
			}
			t.foldLits = t.foldLits || foldKey(s.text) != s.text
		}
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
// NormalizePath). Captured values are appended to vals. methodMiss
// reports that a route matches the path but none accepts the method.
//
// gRPC routes match gRPC calls only, but a path naming a gRPC route's
// method never falls through to an HTTP route: connect-go serves that
// method for application/json or application/proto too (the Connect
// protocol), so such a request is a miss.
func (t *routeTable) match(method, path string, grpc bool, vals []string) (r *Rule, _ []string, methodMiss bool) {
	svc, m, ok := strings.Cut(path[1:], "/")
	r = t.grpcExact[t.grpcKey(path)]
	if r == nil && ok && m != "" && !strings.Contains(m, "/") {
		r = t.grpcService[t.grpcKey(svc)]
	}
	if r != nil {
		if !grpc || method != "POST" {
			return nil, vals, true
		}
		return r, append(vals, svc, m), false
	}
	n, vals := t.root.find(path[1:], t.key, vals)
	if n == nil {
		return nil, vals, false
	}
	r = pickMethod(n.routes, method)
	return r, vals, r == nil
}

// find returns the node of the most specific template matching the path.
func (n *trieNode) find(rest string, key func(string) string, vals []string) (*trieNode, []string) {
	if rest == "" {
		if len(n.routes) == 0 {
			return nil, vals
		}
		return n, vals
	}
	seg, tail, _ := strings.Cut(rest, "/")
	k := seg
	if key != nil {
		k = key(seg)
	}
	if c := n.lit[k]; c != nil {
		if f, v := c.find(tail, key, vals); f != nil {
			return f, v
		}
	}
	if n.param != nil {
		if f, v := n.param.find(tail, key, append(vals, unescapeSegment(seg))); f != nil {
			return f, v
		}
	}
	if n.rest != nil && len(n.rest.routes) > 0 {
		return n.rest, append(vals, unescapeSegment(rest))
	}
	return nil, vals
}

// pickMethod prefers a route listing the method over an any-method route;
// HEAD is served by a route listing GET, as net/http, Express, Spring and
// ASP.NET do, unless a route lists HEAD itself.
func pickMethod(routes []*Rule, method string) *Rule {
	var get, anyMethod *Rule
	for _, r := range routes {
		switch {
		case r.Methods == nil:
			anyMethod = r
		case slices.Contains(r.Methods, method):
			return r
		case method == "HEAD" && slices.Contains(r.Methods, "GET"):
			get = r
		}
	}
	if get != nil {
		return get
	}
	return anyMethod
}

// Lookup is the result of Manifest.Lookup.
type Lookup struct {
	Path       string   // canonical path, when BadPath is empty
	Rule       *Rule    // nil: no route
	Vals       []string // captured values, in the order of the route's captures
	BadPath    PathCode // set when the path is refused
	MethodMiss bool     // a route matches the path but not the method
}

// Lookup reads a raw request path and finds its route: the one rule that
// authz.Engine.Check and Match share. A gRPC call must name its method in the
// exact form a gRPC server routes; a path that another case folding
// would route elsewhere is refused. proxyNormalized says the proxy
// normalised the path for the upstream (see ResolvePath); otherwise a path
// not in normal form is refused (see NormalizePath).
func (m *Manifest) Lookup(method, raw string, grpc, proxyNormalized bool, vals []string) Lookup {
	if code := checkTarget(raw); code != "" {
		return Lookup{BadPath: code}
	}
	if grpc {
		if code := checkGRPCPath(raw); code != "" {
			return Lookup{BadPath: code}
		}
	}
	path, code := normalize(raw, proxyNormalized)
	if code != "" {
		return Lookup{BadPath: code}
	}
	if m == nil || m.table == nil {
		return Lookup{Path: path, Vals: vals}
	}
	rt, vals, miss := m.table.match(method, path, grpc, vals)
	if m.table.ambiguousCase(method, path, grpc, rt, miss) {
		return Lookup{BadPath: PathAmbiguousCase}
	}
	if hasCompatChar(path) {
		return Lookup{BadPath: PathCompatChar}
	}
	return Lookup{Path: path, Rule: rt, Vals: vals, MethodMiss: miss}
}

func (m *Manifest) foldCase() bool { return m != nil && m.table != nil && m.table.foldCase }
