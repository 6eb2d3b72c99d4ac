package authz

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"strings"
	"testing"
)

// TestDecisionsOnlyFromConstructors: outside decision.go no code of the
// package writes a Decision's Outcome or Code, in a composite literal or
// an assignment, so every verdict comes from Allowed, Denied or Errored
// (which derive the outcome and the label from the Code).
func TestDecisionsOnlyFromConstructors(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	for _, name := range files {
		if name == "decision.go" || strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(f, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.CompositeLit:
				if id, ok := n.Type.(*ast.Ident); ok && id.Name == "Decision" {
					for _, e := range n.Elts {
						if kv, ok := e.(*ast.KeyValueExpr); ok && verdictField(kv.Key) {
							t.Errorf("%s: a Decision literal sets %s; use Allowed, Denied or Errored", fset.Position(kv.Pos()), kv.Key)
						}
					}
				}
			case *ast.AssignStmt:
				for _, l := range n.Lhs {
					if sel, ok := l.(*ast.SelectorExpr); ok && verdictField(sel.Sel) {
						t.Errorf("%s: assigns .%s; use Allowed, Denied or Errored", fset.Position(sel.Pos()), sel.Sel.Name)
					}
				}
			}
			return true
		})
	}
}

func verdictField(e ast.Expr) bool {
	id, ok := e.(*ast.Ident)
	return ok && (id.Name == "Outcome" || id.Name == "Code")
}
