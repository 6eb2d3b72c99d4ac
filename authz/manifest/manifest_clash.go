package manifest

import "slices"

// routeClashes holds the one rule for routes that would match the same
// requests. Parse applies it within a file and mergeManifests
// across files, so the answer never depends on the file layout.
type routeClashes struct {
	fold bool
	seen map[string][]*Rule
}

func newRouteClashes(fold bool) *routeClashes {
	return &routeClashes{fold: fold, seen: map[string][]*Rule{}}
}

// add records r, or returns the earlier route it clashes with (and does
// not record r).
func (c *routeClashes) add(r *Rule) *Rule {
	shape := routeShape(r, c.fold)
	for _, prev := range c.seen[shape] {
		if methodsOverlap(prev.Methods, r.Methods) {
			return prev
		}
	}
	c.seen[shape] = append(c.seen[shape], r)
	return nil
}

// routeShape keys routes that match the same requests. gRPC routes take
// precedence over path routes, so the two kinds never share a key. Route
// kinds other than HTTP paths and gRPC methods are keyed by name.
func routeShape(r *Rule, fold bool) string {
	switch {
	case r.GRPC != "":
		return "grpc " + r.GRPC
	case r.Path != "":
		return "path " + shapeKey(r.segs, fold)
	}
	return "other " + r.Name
}

// methodsOverlap reports two routes with the same template that would tie:
// both accept any method, or both list a method. (A route listing the
// method beats one accepting any method.)
func methodsOverlap(a, b []string) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	for _, x := range a {
		if slices.Contains(b, x) {
			return true
		}
	}
	return false
}
