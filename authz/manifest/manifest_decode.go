package manifest

import (
	"bytes"
	"fmt"
	"strings"

	"gopkg.in/yaml.v3"
)

// rawManifest is the decoded but not yet validated manifest.
type rawManifest struct {
	service      string
	pathCase     string // "", "sensitive" or "insensitive"
	pathCaseLine int
	routes       []rawRoute
}

// rawRoute keeps the line of each field for validation errors. A route
// with an `mcp:` block has no action or resource of its own.
type rawRoute struct {
	key          string // routes[i]
	line         int
	name, action string
	method       string
	methods      []string
	path, grpc   string
	resType      string
	resID        string
	// Lines of the values; 0 when the key is absent.
	actionLine, matchLine, resLine int
	methodsLine, pathLine          int
	grpcLine, idLine               int
	mcp                            *rawMCP
	mcpLine                        int
}

func (d *decoder) decodeRoot(root *yaml.Node) (*rawManifest, error) {
	raw := &rawManifest{}
	var routes *yaml.Node
	err := d.fields(root, "", map[string]func(*yaml.Node, string) error{
		"service":   d.str(&raw.service),
		"path_case": d.lined(d.str(&raw.pathCase), &raw.pathCaseLine),
		"routes":    func(n *yaml.Node, _ string) error { routes = n; return nil },
	})
	if err != nil {
		return nil, err
	}
	if raw.pathCaseLine != 0 && raw.pathCase != "sensitive" && raw.pathCase != "insensitive" {
		return nil, d.errorf(raw.pathCaseLine, "path_case", "must be \"sensitive\" or \"insensitive\", not %q", raw.pathCase)
	}
	if routes == nil {
		return nil, d.errorf(root.Line, "", "missing key \"routes\"")
	}
	if routes.Kind != yaml.SequenceNode || len(routes.Content) == 0 {
		return nil, d.errorf(routes.Line, "routes", "expected a non-empty list of routes")
	}
	for i, n := range routes.Content {
		r, err := d.decodeRoute(n, fmt.Sprintf("routes[%d]", i))
		if err != nil {
			return nil, err
		}
		raw.routes = append(raw.routes, r)
	}
	return raw, nil
}

func (d *decoder) decodeRoute(n *yaml.Node, key string) (rawRoute, error) {
	r := rawRoute{key: key, line: n.Line}
	err := d.fields(n, key, map[string]func(*yaml.Node, string) error{
		"name":     d.str(&r.name),
		"action":   d.lined(d.str(&r.action), &r.actionLine),
		"match":    d.lined(d.matchFields(&r), &r.matchLine),
		"resource": d.lined(d.resourceFields(&r), &r.resLine),
		"mcp":      d.lined(d.mcpFields(&r), &r.mcpLine),
	})
	if err != nil {
		return r, err
	}
	if r.mcpLine != 0 {
		return r, d.checkMCPRoute(&r)
	}
	switch {
	case r.matchLine == 0:
		return r, d.errorf(r.line, key, "missing key \"match\"")
	case r.actionLine == 0:
		return r, d.errorf(r.line, key, "missing key \"action\"")
	case r.resLine == 0:
		return r, d.errorf(r.line, key, "missing key \"resource\"")
	}
	return r, nil
}

// lined records the line of a value before decoding it.
func (d *decoder) lined(f func(*yaml.Node, string) error, line *int) func(*yaml.Node, string) error {
	return func(n *yaml.Node, key string) error {
		*line = n.Line
		return f(n, key)
	}
}

func (d *decoder) matchFields(r *rawRoute) func(*yaml.Node, string) error {
	return func(n *yaml.Node, key string) error {
		return d.fields(n, key, map[string]func(*yaml.Node, string) error{
			"method":  d.str(&r.method),
			"methods": d.lined(d.strList(&r.methods), &r.methodsLine),
			"path":    d.lined(d.str(&r.path), &r.pathLine),
			"grpc":    d.lined(d.str(&r.grpc), &r.grpcLine),
		})
	}
}

func (d *decoder) resourceFields(r *rawRoute) func(*yaml.Node, string) error {
	return func(n *yaml.Node, key string) error {
		typeSet := false
		err := d.fields(n, key, map[string]func(*yaml.Node, string) error{
			"type": func(v *yaml.Node, k string) error { typeSet = true; return d.str(&r.resType)(v, k) },
			"id":   d.lined(d.str(&r.resID), &r.idLine),
		})
		switch {
		case err != nil:
			return err
		case !typeSet:
			return d.errorf(n.Line, key, "missing key \"type\"")
		case r.idLine == 0:
			return d.errorf(n.Line, key, "missing key \"id\"")
		}
		return nil
	}
}

// looksLikeCedar reports (and locates) Cedar policy text, which must never
// be accepted as a manifest: a line that starts a policy or an annotation,
// even inside a YAML string (a list item, quoted or block scalar smuggling
// policy text). It is the one detector; Parse and LoadAll
// both use it.
func looksLikeCedar(data []byte) (int, bool) {
	for i, line := range bytes.Split(data, []byte("\n")) {
		s := strings.TrimSpace(string(line))
		t := strings.TrimLeft(s, "-|> \t\"'")
		if strings.HasPrefix(s, "@") || strings.HasPrefix(t, "@id(") {
			return i + 1, true
		}
		for _, kw := range []string{"permit", "forbid"} {
			if rest, ok := strings.CutPrefix(t, kw); ok && strings.HasPrefix(strings.TrimSpace(rest), "(") {
				return i + 1, true
			}
		}
	}
	return 0, false
}
