package manifest

import (
	"fmt"
	"strings"
)

// Warnings lists routes that sit under an any-method {rest...} catch-all,
// each as "file:line: warning: ...". They are not errors, and Tollgate
// never lets such a request fall through (see routeTable), but the upstream
// may read it differently:
//   - in a case-sensitive manifest, a case variant of the route's path
//     (/ADMIN/users) would match the catch-all, while an upstream that
//     routes case-insensitively (ASP.NET) serves the specific route; it is
//     refused as ambiguous_case;
//   - a method the route does not list is denied (no_route), while an
//     upstream that falls through by method (net/http, Express) serves the
//     catch-all.
//
// It also lists routes of different manifest files that share an action,
// an MCP server or a per_tool namespace (see sharedWarnings), or that match
// some of the same requests (see overlapWarnings). At most
// MaxWarnings are listed, then a line saying that more are not shown.
func (m *Manifest) Warnings() []string {
	w := &warnList{}
	m.sharedWarnings(w)
	m.overlapWarnings(w)
	for _, c := range m.routes {
		if !isCatchAll(c) {
			continue
		}
		for _, s := range m.routes {
			if w.full() {
				return w.list()
			}
			if s == c || s.Path == "" || !covers(c.segs, s.segs, m.foldCase()) {
				continue
			}
			w.add(shadowWarnings(m, c, s)...)
		}
	}
	return w.list()
}

// MaxWarnings bounds the warnings listed: route pairs grow with the square
// of the routes (nested catch-alls warn for every pair), and a manifest of
// a few megabytes made gigabytes of them, in validate and in serve's log.
const MaxWarnings = 100

type warnList struct {
	out       []string
	truncated bool
}

func (w *warnList) full() bool { return w.truncated }

func (w *warnList) add(ws ...string) {
	for _, s := range ws {
		if len(w.out) == MaxWarnings {
			w.truncated = true
			return
		}
		w.out = append(w.out, s)
	}
}

func (w *warnList) list() []string {
	if w.truncated {
		return append(w.out, fmt.Sprintf("warning: further manifest warnings not shown (at most %d are listed)", MaxWarnings))
	}
	return w.out
}

func isCatchAll(r *Rule) bool {
	return r.Methods == nil && len(r.segs) > 0 && r.segs[len(r.segs)-1].kind == segRest
}

// covers reports that every path of template s also matches catch-all c
// (whose last segment is {rest...}).
func covers(c, s []tmplSeg, fold bool) bool {
	if len(s) < len(c) {
		return false
	}
	for i, cs := range c[:len(c)-1] {
		switch {
		case cs.kind == segParam && s[i].kind != segRest:
		case cs.kind == segLiteral && s[i].kind == segLiteral && literalEqual(cs.text, s[i].text, fold):
		default:
			return false
		}
	}
	return true // {rest...} takes the one or more segments left
}

func literalEqual(a, b string, fold bool) bool {
	if fold {
		return strings.EqualFold(a, b)
	}
	return a == b
}

func shadowWarnings(m *Manifest, c, s *Rule) []string {
	where := fmt.Sprintf("%s:%d: warning: route %q (%s) lies under the any-method catch-all %q (line %d)",
		m.file, s.Line, s.Name, s.Path, c.Name, c.Line)
	var out []string
	if variant, ok := caseVariant(c.segs, s.segs); ok && !m.foldCase() {
		out = append(out, fmt.Sprintf("%s: a case variant such as %s would match the catch-all, not this route, "+
			"so Tollgate refuses it (bad_path ambiguous_case); if the upstream matches paths case-insensitively, "+
			"declare path_case: insensitive", where, variant))
	}
	if s.Methods != nil {
		out = append(out, fmt.Sprintf("%s: methods other than %s on this path are denied (no_route), "+
			"though an upstream that falls through by method would serve the catch-all", where, strings.Join(s.Methods, ",")))
	}
	return out
}

// caseVariant upper-cases the literals of s that the catch-all c matches
// with a {param} or its {rest...}: such a variant reaches c, not s.
func caseVariant(c, s []tmplSeg) (string, bool) {
	var b strings.Builder
	changed := false
	for i, seg := range s {
		text := seg.text
		switch {
		case seg.kind != segLiteral:
			text = "x"
		case i >= len(c)-1 || c[i].kind != segLiteral:
			if up := strings.ToUpper(text); up != text {
				text, changed = up, true
			}
		}
		b.WriteString("/" + text)
	}
	return b.String(), changed
}
