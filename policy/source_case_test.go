package policy

import (
	"errors"
	"testing"
)

// TestSourceFileNameCaseVariants: only exactly-named files are policy
// source, so an emergency forbid saved as "deny.CEDAR" (or an
// "Entities.json") would be silently left out while the rest loads. A
// file that is a source file but for case is a load error naming it.
func TestSourceFileNameCaseVariants(t *testing.T) {
	const permit = "@id(\"p\")\npermit (principal, action, resource);\n"
	const forbid = "@id(\"f\")\nforbid (principal, action, resource);\n"
	for _, name := range []string{"deny.CEDAR", "deny.Cedar", "sub/deny.cedaR", "Entities.json", "VERSION.txt.CEDAR", "Schema.cedarschema"} {
		data := forbid
		if name == "Entities.json" {
			data = "[]"
		}
		if name == "Schema.cedarschema" {
			data = "entity User;"
		}
		_, err := Load(mapFS(map[string]string{"main.cedar": permit, name: data}), Options{})
		if !errors.Is(err, ErrRead) {
			t.Errorf("%s: Load error %v, want ErrRead naming the file", name, err)
		}
	}
}
