package manifest

import (
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/tollgate-authz/tollgate/authz/mcp"
)

// mcpPins decodes mcp.pins: a mapping of tool name to the pin of its
// definition ("sha256:" and 64 lower-case hex digits, as `tollgate
// manifest pin` prints it).
func (d *decoder) mcpPins(m *rawMCP) func(*yaml.Node, string) error {
	return func(n *yaml.Node, key string) error {
		if n.Kind != yaml.MappingNode {
			return d.errorf(n.Line, key, "expected a mapping of tool name to sha256:<hex> (see tollgate manifest pin)")
		}
		m.pins = make(map[string]string, len(n.Content)/2)
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			var tool, pin string
			if err := d.str(&tool)(k, key); err != nil {
				return err
			}
			if _, dup := m.pins[tool]; dup {
				return d.errorf(k.Line, key, "duplicate tool %q", tool)
			}
			if tool == "" || strings.ContainsFunc(tool, isControl) {
				return d.errorf(k.Line, key, "a tool name must be non-empty without control characters")
			}
			if err := d.str(&pin)(v, key+"."+tool); err != nil {
				return err
			}
			if !validPin(pin) {
				return d.errorf(v.Line, key+"."+tool, "a pin is %s followed by 64 lower-case hex digits (see tollgate manifest pin)", mcp.PinPrefix)
			}
			m.pins[tool] = pin
		}
		return nil
	}
}

func validPin(p string) bool {
	hex, ok := strings.CutPrefix(p, mcp.PinPrefix)
	return ok && len(hex) == 64 && strings.Trim(hex, "0123456789abcdef") == ""
}
