package manifest

import (
	"fmt"
	"sort"
	"strings"
)

// RouteMiss is a manifest route a request did not match, and why.
type RouteMiss struct {
	Route  string // the route's name
	File   string
	Line   int
	Why    string
	Closer int // higher is nearer: matching leading path segments, +1000 when the whole path matched
}

// Nearest explains, for a request that matched no route, the n routes it
// came nearest to and why each did not match (method or path). It is for
// offline tools (tollgate explain); serve never calls it.
func (m *Manifest) Nearest(method, rawPath string, n int) []RouteMiss {
	path, err := NormalizePath(rawPath)
	if err != nil {
		return []RouteMiss{{Why: fmt.Sprintf("the path is refused before any route is tried: %v", err)}}
	}
	var out []RouteMiss
	for _, r := range m.routes {
		out = append(out, r.miss(method, path, m.FileOf(r)))
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Closer > out[j].Closer })
	return out[:min(n, len(out))]
}

func (r *Rule) miss(method, path, file string) RouteMiss {
	rm := RouteMiss{Route: r.Name, File: file, Line: r.Line}
	if r.GRPC != "" {
		rm.Why = fmt.Sprintf("gRPC route %s: the request is not a gRPC call to it", r.GRPC)
		return rm
	}
	n, why := r.pathMiss(strings.Split(strings.TrimPrefix(path, "/"), "/"))
	rm.Closer = n
	switch {
	case why != "":
		rm.Why = fmt.Sprintf("path %s does not match %s: %s", path, r.Path, why)
	case r.Methods != nil:
		rm.Closer += 1000
		rm.Why = fmt.Sprintf("path matches %s, but method %s is not one of %v", r.Path, method, r.Methods)
	default:
		rm.Closer += 1000
		rm.Why = fmt.Sprintf("path matches %s and the route takes any method: another route took precedence", r.Path)
	}
	return rm
}

// pathMiss returns how many leading segments matched and, when the path
// does not match the template, why.
func (r *Rule) pathMiss(segs []string) (int, string) {
	for i, s := range r.segs {
		switch {
		case s.kind == segRest:
			if i < len(segs) && segs[i] != "" {
				return i + 1, ""
			}
			return i, fmt.Sprintf("{%s...} needs at least one more segment", s.text)
		case i >= len(segs) || segs[i] == "":
			return i, fmt.Sprintf("the path ends before segment %d", i+1)
		case s.kind == segLiteral && segs[i] != s.text:
			return i, fmt.Sprintf("segment %d is %q, the route wants %q", i+1, segs[i], s.text)
		}
	}
	if len(segs) > len(r.segs) && !(len(r.segs) == 0 && len(segs) == 1 && segs[0] == "") {
		return len(r.segs), fmt.Sprintf("the path has %d more segment(s) than the route", len(segs)-len(r.segs))
	}
	return len(r.segs), ""
}

func (m *Manifest) FileOf(r *Rule) string {
	if r.File != "" {
		return r.File
	}
	return m.file
}
