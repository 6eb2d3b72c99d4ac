package manifest

import (
	"fmt"
	"slices"
	"strings"

	"github.com/cedar-policy/cedar-go/types"
)

// grpcCaptureNames are the captures a gRPC route offers to its id template.
func grpcCaptureNames() []string { return []string{"service", "method"} }

func compileManifest(d *decoder, raw *rawManifest) (*Manifest, error) {
	m := &Manifest{file: d.file, service: raw.service, table: newRouteTable(raw.pathCase == "insensitive")}
	clashes := newRouteClashes(m.table.foldCase)
	names := map[string]*Rule{}
	for i := range raw.routes {
		rr := &raw.routes[i]
		r, err := d.compileRoute(rr)
		if err != nil {
			return nil, err
		}
		if prev := names[r.Name]; prev != nil {
			return nil, d.errorf(r.Line, rr.key, "duplicate route name %q (first used on line %d)", r.Name, prev.Line)
		}
		names[r.Name] = r
		if prev := clashes.add(r); prev != nil {
			return nil, d.errorf(r.Line, rr.key, "route %q matches the same requests as route %q on line %d", r.Name, prev.Name, prev.Line)
		}
		m.routes = append(m.routes, r)
		m.table.add(r)
		for _, a := range r.actionNames() {
			if !slices.Contains(m.actions, a) {
				m.actions = append(m.actions, a)
			}
		}
	}
	slices.Sort(m.actions)
	return m, nil
}

func (d *decoder) compileRoute(rr *rawRoute) (*Rule, error) {
	r := &Rule{Route: Route{Name: rr.name, Line: rr.line, Action: rr.action}}
	if err := d.compileMatch(rr, r); err != nil {
		return nil, err
	}
	if rr.mcp != nil {
		if err := d.compileMCP(rr, r); err != nil {
			return nil, err
		}
	} else if err := d.compileActionResource(rr, r); err != nil {
		return nil, err
	}
	if r.Name == "" {
		r.Name = defaultRouteName(r)
	}
	return r, nil
}

func (d *decoder) compileActionResource(rr *rawRoute, r *Rule) error {
	if err := d.compileAction(rr, r); err != nil {
		return err
	}
	return d.compileResource(rr, r)
}

// actionNames are the action names a route declares.
func (r *Rule) actionNames() []string {
	if r.mcp != nil {
		return r.mcp.actionNames
	}
	return []string{r.Action}
}

func defaultRouteName(r *Rule) string {
	switch {
	case r.GRPC != "":
		return "grpc " + r.GRPC
	case r.Methods == nil:
		return "ANY " + r.Path
	}
	return strings.Join(r.Methods, ",") + " " + r.Path
}

func (d *decoder) compileMatch(rr *rawRoute, r *Rule) error {
	key := rr.key + ".match"
	if err := d.compileMethods(rr, r); err != nil {
		return err
	}
	switch {
	case rr.path != "" && rr.grpc != "":
		return d.errorf(rr.grpcLine, key, "use either path or grpc, not both")
	case rr.grpc != "":
		if r.Methods != nil {
			return d.errorf(rr.matchLine, key, "a grpc route matches POST only; remove method/methods")
		}
		if err := checkGRPCPattern(rr.grpc); err != nil {
			return d.errorf(rr.grpcLine, key+".grpc", "%q: %v", rr.grpc, err)
		}
		r.GRPC, r.captures = rr.grpc, grpcCaptureNames()
		return nil
	case rr.pathLine == 0:
		return d.errorf(rr.matchLine, key, "missing key \"path\" or \"grpc\"")
	}
	segs, err := parsePathTemplate(rr.path)
	if err != nil {
		return d.errorf(rr.pathLine, key+".path", "bad template %q: %v", rr.path, err)
	}
	r.Path, r.segs, r.captures = rr.path, segs, captureNames(segs)
	return nil
}

func (d *decoder) compileMethods(rr *rawRoute, r *Rule) error {
	key := rr.key + ".match"
	methods := rr.methods
	switch {
	case rr.method != "" && rr.methodsLine != 0:
		return d.errorf(rr.methodsLine, key, "use either method or methods, not both")
	case rr.methodsLine != 0 && len(methods) == 0:
		return d.errorf(rr.methodsLine, key+".methods", "must list at least one method (omit it to match any method)")
	case rr.method != "":
		methods = []string{rr.method}
	}
	for i, m := range methods {
		if !IsMethodToken(m) {
			return d.errorf(rr.matchLine, key, "method %q: methods are case sensitive upper-case tokens such as GET", m)
		}
		if slices.Contains(methods[:i], m) {
			return d.errorf(rr.matchLine, key, "method %q is listed twice", m)
		}
	}
	r.Methods = methods
	return nil
}

// IsMethodToken says m is a method a manifest may name: 1 to 32 upper-case
// letters, "_" or "-".
func IsMethodToken(m string) bool {
	if m == "" || len(m) > 32 {
		return false
	}
	for i := 0; i < len(m); i++ {
		if c := m[i]; (c < 'A' || c > 'Z') && c != '_' && c != '-' {
			return false
		}
	}
	return true
}

// checkGRPCPattern accepts /pkg.Service/Method and /pkg.Service/*.
func checkGRPCPattern(p string) error {
	svc, method, ok := strings.Cut(strings.TrimPrefix(p, "/"), "/")
	switch {
	case !strings.HasPrefix(p, "/") || !ok:
		return fmt.Errorf("expected /package.Service/Method or /package.Service/*")
	case !isDottedIdent(svc):
		return fmt.Errorf("bad service name %q", svc)
	case method != "*" && !IsIdent(method):
		return fmt.Errorf("bad method name %q (use * for every method)", method)
	}
	return nil
}

func isDottedIdent(s string) bool {
	for _, part := range strings.Split(s, ".") {
		if !IsIdent(part) {
			return false
		}
	}
	return true
}

func (d *decoder) compileAction(rr *rawRoute, r *Rule) error {
	key := rr.key + ".action"
	a := rr.action
	switch {
	case strings.TrimSpace(a) == "":
		return d.errorf(rr.actionLine, key, "must not be empty")
	case a != strings.TrimSpace(a) || strings.ContainsFunc(a, isControl):
		return d.errorf(rr.actionLine, key, "%q: no surrounding spaces or control characters", a)
	case strings.Contains(a, "::"):
		var uid types.EntityUID
		if err := uid.UnmarshalCedar([]byte(a)); err != nil {
			return d.errorf(rr.actionLine, key, "%q is not a Cedar entity UID such as Orders::Action::\"read\"", a)
		}
		r.action = uid
	default:
		r.action = types.NewEntityUID("Action", types.String(a))
	}
	if err := checkUnreserved(r.action); err != nil {
		return d.errorf(rr.actionLine, key, "%q: %v", a, err)
	}
	return nil
}

func isControl(r rune) bool { return r < 0x20 || r == 0x7f }

func (d *decoder) compileResource(rr *rawRoute, r *Rule) error {
	key := rr.key + ".resource"
	t, err := types.NewEntityType(rr.resType)
	if err != nil {
		return d.errorf(rr.resLine, key+".type", "%q is not a Cedar entity type such as Order or Acme::Order", rr.resType)
	}
	parts, err := parseIDTemplate(rr.resID, r.captures)
	if err != nil {
		return d.errorf(rr.idLine, key+".id", "bad template %q: %v", rr.resID, err)
	}
	r.resType, r.idParts = t, parts
	r.Resource = ResourceRef{Type: rr.resType, ID: rr.resID}
	return nil
}
