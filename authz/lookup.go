package authz

// lookup is the result of Manifest.lookup.
type lookup struct {
	path       string   // canonical path, when badPath is empty
	rt         *route   // nil: no route
	vals       []string // captured values
	badPath    PathCode // set when the path is refused
	methodMiss bool     // a route matches the path but not the method
}

// lookup reads a raw request path and finds its route: the one rule that
// Engine.Check and Match share. A gRPC call must name its method in the
// exact form a gRPC server routes; a path that another case folding
// would route elsewhere is refused. proxyNormalized says the proxy
// normalised the path for the upstream (see ResolvePath); otherwise a path
// not in normal form is refused (see NormalizePath).
func (m *Manifest) lookup(method, raw string, grpc, proxyNormalized bool, vals []string) lookup {
	if grpc {
		if code := checkGRPCPath(raw); code != "" {
			return lookup{badPath: code}
		}
	}
	path, code := normalize(raw, proxyNormalized)
	if code != "" {
		return lookup{badPath: code}
	}
	if m == nil || m.table == nil {
		return lookup{path: path, vals: vals}
	}
	rt, vals, miss := m.table.match(method, path, grpc, vals)
	if m.table.ambiguousCase(method, path, grpc, rt, miss) {
		return lookup{badPath: PathAmbiguousCase}
	}
	return lookup{path: path, rt: rt, vals: vals, methodMiss: miss}
}

func (m *Manifest) foldCase() bool { return m != nil && m.table != nil && m.table.foldCase }
