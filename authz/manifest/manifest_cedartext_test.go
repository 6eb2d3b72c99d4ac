package manifest

import (
	"errors"
	"testing"
)

// TestCedarTextSameAnswerAnyEntry checks that policy text in a manifest is
// found by the one detector, whether the manifest is parsed directly
// (Parse) or loaded from a file (LoadAll).
func TestCedarTextSameAnswerAnyEntry(t *testing.T) {
	tests := []struct {
		name string
		text string
		line int
	}{
		{"policy line", "service: x\npermit (principal, action, resource);\n", 2},
		{"extra spaces before paren", "service: x\nforbid   (principal, action, resource);\n", 2},
		{"annotation", "service: x\n@advice(\"x\")\n", 2},
		{"block scalar", "service: x\nnotes: |\n  permit (principal, action, resource);\n", 3},
		{"list item", "service: x\nnotes:\n  - permit(principal, action, resource);\n", 3},
		{"quoted string", "service: x\nnotes: [\"x\",\n  \"forbid (principal, action, resource);\"]\n", 3},
		{"quoted annotation", "service: x\nnotes:\n  - '@id(\"p\") permit (principal, action, resource);'\n", 3},
		{"folded scalar", "service: x\nnotes: >\n  > permit(principal, action, resource);\n", 3},
		{"plain manifest", "service: x\nnotes: permitted (by default)\nroutes: []\n", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			line, ok := looksLikeCedar([]byte(tt.text))
			if ok != (tt.line > 0) || line != tt.line {
				t.Fatalf("looksLikeCedar = %d, %v; want line %d", line, ok, tt.line)
			}
			_, err := Parse("m.yaml", []byte(tt.text))
			if got := errors.Is(err, ErrGrant); got != (tt.line > 0) {
				t.Fatalf("Parse: grant error %v, want %v (err %v)", got, tt.line > 0, err)
			}
		})
	}
}
