package envoy

import (
	"testing"

	"github.com/tollgate-authz/tollgate/authz"
)

// The dynamic metadata carries the digest of the body decided, allowed or
// denied, and no key for a request without a body.
func TestDynamicMetadataBodyDigest(t *testing.T) {
	const sum = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"
	denied := authz.Denied(authz.CodeForbid, "a forbid matched")
	denied.ID = "n"
	for _, d := range []authz.Decision{allowDecision(), denied} {
		d.BodySHA256 = sum
		if md := toResponse(&d, &Options{MCPDenyStatus: 200}).GetDynamicMetadata().AsMap(); md["body_sha256"] != sum {
			t.Fatalf("%s: metadata %v", d.Outcome, md)
		}
	}
	if md := dynamicMetadata(&authz.Decision{ID: "y"}).AsMap(); md["body_sha256"] != nil {
		t.Fatalf("a digest without a body: %v", md)
	}
}
