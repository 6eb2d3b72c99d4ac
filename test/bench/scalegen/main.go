// Command scalegen writes an enterprise-scale policy directory for
// test/bench/scale.sh and the policy package's BenchmarkScale: the
// quickstart's policies and entities, plus generated policies of one shape
// and generated entities. The quickstart's allowed request (the storefront
// reading Order 42) stays allowed under every shape.
//
//	scalegen -shape mixed -policies 10000 -entities 10000 [-per-file 1000] -out DIR
//
// Shapes (issue 9):
//
//	eq      permit (principal == Workload::"…/wK", action == Action::"ReadOrder", resource == Order::"K")
//	team    permit (principal in Team::"tT", action == Action::"ReadOrder", resource == Order::"K"), 10 per team
//	folder  permit (principal is Workload, action == Action::"ReadOrder", resource in Folder::"fK")
//	        when { principal.namespace == "nsK" }, over a folder tree holding the orders
//	when    permit (principal, action, resource) when { principal.namespace == "nsK" && … }
//	mixed   40% eq, 30% team, 20% folder, 9% action-scoped, 1% when
package main

import (
	"flag"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"strings"
)

func main() {
	shape := flag.String("shape", "mixed", "eq, team, folder, when or mixed")
	n := flag.Int("policies", 10000, "generated policies")
	m := flag.Int("entities", 10000, "generated entities (workloads; orders too for folder shapes)")
	quick := flag.String("quickstart", "examples/quickstart/policies", "the quickstart policy directory")
	out := flag.String("out", "", "output directory (created)")
	perFile := flag.Int("per-file", 1000, "generated policies per file (0: one file)")
	flag.Parse()
	if *out == "" || *n < 10 || *m < 10 {
		log.Fatal("scalegen: -out is required; -policies and -entities must be at least 10")
	}
	g := &gen{n: *n, m: *m, perFile: *perFile}
	if err := g.shape(*shape); err != nil {
		log.Fatal(err)
	}
	if err := g.write(*quick, *out); err != nil {
		log.Fatal(err)
	}
}

type gen struct {
	n, m     int
	policies []string // generated policy files
	cur      strings.Builder
	perFile  int
	entities []string
	next     int // policy counter
	folders  bool
}

func (g *gen) shape(s string) error {
	switch s {
	case "eq":
		g.eq(g.n)
	case "team":
		g.team(g.n)
	case "folder":
		g.folder(g.n)
	case "when":
		g.when(g.n)
	case "mixed":
		g.eq(g.n * 40 / 100)
		g.team(g.n * 30 / 100)
		g.folder(g.n * 20 / 100)
		g.action(g.n * 9 / 100)
		g.when(g.n - g.next)
	default:
		return fmt.Errorf("scalegen: unknown shape %q (eq, team, folder, when, mixed)", s)
	}
	g.workloads()
	if g.folders {
		g.orders()
	}
	return nil
}

func workload(k, teams int) string {
	return fmt.Sprintf("spiffe://example.org/ns/t%d/sa/w%d", k%teams, k)
}

func (g *gen) teams() int { return max(1, g.m/10) }

func (g *gen) policy(format string, args ...any) {
	fmt.Fprintf(&g.cur, "@id(\"gen-%d\")\n", g.next)
	fmt.Fprintf(&g.cur, format+";\n", args...)
	g.next++
	if g.perFile > 0 && g.next%g.perFile == 0 {
		g.flush()
	}
}

func (g *gen) flush() {
	if g.cur.Len() > 0 {
		g.policies = append(g.policies, g.cur.String())
		g.cur.Reset()
	}
}

func (g *gen) eq(n int) {
	for k := range n {
		g.policy(`permit (principal == Workload::%q, action == Action::"ReadOrder", resource == Order::"%d")`,
			workload(k%g.m, g.teams()), k)
	}
}

func (g *gen) team(n int) {
	for k := range n {
		g.policy(`permit (principal in Team::"t%d", action == Action::"ReadOrder", resource == Order::"%d")`,
			(k/10)%g.teams(), k)
	}
}

// folder policies name folders of a tree of n folders, 8 children each;
// the orders (and Order 42) sit in its leaves.
func (g *gen) folder(n int) {
	g.folders = true
	for k := range n {
		g.policy(`permit (principal is Workload, action == Action::"ReadOrder", resource in Folder::"f%d")
when { principal.namespace == "ns%d" }`, k%g.folderCount(), k)
	}
}

func (g *gen) folderCount() int { return max(1, g.n/5) }

func (g *gen) action(n int) {
	// The actions are entities, so the server's manifest check knows them
	// ("reads what Tollgate never produces" otherwise).
	for k := range min(n, 100) {
		g.entity("Action", fmt.Sprintf("Op%d", k), "Action")
	}
	for k := range n {
		g.policy(`permit (principal, action == Action::"Op%d", resource) when { principal has namespace && principal.namespace == "ns%d" }`,
			k%100, k)
	}
}

func (g *gen) when(n int) {
	for k := range n {
		g.policy(`permit (principal, action, resource)
when { principal has namespace && principal.namespace == "ns%d" && context has method && context.method == "GET" }`, k)
	}
}

func (g *gen) entity(typ, id string, parentType string, parents ...string) {
	var ps []string
	for _, p := range parents {
		ps = append(ps, fmt.Sprintf(`{"type": %q, "id": %q}`, parentType, p))
	}
	g.entities = append(g.entities, fmt.Sprintf(`{"uid": {"type": %q, "id": %q}, "attrs": {}, "parents": [%s]}`,
		typ, id, strings.Join(ps, ", ")))
}

func (g *gen) workloads() {
	for t := range g.teams() {
		g.entity("Team", fmt.Sprintf("t%d", t), "Org", "acme")
	}
	for k := range g.m {
		g.entity("Workload", workload(k, g.teams()), "Team", fmt.Sprintf("t%d", k%g.teams()))
	}
}

func (g *gen) orders() {
	f := g.folderCount()
	for k := range f {
		if k == 0 {
			g.entity("Folder", "f0", "Folder")
			continue
		}
		g.entity("Folder", fmt.Sprintf("f%d", k), "Folder", fmt.Sprintf("f%d", (k-1)/8))
	}
	for k := range g.m {
		g.entity("Order", fmt.Sprint(k+1000), "Folder", fmt.Sprintf("f%d", f-1-k%max(1, f*7/8)))
	}
	g.entity("Order", "42", "Folder", fmt.Sprintf("f%d", f-1))
}

func (g *gen) write(quick, out string) error {
	if err := os.MkdirAll(out, 0o755); err != nil {
		return err
	}
	orders, err := os.ReadFile(filepath.Join(quick, "orders.cedar"))
	if err != nil {
		return err
	}
	ents, err := os.ReadFile(filepath.Join(quick, "entities.json"))
	if err != nil {
		return err
	}
	g.flush()
	base := strings.TrimSuffix(strings.TrimSpace(string(ents)), "]")
	all := base + ",\n" + strings.Join(g.entities, ",\n") + "\n]\n"
	files := map[string]string{"orders.cedar": string(orders), "entities.json": all}
	for i, p := range g.policies {
		files[fmt.Sprintf("generated-%04d.cedar", i)] = p
	}
	for name, data := range files {
		if err := os.WriteFile(filepath.Join(out, name), []byte(data), 0o644); err != nil {
			return err
		}
	}
	return nil
}
