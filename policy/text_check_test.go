package policy

import (
	"errors"
	"strings"
	"testing"
)

// Rust Cedar (the CLI IAM's review and CI run) ends a // comment at a
// carriage return; cedar-go only at a line feed. A lone CR after a comment
// hid the forbid that follows from Tollgate while Cedar and the reviewer
// saw it. Characters that break lines in some readers and not others, and
// Unicode bidi controls (Trojan Source: text displayed in another order
// than it is parsed), are refused with their line.
func TestPolicyTextRefusesAmbiguousLineBreaks(t *testing.T) {
	const permit = "@id(\"p\")\npermit(principal,action,resource);\n"
	for name, tc := range map[string]struct{ src, line string }{
		"lone CR after comment": {permit + "// reviewed\r@id(\"f\")\rforbid(principal,action,resource);\n", ":3:"},
		"lone CR at the end":    {permit + "// reviewed\r", ":3:"},
		"vertical tab":          {permit + "// reviewed\v@id(\"f\")\vforbid(principal,action,resource);\n", ":3:"},
		"form feed":             {permit + "// reviewed\f@id(\"f\")\fforbid(principal,action,resource);\n", ":3:"},
		"next line":             {permit + "// reviewed\u0085@id(\"f\")\u0085forbid(principal,action,resource);\n", ":3:"},
		"line separator":        {permit + "// reviewed\u2028@id(\"f\")\u2028forbid(principal,action,resource);\n", ":3:"},
		"paragraph separator":   {permit + "// reviewed\u2029forbid(principal,action,resource);\n", ":3:"},
		"bidi override":         {permit + "/* \u202e } \u2066 */\n@id(\"f\")\nforbid(principal,action,resource);\n", ":3:"},
		"bidi isolate":          {permit + "@id(\"f\")\nforbid(principal == User::\"a\u2067b\",action,resource);\n", ":4:"},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := Load(mapFS(map[string]string{"a.cedar": tc.src}), Options{})
			if !errors.Is(err, ErrParse) || !strings.Contains(err.Error(), "a.cedar"+tc.line) {
				t.Fatalf("Load: err %v, want ErrParse at a.cedar%s", err, tc.line)
			}
		})
	}
}

// CRLF files and tabs load as before, with the same policies.
func TestPolicyTextAcceptsCRLF(t *testing.T) {
	src := "@id(\"p\")\r\npermit(principal,action,resource);\r\n// note\r\n@id(\"f\")\r\n\tforbid(principal,action,resource);\r\n"
	s, err := Load(mapFS(map[string]string{"a.cedar": src}), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if s.Len() != 2 {
		t.Fatalf("%d policies, want 2", s.Len())
	}
}

// The schema's text form uses the same lexer: the same characters are refused.
func TestSchemaTextRefusesAmbiguousLineBreaks(t *testing.T) {
	files := map[string]string{
		"a.cedar":            "@id(\"p\")\npermit(principal,action,resource);\n",
		"schema.cedarschema": "entity User;\n// note\raction read appliesTo { principal: User, resource: User };\n",
	}
	_, err := Load(mapFS(files), Options{})
	if !errors.Is(err, ErrSchema) || !strings.Contains(err.Error(), "schema.cedarschema:2:") {
		t.Fatalf("Load: err %v, want ErrSchema at schema.cedarschema:2:", err)
	}
}
