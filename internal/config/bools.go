package config

import (
	"fmt"

	"gopkg.in/yaml.v3"
)

// strictBools are the keys whose value must be exactly true or false.
// yaml.v3 would otherwise read yes, on, y as true into a bool, and report a
// quoted "true" without naming the key.
var strictBools = []string{"listen.proxy_normalizes_path",
	"identity.trust_source_principal",
	"identity.trust_source_principal_from_any_caller",
	"identity.delegation.txn_token.context_txn_id",
	"identity.delegation.txn_token.context_scope",
	"admin.ui",
	"ext_proc.enabled",
}

// checkBools refuses any other spelling of the strict boolean keys before
// decoding, naming file, line and key.
func checkBools(name string, root *yaml.Node) error {
	for _, path := range strictBools {
		n := nodeAt(root, path)
		if n == nil {
			continue
		}
		if n.Kind != yaml.ScalarNode || n.ShortTag() != "!!bool" || (n.Value != "true" && n.Value != "false") {
			return fmt.Errorf("config: %s:%d: %w: %s: must be true or false, not %s", name, n.Line, ErrInvalid, path, describe(n))
		}
	}
	return nil
}

func describe(n *yaml.Node) string {
	if n.Kind == yaml.ScalarNode {
		return fmt.Sprintf("%q", n.Value)
	}
	return "a " + map[yaml.Kind]string{yaml.MappingNode: "mapping", yaml.SequenceNode: "list", yaml.AliasNode: "alias"}[n.Kind]
}
