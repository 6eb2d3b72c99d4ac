package main

import (
	"fmt"
	"slices"
	"sort"

	"gopkg.in/yaml.v3"

	"github.com/tollgate-authz/tollgate/internal/suggest"
)

// suiteKeys are the keys a suite, a case and an HTTP request may have;
// anything else is a mistake (a misspelt assertion would silently not
// assert).
var (
	suiteKeys = []string{"name", "cases"}
	caseKeys  = []string{"name", "principal", "action", "resource", "context", "request", "expect", "code",
		"policies", "errors", "entities", "now"}
	requestKeys = []string{"method", "path", "host", "headers", "context_extensions", "source_address"}
)

// unknownKeys reports every key of the suite document that is not one of
// the known keys, with its line and the key it was probably meant to be.
func unknownKeys(file string, root *yaml.Node) []error {
	if root == nil || len(root.Content) == 0 {
		return nil
	}
	var errs []error
	check := func(m *yaml.Node, known []string, where string) {
		if m.Kind != yaml.MappingNode {
			return
		}
		for i := 0; i+1 < len(m.Content); i += 2 {
			k := m.Content[i]
			if !slices.Contains(known, k.Value) {
				sorted := append([]string(nil), known...)
				sort.Strings(sorted)
				errs = append(errs, fmt.Errorf("%s:%d: %sunknown key %q%s; known keys: %v",
					file, k.Line, where, k.Value, suggest.Hint(k.Value, known), sorted))
			}
		}
	}
	doc := root.Content[0]
	check(doc, suiteKeys, "")
	for _, c := range seqOf(mapValue(doc, "cases")) {
		check(c, caseKeys, "case: ")
		if r := mapValue(c, "request"); r != nil {
			check(r, requestKeys, "request: ")
		}
	}
	return errs
}

func mapValue(m *yaml.Node, key string) *yaml.Node {
	if m == nil || m.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			return m.Content[i+1]
		}
	}
	return nil
}

func seqOf(n *yaml.Node) []*yaml.Node {
	if n == nil || n.Kind != yaml.SequenceNode {
		return nil
	}
	return n.Content
}
