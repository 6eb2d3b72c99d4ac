package manifest

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
	return Lookup{Path: path, Rule: rt, Vals: vals, MethodMiss: miss}
}

func (m *Manifest) foldCase() bool { return m != nil && m.table != nil && m.table.foldCase }
