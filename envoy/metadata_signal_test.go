package envoy

import (
	"testing"

	corev3 "github.com/envoyproxy/go-control-plane/envoy/config/core/v3"
	"google.golang.org/protobuf/types/known/structpb"

	"github.com/tollgate-authz/tollgate/authz"
)

// TestFlattenMetadataNonScalarUnreadable: a metadata value that is a list,
// a struct or null (a JWT claim ["prod"] that jwt_authn put in metadata)
// was dropped, so a metadata signal was absent and a forbid guarded by
// `context has env` did not fire while the upstream read the claim. It is
// flattened as authz.MetadataUnreadable, which every signal type refuses.
func TestFlattenMetadataNonScalarUnreadable(t *testing.T) {
	list, _ := structpb.NewList([]any{"prod"})
	for name, v := range map[string]*structpb.Value{
		"list": structpb.NewListValue(list), "struct": structpb.NewStructValue(&structpb.Struct{}), "null": structpb.NewNullValue(),
	} {
		t.Run(name, func(t *testing.T) {
			md := flattenMetadata(&corev3.Metadata{FilterMetadata: map[string]*structpb.Struct{
				"jwt": {Fields: map[string]*structpb.Value{"env": v, "sub": structpb.NewStringValue("alice")}},
			}})
			if md["jwt.env"] != authz.MetadataUnreadable || md["jwt.sub"] != "alice" {
				t.Fatalf("flattened %q", md)
			}
		})
	}
}
