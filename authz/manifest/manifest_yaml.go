package manifest

import (
	"fmt"
	"strings"

	"gopkg.in/yaml.v3"
)

// decoder walks a yaml.Node tree strictly, so that every error can name
// the file, line and key path.
type decoder struct{ file string }

// isGrantKey reports keys that belong in a Cedar policy, not in a manifest.
func isGrantKey(k string) bool {
	switch strings.ToLower(k) {
	case "permit", "forbid", "policy", "policies", "principal", "principals",
		"when", "unless", "grant", "grants", "allow":
		return true
	}
	return false
}

// checkTree rejects grant keys anywhere, aliases and merge keys.
func (d *decoder) checkTree(n *yaml.Node, key string) error {
	switch n.Kind {
	case yaml.AliasNode:
		return d.errorf(n.Line, key, "YAML anchors and aliases are not supported")
	case yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			k := n.Content[i]
			if isGrantKey(k.Value) {
				return d.grantError(k.Line, key, k.Value)
			}
			if k.Value == "<<" || k.Kind != yaml.ScalarNode {
				return d.errorf(k.Line, key, "unsupported key %q", k.Value)
			}
			if err := d.checkTree(n.Content[i+1], joinKey(key, k.Value)); err != nil {
				return err
			}
		}
	case yaml.SequenceNode, yaml.DocumentNode:
		for i, c := range n.Content {
			k := key
			if n.Kind == yaml.SequenceNode {
				k = fmt.Sprintf("%s[%d]", key, i)
			}
			if err := d.checkTree(c, k); err != nil {
				return err
			}
		}
	}
	return nil
}

func joinKey(parent, key string) string {
	if parent == "" {
		return key
	}
	return parent + "." + key
}

// fields walks a mapping, calling set for each known key and rejecting
// unknown or repeated keys.
func (d *decoder) fields(n *yaml.Node, key string, set map[string]func(*yaml.Node, string) error) error {
	if n.Kind != yaml.MappingNode {
		return d.errorf(n.Line, key, "expected a mapping, got %s", kindName(n))
	}
	seen := make(map[string]bool, len(n.Content)/2)
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		f, ok := set[k.Value]
		if !ok {
			return d.errorf(k.Line, key, "unknown key %q", k.Value)
		}
		if seen[k.Value] {
			return d.errorf(k.Line, key, "duplicate key %q", k.Value)
		}
		seen[k.Value] = true
		if err := f(v, joinKey(key, k.Value)); err != nil {
			return err
		}
	}
	return nil
}

// str decodes a string scalar into dst.
func (d *decoder) str(dst *string) func(*yaml.Node, string) error {
	return func(n *yaml.Node, key string) error {
		if n.Kind != yaml.ScalarNode || n.ShortTag() != "!!str" {
			return d.errorf(n.Line, key, "expected a string, got %s (quote the value)", kindName(n))
		}
		if n.Style == 0 && isYAML11Bool(n.Value) {
			return d.errorf(n.Line, key, "%s is a boolean to YAML 1.1 readers (PyYAML, yaml.v2): quote it", n.Value)
		}
		*dst = n.Value
		return nil
	}
}

// strList decodes a sequence of string scalars into dst.
func (d *decoder) strList(dst *[]string) func(*yaml.Node, string) error {
	return func(n *yaml.Node, key string) error {
		if n.Kind != yaml.SequenceNode {
			return d.errorf(n.Line, key, "expected a list of strings, got %s", kindName(n))
		}
		out := make([]string, len(n.Content))
		for i, c := range n.Content {
			if err := d.str(&out[i])(c, fmt.Sprintf("%s[%d]", key, i)); err != nil {
				return err
			}
		}
		*dst = out
		return nil
	}
}

func kindName(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	case yaml.ScalarNode:
		if n.ShortTag() == "!!null" {
			return "null"
		}
		return n.ShortTag()
	}
	return "an unsupported node"
}

// isYAML11Bool reports the plain scalars YAML 1.1 reads as booleans that
// YAML 1.2 (yaml.v3, Tollgate) reads as strings.
func isYAML11Bool(v string) bool {
	switch v {
	case "y", "Y", "yes", "Yes", "YES", "n", "N", "no", "No", "NO", "on", "On", "ON", "off", "Off", "OFF":
		return true
	}
	return false
}
