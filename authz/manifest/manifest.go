package manifest

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/cedar-policy/cedar-go/types"
	"gopkg.in/yaml.v3"
)

// MaxSize is the largest manifest file accepted.
const MaxSize = 4 << 20

// Manifest is an app team's declaration of which Cedar action and resource
// each route of their service is. It is immutable once parsed and safe for
// concurrent use. A manifest never grants access; IAM's policies do.
type Manifest struct {
	file    string
	service string
	routes  []*Rule
	actions []string // sorted, unique
	table   *routeTable
}

// Route is one declared route, as written in the manifest.
type Route struct {
	Name    string   // as written, or "METHOD path" when omitted
	File    string   // manifest file the route came from (set by LoadAll)
	Line    int      // line of the route in the manifest
	Methods []string // nil means any method
	// Path is the HTTP path template (empty for a gRPC route).
	Path string
	// GRPC is the gRPC method pattern, /pkg.Service/Method or
	// /pkg.Service/* (empty for an HTTP route).
	GRPC     string
	Action   string // as written: ReadOrder or Orders::Action::"read"; empty for MCP
	Resource ResourceRef
	// MCP is set for an MCP endpoint: the action and resource come from
	// each JSON-RPC message, per the route's mcp block.
	MCP *MCPRoute
}

// ResourceRef is the Cedar resource a route maps to.
type ResourceRef struct {
	Type string // Cedar entity type, e.g. Order or Acme::Order
	ID   string // template over the route's captures, e.g. "order-{id}"
}

// Load reads and parses the manifest file at path.
func Load(path string) (*Manifest, error) {
	data, err := readManifest(path)
	if err != nil {
		return nil, err
	}
	return Parse(filepath.Base(path), data)
}

// readManifest reads at most MaxSize+1 bytes of a manifest file, so that
// Parse refuses a larger one without it ever being held whole.
func readManifest(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, wrap(err)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, MaxSize+1))
	if err != nil {
		return nil, wrap(fmt.Errorf("read %s: %w", path, err))
	}
	return data, nil
}

// Parse decodes and validates a manifest. name is used in error
// messages (normally the file name).
func Parse(name string, data []byte) (*Manifest, error) {
	d := &decoder{file: name}
	if len(data) > MaxSize {
		return nil, d.errorf(0, "", "file is larger than %d bytes", MaxSize)
	}
	if line, ok := looksLikeCedar(data); ok {
		return nil, &Error{File: name, Line: line, Grant: true, Msg: "this looks like Cedar policy text: " +
			ErrGrant.Error() + "; put policies in IAM's policy repository"}
	}
	root, err := d.parseYAML(data)
	if err != nil {
		return nil, err
	}
	raw, err := d.decodeRoot(root)
	if err != nil {
		return nil, err
	}
	return compileManifest(d, raw)
}

func (d *decoder) parseYAML(data []byte) (*yaml.Node, error) {
	dec := yaml.NewDecoder(strings.NewReader(string(data)))
	var doc yaml.Node
	if err := dec.Decode(&doc); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, d.errorf(0, "", "empty manifest: expected a mapping with a routes list")
		}
		return nil, d.yamlError(err)
	}
	var extra yaml.Node
	if err := dec.Decode(&extra); !errors.Is(err, io.EOF) {
		return nil, d.errorf(extra.Line, "", "expected one YAML document")
	}
	if err := d.checkTree(&doc, ""); err != nil {
		return nil, err
	}
	root := doc.Content[0]
	if root.Kind != yaml.MappingNode {
		return nil, d.errorf(root.Line, "", "expected a mapping with a routes list, got %s", kindName(root))
	}
	return root, nil
}

// Service returns the optional service label.
func (m *Manifest) Service() string { return m.service }

// File returns the name the manifest was parsed under.
func (m *Manifest) File() string { return m.file }

// Routes returns a copy of the declared routes, in file order.
func (m *Manifest) Routes() []Route {
	out := make([]Route, len(m.routes))
	for i, r := range m.routes {
		out[i] = r.Route
		out[i].Methods = slices.Clone(r.Methods)
		out[i].MCP = r.MCP.clone()
	}
	return out
}

// Actions returns the sorted, distinct action names the manifest declares
// (as written). They bound the action label of the decision metrics.
func (m *Manifest) Actions() []string { return slices.Clone(m.actions) }

// HasAction reports whether the manifest declares the action name.
func (m *Manifest) HasAction(name string) bool {
	_, ok := slices.BinarySearch(m.actions, name)
	return ok
}

// RouteMatch is the result of Manifest.Match.
type RouteMatch struct {
	Route    Route
	Action   types.EntityUID
	Resource types.EntityUID
}

// Match reports the route, Cedar action and resource for a method and a
// raw request path, read as NormalizePath does (a raw-forwarding proxy).
// grpc says the request is a gRPC call. It is meant for tools such as
// `tollgate check`; authz.Engine.Check does the same matching.
func (m *Manifest) Match(method, rawPath string, grpc bool) (RouteMatch, error) {
	lk := m.Lookup(method, rawPath, grpc, false, nil)
	if lk.BadPath != "" {
		return RouteMatch{}, &PathError{Code: lk.BadPath}
	}
	r, vals := lk.Rule, lk.Vals
	if r == nil {
		return RouteMatch{}, wrap(ErrNoRoute)
	}
	rt := r.Route
	rt.Methods = slices.Clone(rt.Methods)
	return RouteMatch{
		Route:    rt,
		Action:   r.action,
		Resource: types.NewEntityUID(r.resType, types.String(renderID(r.idParts, vals))),
	}, nil
}

// yamlError turns "yaml: line 7: msg" into "file:7: invalid YAML: msg".
func (d *decoder) yamlError(err error) error {
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	line := 0
	if rest, ok := strings.CutPrefix(msg, "line "); ok {
		if n, tail, ok := strings.Cut(rest, ": "); ok {
			if v, convErr := strconv.Atoi(n); convErr == nil {
				line, msg = v, tail
			}
		}
	}
	return d.errorf(line, "", "invalid YAML: %s", msg)
}

// Empty returns a manifest with no routes: every request is a miss.
func Empty() *Manifest { return &Manifest{table: newRouteTable(false)} }
