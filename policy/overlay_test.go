package policy

import (
	"slices"
	"testing"

	"github.com/cedar-policy/cedar-go/types"
)

// overlayData is IAM's view of a principal and a resource, both with
// attributes and tags.
const overlayData = `[
 {"uid": {"type": "User", "id": "alice"}, "parents": [{"type": "Team", "id": "eng"}],
  "attrs": {"dept": "eng", "clearance": 3}, "tags": {"region": "eu"}},
 {"uid": {"type": "Order", "id": "42"}, "parents": [],
  "attrs": {"owner": {"__entity": {"type": "User", "id": "alice"}}}, "tags": {"class": "internal"}}
]`

// The request's own principal and resource overlay IAM's: IAM's attributes
// and tags the request does not set are kept, the request's own win.
const overlayPolicies = `@id("iam-facts")
permit (principal in Team::"eng", action == Action::"read", resource)
when {
  principal.dept == "eng" && principal.clearance == 5 &&
  principal.hasTag("region") && principal.getTag("region") == "eu" &&
  principal.hasTag("tier") && principal.getTag("tier") == "gold" &&
  resource.owner == principal && resource.hasTag("class") && resource.getTag("class") == "internal" &&
  resource.path == "/orders/42"
};
`

func TestOverlayKeepsIAMAttributesAndTags(t *testing.T) {
	s, err := Load(mapFS(map[string]string{"p.cedar": overlayPolicies, "entities.json": overlayData}), Options{})
	if err != nil {
		t.Fatal(err)
	}
	alice, order := uid("User", "alice"), uid("Order", "42")
	principal := types.Entity{UID: alice,
		Attributes: types.NewRecord(types.RecordMap{"clearance": types.Long(5)}),
		Tags:       types.NewRecord(types.RecordMap{"tier": types.String("gold")})}
	resource := types.Entity{UID: order, Attributes: types.NewRecord(types.RecordMap{"path": types.String("/orders/42")})}

	o := newOverlay(s.entities, []types.Entity{principal, resource})
	p, _ := o.Get(alice)
	wantAttrs := types.NewRecord(types.RecordMap{"dept": types.String("eng"), "clearance": types.Long(5)})
	wantTags := types.NewRecord(types.RecordMap{"region": types.String("eu"), "tier": types.String("gold")})
	if !p.Attributes.Equal(wantAttrs) || !p.Tags.Equal(wantTags) || !p.Parents.Contains(uid("Team", "eng")) {
		t.Errorf("overlaid principal %+v, want attrs %v tags %v and IAM's parents", p, wantAttrs, wantTags)
	}
	r, _ := o.Get(order)
	if v, ok := r.Attributes.Get("owner"); !ok || v != alice {
		t.Errorf("overlaid resource lost IAM's owner attribute: %v", r.Attributes)
	}
	if v, ok := r.Tags.Get("class"); !ok || v != types.String("internal") {
		t.Errorf("overlaid resource lost IAM's tags: %v", r.Tags)
	}

	d := s.Evaluate(req(alice, uid("Action", "read"), order, nil), principal, resource)
	if !d.Allow || !slices.Equal(d.Determining, []string{"iam-facts"}) || len(d.Errors) != 0 {
		t.Errorf("decision %+v, want allow by iam-facts with no errors", d)
	}
}

// TestMergeRecords: top's values win; a top that base already covers
// leaves base as it is; a differing or extra key yields the overlay.
func TestMergeRecords(t *testing.T) {
	rec := func(kv ...any) types.Record {
		m := types.RecordMap{}
		for i := 0; i < len(kv); i += 2 {
			m[types.String(kv[i].(string))] = kv[i+1].(types.Value)
		}
		return types.NewRecord(m)
	}
	base := rec("ns", types.String("shop"), "level", types.Long(3))
	for _, tt := range []struct {
		name      string
		top, want types.Record
	}{
		{"empty top", rec(), base},
		{"covered", rec("ns", types.String("shop")), base},
		{"covered, all keys", rec("ns", types.String("shop"), "level", types.Long(3)), base},
		{"differing value wins", rec("ns", types.String("pay")), rec("ns", types.String("pay"), "level", types.Long(3))},
		{"same text, other type", rec("level", types.String("3")), rec("ns", types.String("shop"), "level", types.String("3"))},
		{"extra key", rec("sa", types.String("x")), rec("ns", types.String("shop"), "level", types.Long(3), "sa", types.String("x"))},
	} {
		if got := mergeRecords(base, tt.top); !got.Equal(tt.want) {
			t.Errorf("%s: got %v, want %v", tt.name, got, tt.want)
		}
	}
	if got := mergeRecords(rec(), base); !got.Equal(base) {
		t.Errorf("empty base: got %v", got)
	}
}
