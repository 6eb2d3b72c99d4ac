package authz

import (
	"maps"
	"slices"
	"testing"
	"time"

	"github.com/cedar-policy/cedar-go/types"

	"github.com/tollgate-authz/tollgate/identity"
)

// TestMapperContextMatchesDescription holds the two in step: the context
// the real mapper builds (with signals and JWT claims) has exactly the
// attributes mapperContext describes, with the described types, when the
// request carries everything; and every attribute described as always
// present is set on a request that carries nothing optional.
func TestMapperContextMatchesDescription(t *testing.T) {
	sigs := []Signal{
		{Name: "risk_score", From: FromHeader, Key: "x-risk", Type: TypeLong},
		{Name: "region", From: FromContextExtension, Key: "region", Type: TypeString},
		{Name: "canary", From: FromMetadata, Key: "f.canary", Type: TypeBool},
	}
	claims := []string{"sub", "aud"}
	m := &mapper{signals: sigs, claims: claims}
	full := &Request{Method: "GET", Path: "/", Host: "h", Scheme: "https", TLS: true,
		SourceAddress: "10.0.0.1", Headers: map[string]string{"x-risk": "7"},
		ContextExtensions: map[string]string{"region": "eu"}, Metadata: map[string]string{"f.canary": "true"}}
	id := &identity.Identity{Source: identity.SourceJWT, Claims: map[string]any{"sub": "s", "aud": "a"}}
	ctx, err := m.context(full, id, nil, "/", time.Now(), 0)
	if err != nil {
		t.Fatal(err)
	}
	desc := mapperContext(sigs, claims, nil, false)
	shape := ContextShape(PolicyCheck{Signals: sigs, JWTClaims: claims}).Context.Attrs
	got := slices.Sorted(maps.Keys(ctx))
	var want []types.String
	for k := range desc {
		if k != "enforcement_point" { // an AuthZEN evaluation's (TestEvaluateEnforcementPoint)
			want = append(want, types.String(k))
		}
	}
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Fatalf("mapper sets %v, mapperContext describes %v", got, want)
	}
	for k, v := range ctx {
		if k == "jwt" {
			rec := v.(types.Record)
			for _, c := range claims {
				if _, ok := rec.Get(types.String(c)); !ok || shape["jwt"].Attrs[c] == nil {
					t.Errorf("claim %s: in context %v, in shape %v", c, ok, shape["jwt"].Attrs[c] != nil)
				}
			}
			continue
		}
		if st := shapeType(v); shape[string(k)] == nil || shape[string(k)].Type != st {
			t.Errorf("context.%s: mapper value %s, shape %+v", k, st, shape[string(k)])
		}
	}
	bare, err := m.context(&Request{Method: "GET"}, &identity.Identity{}, nil, "/", time.Now(), 0)
	if err != nil {
		t.Fatal(err)
	}
	for k, a := range desc {
		if _, ok := bare[types.String(k)]; a.always && !ok {
			t.Errorf("context.%s is described as always present but the mapper leaves it out", k)
		}
	}
}
