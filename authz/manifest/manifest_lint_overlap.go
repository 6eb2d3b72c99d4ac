package manifest

import (
	"fmt"
	"slices"
	"strings"
)

// overlapBudget bounds the route pairs overlapWarnings compares, so that a
// manifest of many routes cannot hold validate or serve's start for long.
const overlapBudget = 5_000_000

// overlapWarnings reports routes of different manifest files that match
// some of the same requests. All manifests share one path space and the
// more specific route decides, so one team's manifest then maps requests
// that the other team's route also declares: an exact gRPC method under
// another's /pkg.Service/*, a path under another's {param} or catch-all.
// (Routes that match exactly the same requests are an error; see
// routeClashes.)
func (m *Manifest) overlapWarnings(w *warnList) {
	budget := overlapBudget
	for j, r := range m.routes {
		for _, p := range m.routes[:j] {
			if w.full() || p.File == r.File {
				continue
			}
			if budget--; budget == 0 {
				w.add(fmt.Sprintf("warning: the check for routes of different manifests that match the same requests stopped after %d route pairs", overlapBudget))
				return
			}
			if routesOverlap(p, r, m.foldCase()) {
				w.add(fmt.Sprintf("%s:%d: warning: route %q (%s) and route %q (%s) of another manifest (%s:%d) match some of "+
					"the same requests, and the more specific one decides them: one team's manifest maps requests the other's "+
					"route declares; agree on it, or split the paths", m.fileOf(r), r.Line, r.Name, pattern(r), p.Name,
					pattern(p), m.fileOf(p), p.Line))
			}
		}
		if w.full() {
			return
		}
	}
}

func pattern(r *Rule) string {
	if r.GRPC != "" {
		return r.GRPC
	}
	return r.Path
}

// routesOverlap says some request matches both routes' templates and
// methods. A gRPC call never takes a path route, and the reverse.
func routesOverlap(a, b *Rule, fold bool) bool {
	switch {
	case a.GRPC != "" && b.GRPC != "":
		as, am, _ := strings.Cut(a.GRPC[1:], "/")
		bs, bm, _ := strings.Cut(b.GRPC[1:], "/")
		return as == bs && (am == "*" || bm == "*" || am == bm)
	case a.GRPC != "" || b.GRPC != "" || a.Path == "" || b.Path == "":
		return false
	case a.Methods != nil && b.Methods != nil && !slices.ContainsFunc(a.Methods, func(m string) bool { return slices.Contains(b.Methods, m) }):
		return false
	}
	return segsOverlap(a.segs, b.segs, fold)
}

// segsOverlap says some path matches both templates.
func segsOverlap(a, b []tmplSeg, fold bool) bool {
	for i := 0; i < len(a) && i < len(b); i++ {
		switch {
		case a[i].kind == segRest || b[i].kind == segRest:
			return true // one or more segments: the other's rest fits
		case a[i].kind == segLiteral && b[i].kind == segLiteral && !literalEqual(a[i].text, b[i].text, fold):
			return false
		}
	}
	return len(a) == len(b)
}
