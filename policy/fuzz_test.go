package policy

import (
	"errors"
	"strings"
	"testing"
)

// FuzzLoad feeds arbitrary policy text and entity JSON to Load: it must
// never panic, and every failure must be a positioned *LoadError.
func FuzzLoad(f *testing.F) {
	f.Add(permitAll, `[{"uid": {"type": "G", "id": "a"}, "attrs": {}, "parents": [{"type": "G", "id": "b"}]}]`)
	f.Add("@id(\"x\") @exception(\"T\") @approved_by(\"a\") @expires(\"2030-01-02T00:00:00Z\") permit (principal, action, resource);", "[]")
	f.Add("@id(\"x\") forbid (principal in G::\"a\", action in [Action::\"r\"], resource) when { context.x };", "[\n")
	f.Add("permit (", `{"a": 1}`)
	f.Add(permitAll+"// c\r@id(\"f\")\rforbid (principal, action, resource);\r\n", `[] []`)
	f.Fuzz(func(t *testing.T, policy, entities string) {
		s, err := Load(mapFS(map[string]string{"p.cedar": policy, "entities.json": entities}), Options{})
		if err != nil {
			var le *LoadError
			if !errors.As(err, &le) || !strings.HasPrefix(err.Error(), "policy: ") {
				t.Fatalf("error is not a *LoadError: %T %v", err, err)
			}
			return
		}
		s.Evaluate(req(uid("G", "a"), uid("Action", "r"), uid("G", "b"), nil))
	})
}
