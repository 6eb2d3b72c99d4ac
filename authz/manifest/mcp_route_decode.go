package manifest

import (
	"strconv"

	"gopkg.in/yaml.v3"
)

// rawMCP is the decoded mcp block of a route.
type rawMCP struct {
	line                                   int
	server, mode, action, prefix, toolType string
	responses, argNames                    string
	tools                                  []string
	pins                                   map[string]string
	methods                                []rawMCPMethod
	maxBody, maxValues, maxArgDepth        int
	responsesLine                          int
	prefixSet                              bool
	serverLine, modeLine                   int
	actionLine, prefixLine                 int
}

// rawMCPMethod is one entry of mcp.methods: a verdict string ("allow",
// "deny") or a mapping with an action and an optional resource.
type rawMCPMethod struct {
	name, key       string
	line            int
	verdict, action string
	resType, resID  string
	resLine, idLine int
}

func (d *decoder) mcpFields(r *rawRoute) func(*yaml.Node, string) error {
	return func(n *yaml.Node, key string) error {
		m := &rawMCP{line: n.Line}
		r.mcp = m
		return d.fields(n, key, map[string]func(*yaml.Node, string) error{
			"server":             d.lined(d.str(&m.server), &m.serverLine),
			"mode":               d.lined(d.str(&m.mode), &m.modeLine),
			"action":             d.lined(d.str(&m.action), &m.actionLine),
			"action_prefix":      d.lined(d.setStr(&m.prefix, &m.prefixSet), &m.prefixLine),
			"tool_type":          d.str(&m.toolType),
			"tools":              d.strList(&m.tools),
			"responses":          d.lined(d.str(&m.responses), &m.responsesLine),
			"max_body_bytes":     d.positiveInt(&m.maxBody),
			"max_values":         d.boundedInt(&m.maxValues, MaxMCPValues),
			"max_argument_depth": d.positiveInt(&m.maxArgDepth),
			"methods":            d.mcpMethods(m),
			"argument_names":     d.str(&m.argNames),
			"pins":               d.mcpPins(m),
		})
	}
}

func (d *decoder) setStr(dst *string, set *bool) func(*yaml.Node, string) error {
	return func(n *yaml.Node, key string) error { *set = true; return d.str(dst)(n, key) }
}

func (d *decoder) positiveInt(dst *int) func(*yaml.Node, string) error {
	return func(n *yaml.Node, key string) error {
		v, err := strconv.Atoi(n.Value)
		if n.Kind != yaml.ScalarNode || n.ShortTag() != "!!int" || err != nil || v <= 0 {
			return d.errorf(n.Line, key, "expected a positive integer")
		}
		*dst = v
		return nil
	}
}

// MaxMCPValues is the largest max_values a manifest may declare (4 times
// the default): each JSON value costs about 165 allocated bytes before
// policy runs, so an unbounded one let any caller of the route make
// Tollgate, shared with every other route, allocate hundreds of megabytes
// per request.
const MaxMCPValues = 1 << 16

func (d *decoder) boundedInt(dst *int, limit int) func(*yaml.Node, string) error {
	return func(n *yaml.Node, key string) error {
		if err := d.positiveInt(dst)(n, key); err != nil {
			return err
		}
		if *dst > limit {
			return d.errorf(n.Line, key, "%d is more than the largest allowed, %d", *dst, limit)
		}
		return nil
	}
}

func (d *decoder) mcpMethods(m *rawMCP) func(*yaml.Node, string) error {
	return func(n *yaml.Node, key string) error {
		if n.Kind != yaml.MappingNode {
			return d.errorf(n.Line, key, "expected a mapping of MCP method to allow, deny or {action, resource}")
		}
		seen := make(map[string]bool, len(n.Content)/2)
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			if seen[k.Value] {
				// Which of two rules wins would be an accident of decoding.
				return d.errorf(k.Line, key, "duplicate key %q", k.Value)
			}
			seen[k.Value] = true
			mm := rawMCPMethod{name: k.Value, key: key + "." + k.Value, line: k.Line}
			if err := d.MCPMethod(v, &mm); err != nil {
				return err
			}
			m.methods = append(m.methods, mm)
		}
		return nil
	}
}

func (d *decoder) MCPMethod(v *yaml.Node, mm *rawMCPMethod) error {
	if v.Kind == yaml.ScalarNode {
		return d.str(&mm.verdict)(v, mm.key)
	}
	actionLine := 0
	err := d.fields(v, mm.key, map[string]func(*yaml.Node, string) error{
		"action": d.lined(d.str(&mm.action), &actionLine),
		"resource": d.lined(func(n *yaml.Node, key string) error {
			return d.fields(n, key, map[string]func(*yaml.Node, string) error{
				"type": d.str(&mm.resType),
				"id":   d.lined(d.str(&mm.resID), &mm.idLine),
			})
		}, &mm.resLine),
	})
	if err == nil && actionLine == 0 {
		return d.errorf(v.Line, mm.key, "missing key \"action\"")
	}
	return err
}

// checkMCPRoute validates the keys of a route with an mcp block.
func (d *decoder) checkMCPRoute(r *rawRoute) error {
	switch {
	case r.matchLine == 0:
		return d.errorf(r.line, r.key, "missing key \"match\"")
	case r.actionLine != 0:
		return d.errorf(r.actionLine, r.key, "an mcp route takes its actions from mcp; remove \"action\"")
	case r.resLine != 0:
		return d.errorf(r.resLine, r.key, "an mcp route takes its resources from mcp; remove \"resource\"")
	case r.grpcLine != 0:
		return d.errorf(r.grpcLine, r.key, "an mcp route matches an HTTP path, not grpc")
	}
	return nil
}
