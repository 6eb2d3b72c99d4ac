package policy

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/cedar-policy/cedar-go/types"
)

// chainEntities is a hierarchy of n groups, each the parent of the previous.
func chainEntities(n int) string {
	var b strings.Builder
	b.WriteString("[")
	for i := range n {
		if i > 0 {
			b.WriteString(",\n")
		}
		fmt.Fprintf(&b, `{"uid":{"type":"G","id":"g%d"},"parents":[{"type":"G","id":"g%d"}],"attrs":{}}`, i, i+1)
	}
	return b.String() + "]"
}

// Closing ancestors is quadratic in the depth of a hierarchy: an 8000-deep
// chain (660 KB of entities.json) took 27 s and 5 GB of heap to load. A
// hierarchy deeper than maxHierarchyDepth is refused, naming an entity on it.
func TestEntitiesRefuseTooDeepHierarchy(t *testing.T) {
	files := map[string]string{"a.cedar": "@id(\"a\")\npermit(principal,action,resource);",
		"entities.json": chainEntities(maxHierarchyDepth + 2)}
	_, err := Load(mapFS(files), Options{})
	if !errors.Is(err, ErrEntities) || !strings.Contains(err.Error(), "deeper than") {
		t.Fatalf("Load: err %v, want ErrEntities naming the depth", err)
	}
	files["entities.json"] = chainEntities(maxHierarchyDepth - 1)
	if _, err := Load(mapFS(files), Options{}); err != nil {
		t.Fatalf("a hierarchy within the depth limit: %v", err)
	}
}

// The closure as a whole is bounded too (a wide, shallow hierarchy can
// still multiply): past the budget of ancestor links, the data is refused.
func TestEntitiesClosureBudget(t *testing.T) {
	d, err := parseEntities(&sourceFile{path: "entities.json", data: []byte(chainEntities(40))})
	if err != nil {
		t.Fatal(err)
	}
	c := newCloser(d.entities, 100) // a 40-chain has 40*41/2 = 820 links
	var last error
	for _, u := range d.sortedUIDs() {
		if last = c.visit(u, nil); last != nil {
			break
		}
	}
	if !errors.Is(last, ErrEntities) || !strings.Contains(last.Error(), "ancestor links") {
		t.Fatalf("visit: err %v, want ErrEntities over the budget", last)
	}
	c = newCloser(d.entities, 1000)
	for _, u := range d.sortedUIDs() {
		if err := c.visit(u, nil); err != nil {
			t.Fatalf("within budget: %v", err)
		}
	}
	if got := c.anc[types.NewEntityUID("G", "g0")].Len(); got != 40 {
		t.Fatalf("g0 has %d ancestors, want 40", got)
	}
}
