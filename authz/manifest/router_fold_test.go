package manifest

import "testing"

// upperTemplateManifest declares its protected routes with upper-case or
// non-ASCII literals next to a catch-all: a case-insensitive upstream
// (ASP.NET, Express) serves the protected route for an all-lower-case
// request path too.
const upperTemplateManifest = `
routes:
  - name: admin-users
    match: {method: GET, path: /Admin/users}
    action: Admin
    resource: {type: Service, id: admin}
  - name: status
    match: {method: GET, path: "/ſtatus"}
    action: Admin
    resource: {type: Service, id: status}
  - name: catch-all
    match: {path: '/{rest...}'}
    action: ReadPublic
    resource: {type: Page, id: "{rest}"}
`

// TestAmbiguousCaseFromTemplate: the loosest folding is checked whatever
// side carries the foldable letters, the request path or the template.
func TestAmbiguousCaseFromTemplate(t *testing.T) {
	m, err := Parse("upper.yaml", []byte(upperTemplateManifest))
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct{ path, want string }{
		{"/Admin/users", "admin-users"},
		{"/admin/users", "bad_path:ambiguous_case"},
		{"/status", "bad_path:ambiguous_case"},
		{"/public/x", "catch-all"},
	} {
		t.Run(tt.path, func(t *testing.T) {
			if got := tollgateReading(m.Lookup("GET", tt.path, false, false, nil)); got != tt.want {
				t.Fatalf("Tollgate reads %s, want %s", got, tt.want)
			}
		})
	}
}
